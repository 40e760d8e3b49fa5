/*
 * s5.asl - the usual \_S5_: a Name with a four-element package of byte
 * constants (SLP_TYPa 5, SLP_TYPb 7 to tell them apart), next to the other
 * sleep states, one of them with a package of only two elements.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "S5", 1)
{
    Name (\_S0, Package () { 0, 0, 0, 0 })
    Name (\_S3, Package () { 0x03, 0x03 })
    Name (\_S4, Package (0x04) { 0x04, 0x04, Zero, Zero })
    Name (\_S5, Package (0x04) { 0x05, 0x07, Zero, Zero })
}
