"""The C library's in-guest tests: init=/bin/libctest runs every case of
user/libctest (stdio, stdlib, string, unistd, dirent, spawn, signals,
pthreads, time) on 1 and 4 CPUs, printing a TAP plan, one line per case
and "libctest: P passed, F failed"; the test checks the plan is exact and
nothing failed."""
import re

import pytest

from qemu import Qemu, build_iso


@pytest.mark.parametrize('smp', [1, 4], ids=['1cpu', '4cpu'])
def test_libctest(smp):
    iso = build_iso('init=/bin/libctest', name='libctest')
    with Qemu(iso, 'libctest-%d' % smp, smp=smp) as vm:
        plan = vm.wait_for(r'^(?:\[[ \d.]+\] )?1\.\.(\d+)\n', timeout=120)
        m = vm.wait_for(r'libctest: (\d+) passed, (\d+) failed', timeout=120)
        failed = re.findall(r'not ok \d+ - ([^#\n]*?)\s*(?:#.*)?$', vm.output, re.M)
        assert not failed, 'failing libctest cases: %s' % failed
        planned = int(plan.group(1))
        numbers = [int(n) for n in re.findall(r'(?:^|\] )(?:not )?ok (\d+) - ',
                                              vm.output[plan.end():m.start()], re.M)]
        assert numbers == list(range(1, planned + 1))
        assert int(m.group(1)) == planned and int(m.group(2)) == 0
        assert planned >= 40
        assert 'PANIC' not in vm.output and 'FATAL' not in vm.output
