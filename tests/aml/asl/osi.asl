/*
 * osi.asl - the OS interface: _OSI for strings ACPICA answers true
 * ("Windows 2001" .. "Windows 2015", "Extended Address Space Descriptor")
 * and false ("Linux", "Darwin", unknown strings, and the feature strings
 * ACPICA leaves to the host: "Module Device", "Processor Device", "3.0
 * Thermal Model"), _REV (2 in ACPICA) and _OS ("Microsoft Windows NT"). A
 * firmware-style _INI picks an OS level the way real DSDTs do, and OSV2
 * shows the answer for a longer list of strings as a bit mask. In it,
 * "Windows 2006" (bit 6) is false: acpiexec removes that interface at
 * start-up to exercise AcpiRemoveInterface. ACPICA 20200925 knows no
 * string newer than "Windows 2019" (bit 19).
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "OSI", 1)
{
    Name (OSYS, 0)

    Scope (\_SB)
    {
        Method (_INI)
        {
            Store (1000, OSYS)
            If (CondRefOf (\_OSI))
            {
                If (\_OSI ("Windows 2001")) { Store (2001, OSYS) }
                If (\_OSI ("Windows 2006")) { Store (2006, OSYS) }
                If (\_OSI ("Windows 2009")) { Store (2009, OSYS) }
                If (\_OSI ("Windows 2012")) { Store (2012, OSYS) }
                If (\_OSI ("Windows 2013")) { Store (2013, OSYS) }
                If (\_OSI ("Windows 2015")) { Store (2015, OSYS) }
            }
        }

        Device (OS01)
        {
            Method (_HID)
            {
                If (LNot (\_OSI ("Windows 2009"))) { Return ("FAIL01") }
                If (LNot (\_OSI ("Windows 2015"))) { Return ("FAIL02") }
                If (\_OSI ("Linux")) { Return ("FAIL03") }
                If (\_OSI ("Darwin")) { Return ("FAIL04") }
                If (\_OSI ("Red Bear")) { Return ("FAIL05") }
                If (\_OSI ("")) { Return ("FAIL06") }
                If (\_OSI ("Module Device")) { Return ("FAIL07") }
                If (\_OSI ("Processor Device")) { Return ("FAIL08") }
                If (\_OSI ("3.0 Thermal Model")) { Return ("FAIL09") }
                If (LNot (\_OSI ("Extended Address Space Descriptor"))) { Return ("FAIL10") }
                /* true is Ones, false Zero */
                If (LNotEqual (\_OSI ("Windows 2001"), Ones)) { Return ("FAIL11") }
                If (LNotEqual (\_OSI ("Windows 1999"), Zero)) { Return ("FAIL12") }
                If (LNotEqual (ObjectType (\_OSI), 8)) { Return ("FAIL13") }
                Return ("PASS")
            }
        }

        Device (OS02)
        {
            Method (_HID)
            {
                If (LNotEqual (\_REV, 2)) { Return ("FAIL01") }
                If (LNotEqual (\_OS, "Microsoft Windows NT")) { Return ("FAIL02") }
                If (LNotEqual (ObjectType (\_OS), 2)) { Return ("FAIL03") }
                If (LNotEqual (ObjectType (\_GL), 9)) { Return ("FAIL04") }
                Return ("PASS")
            }
        }

        Device (OSV1)   /* what the _INI above chose */
        {
            Method (_HID) { Return (Concatenate ("WIN", ToDecimalString (OSYS))) }
        }

        Device (OSV2)   /* bit n set if _OSI answers true for string n */
        {
            Name (STRS, Package ()
            {
                "Windows 2000", "Windows 2001", "Windows 2001 SP1", "Windows 2001.1",
                "Windows 2001 SP2", "Windows 2001.1 SP1", "Windows 2006", "Windows 2006.1",
                "Windows 2006 SP1", "Windows 2006 SP2", "Windows 2009", "Windows 2012",
                "Windows 2013", "Windows 2015", "Windows 2016", "Windows 2017",
                "Windows 2017.2", "Windows 2018", "Windows 2018.2", "Windows 2019",
                "Windows 2020", "Windows 2021", "Windows 2022", "Microsoft Windows NT",
                "Microsoft Windows", "Linux", "FreeBSD", "HP-UX", "OpenVMS",
                "Module Device", "Processor Device", "3.0 Thermal Model",
                "3.0 _SCP Extensions", "Processor Aggregator Device",
                "Extended Address Space Descriptor", "windows 2009", "Windows 2009 "
            })
            Method (_HID)
            {
                Local0 = 0
                Local1 = 0
                While (Local1 < SizeOf (STRS))
                {
                    If (\_OSI (DerefOf (STRS [Local1]))) { Local0 |= 1 << Local1 }
                    Local1++
                }
                Return (ToHexString (Local0))
            }
        }
    }
}
