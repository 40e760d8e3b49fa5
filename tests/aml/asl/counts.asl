/*
 * counts.asl - what "count Device" and "count Method" count: Devices and
 * Methods anywhere in the namespace after initialisation, including those
 * declared by load-time code, by an SSDT-style Scope, and by an _INI that
 * runs a Serialized method (its objects vanish when it returns) or a
 * NotSerialized one (ACPICA also removes them at method exit). Aliases of
 * devices and methods, Processors, ThermalZones and PowerResources are
 * other object types and not counted; External declarations create
 * nothing. The Methods include ACPICA's own \_OSI.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "COUNTS", 1)
{
    External (\_SB.NOTH, DeviceObj)
    External (\NOMT, MethodObj)

    Name (MADE, 0)

    Method (MKDV, 0, Serialized)
    {
        Device (TMPD) { Method (TMPM) { Return (1) } }
        Store (Add (MADE, 1), MADE)
    }

    Method (MKD2, 0)
    {
        Device (TMP2) { Name (_ADR, 0) }
        Store (Add (MADE, 1), MADE)
    }

    Scope (\_SB)
    {
        Device (CT01)
        {
            Name (_ADR, 0)
            Method (_INI) { MKDV () MKD2 () }
            Device (CT02) { Name (_ADR, 1) Method (M001) {} Method (M002) {} }
            Alias (CT02, CTAL)
            Alias (CT02.M001, MTAL)
        }

        If (LEqual (MADE, 0))
        {
            Device (CT03) { Name (_ADR, 3) Method (M003) {} }
        }

        Device (CTV1)
        {
            Method (_HID) { Return (Concatenate ("MADE", ToDecimalString (MADE))) }
        }
    }

    Processor (\CPU0, 0, 0, 0) { Method (M004) {} }
    ThermalZone (\_TZ.TZ00) { Method (_TMP) { Return (2982) } }
    PowerResource (\PR00, 0, 0) { Method (_STA) { Return (1) } Method (_ON) {} Method (_OFF) {} }
}
