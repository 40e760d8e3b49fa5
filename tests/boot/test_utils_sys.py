"""The system utilities in the guest: init=/bin/systest (user/systest)
starts ramfsd, runs ps, kill, cpus, free, uptime, services (against a
fake init: it serves itself), dmesg, logread, poweroff and reboot,
checks their exit codes and output shapes and prints one
"systest: ok - ..." or "systest: FAIL - ..." line per check, then
"systest: P passed, F failed". Last it runs /bin/poweroff with no init:
served: poweroff must warn and fall back to the kernel, and QEMU must
exit by itself. A second boot (init.final=reboot) runs only reboot the
same way: QEMU (-no-reboot) exits on the reset."""
import re

from qemu import boot


def test_utils_sys():
    with boot('init=/bin/systest', 'utils-sys', smp=4) as vm:
        m = vm.wait_for(r'systest: (\d+) passed, (\d+) failed', timeout=300)
        failed = re.findall(r'systest: FAIL - (.*)$', vm.output, re.M)
        assert not failed, 'failing systest checks: %s' % failed
        assert int(m.group(2)) == 0 and int(m.group(1)) >= 40
        # cpus saw every CPU QEMU was given
        assert re.search(r'\| 4 CPUs, 1 NUMA node, online 0-3\r?$', vm.output, re.M)
        assert re.search(r'\| cpu3 +apic \d+ +node 0 +online +load +\d+\.\d%', vm.output,
                         re.M)
        # the fallback: a warning, then the kernel's ACPI S5, then QEMU ends
        vm.wait_for(r'poweroff: warning: init: is not served; asking the kernel directly',
                    timeout=60)
        vm.wait_for(r'poweroff: ACPI S5', timeout=60)
        vm.wait_exit(timeout=60)
        assert 'systest: poweroff returned' not in vm.output
        assert 'PANIC' not in vm.output


def test_reboot_fallback():
    with boot('init=/bin/systest init.final=reboot', 'utils-sys-reboot', smp=2) as vm:
        vm.wait_for(r'systest: 1 passed, 0 failed', timeout=120)
        vm.wait_for(r'reboot: warning: init: is not served; asking the kernel directly',
                    timeout=60)
        vm.wait_exit(timeout=60)
        assert 'systest: reboot returned' not in vm.output
        assert re.search(r'reboot: (ACPI reset|the FADT|keyboard controller|triple fault)',
                         vm.output), vm.output[-500:]
        assert 'PANIC' not in vm.output
