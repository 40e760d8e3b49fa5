"""Boot tests for hostile input at boot: bad kernel command lines and
firmware tables injected with QEMU's -acpitable. Each case asserts the
clear log line the kernel must print, and that the boot goes on."""
import os
import re
import subprocess

import pytest

import acpitables
from qemu import LOG_DIR, REPO, Qemu, boot

READY = r'redbear: ready'
ONLINE = r'smp: (\d+) CPUs online \(possible (\d+), max 256\)'


def test_bad_numbers_are_named():
    with boot('smp.timeout_ms=abc smp.fail_ap=-1 smp.late_ap= init=/bin/init',
              'cmdline-bad-numbers') as vm:
        vm.wait_for(r'boot: warning: smp.fail_ap="-1" is not a number; option ignored',
                    timeout=120)
        vm.wait_for(r'boot: warning: smp.late_ap="" is not a number; option ignored')
        vm.wait_for(r'boot: warning: smp.timeout_ms="abc" is not a number; option ignored')
        m = vm.wait_for(ONLINE)
        assert m.group(1) == '4'
        vm.wait_for(READY)
        assert 'unknown option' not in vm.output  # init= is known


def test_huge_timeout_is_clamped():
    with boot('smp.timeout_ms=99999999999999999999999', 'cmdline-huge-timeout') as vm:
        vm.wait_for(r'boot: warning: smp.timeout_ms=99999999999999999999999 is out of range '
                    r'\(1-600000\); using 600000', timeout=120)
        m = vm.wait_for(ONLINE)
        assert m.group(1) == '4'
        assert 'did not call in' not in vm.output
        vm.wait_for(READY)


def test_zero_timeout_with_fail_ap():
    """Every AP but the failed one either comes online or is parked and
    named; none is counted absent while it runs."""
    with boot('smp.timeout_ms=0 smp.fail_ap=1', 'cmdline-zero-timeout') as vm:
        vm.wait_for(r'boot: warning: smp.timeout_ms=0 is out of range \(1-600000\); using 1',
                    timeout=120)
        m = vm.wait_for(ONLINE)
        vm.wait_for(READY)
        skipped = set(re.findall(r'smp: APIC id (\d+) did not call in within 1 ms; '
                                 r'parked with INIT', vm.output))
        assert '1' in skipped
        assert int(m.group(1)) + len(skipped) == 4
        assert int(m.group(2)) == 4


def test_nosmp_reports_possible_cpus():
    with boot('nosmp', 'cmdline-nosmp') as vm:
        vm.wait_for(r'smp: nosmp: 3 APs not started', timeout=120)
        vm.wait_for(r'smp: 1 CPUs online \(possible 4, max 256\)')
        vm.wait_for(READY)


def test_long_cmdline_is_cut_cleanly():
    words = ['init=/bin/init'] + ['pad%02d=%s' % (i, 'a' * 40) for i in range(14)]
    line = ' '.join(words)
    assert len(line) > 600
    with boot(line, 'cmdline-long') as vm:
        # the echo is cut short and ends its own line; the warning follows intact
        vm.wait_for(r'boot: loader "[^"\n]*", cmdline "init=/bin/init pad00=a+[^"\n]*" '
                    r'\(echo cut\)\n\[ *[\d.]+\] boot: command line is %d bytes, over the '
                    r'limit of 511; cut to its first \d+ bytes \(whole words\)\n' % len(line),
                    timeout=120)
        vm.wait_for(r"boot: unknown option 'pad00' ignored")
        vm.wait_for(READY)
        vm.wait_for(r'init: \d+ of \d+ services ready')
        assert 'command line ignored' not in vm.output


