"""Kernel page-table boot tests: every CPU maps MMIO windows at once
(selftest=mmio); each window must be its own and map the requested frame."""
import pytest

from qemu import Qemu, build_iso


@pytest.mark.parametrize('smp', [4, 16])
def test_mmio_map_concurrent(smp):
    iso = build_iso('selftest=mmio', name='selftest-mmio')
    with Qemu(iso, 'mmio-%d' % smp, smp=smp) as vm:
        vm.wait_for(r'ok 1 - mmio: %d CPUs mapped %d windows at once, 0 bad'
                    % (smp, smp * 128), timeout=180)
        vm.wait_for(r'redbear: ready')
        assert 'not ok' not in vm.output
