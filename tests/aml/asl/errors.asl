/*
 * errors.asl - run-time errors and how the oracle reports them. Each _HID
 * here aborts (or returns a type a _HID may not have), so the oracle prints
 * "hid <device> error"; a malformed _PRT gives "prt <device> error" and an
 * _S5_ without integers "s5 error". These are the expected lines, listed
 * for the test's validity check (which otherwise rejects any "error"):
 *
 * oracle-expect: hid \_SB_.ER01 error
 * oracle-expect: hid \_SB_.ER02 error
 * oracle-expect: hid \_SB_.ER03 error
 * oracle-expect: hid \_SB_.ER05 error
 * oracle-expect: hid \_SB_.ER06 error
 * oracle-expect: hid \_SB_.ER07 error
 * oracle-expect: hid \_SB_.ER08 error
 * oracle-expect: prt \_SB_.PCIE error
 * oracle-expect: s5 error
 *
 * ER04 is not an error: ACPICA repairs a Buffer returned by _HID into an
 * Integer (little endian), which the oracle then decodes as an EISA id.
 * ERV1 shows that the namespace and the other methods are fine afterwards.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "ERRORS", 1)
{
    External (\NOPE, MethodObj)
    Name (ZRO_, 0)
    Name (PKG3, Package () { 1, 2, 3 })
    Mutex (MUTX, 0)
    /* iasl checks a literal _S5_, _HID or _PRT; these are built at run time */
    Method (\_S5)
    {
        Local0 = Package (2) { 0, 0 }
        Local0 [0] = "five"
        Local0 [1] = "five"
        Return (Local0)
    }
    Method (MBUF) { Local0 = Buffer () { 1, 2 } Return (Local0) }
    Method (MPKG) { Local0 = Package () { "PNP0C02" } Return (Local0) }

    Method (DEEP, 1)
    {
        If (LEqual (Arg0, 0)) { Return (Divide (1, ZRO_)) }
        Return (DEEP (Subtract (Arg0, 1)))
    }

    Scope (\_SB)
    {
        Device (ER01) { Method (_HID) { Return (ToHexString (Divide (10, ZRO_))) } }
        Device (ER02) { Method (_HID) { Return (ToHexString (DerefOf (Index (PKG3, 3)))) } }
        Device (ER03) { Method (_HID) { If (ZRO_) { Local0 = 1 } Return (ToHexString (Local0)) } }
        Device (ER04) { Method (_HID) { Return (MBUF ()) } }
        Device (ER05) { Method (_HID) { Return (MPKG ()) } }
        Device (ER06) { Method (_HID) { Return (\NOPE ()) } }
        Device (ER07) { Method (_HID) { Release (MUTX) Return ("NOTREACH") } }
        Device (ER08) { Method (_HID) { Return (ToHexString (DEEP (5))) } }

        Device (PCIE)
        {
            Name (_HID, EisaId ("PNP0A08"))
            Method (_PRT)
            {
                Local0 = Package () { Package () { 0xFFFF, 0, 0, 16 }, 0 }
                Local0 [1] = Package () { 0xFFFF, 1, 0 }   /* three elements */
                Return (Local0)
            }
        }

        Device (ERV1)
        {
            Method (_HID) { Return (Concatenate ("OK", ToDecimalString (SizeOf (PKG3)))) }
        }
    }
}
