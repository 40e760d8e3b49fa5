/*
 * s5_loadtime.asl - code at table load time (module-level code): an If at
 * the top level of the DSDT, reading a SystemIO field that reads 0 under
 * acpiexec, patches \_S5_ and declares a name in only one branch (old BIOSes
 * do this); a Store at load time and a Device declared inside an If.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "S5LOAD", 1)
{
    OperationRegion (CFGR, SystemIO, 0x0500, 0x01)
    Field (CFGR, ByteAcc, NoLock, Preserve) { CFGB, 8 }
    Name (CNT1, 0)
    Name (\_S5, Package () { 0x01, 0x01, 0, 0 })

    If (LEqual (CFGB, 0))
    {
        Store (0x02, Index (\_S5, 0))
        Store (0x03, Index (\_S5, 1))
        Name (BRZ0, "ZERO")
    }
    Else
    {
        Name (BRNZ, "NONZERO")
    }

    Store (0x44, CNT1)

    If (LNotEqual (CNT1, 0))
    {
        Device (\_SB.LDT2)
        {
            Name (_HID, "LDTM0001")
        }
    }

    Device (\_SB.LDT1)
    {
        Method (_HID)
        {
            If (LNotEqual (CNT1, 0x44)) { Return ("FAIL01") }
            If (LNot (CondRefOf (\BRZ0))) { Return ("FAIL02") }
            If (CondRefOf (\BRNZ)) { Return ("FAIL03") }
            Return ("PASS")
        }
    }
}
