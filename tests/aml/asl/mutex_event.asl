/*
 * mutex_event.asl - Mutex Acquire/Release (with timeouts, nesting by the
 * same owner, sync levels), Event Signal/Wait/Reset. Single-threaded: an
 * Acquire of a free mutex succeeds (returns 0); Wait on an unsignalled event
 * with a zero timeout times out (returns non-zero).
 */
DefinitionBlock ("", "DSDT", 2, "RBOS", "MUTEXEV", 1)
{
    Mutex (MUT0, 0)
    Mutex (MUT1, 3)
    Event (EVT0)

    Method (LCKM, 1, Serialized)
    {
        Acquire (MUT0, 0xFFFF)
        Local0 = Arg0 * 2
        Release (MUT0)
        Return (Local0)
    }

    Scope (\_SB)
    {
        Device (MX01)
        {
            Method (_HID)
            {
                If (LNotEqual (Acquire (MUT0, 0xFFFF), 0)) { Return ("FAIL01") }
                /* the owner may acquire again; it must release as often */
                If (LNotEqual (Acquire (MUT0, 0), 0)) { Return ("FAIL02") }
                Release (MUT0)
                Release (MUT0)
                /* sync level: MUT1 (3) may be taken while holding MUT0 (0) */
                If (LNotEqual (Acquire (MUT0, 10), 0)) { Return ("FAIL03") }
                If (LNotEqual (Acquire (MUT1, 10), 0)) { Return ("FAIL04") }
                Release (MUT1)
                Release (MUT0)
                If (LNotEqual (LCKM (21), 42)) { Return ("FAIL05") }
                Return ("PASS")
            }
        }

        Device (EV01)
        {
            Method (_HID)
            {
                Reset (EVT0)
                If (LEqual (Wait (EVT0, 0), 0)) { Return ("FAIL01") }
                Signal (EVT0)
                If (LNotEqual (Wait (EVT0, 0), 0)) { Return ("FAIL02") }
                Signal (EVT0)
                Signal (EVT0)
                If (LNotEqual (Wait (EVT0, 0), 0)) { Return ("FAIL03") }
                If (LNotEqual (Wait (EVT0, 0), 0)) { Return ("FAIL04") }
                If (LEqual (Wait (EVT0, 0), 0)) { Return ("FAIL05") }
                Signal (EVT0)
                Reset (EVT0)
                If (LEqual (Wait (EVT0, 0), 0)) { Return ("FAIL06") }
                Return ("PASS")
            }
        }
    }
}
