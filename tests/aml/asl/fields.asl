/*
 * fields.asl - OperationRegion and Field declarations as the oracle sees
 * them: acpiexec's handlers back SystemMemory, SystemIO and PCI_Config with
 * zero-filled memory, so every field here is only read, and reads 0. What
 * is checked is everything around the value: the object types, that a field
 * wider than an Integer reads as a Buffer of the right size, access widths,
 * Offset () and reserved bits, IndexField, BankField, region addresses that
 * are computed from names, and a region declared inside a method.
 * (fields_writeback.asl covers writes.)
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "FIELDS", 1)
{
    Name (MBAS, 0x000F0000)
    Name (MLEN, 0x100)

    OperationRegion (MEM0, SystemMemory, Add (MBAS, 0x800), MLEN)
    Field (MEM0, ByteAcc, NoLock, Preserve)
    {
        MB00, 8,
        MB01, 4,
        MB02, 4,
        , 16,                   /* reserved */
        MD04, 32,
        Offset (0x10),
        MQ10, 64,
        MW18, 72,               /* wider than an integer */
        Offset (0x40),
        MBIT, 1,
        MBT2, 7
    }

    Field (MEM0, QWordAcc, NoLock, WriteAsZeros)
    {
        Offset (0x80),
        QQ80, 64,
        QQ88, 128
    }

    Field (MEM0, AnyAcc, Lock, WriteAsOnes)
    {
        Offset (0xC1),
        AN01, 3,
        AN02, 13
    }

    OperationRegion (IO00, SystemIO, 0x0CF8, 0x08)
    Field (IO00, DWordAcc, NoLock, Preserve)
    {
        PIDX, 32,
        PDAT, 32
    }

    IndexField (PIDX, PDAT, DWordAcc, NoLock, Preserve)
    {
        Offset (0x10),
        IX10, 32,
        IX14, 16,
        IX16, 16
    }

    OperationRegion (IO01, SystemIO, 0x0070, 0x02)
    Field (IO01, ByteAcc, NoLock, Preserve) { CIDX, 8, CDAT, 8 }
    IndexField (CIDX, CDAT, ByteAcc, NoLock, Preserve)
    {
        Offset (0x0A),
        CRGA, 8,
        CRGB, 8
    }

    OperationRegion (BNKR, SystemIO, 0x0400, 0x10)
    Field (BNKR, ByteAcc, NoLock, Preserve) { BSEL, 8 }
    BankField (BNKR, BSEL, 0, ByteAcc, NoLock, Preserve)
    {
        Offset (0x04),
        BK0A, 8
    }
    BankField (BNKR, BSEL, 1, ByteAcc, NoLock, Preserve)
    {
        Offset (0x04),
        BK1A, 16
    }

    Scope (\_SB)
    {
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A03"))
            Name (_UID, 0)
            Name (_BBN, 0)
            Device (DEV1)
            {
                Name (_ADR, 0x00030000)
                OperationRegion (PCFG, PCI_Config, 0, 0x100)
                Field (PCFG, DWordAcc, NoLock, Preserve)
                {
                    VDID, 32,
                    Offset (0x2C),
                    SVID, 16,
                    SSID, 16
                }
                Field (PCFG, ByteAcc, NoLock, Preserve)
                {
                    Offset (0x3C),
                    ILIN, 8,
                    IPIN, 8
                }
            }
        }

        Device (FD01)   /* field reads, types and sizes */
        {
            Method (_HID)
            {
                If (LNotEqual (ObjectType (MB00), 5)) { Return ("FAIL01") }
                If (LNotEqual (ObjectType (MEM0), 10)) { Return ("FAIL02") }
                If (LNotEqual (MB00, 0)) { Return ("FAIL03") }
                If (LNotEqual (Add (MB01, MB02), 0)) { Return ("FAIL04") }
                If (LNotEqual (MD04, 0)) { Return ("FAIL05") }
                If (LNotEqual (MQ10, 0)) { Return ("FAIL06") }
                Store (MW18, Local0)
                If (LNotEqual (ObjectType (Local0), 3)) { Return ("FAIL07") }
                If (LNotEqual (SizeOf (Local0), 9)) { Return ("FAIL08") }
                Store (MQ10, Local1)
                If (LNotEqual (ObjectType (Local1), 1)) { Return ("FAIL09") }
                Store (QQ88, Local2)
                If (LNotEqual (SizeOf (Local2), 16)) { Return ("FAIL10") }
                If (LNotEqual (Or (MBIT, MBT2), 0)) { Return ("FAIL11") }
                If (LNotEqual (Or (AN01, AN02), 0)) { Return ("FAIL12") }
                Return ("PASS")
            }
        }

        Device (FD02)   /* SystemIO, IndexField, BankField, PCI_Config */
        {
            Method (_HID)
            {
                If (LNotEqual (PDAT, 0)) { Return ("FAIL01") }
                If (LNotEqual (ObjectType (IX10), 5)) { Return ("FAIL02") }
                If (LNotEqual (Or (IX10, Or (IX14, IX16)), 0)) { Return ("FAIL03") }
                If (LNotEqual (Or (CRGA, CRGB), 0)) { Return ("FAIL04") }
                If (LNotEqual (ObjectType (BK0A), 5)) { Return ("FAIL05") }
                If (LNotEqual (Or (BK0A, BK1A), 0)) { Return ("FAIL06") }
                If (LNotEqual (\_SB.PCI0.DEV1.VDID, 0)) { Return ("FAIL07") }
                If (LNotEqual (Or (\_SB.PCI0.DEV1.ILIN, \_SB.PCI0.DEV1.IPIN), 0)) { Return ("FAIL08") }
                Return ("PASS")
            }
        }

        Device (FD03)   /* a region and field declared inside a method */
        {
            Method (RDRG, 1, Serialized)
            {
                OperationRegion (DYNR, SystemMemory, Arg0, 0x10)
                Field (DYNR, DWordAcc, NoLock, Preserve) { DYF0, 32, DYF1, 32 }
                Return (Add (DYF0, DYF1))
            }

            Method (_HID)
            {
                If (LNotEqual (RDRG (0x00100000), 0)) { Return ("FAIL01") }
                If (LNotEqual (RDRG (0x00200000), 0)) { Return ("FAIL02") }
                Return ("PASS")
            }
        }

        Device (FD04)   /* "all registers read 0" decides the path taken */
        {
            Name (MODE, "UNSET")
            Method (_INI)
            {
                If (LEqual (And (\_SB.PCI0.DEV1.VDID, 0xFFFF), 0xFFFF)) { Store ("ABSENT", MODE) }
                ElseIf (LEqual (MD04, 0)) { Store ("ZERO", MODE) }
                Else { Store ("OTHER", MODE) }
            }
            Method (_HID) { Return (MODE) }
        }
    }
}
