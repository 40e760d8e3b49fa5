/*
 * hid_forms.asl - the shapes a _HID takes and what the oracle prints for
 * them: EisaId integers (decoded to "PNP0A03" form), an integer that is
 * not a valid EISA id (decoded all the same), ACPI and PCI-style strings,
 * ACPICA's _HID repairs (a leading '*' removed, lower case raised), a
 * _HID Method returning an integer, a _HID that is an Alias of another
 * device's _HID, and a _HID defined in a method-created device scope.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "HIDFORM", 1)
{
    Scope (\_SB)
    {
        Device (H001) { Name (_HID, EisaId ("PNP0C0C")) }
        Device (H002) { Name (_HID, EisaId ("ACP0003")) }
        Device (H003) { Name (_HID, "ACPI0003") }
        Device (H004) { Name (_HID, "INTC1040") }
        Device (H005) { Name (_HID, 0x0000000A) }                 /* not a real EISA id */
        Device (H006) { Name (_HID, 0xFFFFFFFFFFFFFFFF) }         /* only 32 bits decoded */
        Device (H007) { Method (_HID) { Return ("*PNP0C09") } }   /* '*' stripped */
        Device (H008) { Method (_HID) { Return ("abcd00ef") } }   /* upper-cased */
        Device (H009) { Method (_HID) { Return (EisaId ("PNP0A05")) } }
        Device (H010) { Method (_HID) { Return (Add (EisaId ("PNP0A05"), 0x01000000)) } }
        Device (H011)
        {
            Name (_HID, EisaId ("PNP0C0D"))
            Name (_CID, Package () { EisaId ("PNP0C02"), "ACPI0004" })
            Name (_UID, "lid")
        }
        Device (H012) { Alias (\_SB.H003._HID, _HID) }
        Device (H013) { Name (_HID, "QEMU0002") }
        Device (H014) { Method (_HID, 0, NotSerialized) { Return (Concatenate ("PNP", "0C14")) } }
    }
}
