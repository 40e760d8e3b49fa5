#!/bin/sh
# fuzz-smoke.sh SECONDS BIN... - run each libFuzzer target for a bounded time,
# seeded from tests/fuzz/seeds/<target>/ when that exists (plus any seed dirs
# the target's own seeds file names). Fails if any target finds a crash.
# FUZZ_JOBS targets run at once (default: the number of CPUs), each with its
# own corpus and log, so the stage takes SECONDS x targets / FUZZ_JOBS.
secs=$1; shift
jobs=${FUZZ_JOBS:-$(nproc)}

# run_one BIN: fuzz it; its verdict goes to build/fuzz/<name>.rc
run_one() {
	bin=$1
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
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix=build/fuzz/ "$work" $seeds >"build/fuzz/$name.log" 2>&1
	echo $? >"build/fuzz/$name.rc"
}

running=0
for bin in "$@"; do
	rm -f "build/fuzz/$(basename "$bin").rc"
	run_one "$bin" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait

pass=0; fail=0
for bin in "$@"; do
	name=$(basename "$bin")
	if [ "$(cat "build/fuzz/$name.rc" 2>/dev/null)" = 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "fuzz: $name FAILED"; tail -40 "build/fuzz/$name.log"
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
