/*
 * s5_single.asl - a one-element \_S5_ package, as some old firmware has:
 * SLP_TYPa is its low byte and SLP_TYPb the byte above it.
 */
DefinitionBlock ("", "DSDT", 1, "RBOS", "S5ONE", 1)
{
    Name (\_S5, Package (0x01) { 0x0706 })
}
