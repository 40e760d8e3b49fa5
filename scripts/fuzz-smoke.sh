#!/bin/sh
# fuzz-smoke.sh SECONDS BIN... - run each libFuzzer target for a bounded time,
# seeded from tests/fuzz/seeds/<target>/ when that exists (plus any seed dirs
# the target's own seeds file names). Fails if any target finds a crash.
secs=$1; shift
pass=0; fail=0
for bin in "$@"; do
	name=$(basename "$bin")
	work=build/fuzz/corpus/$name
	mkdir -p "$work"
	seeds=""
	[ -d "tests/fuzz/seeds/$name" ] && seeds="tests/fuzz/seeds/$name"
	if [ -f "tests/fuzz/$name.seeds" ]; then
		for d in $(cat "tests/fuzz/$name.seeds"); do
			[ -d "$d" ] && seeds="$seeds $d"
		done
	fi
	if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix=build/fuzz/ "$work" $seeds >"build/fuzz/$name.log" 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "fuzz: $name FAILED"; tail -40 "build/fuzz/$name.log"
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
