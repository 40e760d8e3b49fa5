"""The boot-test harness itself (no QEMU): wait_for() matches serial output
in order, from_start=True looks back without moving the cursor."""
import threading

import pytest

import qemu


def fake_vm(output):
    vm = qemu.Qemu.__new__(qemu.Qemu)  # no QEMU: only the matching state
    vm.name, vm.output, vm.pos = 'harness', output, 0
    vm.cond, vm.exited = threading.Condition(), True
    return vm


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
