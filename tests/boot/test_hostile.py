"""Boot tests for hostile input at boot: bad kernel command lines and
firmware tables injected with QEMU's -acpitable. Each case asserts the
clear log line the kernel must print, and that the boot goes on."""
import os
import re
import subprocess

from qemu import REPO, Qemu, build_iso

READY = r'redbear: ready'
ONLINE = r'smp: (\d+) CPUs online \(possible (\d+), max 256\)'


def boot(cmdline, name, smp=4, extra=(), timeout=120):
    iso = build_iso(cmdline, name=name)
    return Qemu(iso, name, smp=smp, extra=extra)


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
        vm.wait_for(r'init: exited with status 0')
        assert 'command line ignored' not in vm.output


def test_unbalanced_quote_is_refused():
    iso = os.path.join(REPO, 'build', 'iso', 'unbalanced-quote.iso')
    r = subprocess.run(['make', '-s', 'iso', 'CMDLINE=init="/bin/x', 'ISO=' + iso], cwd=REPO,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    assert r.returncode != 0
    assert 'CMDLINE has an unbalanced double quote' in r.stdout
    assert not os.path.exists(iso)


def test_late_ap_is_parked():
    """smp.late_ap=2 sends AP 2 its SIPI only after the deadline: it must be
    parked, never run on the torn-down identity map, and never come online."""
    with boot('smp.late_ap=2 smp.timeout_ms=300', 'smp-late-ap') as vm:
        vm.wait_for(r'smp: fault injection: APIC id 2 will get its SIPI only at the deadline',
                    timeout=120)
        vm.wait_for(r'smp: APIC id 2 did not call in within 300 ms; parked with INIT, '
                    r'CPU skipped')
        vm.wait_for(r'smp: 3 CPUs online \(possible 4, max 256\)')
        vm.wait_for(READY)
        vm.wait_for(r'init: exited with status 0')
        assert 'FATAL' not in vm.output and 'PANIC' not in vm.output
