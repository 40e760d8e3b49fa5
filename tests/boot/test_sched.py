"""Scheduler boot tests: the in-kernel scheduler self-test (selftest=sched)
on 1, 4 and 16 CPUs: spinning threads take turns only if timer preemption
works, a real-time thread beats a fair one, and exited threads give back
every page."""
import pytest

from qemu import Qemu, build_iso


@pytest.mark.parametrize('smp', [1, 4, 16])
def test_sched_selftest(smp):
    iso = build_iso('selftest=sched', name='selftest-sched')
    with Qemu(iso, 'sched-%d' % smp, smp=smp) as vm:
        vm.wait_for(r'ok 1 - sched: 2 spinning threads on each of %d CPUs took turns' % smp,
                    timeout=180)
        vm.wait_for(r'ok 2 - sched: a real-time thread ran before a runnable fair thread')
        vm.wait_for(r'ok 3 - sched: %d threads made on CPU 0 ran on \d+ CPUs' % (2 * smp))
        vm.wait_for(r'ok 4 - kmutex: priority donated through a chain of 2 mutexes')
        vm.wait_for(r'ok 5 - sched: thread teardown returned every page')
        vm.wait_for(r'redbear: ready')
        assert 'not ok' not in vm.output


def test_bad_tick_option_is_reported():
    iso = build_iso('sched.tick_us=5', name='sched-bad-tick')
    with Qemu(iso, 'sched-bad-tick', smp=2) as vm:
        vm.wait_for(r'sched: sched.tick_us=5 out of range \(100-1000000\); using 4000', timeout=120)
        vm.wait_for(r'redbear: ready')
