/*
 * control.asl - If/ElseIf/Else, While with Break and Continue, nesting,
 * early Return from inside loops, and Switch/Case (which iasl lowers to
 * While/If with a temporary).
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "CONTROL", 1)
{
    Method (CLAS, 1)            /* If/ElseIf/Else chain */
    {
        If (LLess (Arg0, 10)) { Return (1) }
        ElseIf (LLess (Arg0, 100)) { Return (2) }
        ElseIf (LLess (Arg0, 1000)) { Return (3) }
        Else { Return (4) }
    }

    Method (FIND, 1)            /* early Return out of a While */
    {
        Local0 = 0
        While (1)
        {
            If (Local0 == Arg0) { Return (Local0) }
            Local0++
            If (Local0 > 50) { Return (Ones) }
        }
        Return (0xDEAD)
    }

    Method (SWCH, 1)
    {
        Switch (ToInteger (Arg0))
        {
            Case (1) { Return ("one") }
            Case (Package () { 2, 3 }) { Return ("two-three") }
            Default { Return ("other") }
        }
        Return ("unreached")
    }

    Scope (\_SB)
    {
        Device (CF01)
        {
            Method (_HID)
            {
                If (LNotEqual (CLAS (5), 1)) { Return ("FAIL01") }
                If (LNotEqual (CLAS (50), 2)) { Return ("FAIL02") }
                If (LNotEqual (CLAS (500), 3)) { Return ("FAIL03") }
                If (LNotEqual (CLAS (5000), 4)) { Return ("FAIL04") }
                /* If without Else, body skipped */
                Store (7, Local0)
                If (0) { Store (8, Local0) }
                If (LNotEqual (Local0, 7)) { Return ("FAIL05") }
                /* nested If/Else */
                If (1) { If (0) { Local0 = 1 } Else { If (1) { Local0 = 2 } Else { Local0 = 3 } } }
                If (LNotEqual (Local0, 2)) { Return ("FAIL06") }
                Return ("PASS")
            }
        }

        Device (CF02)   /* While, Break, Continue, nested loops */
        {
            Method (_HID)
            {
                /* sum of 0..9 */
                Store (0, Local0)
                Store (0, Local1)
                While (LLess (Local0, 10))
                {
                    Add (Local1, Local0, Local1)
                    Increment (Local0)
                }
                If (LNotEqual (Local1, 45)) { Return ("FAIL01") }
                /* Break at 5 */
                Store (0, Local0)
                While (1)
                {
                    If (LEqual (Local0, 5)) { Break }
                    Increment (Local0)
                }
                If (LNotEqual (Local0, 5)) { Return ("FAIL02") }
                /* Continue: sum of the odd numbers below 20 */
                Store (0, Local0)
                Store (0, Local1)
                While (LLess (Local0, 20))
                {
                    Increment (Local0)
                    If (LEqual (And (Local0, 1), 0)) { Continue }
                    Add (Local1, Local0, Local1)
                }
                If (LNotEqual (Local1, 100)) { Return ("FAIL03") }
                /* nested loops; the inner Break leaves only the inner loop */
                Store (0, Local0)
                Store (0, Local2)
                While (LLess (Local0, 4))
                {
                    Store (0, Local1)
                    While (1)
                    {
                        If (LGreaterEqual (Local1, Local0)) { Break }
                        Increment (Local1)
                        Increment (Local2)
                    }
                    Increment (Local0)
                }
                If (LNotEqual (Local2, 6)) { Return ("FAIL04") }
                /* a loop whose body never runs */
                While (0) { Return ("FAIL05") }
                If (LNotEqual (FIND (17), 17)) { Return ("FAIL06") }
                If (LNotEqual (FIND (99), Ones)) { Return ("FAIL07") }
                Return ("PASS")
            }
        }

        Device (CF03)
        {
            Method (_HID)
            {
                If (LNotEqual (SWCH (1), "one")) { Return ("FAIL01") }
                If (LNotEqual (SWCH (3), "two-three")) { Return ("FAIL02") }
                If (LNotEqual (SWCH (9), "other")) { Return ("FAIL03") }
                If (LNotEqual (SWCH ("2"), "two-three")) { Return ("FAIL04") }
                Return ("PASS")
            }
        }

        Device (CFV1)   /* Collatz steps of 27 (111), a long-running loop */
        {
            Method (_HID)
            {
                Local0 = 27
                Local1 = 0
                While (Local0 != 1)
                {
                    If (Local0 & 1) { Local0 = Local0 * 3 + 1 } Else { Local0 >>= 1 }
                    Local1++
                }
                Return (ToDecimalString (Local1))
            }
        }
    }
}
