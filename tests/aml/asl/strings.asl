/*
 * strings.asl - Concatenate, Mid, ToHexString, ToDecimalString, ToString,
 * SizeOf and Index on strings. Results with digits are shown through
 * ToHexString/ToDecimalString so wrong values appear in the output. Note that
 * ACPICA upper-cases a _HID string (a predefined-name repair), so shown
 * values are written with upper-case letters only.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "STRINGS", 1)
{
    Name (HELO, "HELLO")
    Name (WRLD, "WORLD")

    Scope (\_SB)
    {
        Device (ST01)   /* Concatenate */
        {
            Method (_HID)
            {
                If (LNotEqual (Concatenate (HELO, WRLD), "HELLOWORLD")) { Return ("FAIL01") }
                If (LNotEqual (Concatenate ("", ""), "")) { Return ("FAIL02") }
                Concatenate (HELO, "!", Local0)
                If (LNotEqual (Local0, "HELLO!")) { Return ("FAIL03") }
                If (LNotEqual (SizeOf (Local0), 6)) { Return ("FAIL04") }
                /* an integer second operand becomes 16 hex digits (64-bit) */
                If (LNotEqual (Concatenate ("N", 0x2A), "N000000000000002A")) { Return ("FAIL05") }
                /* the first operand's type decides: integer + integer = buffer */
                Store (Concatenate (0x0102, 0x0304), Local1)
                If (LNotEqual (ObjectType (Local1), 3)) { Return ("FAIL06") }
                If (LNotEqual (SizeOf (Local1), 16)) { Return ("FAIL07") }
                Return ("PASS")
            }
        }

        Device (ST02)   /* Mid, Index into a string, SizeOf */
        {
            Method (_HID)
            {
                If (LNotEqual (Mid (HELO, 1, 3), "ELL")) { Return ("FAIL01") }
                If (LNotEqual (Mid (HELO, 3, 100), "LO")) { Return ("FAIL02") }
                If (LNotEqual (Mid (HELO, 10, 2), "")) { Return ("FAIL03") }
                Mid ("ABCDEF", 0, 2, Local0)
                If (LNotEqual (Local0, "AB")) { Return ("FAIL04") }
                If (LNotEqual (SizeOf (HELO), 5)) { Return ("FAIL05") }
                Store ("", Local1)                      /* SizeOf takes a name or local */
                If (LNotEqual (SizeOf (Local1), 0)) { Return ("FAIL06") }
                If (LNotEqual (DerefOf (Index (HELO, 4)), 0x4F)) { Return ("FAIL07") }
                Return ("PASS")
            }
        }

        Device (ST03)   /* ToHexString, ToDecimalString */
        {
            Method (_HID)
            {
                If (LNotEqual (ToDecimalString (0), "0")) { Return ("FAIL01") }
                If (LNotEqual (ToDecimalString (1234567890), "1234567890")) { Return ("FAIL02") }
                If (LNotEqual (ToDecimalString (Ones), "18446744073709551615")) { Return ("FAIL03") }
                If (LNotEqual (ToHexString (0xABC), "0000000000000ABC")) { Return ("FAIL04") }
                /* a string operand passes through unchanged */
                If (LNotEqual (ToHexString ("xyz"), "xyz")) { Return ("FAIL05") }
                If (LNotEqual (ToDecimalString ("42"), "42")) { Return ("FAIL06") }
                If (LNotEqual (ToDecimalString (Buffer () { 7, 200 }), "7,200")) { Return ("FAIL07") }
                Return ("PASS")
            }
        }

        Device (ST04)   /* ToString: buffer bytes up to a NUL or a length */
        {
            Method (_HID, 0, Serialized)
            {
                Name (BUF0, Buffer () { 0x41, 0x42, 0x43, 0x00, 0x44 })
                If (LNotEqual (ToString (BUF0, Ones), "ABC")) { Return ("FAIL01") }
                If (LNotEqual (ToString (BUF0, 2), "AB")) { Return ("FAIL02") }
                If (LNotEqual (ToString (Buffer () { 0x61, 0x62 }), "ab")) { Return ("FAIL03") }
                Store (ToString (BUF0), Local0)
                If (LNotEqual (SizeOf (Local0), 3)) { Return ("FAIL04") }
                Return ("PASS")
            }
        }

        Device (STV1)   /* a computed string as the ID itself */
        {
            Method (_HID)
            {
                Store (Concatenate (Mid (WRLD, 0, 1), Mid (HELO, 1, 4)), Local0)
                Return (Concatenate (Local0, ToDecimalString (SizeOf (Local0))))
            }
        }

        Device (STV2)
        {
            Method (_HID)
            {
                Return (ToHexString (Buffer () { 0xDE, 0xAD, 0x01 }))
            }
        }
    }
}