def test_unbalanced_quote_is_refused():
    iso = os.path.join(REPO, 'build', 'iso', 'unbalanced-quote.iso')
    r = subprocess.run(['make', '-s', 'iso', 'CMDLINE=init="/bin/x', 'ISO=' + iso], cwd=REPO,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    assert r.returncode != 0
    assert 'CMDLINE has an unbalanced double quote' in r.stdout
    assert not os.path.exists(iso)


# Fault injection on one AP; each must end parked with INIT, never online,
# while the boot goes on with the other three CPUs.
# smp.late_ap=2 sends AP 2 its SIPI only after the deadline, and again after
# it is parked and the identity map is gone (a SIPI that outlives the
# parking INIT): it must halt in the trampoline's real mode, never turn
# paging on without the identity map (a triple fault: QEMU exits).
# smp.esr_ap=3 fakes an ESR error on a SIPI that still starts AP 3: it calls
# in, but an AP marked failed must be parked, not released.
PARKED_AP = {
    'late-ap': ('smp.late_ap=2 smp.timeout_ms=300',
                [r'smp: fault injection: APIC id 2 will get its SIPI only at the deadline',
                 r'smp: APIC id 2 did not call in within 300 ms; parked with INIT, CPU skipped']),
    'esr-ap': ('smp.esr_ap=3',
               [r'smp: APIC id 3: SIPI IPI failed \(sent, ESR 0x40\); CPU skipped',
                r'smp: APIC id 3 called in after an IPI error; parked with INIT, '
                r'never released']),
}


@pytest.mark.parametrize('case', sorted(PARKED_AP))
def test_faulty_ap_is_parked(case):
    cmdline, lines = PARKED_AP[case]
    with boot(cmdline, 'smp-' + case) as vm:
        vm.wait_for(lines[0], timeout=120)
        for line in lines[1:]:
            vm.wait_for(line)
        vm.wait_for(r'smp: 3 CPUs online \(possible 4, max 256\)')
        vm.wait_for(READY)
        vm.wait_for(r'init: \d+ of \d+ services ready')
        assert 'FATAL' not in vm.output and 'PANIC' not in vm.output


def table_file(name, table):
    os.makedirs(LOG_DIR, exist_ok=True)
    return acpitables.write(os.path.join(LOG_DIR, name + '.aml'), table)


def test_broken_second_madt_keeps_the_first(default_iso):
    """QEMU appends -acpitable tables after its own: a second MADT that
    fails its parse used to replace the good one and leave 1 CPU."""
    t = table_file('madt-broken', acpitables.madt(cpus=1, truncated_entry=True))
    with Qemu(default_iso, 'acpi-madt-broken-second', extra=['-acpitable', 'file=' + t]) as vm:
        vm.wait_for(r'acpi: MADT: 4 CPUs \(4 enabled\)', timeout=120)
        vm.wait_for(r'acpi: APIC: another table with this signature at 0x[0-9a-f]+ ignored; '
                    r'the first valid one is kept')
        m = vm.wait_for(ONLINE)
        assert m.group(1) == '4'
        vm.wait_for(READY)


def test_hostile_madt_addresses():
    """An MADT (made the one in use with acpi.override) whose local APIC
    address is RAM and whose I/O APICs sit at 0, the AP start-up page and
    RAM: the MSR wins for the LAPIC, the bad I/O APICs are rejected."""
    t = table_file('madt-hostile', acpitables.madt(
        lapic_address=0x100000,
        ioapics=((0, 0xFEC00000, 0), (1, 0, 24), (2, 0x8000, 48), (3, 0x200000, 72))))
    with boot('acpi.override=APIC', 'acpi-madt-hostile', iso_name='acpi-override-apic',
              extra=['-acpitable', 'file=' + t]) as vm:
        vm.wait_for(r'acpi: APIC: table at 0x[0-9a-f]+ replaces the first one '
                    r'\(acpi.override\)', timeout=120)
        vm.wait_for(r'lapic: the MADT header says 0x100000 \(RAM in the memory map\), '
                    r'IA32_APIC_BASE says 0xfee00000; using the MSR')
        vm.wait_for(r'ioapic: id 0 at 0xfec00000, GSIs 0-23, all masked')
        vm.wait_for(r'ioapic: id 1 at (0|0x0) rejected: address 0; GSIs from 24 not routed')
        vm.wait_for(r'ioapic: id 2 at 0x8000 rejected: the AP start-up page')
        vm.wait_for(r'ioapic: id 3 at 0x200000 rejected: RAM in the memory map')
        m = vm.wait_for(ONLINE)
        assert m.group(1) == '4'
        vm.wait_for(READY)


def test_hostile_lapic_override():
    t = table_file('madt-override', acpitables.madt(lapic_override=0x300000))
    with boot('acpi.override=APIC', 'acpi-lapic-override', iso_name='acpi-override-apic',
              extra=['-acpitable', 'file=' + t]) as vm:
        vm.wait_for(r"lapic: the MADT's local APIC address override says 0x300000 "
                    r"\(RAM in the memory map\), IA32_APIC_BASE says 0xfee00000; "
                    r"using the MSR", timeout=120)
        m = vm.wait_for(ONLINE)
        assert m.group(1) == '4'
        vm.wait_for(READY)


@pytest.mark.parametrize('addr,why', [(0, 'address 0'),
                                      (0xFEE00000, 'inside the local APIC page')],
                         ids=['zero', 'lapic-page'])
def test_hostile_hpet(default_iso, addr, why):
    t = table_file('hpet-%x' % addr, acpitables.hpet(addr))
    extra = ['-machine', 'q35,hpet=off', '-acpitable', 'file=' + t]
    with Qemu(default_iso, 'acpi-hpet-%x' % addr, extra=extra) as vm:
        vm.wait_for(r'time: HPET at %s rejected: %s; falling back to the PIT'
                    % ('(0|0x0)' if addr == 0 else '%#x' % addr, why), timeout=120)
        vm.wait_for(r'time: TSC [\d.]+ MHz from PIT')
        vm.wait_for(READY)

