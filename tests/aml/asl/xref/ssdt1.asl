/* xref/ssdt1.asl - revision 1, adds a device under the DSDT's PCI0 */
DefinitionBlock ("", "SSDT", 1, "RBOS", "XREF1", 1)
{
    External (\_SB.PCI0, DeviceObj)
    External (\DFUN, MethodObj)

    Name (\SSD1, 0x5D1)

    Scope (\_SB.PCI0)
    {
        Device (XDV1)
        {
            Name (_ADR, 0x00050000)
            Method (XVAL, 1) { Return (\DFUN (Arg0)) }
            /* the width of integers in a revision 1 SSDT after a
             * revision 2 DSDT: ACPICA computes this in 32 bits */
            Method (_HID) { Return (ToHexString (Add (0xFFFFFFFF, 1))) }
        }
    }
}
