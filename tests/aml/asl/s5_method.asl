/*
 * s5_method.asl - \_S5_ as a Method whose package is computed: values above
 * 0xFF (only the low byte counts), chosen by a flag set in \_SB._INI.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "S5METH", 1)
{
    Name (SLPT, 0)

    Scope (\_SB)
    {
        Method (_INI) { Store (0x1206, SLPT) }
    }

    Method (\_S5, 0, Serialized)
    {
        Name (PKG5, Package (4) { 0, 0, 0, 0 })
        If (SLPT)
        {
            Store (SLPT, Index (PKG5, 0))
            Store (Add (SLPT, 0x101), Index (PKG5, 1))
        }
        Return (PKG5)
    }
}
