"""The TAP report of an in-guest test runner (ktest, libctest) on the serial
console: the plan "1..N", one "ok K - name" or "not ok K - name # why" line
per case, then "RUNNER: P passed, F failed". check() waits for it and holds
the runner to its plan: N lines numbered 1..N, no case failed (but those
named in known_failing), the summary adds up, no panic on the way. One
helper for every runner's boot test, so none of them checks less."""
import re

# the newline matters: serial output streams in, "1..6" may be half of "1..63"
PLAN = r'^(?:\[[ \d.]+\] )?1\.\.(\d+)\n'
CASE = re.compile(r'(?:^|\] )(?:not )?ok (\d+) - ', re.M)
FAILED = re.compile(r'not ok \d+ - ([^#\n]*?)\s*(?:#.*)?$', re.M)


def check(vm, runner, timeout=300, known_failing=()):
    """Wait for runner's plan and summary (each within timeout) and assert
    the report is whole and passed; return the number of planned cases."""
    plan = vm.wait_for(PLAN + r'|PANIC|FATAL', timeout=timeout)
    assert plan.group(1), '%s: died before its plan: %s (log: %s)' % (
        runner, plan.group(0), vm.log_path())
    m = vm.wait_for(r'%s: (\d+) passed, (\d+) failed|PANIC|FATAL' % re.escape(runner),
                    timeout=timeout)
    assert m.group(1), '%s: died before its summary: %s (log: %s)' % (
        runner, m.group(0), vm.log_path())
    failed = FAILED.findall(vm.output)
    unexpected = [f for f in failed if f not in known_failing]
    assert not unexpected, 'failing %s cases: %s' % (runner, unexpected)
    planned = int(plan.group(1))
    numbers = [int(n) for n in CASE.findall(vm.output[plan.end():m.start()])]
    missing = sorted(set(range(1, planned + 1)) - set(numbers))
    assert numbers == list(range(1, planned + 1)), \
        'TAP lines out of plan: missing %s, got %d lines' % (missing, len(numbers))
    assert int(m.group(1)) + int(m.group(2)) == planned, m.group(0)
    assert int(m.group(2)) == len(failed), m.group(0)
    assert 'PANIC' not in vm.output and 'FATAL' not in vm.output
    return planned
