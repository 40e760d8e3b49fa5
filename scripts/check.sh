#!/bin/sh
# check.sh - everything `make check` runs, stage by stage, with one summary.
#
# Stages: build, lint (scripts/lint.sh), host unit tests, host tools and
# their corpus/oracle tests (pytest tests/tools), fuzz smoke runs plus the
# unit tests' long loops, the ISO and its QEMU boot tests (pytest
# tests/boot). A failing stage does not stop the others; the exit status is
# non-zero if any failed. JOBS sets make's parallelism (default: nproc).
set -u
JOBS=${JOBS:-$(nproc)}
passed=0; failed=0; failures=""

stage() {
	name=$1; shift
	echo "=== $name"
	start=$(date +%s)
	if "$@"; then
		passed=$((passed + 1)); r=ok
	else
		failed=$((failed + 1)); failures="$failures $name"; r=FAILED
	fi
	echo "=== $name: $r ($(( $(date +%s) - start )) s)"
}

# The first python3 on PATH may be one without Debian's pytest (pyenv).
PYTHON=python3
python3 -c 'import pytest' 2>/dev/null || PYTHON=/usr/bin/python3

pytest_dir() {
	# pytest exits 5 when it collected no tests: a test directory that lost
	# its tests (or a typo in its name) must fail the stage, not pass it.
	"$PYTHON" -m pytest -q -p no:cacheprovider "$@"
	rc=$?
	[ $rc -eq 5 ] && echo "check: no tests collected in $*; failing"
	return $rc
}

stage build make -s -j"$JOBS" all
stage lint make -s lint
stage unit make -s -j"$JOBS" test
stage tools pytest_dir tests/tools
stage fuzz make -s -j"$JOBS" fuzz-smoke test-full
stage boot pytest_dir tests/boot

echo
echo "check: $passed passed, $failed failed"
[ -n "$failures" ] && echo "check: failed stages:$failures"
[ "$failed" -eq 0 ]
