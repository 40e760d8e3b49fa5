/*
 * fields_writeback.asl - writes through fields. acpiexec backs each
 * SystemMemory/SystemIO region with its own zero-filled buffer, so a value
 * written reads back (the oracle's "writes are dropped" is not what ACPICA
 * 20200925 does). This case pins down what a host tool has to emulate: the
 * read-modify-write of partial accesses under Preserve, WriteAsOnes and
 * WriteAsZeros, the index/data protocol of IndexField (index written first,
 * then data, both read back), and BankField selecting its bank by writing
 * the bank register. Values are shown in hex, so the whole image is
 * compared with ACPICA's.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "FIELDWB", 1)
{
    OperationRegion (MEMW, SystemMemory, 0x00E00000, 0x20)
    Field (MEMW, ByteAcc, NoLock, Preserve)
    {
        WB00, 8,
        WN01, 4,
        WN02, 4,
        Offset (0x04),
        WD04, 32,
        WQ08, 64
    }
    Field (MEMW, ByteAcc, NoLock, WriteAsOnes)
    {
        Offset (0x10),
        , 2,
        ON10, 3
    }
    Field (MEMW, ByteAcc, NoLock, WriteAsZeros)
    {
        Offset (0x11),
        , 1,
        ZR11, 2
    }
    Field (MEMW, WordAcc, NoLock, Preserve)
    {
        Offset (0x12),
        , 4,
        WP12, 8                 /* straddles a byte, within one word */
    }
    Field (MEMW, ByteAcc, NoLock, Preserve)    /* the same bytes, whole */
    {
        Offset (0x10),
        RB10, 8,
        RB11, 8,
        RW12, 16,
        Offset (0x18),
        ALL8, 64
    }

    OperationRegion (IOIX, SystemIO, 0x0C00, 0x08)
    Field (IOIX, DWordAcc, NoLock, Preserve) { XIDX, 32, XDAT, 32 }
    IndexField (XIDX, XDAT, DWordAcc, NoLock, Preserve)
    {
        Offset (0x20),
        IX20, 32,
        IX24, 32
    }

    OperationRegion (IOBK, SystemIO, 0x0D00, 0x08)
    Field (IOBK, ByteAcc, NoLock, Preserve) { BSEL, 8, , 24, BDAT, 32 }
    BankField (IOBK, BSEL, 2, ByteAcc, NoLock, Preserve) { Offset (0x04), BK2, 8 }
    BankField (IOBK, BSEL, 5, ByteAcc, NoLock, Preserve) { Offset (0x05), BK5, 8 }

    Scope (\_SB)
    {
        Device (WB01)   /* plain write and read-back, and sub-byte updates */
        {
            Method (_HID)
            {
                Store (0x12345678, WD04)
                If (LNotEqual (WD04, 0x12345678)) { Return ("FAIL01") }
                Store (0x1122334455667788, WQ08)
                If (LNotEqual (WQ08, 0x1122334455667788)) { Return ("FAIL02") }
                Store (0, WB00)
                Store (0xA, WN01)
                Store (0x5, WN02)
                If (LNotEqual (WN01, 0xA)) { Return ("FAIL03") }
                Store (0x1FF, WB00)                 /* truncated to the field */
                If (LNotEqual (WB00, 0xFF)) { Return ("FAIL04") }
                Return ("PASS")
            }
        }

        Device (WBV1)   /* update rules, shown as the resulting bytes */
        {
            Method (_HID)
            {
                Store (0, ALL8)
                Store (0, RB10)
                Store (0xFF, RB11)
                Store (0, RW12)
                Store (0x5, ON10)       /* other bits of the byte written as 1 */
                Store (0x1, ZR11)       /* other bits of the byte written as 0 */
                Store (0xAB, WP12)
                Return (Concatenate (Concatenate (ToHexString (RB10), ToHexString (RB11)),
                                     ToHexString (RW12)))
            }
        }

        Device (WBV2)   /* IndexField: both registers after each access */
        {
            Method (_HID)
            {
                Store (0, XIDX)
                Store (0, XDAT)
                Store (0xCAFE, IX20)
                Store (Concatenate (ToHexString (XIDX), ToHexString (XDAT)), Local0)
                Store (IX24, Local1)                /* index 0x24 written, data read */
                Return (Concatenate (Concatenate (Local0, ToHexString (Local1)), ToHexString (XIDX)))
            }
        }

        Device (WBV3)   /* BankField: the bank register is written before each access */
        {
            Method (_HID)
            {
                Store (0, BSEL)
                Store (0, BDAT)
                Store (0x77, BK2)
                Store (BSEL, Local0)
                Store (BK5, Local1)
                Return (Concatenate (Concatenate (ToHexString (Local0), ToHexString (BSEL)),
                                     Concatenate (ToHexString (Local1), ToHexString (BDAT))))
            }
        }
    }
}
