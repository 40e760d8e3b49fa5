/*
 * prt_nopic.asl - a DSDT without \_PIC: the oracle does not call it, so a
 * _PRT that switches on the interrupt model stays in PIC mode and returns
 * its link-device table. The links live in a different scope from the
 * bridge (\_SB.LNK.LNKx) and are named by parent-prefixed, absolute and
 * padded absolute paths.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "PRTPIC", 1)
{
    Name (PICM, 0)

    Scope (\_SB)
    {
        Device (LNK)
        {
            Name (_HID, "ACPI0004")     /* a module device grouping the links */
            Device (LNKA) { Name (_HID, EisaId ("PNP0C0F")) Name (_UID, 1) }
            Device (LNKB) { Name (_HID, EisaId ("PNP0C0F")) Name (_UID, 2) }
        }

        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A03"))
            Method (_PRT)
            {
                If (PICM)
                {
                    Return (Package () { Package () { 0x0001FFFF, 0, 0, 16 } })
                }
                Return (Package ()
                {
                    Package () { 0x0001FFFF, 0, ^^LNK.LNKA, 0 },
                    Package () { 0x0001FFFF, 1, \_SB.LNK.LNKB, 0 },
                    Package () { 0x0002FFFF, 0, \_SB_.LNK_.LNKB, 0 }
                })
            }
        }
    }
}
