/*
 * refs.asl - references: RefOf, CondRefOf (present and absent names, with
 * and without a target), DerefOf, references through Index, ObjectType of
 * every kind of object, CopyObject, Alias, and Store through a reference
 * passed as a method argument.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "REFS", 1)
{
    Name (VAL1, 100)
    Name (VSTR, "str")
    Name (VBUF, Buffer () { 1 })
    Name (VPKG, Package () { 1 })
    Alias (VAL1, ALS1)
    Mutex (MTX1, 0)
    Event (EVT1)
    OperationRegion (OPR1, SystemMemory, 0x1000, 0x10)
    Field (OPR1, AnyAcc, NoLock, Preserve) { FLD1, 8 }
    PowerResource (PWR1, 0, 0) { Method (_STA) { Return (1) } Method (_ON) {} Method (_OFF) {} }
    Processor (CPU1, 1, 0, 0) {}
    ThermalZone (TZN1) {}

    Method (SETR, 2) { Store (Arg1, Arg0) }                 /* Arg0 is a reference */
    Method (INCR, 1) { Store (Add (DerefOf (Arg0), 1), Arg0) }

    Scope (\_SB)
    {
        Device (RF01)   /* RefOf, DerefOf, stores through references */
        {
            Method (_HID)
            {
                Store (100, VAL1)
                Store (RefOf (VAL1), Local0)
                If (LNotEqual (DerefOf (Local0), 100)) { Return ("FAIL01") }
                SETR (RefOf (VAL1), 200)
                If (LNotEqual (VAL1, 200)) { Return ("FAIL02") }
                INCR (RefOf (VAL1))
                If (LNotEqual (VAL1, 201)) { Return ("FAIL03") }
                /* ACPICA stores through an Arg only when it holds a RefOf
                 * reference; an Index reference in an Arg is overwritten
                 * instead, so the package keeps its element */
                Store (1, Index (VPKG, 0))
                INCR (Index (VPKG, 0))
                If (LNotEqual (DerefOf (Index (VPKG, 0)), 1)) { Return ("FAIL04") }
                /* DerefOf of a string naming an object */
                Store ("\\VSTR", Local3)               /* iasl wants a name or local here */
                If (LNotEqual (DerefOf (Local3), "str")) { Return ("FAIL05") }
                Store (100, VAL1)
                Return ("PASS")
            }
        }

        Device (RF02)   /* CondRefOf */
        {
            Method (_HID)
            {
                If (LNot (CondRefOf (\VAL1))) { Return ("FAIL01") }
                If (CondRefOf (\NOPE)) { Return ("FAIL02") }
                If (CondRefOf (\_SB.NOPE.DEEP)) { Return ("FAIL03") }
                Store (0x55, Local1)
                If (LNot (CondRefOf (VSTR, Local1))) { Return ("FAIL04") }
                If (LNotEqual (DerefOf (Local1), "str")) { Return ("FAIL05") }
                Store (0x55, Local2)
                If (CondRefOf (\NOPE, Local2)) { Return ("FAIL06") }
                If (LNotEqual (Local2, 0x55)) { Return ("FAIL07") }   /* untouched on failure */
                If (LNot (CondRefOf (\_SB.RF01._HID))) { Return ("FAIL08") }
                Return ("PASS")
            }
        }

        Device (RF03)   /* ObjectType of each kind of object */
        {
            Method (_HID)
            {
                If (LNotEqual (ObjectType (VAL1), 1)) { Return ("FAIL01") }
                If (LNotEqual (ObjectType (VSTR), 2)) { Return ("FAIL02") }
                If (LNotEqual (ObjectType (VBUF), 3)) { Return ("FAIL03") }
                If (LNotEqual (ObjectType (VPKG), 4)) { Return ("FAIL04") }
                If (LNotEqual (ObjectType (FLD1), 5)) { Return ("FAIL05") }
                If (LNotEqual (ObjectType (\_SB.RF03), 6)) { Return ("FAIL06") }
                If (LNotEqual (ObjectType (EVT1), 7)) { Return ("FAIL07") }
                If (LNotEqual (ObjectType (SETR), 8)) { Return ("FAIL08") }
                If (LNotEqual (ObjectType (MTX1), 9)) { Return ("FAIL09") }
                If (LNotEqual (ObjectType (OPR1), 10)) { Return ("FAIL10") }
                If (LNotEqual (ObjectType (PWR1), 11)) { Return ("FAIL11") }
                If (LNotEqual (ObjectType (CPU1), 12)) { Return ("FAIL12") }
                If (LNotEqual (ObjectType (TZN1), 13)) { Return ("FAIL13") }
                If (LNotEqual (ObjectType (Local7), 0)) { Return ("FAIL14") }
                If (LNotEqual (ObjectType (ALS1), 1)) { Return ("FAIL15") }
                If (LNotEqual (ObjectType (RefOf (VAL1)), 1)) { Return ("FAIL16") }
                Return ("PASS")
            }
        }

        Device (RF04)   /* Alias reaches the same object */
        {
            Method (_HID)
            {
                Store (100, VAL1)
                Store (7, ALS1)
                If (LNotEqual (VAL1, 7)) { Return ("FAIL01") }
                Increment (VAL1)
                If (LNotEqual (ALS1, 8)) { Return ("FAIL02") }
                Store (100, VAL1)
                Return ("PASS")
            }
        }

        Device (RF05)   /* CopyObject into a method local name and a local */
        {
            Method (_HID, 0, Serialized)
            {
                Name (CPY1, 0)
                CopyObject (VPKG, CPY1)
                If (LNotEqual (ObjectType (CPY1), 4)) { Return ("FAIL01") }
                CopyObject (VSTR, Local0)
                If (LNotEqual (Local0, "str")) { Return ("FAIL02") }
                Return ("PASS")
            }
        }

        Alias (\_SB.RF05, RFAL)   /* an alias of a device is not another device */
    }
}
