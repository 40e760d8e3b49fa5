"""What a shell needs from the kernel, booted for real (/bin/kjob as init):
Ctrl-C typed on the console interrupts the foreground job but not the shell
that started it, a raw-mode reader gets 0x03 as a byte, and poweroff (ACPI
S5) and reboot (reset, with -no-reboot) make QEMU exit by itself under
SeaBIOS and OVMF."""
import pytest

from qemu import boot


def test_ctrl_c_interrupts_the_foreground_job_only():
    with boot('init=/bin/kjob init.job', 'shell-ctrl-c', stdin=True) as vm:
        m = vm.wait_for(r'kjob: child ready, pgid (\d+), foreground (\d+)\n', timeout=60)
        assert m.group(1) == m.group(2) and m.group(1) != '1', m.group(0)
        vm.send(b'\x03')
        m = vm.wait_for(r'kjob: job (\d+) waited (\d+) status (-?\d+)\n', timeout=60)
        assert m.group(1) == m.group(2), m.group(0)
        assert m.group(3) == '130', 'the child did not die of SIGINT: ' + m.group(0)
        vm.wait_for(r'kjob: parent sigint 0\n', timeout=10)
        vm.wait_for(r'kjob: foreground back 0\n', timeout=10)
        vm.wait_for(r'kjob: raw ready \(old mode 1\)', timeout=10)
        vm.send(b'\x03')
        vm.wait_for(r'kjob: raw got 1 0x03', timeout=60)
        assert 'child read returned' not in vm.output
        vm.wait_for(r'poweroff: ACPI S5', timeout=60)
        vm.wait_exit(timeout=60)


@pytest.mark.parametrize('uefi', [False, True], ids=['bios', 'uefi'])
def test_poweroff_exits_qemu(uefi):
    name = 'shell-poweroff-' + ('uefi' if uefi else 'bios')
    with boot('init=/bin/kjob init.off', name, iso_name='shell-poweroff', uefi=uefi) as vm:
        vm.wait_for(r'acpi: \\_S5_: SLP_TYPa \d+ SLP_TYPb \d+', timeout=120)
        vm.wait_for(r'kjob: powering off', timeout=120)
        vm.wait_for(r'poweroff: ACPI S5 \(SLP_TYPa', timeout=30)
        vm.wait_exit(timeout=60)
        assert 'still running after ACPI S5' not in vm.output


@pytest.mark.parametrize('uefi', [False, True], ids=['bios', 'uefi'])
def test_reboot_exits_qemu(uefi):
    name = 'shell-reboot-' + ('uefi' if uefi else 'bios')
    with boot('init=/bin/kjob init.reboot', name, iso_name='shell-reboot', uefi=uefi) as vm:
        vm.wait_for(r'kjob: rebooting', timeout=120)
        vm.wait_for(r'reboot: ACPI reset register \(port 0xcf9', timeout=30)
        vm.wait_exit(timeout=60)
        assert 'kjob: reboot returned' not in vm.output
