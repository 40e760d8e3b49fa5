/*
 * resources.asl - resource templates as firmware _CRS methods use them: a
 * ResourceTemplate compiles to a Buffer ending in an End Tag; descriptor
 * field names (._MIN, ._MAX, ._LEN, ._BAS, ._INT) give bit offsets that
 * Create*Field uses to patch the buffer at run time; templates are
 * concatenated with ConcatenateResTemplate. Values are shown as the bytes
 * of the patched buffers.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "RESOURCE", 1)
{
    Name (TOLM, 0x20000000)     /* "top of low memory" a BIOS would read from a register */

    Scope (\_SB)
    {
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A08"))
            Name (_UID, 0)
            Name (CRS0, ResourceTemplate ()
            {
                WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,
                    0x0000, 0x0000, 0x00FF, 0x0000, 0x0100,,,)
                IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08)
                DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite,
                    0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,,, MMIO)
                QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite,
                    0x0, 0x0, 0x0, 0x0, 0x0,,, MM64)
            })
            Method (_CRS, 0, Serialized)
            {
                CreateDWordField (CRS0, \_SB.PCI0.MMIO._MIN, MMIN)
                CreateDWordField (CRS0, \_SB.PCI0.MMIO._MAX, MMAX)
                CreateDWordField (CRS0, \_SB.PCI0.MMIO._LEN, MLEN)
                CreateQWordField (CRS0, \_SB.PCI0.MM64._MIN, QMIN)
                CreateQWordField (CRS0, \_SB.PCI0.MM64._MAX, QMAX)
                CreateQWordField (CRS0, \_SB.PCI0.MM64._LEN, QLEN)
                MMIN = TOLM
                MMAX = 0xFEBFFFFF
                MLEN = MMAX - MMIN + 1
                QMIN = 0x800000000
                QLEN = 0x800000000
                QMAX = QMIN + QLEN - 1
                Return (CRS0)
            }
        }

        Device (RS01)
        {
            Method (_HID, 0, Serialized)
            {
                Store (\_SB.PCI0._CRS (), Local0)
                If (LNotEqual (ObjectType (Local0), 3)) { Return ("FAIL01") }
                /* End Tag: 0x79 then a checksum byte */
                Store (SizeOf (Local0), Local1)
                If (LNotEqual (DerefOf (Index (Local0, Subtract (Local1, 2))), 0x79)) { Return ("FAIL02") }
                /* descriptor offsets are bit offsets */
                If (LNotEqual (\_SB.PCI0.MMIO._MIN, Multiply (Add (16 + 8, 10), 8))) { Return ("FAIL03") }
                CreateDWordField (Local0, \_SB.PCI0.MMIO._LEN, LENF)
                If (LNotEqual (LENF, 0xDEC00000)) { Return ("FAIL04") }
                Return ("PASS")
            }
        }

        Device (RS02)   /* a _CRS built from pieces, as for a link device */
        {
            Name (IRQ0, ResourceTemplate () { IRQ (Level, ActiveLow, Shared, IRQD) { 11 } })
            Name (IO00, ResourceTemplate () { IO (Decode16, 0x60, 0x60, 0x00, 0x01) })
            Method (_HID, 0, Serialized)
            {
                CreateWordField (IRQ0, \_SB.RS02.IRQD._INT, IRQM)
                Store (ShiftLeft (1, 5), IRQM)
                Store (ConcatenateResTemplate (IRQ0, IO00), Local0)
                Return (ToHexString (Local0))
            }
        }

        /* the patched PCI0 template, bytes 24 and up, in two parts:
         * acpiexec shows only the first 255 characters of a string */
        Device (RSV1)
        {
            Method (_HID)
            {
                Store (\_SB.PCI0._CRS (), Local0)
                Return (ToHexString (Mid (Local0, 24, 30)))
            }
        }

        Device (RSV2)
        {
            Method (_HID)
            {
                Store (\_SB.PCI0._CRS (), Local0)
                Return (ToHexString (Mid (Local0, 54, 40)))
            }
        }
    }
}
