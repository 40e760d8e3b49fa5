/*
 * prt.asl - PCI interrupt routing as firmware writes it. \_PIC records the
 * interrupt model (the oracle calls \_PIC (1), APIC mode). PCI0 has a
 * _PRT Method that returns the APIC table or the PIC table by that flag;
 * PCI1 has a _PRT Name package mixing link devices (by single name,
 * absolute path and parent prefix) with GSI entries whose source is 0;
 * a bridge below PCI0 has its own _PRT built at run time in a method;
 * PCI2's _PRT method declares its package (names resolved when the method
 * runs) and rewrites the addresses in a loop.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "PRT", 1)
{
    Name (PICM, 0)
    Method (\_PIC, 1) { Store (Arg0, PICM) }

    Scope (\_SB)
    {
        Name (PRSA, ResourceTemplate () { IRQ (Level, ActiveLow, Shared) { 5, 10, 11 } })

        Device (LNKA)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 1)
            Name (IRQN, 10)
            Method (_STA) { Return (0x0B) }
            Method (_PRS) { Return (PRSA) }
            Method (_DIS) { Store (0, IRQN) }
            Method (_CRS, 0, Serialized)
            {
                Name (RTLA, ResourceTemplate () { IRQ (Level, ActiveLow, Shared, IRQX) {} })
                CreateWordField (RTLA, IRQX._INT, IRQW)
                ShiftLeft (1, IRQN, IRQW)
                Return (RTLA)
            }
            Method (_SRS, 1)
            {
                CreateWordField (Arg0, 1, IRQW)
                FindSetRightBit (IRQW, Local0)
                Store (Subtract (Local0, 1), IRQN)
            }
        }

        Device (LNKB)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 2)
            Method (_STA) { Return (0x0B) }
            Method (_PRS) { Return (PRSA) }
            Method (_CRS) { Return (PRSA) }
            Method (_SRS, 1) {}
        }

        Device (LNKC)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 3)
            Method (_STA) { Return (0x09) }      /* disabled link */
            Method (_PRS) { Return (PRSA) }
            Method (_CRS) { Return (PRSA) }
            Method (_SRS, 1) {}
        }

        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A08"))
            Name (_CID, EisaId ("PNP0A03"))
            Name (_UID, 0)
            Name (_BBN, 0)

            Name (PRAP, Package ()
            {
                Package () { 0x0001FFFF, 0, 0, 16 },
                Package () { 0x0001FFFF, 1, 0, 17 },
                Package () { 0x0002FFFF, 0, Zero, 18 },
                Package () { 0x0002FFFF, 3, 0, 0x17 },
                Package () { 0x001FFFFF, 2, 0, 0x16 }
            })
            Name (PRPC, Package ()
            {
                Package () { 0x0001FFFF, 0, LNKA, 0 },
                Package () { 0x0001FFFF, 1, LNKB, 0 },
                Package () { 0x0002FFFF, 0, LNKC, 0 },
                Package () { 0x0002FFFF, 3, LNKA, 0 },
                Package () { 0x001FFFFF, 2, LNKB, 0 }
            })
            Method (_PRT)
            {
                If (PICM) { Return (PRAP) }
                Return (PRPC)
            }

            Device (BR01)       /* a PCI-PCI bridge: routing swizzled by slot */
            {
                Name (_ADR, 0x001C0000)
                Method (_PRT, 0, Serialized)
                {
                    Name (PR01, Package (8) {})
                    Local0 = 0
                    While (Local0 < 8)
                    {
                        Local1 = Package (4) { 0, 0, 0, 0 }
                        Local1 [0] = ((Local0 >> 2) << 16) | 0xFFFF
                        Local1 [1] = Local0 & 3
                        Local1 [3] = 0x20 + ((Local0 + (Local0 >> 2)) & 3)
                        PR01 [Local0] = Local1
                        Local0++
                    }
                    Return (PR01)
                }
            }
        }

        Device (PCI1)
        {
            Name (_HID, EisaId ("PNP0A03"))
            Name (_UID, 1)
            Name (_BBN, 0x40)
            Name (_PRT, Package ()
            {
                Package () { 0xFFFF, 0, LNKA, 0 },
                Package () { 0xFFFF, 1, \_SB.LNKB, 0 },
                Package () { 0xFFFF, 2, ^LNKC, 0 },
                Package () { 0xFFFF, 3, 0, 40 },
                Package () { 0x0003FFFF, 0, One, 0x30 },      /* One: not a link */
                Package () { 0x0004FFFF, 0, 0, 0xFFFFFFFF }
            })
        }

        Device (PCI2)
        {
            Name (_HID, EisaId ("PNP0A03"))
            Name (_UID, 2)
            Method (_PRT, 0, Serialized)
            {
                /* names inside a package built in a method resolve when it runs */
                Name (PRT2, Package ()
                {
                    Package () { 0x0005FFFF, 0, LNKA, 0 },
                    Package () { 0x0005FFFF, 1, LNKB, 0 },
                    Package () { 0x0005FFFF, 2, LNKC, 0 },
                    Package () { 0x0005FFFF, 3, LNKA, 0 }
                })
                /* move every entry to slot 6 at run time */
                Local1 = 0
                While (Local1 < SizeOf (PRT2))
                {
                    Local2 = DerefOf (PRT2 [Local1])
                    Local2 [0] = 0x0006FFFF
                    PRT2 [Local1] = Local2
                    Local1++
                }
                Return (PRT2)
            }
        }
    }
}
