/*
 * scopes.asl - the namespace: Scope, Device, Processor, PowerResource and
 * ThermalZone, nested scopes, Scope () re-opening an existing object,
 * names declared in \_SB_ by absolute and relative paths, the ACPI search
 * rule for single-segment names (current scope, then each parent), parent
 * prefixes (^, ^^), multi-segment relative paths, and _HIDs in unusual
 * places (under a Processor and a ThermalZone: not listed by the oracle).
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "SCOPES", 1)
{
    Name (LVL_, "ROOT")
    Name (ONLY, "ROOTONLY")

    Scope (\_SB)
    {
        Name (LVL_, "SB")

        Device (OUTR)
        {
            Name (LVL_, "OUTR")
            Name (_ADR, 0)
            Name (_UID, 1)

            Device (MIDL)
            {
                Name (LVL_, "MIDL")
                Name (_ADR, 1)

                Device (INNR)
                {
                    Method (_HID)
                    {
                        /* nearest LVL_ upwards is MIDL's. Inside a method
                         * the scope is the method itself, so ^ is INNR */
                        If (LNotEqual (LVL_, "MIDL")) { Return ("FAIL01") }
                        If (LNotEqual (^^LVL_, "MIDL")) { Return ("FAIL02") }
                        If (LNotEqual (^^^LVL_, "OUTR")) { Return ("FAIL03") }
                        If (LNotEqual (^^^^LVL_, "SB")) { Return ("FAIL04") }
                        If (LNotEqual (\LVL_, "ROOT")) { Return ("FAIL05") }
                        If (LNotEqual (ONLY, "ROOTONLY")) { Return ("FAIL06") }
                        If (LNotEqual (^^^MIDL.LVL_, "MIDL")) { Return ("FAIL07") }
                        If (LNotEqual (\_SB.OUTR._UID, 1)) { Return ("FAIL08") }
                        If (LNot (CondRefOf (^^^MIDL.LVL_))) { Return ("FAIL10") }
                        Return ("PASS")
                    }
                }
            }
        }

        /* re-open a scope with a relative path and add to it */
        Scope (OUTR.MIDL)
        {
            Name (ADDD, 0x55)
        }

        Device (SC02)
        {
            Method (_HID)
            {
                If (LNotEqual (\_SB.OUTR.MIDL.ADDD, 0x55)) { Return ("FAIL01") }
                If (LNotEqual (^^OUTR.MIDL.ADDD, 0x55)) { Return ("FAIL02") }
                If (LNotEqual (\_SB_.OUTR.MIDL.ADDD, 0x55)) { Return ("FAIL03") }
                If (LNotEqual (\PRCS.LVL_, "PRCS")) { Return ("FAIL04") }
                If (LNotEqual (\_TZ.TZ01.LVL_, "TZ01")) { Return ("FAIL05") }
                If (LNotEqual (\_SB.PWRR.LVL_, "PWRR")) { Return ("FAIL06") }
                If (LNotEqual (LATE, "LATE")) { Return ("FAIL07") }   /* declared further down */
                Return ("PASS")
            }
        }

        PowerResource (PWRR, 0, 0)
        {
            Name (LVL_, "PWRR")
            Method (_STA) { Return (1) }
            Method (_ON) {}
            Method (_OFF) {}
        }
    }

    /* a Device declared with an absolute path from the root scope */
    Device (\_SB.OUTR.ABSD)
    {
        Method (_HID) { Return (LVL_) }     /* finds OUTR's */
    }

    /* a Device declared with a relative multi-segment path */
    Device (_SB.OUTR.MIDL.RELD)
    {
        Name (_HID, "RELD0001")
    }

    Processor (PRCS, 0, 0x0, 0)
    {
        Name (LVL_, "PRCS")
        Name (_HID, "ACPI0007")         /* under a Processor: not a Device's _HID */
    }

    Scope (\_TZ)
    {
        ThermalZone (TZ01)
        {
            Name (LVL_, "TZ01")
            Method (_TMP) { Return (3000) }
            Device (FAN0) { Name (_HID, EisaId ("PNP0C0B")) }
        }
    }

    Scope (\_SB)
    {
        Name (LATE, "LATE")

        /* deep nesting: five levels, each with its own _HID */
        Device (DP1_)
        {
            Name (_HID, "DEEP0001")
            Device (DP2_)
            {
                Name (_HID, "DEEP0002")
                Device (DP3_)
                {
                    Name (_HID, "DEEP0003")
                    Device (DP4_)
                    {
                        Name (_HID, "DEEP0004")
                        Device (DP5_)
                        {
                            Method (_HID) { Return (^^^^^^LATE) }
                        }
                    }
                }
            }
        }
    }

    Device (ROOT)       /* a Device directly under \ */
    {
        Name (_HID, EisaId ("PNP0C02"))
    }
}
