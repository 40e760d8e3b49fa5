/*
 * misc.asl - the remaining opcodes firmware uses now and then: Revision
 * (ACPICA's version, shown), Timer (monotonic), Store to Debug, Noop,
 * Stall and Sleep (short), Notify, ToUUID and Unicode buffers, Mid on
 * buffers, Store into an Index of a string. No BreakPoint: under acpiexec
 * it stops in the debugger and the oracle times out.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "MISC", 1)
{
    Name (STRX, "abcdef")
    Name (UUID, ToUUID ("33DB4D5B-1FF7-401C-9657-7441C03DD766"))
    Name (UNIC, Unicode ("Red"))

    Scope (\_SB)
    {
        Device (MS01)
        {
            Method (_HID)
            {
                Store (Timer, Local0)
                Stall (10)
                Sleep (1)
                Store (Timer, Local1)
                If (LLess (Local1, Local0)) { Return ("FAIL01") }
                Store ("misc.asl: a line for the debugger", Debug)
                Noop
                Notify (\_SB.MS01, 0x80)
                If (LNotEqual (SizeOf (UUID), 16)) { Return ("FAIL02") }
                /* ToUUID byte order: the first three groups little endian */
                If (LNotEqual (DerefOf (Index (UUID, 0)), 0x5B)) { Return ("FAIL03") }
                If (LNotEqual (DerefOf (Index (UUID, 8)), 0x96)) { Return ("FAIL04") }
                If (LNotEqual (SizeOf (UNIC), 8)) { Return ("FAIL05") }      /* UTF-16 + NUL */
                If (LNotEqual (DerefOf (Index (UNIC, 2)), 0x65)) { Return ("FAIL06") }
                If (LNotEqual (Mid (Buffer () { 1, 2, 3, 4, 5 }, 1, 2), Buffer () { 2, 3 })) { Return ("FAIL07") }
                Return ("PASS")
            }
        }

        Device (MS02)
        {
            Method (_HID, 0, Serialized)
            {
                Name (STRW, "abcdef")
                Store (0x41, Index (STRW, 0))
                If (LNotEqual (STRW, "Abcdef")) { Return ("FAIL01") }
                If (LNotEqual (STRX, "abcdef")) { Return ("FAIL02") }
                If (LLess (Revision, 0x20000000)) { Return ("FAIL03") }
                If (LNotEqual (And (Not (0xF), 0xFF), 0xF0)) { Return ("FAIL04") }
                Return ("PASS")
            }
        }

        Device (MSV1)   /* ACPICA's version number, as Revision gives it */
        {
            Method (_HID) { Return (ToHexString (Revision)) }
        }

        Device (MSV2)   /* a UUID's bytes */
        {
            Method (_HID) { Return (ToHexString (Mid (UUID, 0, 8))) }
        }
    }
}
