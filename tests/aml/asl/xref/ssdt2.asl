/* xref/ssdt2.asl - uses objects of the DSDT and of SSDT1 */
DefinitionBlock ("", "SSDT", 2, "RBOS", "XREF2", 1)
{
    External (\SSD1, IntObj)
    External (\DBAS, IntObj)
    External (\_SB.PCI0.XDV1, DeviceObj)
    External (\_SB.PCI0.XDV1.XVAL, MethodObj)

    Method (\S2FN) { Return (Add (Multiply (DBAS, 2), 1)) }

    Scope (\_SB.PCI0.XDV1)
    {
        Device (XDV2)
        {
            Method (_HID)
            {
                If (LNotEqual (^^XVAL (0x10), 0x1010)) { Return ("FAIL01") }
                If (LNotEqual (SSD1, 0x5D1)) { Return ("FAIL02") }
                Return ("PASS")
            }
        }
    }
}
