/*
 * match.asl - Match with each pair of operators (MTR, MEQ, MLE, MLT, MGE,
 * MGT), a start index, no match (Ones), and elements of other types in the
 * package (ACPICA converts them to integers as it compares: "str" reads as
 * 0 since 's' is no hex digit, Buffer () { 1 } as 1); FindSetLeftBit,
 * FindSetRightBit.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "MATCH", 1)
{
    Name (MPKG, Package () { 5, 10, "str", 15, 20, Buffer () { 1 }, 25, 10 })

    Scope (\_SB)
    {
        Device (MA01)
        {
            Method (_HID)
            {
                If (LNotEqual (Match (MPKG, MEQ, 10, MTR, 0, 0), 1)) { Return ("FAIL01") }
                If (LNotEqual (Match (MPKG, MEQ, 10, MTR, 0, 2), 7)) { Return ("FAIL02") }
                If (LNotEqual (Match (MPKG, MGT, 12, MLT, 22, 0), 3)) { Return ("FAIL03") }
                If (LNotEqual (Match (MPKG, MGE, 20, MLE, 20, 0), 4)) { Return ("FAIL04") }
                If (LNotEqual (Match (MPKG, MEQ, 99, MTR, 0, 0), Ones)) { Return ("FAIL05") }
                If (LNotEqual (Match (MPKG, MTR, 0, MTR, 0, 0), 0)) { Return ("FAIL06") }
                If (LNotEqual (Match (MPKG, MLT, 6, MTR, 0, 1), 2)) { Return ("FAIL07") }    /* "str" */
                If (LNotEqual (Match (MPKG, MEQ, 1, MTR, 0, 0), 5)) { Return ("FAIL10") }   /* buffer */
                If (LNotEqual (Match (MPKG, MGT, 22, MTR, 0, 0), 6)) { Return ("FAIL08") }
                Return ("PASS")
            }
        }

        Device (MA02)
        {
            Method (_HID)
            {
                If (LNotEqual (FindSetLeftBit (0), 0)) { Return ("FAIL01") }
                If (LNotEqual (FindSetLeftBit (1), 1)) { Return ("FAIL02") }
                If (LNotEqual (FindSetLeftBit (0x80000000), 32)) { Return ("FAIL03") }
                If (LNotEqual (FindSetLeftBit (Ones), 64)) { Return ("FAIL04") }
                If (LNotEqual (FindSetRightBit (0), 0)) { Return ("FAIL05") }
                If (LNotEqual (FindSetRightBit (0x80), 8)) { Return ("FAIL06") }
                If (LNotEqual (FindSetRightBit (0x8000000000000000), 64)) { Return ("FAIL07") }
                FindSetLeftBit (0x0F00, Local0)
                If (LNotEqual (Local0, 12)) { Return ("FAIL08") }
                Return ("PASS")
            }
        }

        Device (MAV1)   /* every match index in one string */
        {
            Method (_HID)
            {
                Local0 = ""
                Local1 = 0
                While (Local1 < SizeOf (MPKG))
                {
                    Local2 = Match (MPKG, MGE, 10, MTR, 0, Local1)
                    If (Local2 == Ones) { Break }
                    Concatenate (Local0, ToDecimalString (Local2), Local0)
                    Local1 = Local2 + 1
                }
                Return (Local0)
            }
        }
    }
}
