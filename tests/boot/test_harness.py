"""The boot-test harness itself (no QEMU): wait_for() matches serial output
in order, from_start=True looks back without moving the cursor; a QEMU
killed by a signal is told apart from one that exited, and conftest runs
such a test once more; tapcheck holds a runner's TAP report to its plan."""
import threading

import pytest

import qemu
import tapcheck


class FakeProc:
    def __init__(self, rc):
        self.rc = rc

    def wait(self, timeout=None):
        return self.rc


def fake_vm(output, rc=0):
    vm = qemu.Qemu.__new__(qemu.Qemu)  # no QEMU: only the matching state
    vm.name, vm.output, vm.pos = 'harness', output, 0
    vm.cond, vm.exited = threading.Condition(), True
    vm.proc = FakeProc(rc)
    return vm


def test_exit_status_is_not_a_crash():
    vm = fake_vm('one\n', rc=1)
    with pytest.raises(AssertionError, match='exited with status 1') as e:
        vm.wait_for(r'two', timeout=1)
    assert not isinstance(e.value, qemu.QemuCrashed)


def test_signal_is_a_crash():
    vm = fake_vm('one\n', rc=-11)
    with pytest.raises(qemu.QemuCrashed, match='signal 11'):
        vm.wait_for(r'two', timeout=1)
    with pytest.raises(qemu.QemuCrashed, match='signal 11'):
        vm.wait_exit(timeout=1)


runs = []


def test_crashed_qemu_runs_the_test_again():
    runs.append(1)
    if len(runs) == 1:
        raise qemu.QemuCrashed('harness self-test: a simulated QEMU crash')
    assert len(runs) == 2


def test_wait_for_is_in_order():
    vm = fake_vm('one\ntwo\nthree\n')
    assert vm.wait_for(r'two').start() == 4
    with pytest.raises(AssertionError, match='after byte 7'):
        vm.wait_for(r'one', timeout=1)  # it came before "two"
    assert vm.wait_for(r'three').start() == 8


def test_from_start_looks_back_without_moving():
    vm = fake_vm('one\ntwo\nthree\n')
    vm.wait_for(r'three')
    assert vm.wait_for(r'one', from_start=True).start() == 0
    with pytest.raises(AssertionError):
        vm.wait_for(r'two', timeout=1)  # the cursor stayed after "three"


def test_same_pattern_twice_needs_two_lines():
    vm = fake_vm('ok 1\nok 2\n')
    assert vm.wait_for(r'ok \d').group(0) == 'ok 1'
    assert vm.wait_for(r'ok \d').group(0) == 'ok 2'
    with pytest.raises(AssertionError):
        vm.wait_for(r'ok \d', timeout=1)


def tap_vm(*lines):
    return fake_vm(''.join(line + '\n' for line in lines))


def test_tap_whole_report_passes():
    vm = tap_vm('[    0.1] 1..2', 'ok 1 - a', '[    0.2] ok 2 - b', 'ktest: 2 passed, 0 failed')
    assert tapcheck.check(vm, 'ktest', timeout=1) == 2


@pytest.mark.parametrize('lines', [
    ('1..3', 'ok 1 - a', 'ok 3 - c', 'ktest: 2 passed, 0 failed'),  # a line missing
    ('1..2', 'ok 1 - a', 'not ok 2 - b # why', 'ktest: 1 passed, 1 failed'),  # a failure
    ('1..2', 'ok 1 - a', 'ok 2 - b', 'ktest: 1 passed, 0 failed'),  # summary short
    ('1..2', 'ok 1 - a', 'PANIC: boom'),  # died on the way
    ('PANIC: boom', '1..2'),  # died before the plan
    ('1..1', 'ok 1 - a', 'libctest: 1 passed, 0 failed'),  # another runner's summary
], ids=['missing', 'failed', 'short', 'panic', 'panic-first', 'other-runner'])
def test_tap_broken_report_fails(lines):
    with pytest.raises(AssertionError):
        tapcheck.check(tap_vm(*lines), 'ktest', timeout=1)


def test_tap_known_failing_is_allowed_by_name():
    vm = tap_vm('1..2', 'ok 1 - a', 'not ok 2 - b # later', 'ktest: 1 passed, 1 failed')
    assert tapcheck.check(vm, 'ktest', timeout=1, known_failing={'b'}) == 2
