"""Power through acpid (docs/acpid.md): the ACPI power button and
init's last step.

- QEMU's `system_powerdown` (over the monitor) raises PWRBTN_STS and the
  SCI: acpid logs the press and asks init for a poweroff; init stops the
  services in order, leaves acpid for last and writes `poweroff` to
  acpi:/power; acpid enters S5 and QEMU exits by itself. On q35 under
  BIOS and UEFI, and on i440fx (`-machine pc`, PIIX4 PM) under BIOS.
- `poweroff` typed in a root shell: the same last step (`acpid: entering
  S5`), QEMU exits.
- `reboot` typed in a root shell: acpid logs the reset method it used;
  qemu.py passes -no-reboot, so the reset ends QEMU.

Needs acpid (with its main loop), the irq: scheme and the hardware
grants; timings are not asserted."""
import pytest

from qemu import boot
from test_session import login_session

MACHINES = [('q35', False), ('q35', True), ('pc', False)]
IDS = ['q35-bios', 'q35-uefi', 'pc-bios']


def _extra(machine):
    return ['-machine', machine] if machine != 'q35' else []


@pytest.mark.parametrize('machine,uefi', MACHINES, ids=IDS)
def test_power_button_shuts_down_in_order(machine, uefi):
    name = 'power-button-%s-%s' % (machine, 'uefi' if uefi else 'bios')
    with boot('', name, uefi=uefi, extra=_extra(machine), monitor=True) as vm:
        vm.wait_for(r'acpid: power button on', timeout=120)
        vm.wait_for(r'login: $', timeout=120)
        vm.monitor('system_powerdown')
        vm.wait_for(r'acpid: power button pressed', timeout=60)
        vm.wait_for(r'init: stopping \d+ services', timeout=60)
        vm.wait_for(r'init: stopping getty ', timeout=60)
        vm.wait_for(r'init: powering off through acpi:/power', timeout=60)
        vm.wait_for(r'acpid: entering S5', timeout=60)
        vm.wait_exit(timeout=60)
        # acpid was the last service: nobody stopped it
        assert 'init: stopping acpid ' not in vm.output, vm.log_path()


@pytest.mark.parametrize('machine,uefi', MACHINES[:2], ids=IDS[:2])
def test_poweroff_from_the_shell(machine, uefi):
    name = 'power-off-%s-%s' % (machine, 'uefi' if uefi else 'bios')
    with boot('', name, uefi=uefi, extra=_extra(machine), stdin=True) as vm:
        login_session(vm, 'root', 'redbear', '# ')
        vm.send(b'poweroff\r')
        vm.wait_for(r'init: powering off through acpi:/power', timeout=60)
        vm.wait_for(r'acpid: entering S5', timeout=60)
        vm.wait_exit(timeout=60)


@pytest.mark.parametrize('machine,uefi', MACHINES[:2], ids=IDS[:2])
def test_reboot_from_the_shell(machine, uefi):
    name = 'power-reboot-%s-%s' % (machine, 'uefi' if uefi else 'bios')
    with boot('', name, uefi=uefi, extra=_extra(machine), stdin=True) as vm:
        login_session(vm, 'root', 'redbear', '# ')
        vm.send(b'reboot\r')
        vm.wait_for(r'init: rebooting through acpi:/power', timeout=60)
        m = vm.wait_for(r'acpid: reset through the ([^\n]+)\n', timeout=60)
        print('%s: reset through the %s' % (name, m.group(1)))
        vm.wait_exit(timeout=60)
