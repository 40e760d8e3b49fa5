/*
 * arithmetic.asl - integer arithmetic in 64-bit mode (DSDT revision 2).
 * Each _HID is self-checking: "PASS", or "FAIL<nn>" naming the first check
 * that went wrong. \_SB.ARV1 returns the computed values themselves.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "ARITH", 1)
{
    Scope (\_SB)
    {
        Device (AR01)   /* Add, Subtract, Multiply, Increment, Decrement */
        {
            Method (_HID)
            {
                If (LNotEqual (Add (1, 2), 3)) { Return ("FAIL01") }
                If (LNotEqual (Subtract (10, 4), 6)) { Return ("FAIL02") }
                If (LNotEqual (Multiply (7, 6), 42)) { Return ("FAIL03") }
                /* wrap-around at 64 bits */
                If (LNotEqual (Add (0xFFFFFFFFFFFFFFFF, 2), 1)) { Return ("FAIL04") }
                If (LNotEqual (Subtract (0, 1), 0xFFFFFFFFFFFFFFFF)) { Return ("FAIL05") }
                If (LNotEqual (Multiply (0x100000000, 0x100000001), 0x100000000)) { Return ("FAIL06") }
                Store (5, Local0)
                Increment (Local0)
                Increment (Local0)
                Decrement (Local0)
                If (LNotEqual (Local0, 6)) { Return ("FAIL07") }
                Store (0, Local1)
                Decrement (Local1)
                If (LNotEqual (Local1, Ones)) { Return ("FAIL08") }
                /* targets: result stored into a local as well as returned */
                Add (20, 22, Local2)
                If (LNotEqual (Local2, 42)) { Return ("FAIL09") }
                Local3 = 3 * 4 + 2
                If (Local3 != 14) { Return ("FAIL10") }
                Local3 += 6
                Local3 *= 2
                Local3 -= 1
                If (Local3 != 39) { Return ("FAIL11") }
                Return ("PASS")
            }
        }

        Device (AR02)   /* Divide, Mod */
        {
            Method (_HID)
            {
                Divide (17, 5, Local0, Local1)
                If (LNotEqual (Local0, 2)) { Return ("FAIL01") }       /* remainder */
                If (LNotEqual (Local1, 3)) { Return ("FAIL02") }       /* quotient */
                If (LNotEqual (Divide (100, 7), 14)) { Return ("FAIL03") }
                If (LNotEqual (Mod (100, 7), 2)) { Return ("FAIL04") }
                If (LNotEqual (Divide (0xFFFFFFFFFFFFFFFF, 0x10), 0x0FFFFFFFFFFFFFFF)) { Return ("FAIL05") }
                If (LNotEqual (Mod (0xFFFFFFFFFFFFFFFF, 0x10), 0xF)) { Return ("FAIL06") }
                Local2 = 99 / 10
                Local3 = 99 % 10
                If (Local2 != 9 || Local3 != 9) { Return ("FAIL07") }
                Return ("PASS")
            }
        }

        Device (AR03)   /* And, Or, XOr, Not, NAnd, NOr, ShiftLeft, ShiftRight */
        {
            Method (_HID)
            {
                If (LNotEqual (And (0xF0F0, 0xFF00), 0xF000)) { Return ("FAIL01") }
                If (LNotEqual (Or (0xF0F0, 0x0F00), 0xFFF0)) { Return ("FAIL02") }
                If (LNotEqual (XOr (0xFF, 0x0F), 0xF0)) { Return ("FAIL03") }
                If (LNotEqual (Not (0), Ones)) { Return ("FAIL04") }
                If (LNotEqual (Not (0xFFFFFFFF00000000), 0xFFFFFFFF)) { Return ("FAIL05") }
                If (LNotEqual (NAnd (0xFF, 0x0F), 0xFFFFFFFFFFFFFFF0)) { Return ("FAIL06") }
                If (LNotEqual (NOr (0xF0, 0x0F), 0xFFFFFFFFFFFFFF00)) { Return ("FAIL07") }
                If (LNotEqual (ShiftLeft (1, 63), 0x8000000000000000)) { Return ("FAIL08") }
                If (LNotEqual (ShiftLeft (1, 64), 0)) { Return ("FAIL09") }
                If (LNotEqual (ShiftRight (0x8000000000000000, 63), 1)) { Return ("FAIL10") }
                If (LNotEqual (ShiftRight (0x1234, 100), 0)) { Return ("FAIL11") }
                Local0 = (0x12 << 8) | 0x34
                If (Local0 != 0x1234) { Return ("FAIL12") }
                Local1 = ~Local0 & 0xFFFF
                If (Local1 != 0xEDCB) { Return ("FAIL13") }
                Local1 = Local0 ^ 0xFFFF
                If (Local1 != 0xEDCB) { Return ("FAIL14") }
                Return ("PASS")
            }
        }

        Device (ARV1)   /* computed values shown as hex, so a wrong value shows up as itself */
        {
            Method (_HID)
            {
                Store (Multiply (0x12345678, 0x9ABCDEF), Local0)
                Store (Add (Local0, ShiftLeft (0xA5, 40)), Local0)
                Store (XOr (Local0, 0x5555555555555555), Local0)
                Return (ToHexString (Local0))
            }
        }

        Device (ARV2)
        {
            Method (_HID)
            {
                Divide (0xFEDCBA9876543210, 0x12345, Local1, Local0)
                Return (Concatenate (ToHexString (Local0), ToHexString (Local1)))
            }
        }
    }
}
