/*
 * methods.asl - method invocation: arguments (all seven), locals (all
 * eight), recursion, Serialized methods, calls to methods defined later in
 * the table (forward references), arguments passed as objects of each type,
 * implicit return values, and methods that modify the namespace.
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "METHODS", 1)
{
    Name (CNT0, 0)

    Scope (\_SB)
    {
        Device (MT01)   /* forward references: every callee is defined below */
        {
            Method (_HID)
            {
                If (LNotEqual (\SUM7 (1, 2, 3, 4, 5, 6, 7), 28)) { Return ("FAIL01") }
                If (LNotEqual (\FACT (10), 3628800)) { Return ("FAIL02") }
                If (LNotEqual (\FIB_ (15), 610)) { Return ("FAIL03") }
                If (LNotEqual (\_SB.MT02.HLPR (3), 9)) { Return ("FAIL04") }
                If (LNotEqual (\LOC8 (), 36)) { Return ("FAIL05") }
                If (LNotEqual (\ARGM (5), 105)) { Return ("FAIL06") }
                Return ("PASS")
            }
        }

        Device (MT02)
        {
            Method (HLPR, 1) { Return (Multiply (Arg0, Arg0)) }

            Method (_HID)
            {
                /* arguments of every type arrive intact */
                If (LNotEqual (\TYPA ("str", Buffer () { 1 }, Package () { 1, 2 }, "abcd"), 0x2344)) { Return ("FAIL01") }
                /* a method without Return yields nothing useful, but runs.
                 * acpiexec evaluates every _HID more than once (three times
                 * in ACPICA 20200925), so _HID side effects start from zero */
                Store (0, CNT0)
                \BUMP ()
                \BUMP ()
                If (LNotEqual (CNT0, 2)) { Return ("FAIL02") }
                /* mutual recursion */
                If (LNotEqual (\EVEN (10), 1)) { Return ("FAIL03") }
                If (LNotEqual (\EVEN (7), 0)) { Return ("FAIL04") }
                /* serialized methods nest fine when they call each other */
                If (LNotEqual (\SER1 (4), 11)) { Return ("FAIL05") }
                /* a method-local Name is created and freed on each call */
                If (LNotEqual (\DYNN (1), 11)) { Return ("FAIL06") }
                If (LNotEqual (\DYNN (2), 12)) { Return ("FAIL07") }
                /* locals start fresh on every call */
                If (LNotEqual (\FRSH (), 1)) { Return ("FAIL08") }
                If (LNotEqual (\FRSH (), 1)) { Return ("FAIL09") }
                Return ("PASS")
            }
        }

        Device (MTV1)   /* Ackermann (2, 3) = 9: deep recursion */
        {
            Method (_HID)
            {
                Return (Concatenate ("ACK", ToDecimalString (\ACKM (2, 3))))
            }
        }
    }

    Method (SUM7, 7)
    {
        Return (Add (Add (Add (Arg0, Arg1), Add (Arg2, Arg3)), Add (Add (Arg4, Arg5), Arg6)))
    }

    Method (FACT, 1)
    {
        If (LLessEqual (Arg0, 1)) { Return (1) }
        Return (Multiply (Arg0, FACT (Subtract (Arg0, 1))))
    }

    Method (FIB_, 1)
    {
        If (LLess (Arg0, 2)) { Return (Arg0) }
        Return (Add (FIB_ (Subtract (Arg0, 1)), FIB_ (Subtract (Arg0, 2))))
    }

    Method (LOC8, 0)
    {
        Local0 = 1
        Local1 = 2
        Local2 = 3
        Local3 = 4
        Local4 = 5
        Local5 = 6
        Local6 = 7
        Local7 = 8
        Return (Local0 + Local1 + Local2 + Local3 + Local4 + Local5 + Local6 + Local7)
    }

    Method (ARGM, 1)            /* arguments are writable locals */
    {
        Arg0 = Arg0 + 100
        Return (Arg0)
    }

    Method (TYPA, 4)
    {
        Return (Or (Or (ShiftLeft (ObjectType (Arg0), 12), ShiftLeft (ObjectType (Arg1), 8)),
                    Or (ShiftLeft (ObjectType (Arg2), 4), SizeOf (Arg3))))
    }

    Method (BUMP, 0) { Increment (CNT0) }

    Method (EVEN, 1)
    {
        If (LEqual (Arg0, 0)) { Return (1) }
        /* through a local: iasl 20200925 crashes (stack overflow in its
         * method analysis) when two methods return each other's calls */
        Store (ODD_ (Subtract (Arg0, 1)), Local0)
        Return (Local0)
    }

    Method (ODD_, 1)
    {
        If (LEqual (Arg0, 0)) { Return (0) }
        Return (EVEN (Subtract (Arg0, 1)))
    }

    Method (SER1, 1, Serialized)
    {
        Return (Add (SER2 (Arg0), 1))
    }

    Method (SER2, 1, Serialized, 3)
    {
        Return (Add (Multiply (Arg0, 2), 2))
    }

    Method (DYNN, 1, Serialized)
    {
        Name (TMPV, 10)
        Add (TMPV, Arg0, TMPV)
        Return (TMPV)
    }

    Method (FRSH, 0)
    {
        If (LEqual (ObjectType (Local0), 0)) { Local0 = 0 }
        Local0++
        Return (Local0)
    }

    Method (ACKM, 2)
    {
        If (LEqual (Arg0, 0)) { Return (Add (Arg1, 1)) }
        If (LEqual (Arg1, 0)) { Return (ACKM (Subtract (Arg0, 1), 1)) }
        Return (ACKM (Subtract (Arg0, 1), ACKM (Arg0, Subtract (Arg1, 1))))
    }
}
