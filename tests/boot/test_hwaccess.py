"""Hardware grants (docs/hwaccess.md): ktest's "hw:" cases (user/ktest/t_hw.c)
check SYS_FWTABLES (the RSDP first, FACP, APIC, DSDT and FACS listed, the
DSDT read through physmap has its signature and checksum), physmap bounded
to granted ranges, granted and ungranted I/O ports (an ungranted one kills
with SIGSEGV), SYS_HWGRANT from a holder and a non-holder, a grant to a
running process, and two processes with and without ports on one CPU;
it prints the switch cost with and without port grants (not asserted).
Run on BIOS q35 and i440fx (-machine pc) with 4 CPUs, and once on UEFI."""
import re

import pytest

import tapcheck
from qemu import Qemu, build_iso

CASES = 11  # the hw_cases table


def run_hw_cases(name, **kw):
    iso = build_iso('init=/bin/ktest init.only=hw:', name='ktest-hw')
    with Qemu(iso, name, smp=4, **kw) as vm:
        vm.wait_for(r'hw: \d+ rules from initfs:/etc/hw.policy', timeout=120)
        assert tapcheck.check(vm, 'ktest') == CASES
        # the ungranted port and the port-less child were killed by #GP, and said so
        assert re.search(r'general protection.*killed \(SIGSEGV\)', vm.output, re.I)
        assert re.search(r'hw: pid \d+ \(initfs:/bin/kchild\): physmap 0xe0000\+0x1000 refused',
                         vm.output)
        for line in re.findall(r'# (?:fwtables|hw):[^\n]*', vm.output):
            print(line)


@pytest.mark.parametrize('machine', ['q35', 'pc'])
def test_hw_cases_bios(machine):
    run_hw_cases('hwaccess-%s' % machine, extra=['-machine', machine])


def test_hw_cases_uefi():
    run_hw_cases('hwaccess-uefi', uefi=True)
