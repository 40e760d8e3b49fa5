#!/bin/sh
# Run every cmocka test binary given; print one summary line; fail if any failed.
pass=0; fail=0; failed=""
for t in "$@"; do
	if "$t" >"$t.log" 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); failed="$failed $t"
		cat "$t.log"
	fi
done
echo "unit: $pass passed, $fail failed"
[ -n "$failed" ] && echo "unit: failing:$failed"
[ "$fail" -eq 0 ]
