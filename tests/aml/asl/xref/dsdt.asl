/*
 * xref/ - a case made of several tables: dsdt.asl, ssdt1.asl, ssdt2.asl,
 * loaded in that order into one namespace. The DSDT calls methods the
 * SSDTs define (External), the SSDTs add devices to the DSDT's scopes and
 * call back into it, SSDT2 uses SSDT1's objects, and SSDT1 is a revision 1
 * table: XDV1 and XRV1 show the integer width its and the DSDT's methods
 * compute with.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "XREF", 1)
{
    External (\_SB.PCI0.XDV1.XVAL, MethodObj)
    External (\SSD1, IntObj)
    External (\S2FN, MethodObj)

    Name (DBAS, 0x1000)
    Method (DFUN, 1) { Return (Add (Arg0, DBAS)) }

    Scope (\_SB)
    {
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A03"))
            Name (_UID, 0)
        }

        Device (XR01)
        {
            Method (_HID)
            {
                If (LNot (CondRefOf (\_SB.PCI0.XDV1))) { Return ("FAIL01") }
                If (LNotEqual (\_SB.PCI0.XDV1.XVAL (2), 0x1002)) { Return ("FAIL02") }
                If (LNotEqual (\SSD1, 0x5D1)) { Return ("FAIL03") }
                If (LNotEqual (\S2FN (), 0x2001)) { Return ("FAIL04") }
                Return ("PASS")
            }
        }

        Device (XRV1)
        {
            Method (_HID) { Return (ToHexString (Add (0xFFFFFFFF, 1))) }
        }
    }
}
