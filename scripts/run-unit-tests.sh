#!/bin/sh
# Run every cmocka test binary given, all at once; print one summary line;
# fail if any failed (or if none was given). A failing test's log is shown.
# REDBEAR_TEST_FULL=1 in the environment selects the long loop counts
# (tests/host/test_scale.h); the fuzz stage of `make check` sets it.
[ $# -gt 0 ] || { echo "unit: no test binaries"; exit 1; }
for t in "$@"; do
	( "$t" >"$t.log" 2>&1; echo $? >"$t.rc" ) &
done
wait
pass=0; fail=0; failed=""
for t in "$@"; do
	if [ "$(cat "$t.rc")" = 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); failed="$failed $t"
		cat "$t.log"
	fi
done
echo "unit: $pass passed, $fail failed"
[ -n "$failed" ] && echo "unit: failing:$failed"
[ "$fail" -eq 0 ]
