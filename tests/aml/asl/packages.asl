/*
 * packages.asl - Package and VarPackage: fixed and computed sizes,
 * uninitialised tail elements, nested packages, Index/DerefOf reads and
 * Store through Index, names as package elements (resolved to the named
 * object when the package is evaluated, left as references otherwise) and
 * packages passed to and returned from methods.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "PACKAGES", 1)
{
    Name (INT1, 0x11)
    Name (STR1, "S1")
    Name (PKG1, Package () { 1, "two", Buffer () { 3 }, Package () { 4, Package () { 5 } } })
    Name (PKG2, Package (6) { 0xA, 0xB })                   /* 4 uninitialised elements */
    Name (PKG3, Package () { INT1, STR1, \_SB.PKD1 })       /* names as elements */
    Name (PKGN, Package () { Package () { 1, 2 }, Package () { 3, 4 }, Package () { 5, 6 } })

    Method (MKPK, 1, Serialized)                            /* a VarPackage of n squares */
    {
        Name (VPKG, Package (Arg0) {})
        Local0 = 0
        While (Local0 < Arg0)
        {
            VPKG [Local0] = Local0 * Local0
            Local0++
        }
        Return (VPKG)
    }

    Method (SUMP, 1)                                        /* sum of a package of integers */
    {
        Local0 = 0
        Local1 = 0
        While (Local1 < SizeOf (Arg0))
        {
            Local0 += DerefOf (Arg0 [Local1])
            Local1++
        }
        Return (Local0)
    }

    Scope (\_SB)
    {
        Device (PKD1)
        {
            Method (_HID)
            {
                If (LNotEqual (SizeOf (PKG1), 4)) { Return ("FAIL01") }
                If (LNotEqual (DerefOf (Index (PKG1, 0)), 1)) { Return ("FAIL02") }
                If (LNotEqual (DerefOf (Index (PKG1, 1)), "two")) { Return ("FAIL03") }
                If (LNotEqual (ObjectType (DerefOf (Index (PKG1, 2))), 3)) { Return ("FAIL04") }
                Store (DerefOf (Index (PKG1, 3)), Local0)
                If (LNotEqual (SizeOf (Local0), 2)) { Return ("FAIL05") }
                Store (DerefOf (Index (Local0, 1)), Local1)
                If (LNotEqual (DerefOf (Index (Local1, 0)), 5)) { Return ("FAIL06") }
                /* nested Index in ASL+ syntax */
                If (DerefOf (DerefOf (PKGN [2]) [1]) != 6) { Return ("FAIL07") }
                Return ("PASS")
            }
        }

        Device (PKD2)   /* sizes, uninitialised elements, VarPackage */
        {
            Method (_HID)
            {
                If (LNotEqual (SizeOf (PKG2), 6)) { Return ("FAIL01") }
                If (LNotEqual (ObjectType (Index (PKG2, 5)), 0)) { Return ("FAIL02") }
                If (LNotEqual (DerefOf (Index (PKG2, 1)), 0xB)) { Return ("FAIL03") }
                Store (MKPK (5), Local0)
                If (LNotEqual (SizeOf (Local0), 5)) { Return ("FAIL04") }
                If (LNotEqual (SUMP (Local0), 30)) { Return ("FAIL05") }
                If (LNotEqual (SizeOf (MKPK (0)), 0)) { Return ("FAIL06") }
                Return ("PASS")
            }
        }

        Device (PKD3)   /* Store through Index changes the package in place */
        {
            Method (_HID, 0, Serialized)
            {
                Name (PKGW, Package (3) { 0, 0, 0 })
                Store (7, Index (PKGW, 0))
                PKGW [1] = "str"
                Store (Package () { 8, 9 }, Index (PKGW, 2))
                If (LNotEqual (DerefOf (Index (PKGW, 0)), 7)) { Return ("FAIL01") }
                If (LNotEqual (DerefOf (Index (PKGW, 1)), "str")) { Return ("FAIL02") }
                If (LNotEqual (SizeOf (DerefOf (Index (PKGW, 2))), 2)) { Return ("FAIL03") }
                /* a reference from Index stays valid in a local */
                Store (Index (PKGW, 0), Local0)
                Store (42, Index (PKGW, 0))
                If (LNotEqual (DerefOf (Local0), 42)) { Return ("FAIL04") }
                /* Store of a package copies it */
                Store (PKGW, Local1)
                Store (1, Index (Local1, 0))
                If (LNotEqual (DerefOf (Index (PKGW, 0)), 42)) { Return ("FAIL05") }
                Return ("PASS")
            }
        }

        Device (PKD4)   /* named elements */
        {
            Method (_HID)
            {
                If (LNotEqual (SizeOf (PKG3), 3)) { Return ("FAIL01") }
                Store (DerefOf (Index (PKG3, 0)), Local0)
                If (LNotEqual (ObjectType (Local0), 1)) { Return ("FAIL02") }
                If (LNotEqual (Local0, 0x11)) { Return ("FAIL03") }
                If (LNotEqual (DerefOf (Index (PKG3, 1)), "S1")) { Return ("FAIL04") }
                Return ("PASS")
            }
        }

        Device (PKV1)   /* a package's contents shown */
        {
            Method (_HID)
            {
                Store (MKPK (4), Local0)
                Local1 = ""
                Local2 = 0
                While (Local2 < SizeOf (Local0))
                {
                    Concatenate (Local1, ToDecimalString (DerefOf (Local0 [Local2])), Local1)
                    Concatenate (Local1, "-", Local1)
                    Local2++
                }
                Return (Concatenate (Local1, ToDecimalString (SUMP (DerefOf (PKGN [1])))))
            }
        }
    }
}
