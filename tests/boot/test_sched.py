"""Scheduler boot tests: the in-kernel scheduler self-test (selftest=sched)
on 1, 4 and 16 CPUs: spinning threads take turns only if timer preemption
works, a real-time thread beats a fair one, and exited threads give back
every page; the NUMA map (which the steal order and idle kicks follow)
indexed by CPU id when an AP fails to start."""
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


def test_numa_map_by_cpu_id_after_failed_ap():
    # Two nodes, CPUs 0-1 and 2-3; APIC id 1 never starts, so the online
    # CPU ids are 0, 2 and 3, and node 1 must still list CPUs 2-3.
    iso = build_iso('smp.fail_ap=1 smp.timeout_ms=500', name='fail-ap-numa')
    args = []
    for n in range(2):
        args += ['-object', 'memory-backend-ram,id=m%d,size=256M' % n,
                 '-numa', 'node,nodeid=%d,cpus=%d-%d,memdev=m%d' % (n, 2 * n, 2 * n + 1, n)]
    with Qemu(iso, 'sched-numa-fail-ap', smp=4, extra=args) as vm:
        vm.wait_for(r'smp: 3 CPUs online \(possible 4, max 256\)', timeout=120)
        vm.wait_for(r'numa: node 0 cpus 0\s', timeout=60)
        vm.wait_for(r'numa: node 1 cpus 2-3\s', timeout=60)
