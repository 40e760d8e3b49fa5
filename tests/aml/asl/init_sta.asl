/*
 * init_sta.asl - device initialisation: \_SB._INI first, then each present
 * device's _INI, parents before children, in namespace order. A device
 * whose _STA is 0 is skipped with all its children; one whose _STA says
 * "functioning but not present" (0x08) is skipped but its children are
 * not. _INI leaves a trail in ORDR that the _HIDs read back; _HIDs of
 * absent devices are still evaluated and listed by the oracle.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "INITSTA", 1)
{
    Name (ORDR, "")
    Name (FLGS, 0)

    Method (MARK, 2)    /* append Arg0 to the trail, set bit Arg1 */
    {
        Concatenate (ORDR, Arg0, ORDR)
        Or (FLGS, ShiftLeft (1, Arg1), FLGS)
    }

    Scope (\_SB)
    {
        Method (_INI) { MARK ("S", 0) }

        Device (DEVA)                          /* no _STA: present */
        {
            Name (_ADR, 0)
            Method (_INI) { MARK ("A", 1) }
            Device (DEVB)
            {
                Name (_ADR, 1)
                Method (_STA) { Return (0x0F) }
                Method (_INI) { MARK ("B", 2) }
            }
        }

        Device (ABS0)                          /* _STA 0: neither it nor its children */
        {
            Method (_STA) { Return (0) }
            Method (_INI) { MARK ("X", 3) }
            Method (_HID) { Return ("ABSENT00") }
            Device (ABSC)
            {
                Name (_ADR, 0)
                Method (_INI) { MARK ("Y", 4) }
            }
        }

        Device (FNP0)                          /* 0x08: children still initialised */
        {
            Name (_STA, 0x08)
            Method (_INI) { MARK ("F", 5) }
            Device (FNPC)
            {
                Name (_ADR, 0)
                Method (_INI) { MARK ("C", 6) }
            }
        }

        Device (INV1)                          /* the check, and the trail itself */
        {
            Method (_HID)
            {
                If (And (FLGS, 0x08)) { Return ("FAIL01") }
                If (And (FLGS, 0x10)) { Return ("FAIL02") }
                If (And (FLGS, 0x20)) { Return ("FAIL03") }
                If (LNot (And (FLGS, 0x01))) { Return ("FAIL04") }
                If (LNot (And (FLGS, 0x02))) { Return ("FAIL05") }
                If (LNot (And (FLGS, 0x04))) { Return ("FAIL06") }
                If (LNot (And (FLGS, 0x40))) { Return ("FAIL07") }
                Return ("PASS")
            }
        }

        Device (INV2)
        {
            Method (_HID) { Return (Concatenate ("INI", ORDR)) }
        }

        Device (STA1)                          /* _STA as a Name with other bits */
        {
            Name (_STA, 0x1F)
            Method (_INI) { MARK ("T", 7) }
        }
    }

    Device (\ROOT)                             /* a device outside \_SB_ */
    {
        Method (_INI) { MARK ("R", 8) }
        Method (_HID) { Return ("ROOT0001") }
    }
}
