/*
 * int32.asl - a revision 1 DSDT: integers are 32 bits. Arithmetic wraps at
 * 2^32, Ones is 0xFFFFFFFF, constants are truncated when loaded, integer to
 * string and buffer conversions give 8 hex digits and 4 bytes, and
 * FindSetLeftBit/ShiftLeft work on 32 bits.
 */
DefinitionBlock ("", "DSDT", 1, "RBOS", "INT32", 1)
{
    Name (BIG_, 0xFFFFFFFF)

    Scope (\_SB)
    {
        Device (I301)
        {
            Method (_HID)
            {
                If (LNotEqual (Ones, 0xFFFFFFFF)) { Return ("FAIL01") }
                If (LNotEqual (Add (BIG_, 1), 0)) { Return ("FAIL02") }
                If (LNotEqual (Subtract (0, 1), BIG_)) { Return ("FAIL03") }
                If (LNotEqual (Multiply (0x10000, 0x10000), 0)) { Return ("FAIL04") }
                If (LNotEqual (ShiftLeft (1, 31), 0x80000000)) { Return ("FAIL05") }
                If (LNotEqual (ShiftLeft (1, 32), 0)) { Return ("FAIL06") }
                If (LNotEqual (Not (0), 0xFFFFFFFF)) { Return ("FAIL07") }
                If (LNotEqual (FindSetLeftBit (Ones), 32)) { Return ("FAIL08") }
                Store (BIG_, Local0)
                Increment (Local0)
                If (LNotEqual (Local0, 0)) { Return ("FAIL09") }
                Store (0, Local1)
                Decrement (Local1)
                If (LNotEqual (Local1, 0xFFFFFFFF)) { Return ("FAIL10") }
                If (LNotEqual (LEqual (1, 1), 0xFFFFFFFF)) { Return ("FAIL11") }
                Return ("PASS")
            }
        }

        Device (I302)   /* conversions are 32-bit too */
        {
            Method (_HID)
            {
                If (LNotEqual (ToHexString (0x1234), "00001234")) { Return ("FAIL01") }
                Store (ToBuffer (5), Local2)
                If (LNotEqual (SizeOf (Local2), 4)) { Return ("FAIL02") }
                If (LNotEqual (Concatenate ("X", 0xAB), "X000000AB")) { Return ("FAIL03") }
                If (LNotEqual (ToDecimalString (Ones), "4294967295")) { Return ("FAIL04") }
                /* ACPICA stops converting a string before the digit that
                 * would overflow 32 bits: it neither wraps nor fails */
                If (LNotEqual (ToInteger ("0x123456789"), 0x12345678)) { Return ("FAIL05") }
                If (LNotEqual (ToInteger ("4294967297"), 429496729)) { Return ("FAIL08") }
                If (LNotEqual (Add ("123456789", 0), 0x12345678)) { Return ("FAIL09") }
                If (LNotEqual (ToInteger (Buffer () { 1, 2, 3, 4, 5, 6 }), 0x04030201)) { Return ("FAIL06") }
                Store (Concatenate (1, 2), Local0)
                If (LNotEqual (SizeOf (Local0), 8)) { Return ("FAIL07") }
                Return ("PASS")
            }
        }

        Device (I3V1)
        {
            Method (_HID)
            {
                Store (Multiply (0x12345678, 0x9ABCDEF0), Local0)
                Store (Add (Local0, 0xF0000000), Local1)
                Return (Concatenate (ToHexString (Local0), ToHexString (Local1)))
            }
        }
    }
}
