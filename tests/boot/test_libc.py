"""The C library's in-guest tests: init=/bin/libctest runs every case of
user/libctest (stdio, stdlib, string, unistd, dirent, spawn, signals,
pthreads, time) on 1 and 4 CPUs, printing a TAP plan, one line per case
and "libctest: P passed, F failed"; the test checks the plan is exact and
nothing failed."""
import pytest

import tapcheck
from qemu import Qemu, build_iso


@pytest.mark.parametrize('smp', [1, 4], ids=['1cpu', '4cpu'])
def test_libctest(smp):
    iso = build_iso('init=/bin/libctest', name='libctest')
    with Qemu(iso, 'libctest-%d' % smp, smp=smp) as vm:
        planned = tapcheck.check(vm, 'libctest', timeout=120)
        assert planned >= 40
