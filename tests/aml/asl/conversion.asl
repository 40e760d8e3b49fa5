/*
 * conversion.asl - explicit conversions (ToInteger, ToBCD, FromBCD,
 * ToBuffer, ToString) and the implicit ones: operands of arithmetic,
 * Store into a named object of another type (the target keeps its type),
 * Store into a local (the local takes the source's type), and
 * CopyObject (the target takes the source's type).
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "CONVERT", 1)
{
    Name (NINT, 0)
    Name (NSTR, "........")
    Name (NBUF, Buffer (4) {})

    Scope (\_SB)
    {
        Device (CV01)   /* ToInteger */
        {
            Method (_HID)
            {
                If (LNotEqual (ToInteger ("0x1F"), 0x1F)) { Return ("FAIL01") }
                If (LNotEqual (ToInteger ("123"), 123)) { Return ("FAIL02") }        /* decimal */
                If (LNotEqual (ToInteger (Buffer () { 0x78, 0x56, 0x34, 0x12 }), 0x12345678)) { Return ("FAIL03") }
                If (LNotEqual (ToInteger (42), 42)) { Return ("FAIL04") }
                If (LNotEqual (ToInteger ("0xffffffffffffffff"), Ones)) { Return ("FAIL05") }
                Return ("PASS")
            }
        }

        Device (CV02)   /* ToBCD, FromBCD */
        {
            Method (_HID)
            {
                If (LNotEqual (ToBCD (1234), 0x1234)) { Return ("FAIL01") }
                If (LNotEqual (FromBCD (0x9876), 9876)) { Return ("FAIL02") }
                If (LNotEqual (ToBCD (0), 0)) { Return ("FAIL03") }
                If (LNotEqual (FromBCD (ToBCD (31415926)), 31415926)) { Return ("FAIL04") }
                Return ("PASS")
            }
        }

        Device (CV03)   /* implicit conversion of operands */
        {
            Method (_HID)
            {
                /* a string operand of Add is read as hex */
                If (LNotEqual (Add ("10", 1), 0x11)) { Return ("FAIL01") }
                /* a buffer operand is read little endian */
                If (LNotEqual (Add (Buffer () { 0x01, 0x01 }, 0), 0x101)) { Return ("FAIL02") }
                If (LNotEqual (And ("FF", 0x0F), 0x0F)) { Return ("FAIL03") }
                /* the predicate of If/While converts too */
                If (LNot ("1")) { Return ("FAIL04") }
                Return ("PASS")
            }
        }

        Device (CV04)   /* Store converts to the target name's type */
        {
            Method (_HID)
            {
                Store ("0x20", NINT)
                If (LNotEqual (ObjectType (NINT), 1)) { Return ("FAIL01") }
                If (LNotEqual (NINT, 0x20)) { Return ("FAIL02") }
                Store (0x41, NSTR)                 /* integer -> 16 hex digits */
                If (LNotEqual (ObjectType (NSTR), 2)) { Return ("FAIL03") }
                If (LNotEqual (NSTR, "0000000000000041")) { Return ("FAIL04") }
                Store ("AB", NBUF)                 /* string -> buffer, size kept */
                If (LNotEqual (ObjectType (NBUF), 3)) { Return ("FAIL05") }
                If (LNotEqual (SizeOf (NBUF), 4)) { Return ("FAIL06") }
                If (LNotEqual (DerefOf (Index (NBUF, 1)), 0x42)) { Return ("FAIL07") }
                If (LNotEqual (DerefOf (Index (NBUF, 2)), 0)) { Return ("FAIL08") }
                Store (0x0102030405, NBUF)         /* integer -> buffer, truncated to 4 */
                If (LNotEqual (NBUF, Buffer () { 5, 4, 3, 2 })) { Return ("FAIL09") }
                Return ("PASS")
            }
        }

        Device (CV05)   /* Store into a local and CopyObject replace the type */
        {
            Method (_HID, 0, Serialized)
            {
                Name (TGT0, 5)
                Store (5, Local0)
                Store ("str", Local0)
                If (LNotEqual (ObjectType (Local0), 2)) { Return ("FAIL01") }
                CopyObject ("str", TGT0)
                If (LNotEqual (ObjectType (TGT0), 2)) { Return ("FAIL02") }
                If (LNotEqual (TGT0, "str")) { Return ("FAIL03") }
                CopyObject (Buffer () { 9 }, TGT0)
                If (LNotEqual (ObjectType (TGT0), 3)) { Return ("FAIL04") }
                Return ("PASS")
            }
        }

        Device (CVV1)   /* converted values shown */
        {
            Method (_HID)
            {
                Store (ToBCD (987654321), Local0)
                Store (ToInteger ("0x7fffFFFF"), Local1)
                Return (Concatenate (ToHexString (Local0), ToDecimalString (Local1)))
            }
        }
    }
}
