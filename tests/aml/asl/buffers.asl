/*
 * buffers.asl - Buffer objects: sized and initialised buffers, Create*Field
 * (Bit, Byte, Word, DWord, QWord and arbitrary Field), reads and writes
 * through buffer fields, Index/DerefOf into buffers, ToBuffer, SizeOf and
 * Concatenate of buffers.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "BUFFERS", 1)
{
    Name (BUF1, Buffer (8) { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 })
    Name (BUF2, Buffer (16) { 0xFF })       /* rest zero-filled */
    Name (BUF3, Buffer () { "AB" })         /* a string initialiser keeps its NUL */

    Scope (\_SB)
    {
        Device (BF01)   /* sizes and Index */
        {
            Method (_HID)
            {
                If (LNotEqual (SizeOf (BUF1), 8)) { Return ("FAIL01") }
                If (LNotEqual (SizeOf (BUF2), 16)) { Return ("FAIL02") }
                If (LNotEqual (DerefOf (Index (BUF2, 0)), 0xFF)) { Return ("FAIL03") }
                If (LNotEqual (DerefOf (Index (BUF2, 15)), 0)) { Return ("FAIL04") }
                If (LNotEqual (SizeOf (BUF3), 3)) { Return ("FAIL05") }
                If (LNotEqual (DerefOf (Index (BUF1, 7)), 8)) { Return ("FAIL06") }
                Store (0x55, Index (BUF2, 3))
                If (LNotEqual (DerefOf (Index (BUF2, 3)), 0x55)) { Return ("FAIL07") }
                /* only the low byte is stored into a buffer element */
                Store (0x1234, Index (BUF2, 4))
                If (LNotEqual (DerefOf (Index (BUF2, 4)), 0x34)) { Return ("FAIL08") }
                /* Buffer with a computed size */
                Store (Buffer (Add (2, 3)) {}, Local0)
                If (LNotEqual (SizeOf (Local0), 5)) { Return ("FAIL09") }
                Return ("PASS")
            }
        }

        Device (BF02)   /* Create*Field reads (little endian) */
        {
            Method (_HID)
            {
                CreateByteField (BUF1, 2, BYT2)
                CreateWordField (BUF1, 1, WRD1)
                CreateDWordField (BUF1, 4, DWD4)
                CreateQWordField (BUF1, 0, QWD0)
                CreateBitField (BUF1, 8, BIT8)          /* bit 0 of byte 1 (0x02) */
                CreateBitField (BUF1, 9, BIT9)          /* bit 1 of byte 1 */
                CreateField (BUF1, 12, 8, NIB0)         /* bits 12..19 */
                If (LNotEqual (BYT2, 3)) { Return ("FAIL01") }
                If (LNotEqual (WRD1, 0x0302)) { Return ("FAIL02") }
                If (LNotEqual (DWD4, 0x08070605)) { Return ("FAIL03") }
                If (LNotEqual (QWD0, 0x0807060504030201)) { Return ("FAIL04") }
                If (LNotEqual (BIT8, 0)) { Return ("FAIL05") }
                If (LNotEqual (BIT9, 1)) { Return ("FAIL06") }
                If (LNotEqual (ToInteger (NIB0), 0x30)) { Return ("FAIL07") }
                /* ACPICA (since 2019) reads a CreateField field as a Buffer
                 * whatever its width, as Windows does; CreateByteField and
                 * the other fixed-size ones read as Integers */
                Store (NIB0, Local0)
                If (LNotEqual (ObjectType (Local0), 3)) { Return ("FAIL08") }
                Store (BYT2, Local0)
                If (LNotEqual (ObjectType (Local0), 1)) { Return ("FAIL09") }
                If (LNotEqual (ObjectType (BYT2), 14)) { Return ("FAIL10") }
                Return ("PASS")
            }
        }

        Device (BF03)   /* writes through buffer fields */
        {
            Method (_HID, 0, Serialized)
            {
                Name (BUFW, Buffer (8) {})
                CreateDWordField (BUFW, 0, DW00)
                CreateWordField (BUFW, 4, WD04)
                CreateBitField (BUFW, 63, BT63)
                CreateField (BUFW, 36, 4, FL36)
                Store (0xAABBCCDD, DW00)
                Store (0x11223344, WD04)                /* truncated to 0x3344 */
                Store (1, BT63)
                Store (0xF, FL36)
                If (LNotEqual (DerefOf (Index (BUFW, 0)), 0xDD)) { Return ("FAIL01") }
                If (LNotEqual (DerefOf (Index (BUFW, 3)), 0xAA)) { Return ("FAIL02") }
                If (LNotEqual (DerefOf (Index (BUFW, 4)), 0xF4)) { Return ("FAIL03") }
                If (LNotEqual (DerefOf (Index (BUFW, 5)), 0x33)) { Return ("FAIL04") }
                If (LNotEqual (DerefOf (Index (BUFW, 7)), 0x80)) { Return ("FAIL05") }
                Return ("PASS")
            }
        }

        Device (BF04)   /* ToBuffer, Concatenate of buffers, buffer-to-integer */
        {
            Method (_HID)
            {
                Store (ToBuffer (0x0102), Local0)
                If (LNotEqual (SizeOf (Local0), 8)) { Return ("FAIL01") }
                If (LNotEqual (DerefOf (Index (Local0, 0)), 2)) { Return ("FAIL02") }
                Store (ToBuffer ("XY"), Local1)
                If (LNotEqual (SizeOf (Local1), 3)) { Return ("FAIL03") }   /* with the NUL */
                If (LNotEqual (ToBuffer (""), Buffer () { 0 })) { Return ("FAIL04") }
                Store (Concatenate (Buffer () { 1, 2 }, Buffer () { 3 }), Local2)
                If (LNotEqual (Local2, Buffer () { 1, 2, 3 })) { Return ("FAIL05") }
                /* a buffer read as an integer: little endian, first 8 bytes */
                If (LNotEqual (ToInteger (BUF1), 0x0807060504030201)) { Return ("FAIL06") }
                Return ("PASS")
            }
        }

        Device (BFV1)   /* the contents of a buffer built by fields */
        {
            Method (_HID, 0, Serialized)
            {
                Name (BUFV, Buffer (6) {})
                CreateWordField (BUFV, 0, W0)
                CreateField (BUFV, 19, 13, F19)
                CreateByteField (BUFV, 5, B5)
                W0 = 0xBEEF
                F19 = 0x1ABC
                B5 = 0x7E
                /* a field wider than an integer reads as a buffer too */
                CreateField (BUFV, 4, 44, WIDE)
                Return (Concatenate (ToHexString (BUFV), ToHexString (WIDE)))
            }
        }
    }
}
