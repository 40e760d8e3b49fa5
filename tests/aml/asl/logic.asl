/*
 * logic.asl - logical operators and comparisons of integers, strings and
 * buffers. LEqual/LLess/LGreater on strings and buffers compare bytes, the
 * shorter operand being less when it is a prefix. True is Ones, false Zero.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "LOGIC", 1)
{
    Name (\NINE, 9)
    Name (\STRA, "ABC")
    Name (\BUFA, Buffer () { 1, 2, 3 })

    Scope (\_SB)
    {
        Device (LG01)   /* integer comparisons, LAnd/LOr/LNot results */
        {
            Method (_HID)
            {
                If (LNot (LEqual (NINE, 9))) { Return ("FAIL01") }
                If (LGreater (NINE, 10)) { Return ("FAIL02") }
                If (LNot (LLess (NINE, 10))) { Return ("FAIL03") }
                If (LNot (LGreaterEqual (NINE, 9))) { Return ("FAIL04") }
                If (LNot (LLessEqual (NINE, 9))) { Return ("FAIL05") }
                If (LNotEqual (NINE, 9)) { Return ("FAIL06") }
                /* comparisons are unsigned */
                If (LLess (Ones, 1)) { Return ("FAIL07") }
                /* results are Ones and Zero */
                If (LNotEqual (LEqual (1, 1), Ones)) { Return ("FAIL08") }
                If (LNotEqual (LEqual (1, 2), Zero)) { Return ("FAIL09") }
                If (LNotEqual (LAnd (2, 4), Ones)) { Return ("FAIL10") }
                If (LNotEqual (LAnd (2, 0), Zero)) { Return ("FAIL11") }
                If (LNotEqual (LOr (0, 0x100), Ones)) { Return ("FAIL12") }
                If (LNotEqual (LNot (0), Ones)) { Return ("FAIL13") }
                If (LNotEqual (LNot (5), Zero)) { Return ("FAIL14") }
                If (!(NINE == 9 && NINE != 8 || 0)) { Return ("FAIL15") }
                If ((NINE > 3) != Ones) { Return ("FAIL16") }
                Return ("PASS")
            }
        }

        Device (LG02)   /* strings */
        {
            Method (_HID)
            {
                If (LNot (LEqual (STRA, "ABC"))) { Return ("FAIL01") }
                If (LEqual (STRA, "ABD")) { Return ("FAIL02") }
                If (LNot (LLess (STRA, "ABD"))) { Return ("FAIL03") }
                If (LNot (LLess ("AB", STRA))) { Return ("FAIL04") }
                If (LNot (LGreater (STRA, "AB"))) { Return ("FAIL05") }
                If (LNot (LGreater ("b", "B"))) { Return ("FAIL06") }
                If (LEqual ("", STRA)) { Return ("FAIL07") }
                If (LNot (LEqual ("", ""))) { Return ("FAIL08") }
                Return ("PASS")
            }
        }

        Device (LG03)   /* buffers */
        {
            Method (_HID)
            {
                If (LNot (LEqual (BUFA, Buffer () { 1, 2, 3 }))) { Return ("FAIL01") }
                If (LEqual (BUFA, Buffer () { 1, 2, 4 })) { Return ("FAIL02") }
                If (LNot (LLess (BUFA, Buffer () { 1, 3 }))) { Return ("FAIL03") }
                If (LNot (LGreater (BUFA, Buffer () { 1, 2 }))) { Return ("FAIL04") }
                If (LNot (LLess (Buffer () { 0xFF }, Buffer () { 0xFF, 0 }))) { Return ("FAIL05") }
                Return ("PASS")
            }
        }

        Device (LG04)   /* the second operand is converted to the first one's type */
        {
            Method (_HID)
            {
                If (LNot (LEqual (0x41, "41"))) { Return ("FAIL01") }      /* "41" -> hex integer */
                /* ACPICA renders a buffer as "0x41 0x42" when it must become a string */
                If (LNot (LEqual ("0x41 0x42", Buffer () { 0x41, 0x42 }))) { Return ("FAIL02") }
                /* an integer becomes an 8-byte buffer (64-bit mode), so a short one is less */
                If (LNot (LEqual (Buffer () { 0x34, 0x12, 0, 0, 0, 0, 0, 0 }, 0x1234))) { Return ("FAIL03") }
                If (LNot (LLess (Buffer () { 0x34, 0x12 }, 0x1234))) { Return ("FAIL04") }
                Return ("PASS")
            }
        }
    }
}
