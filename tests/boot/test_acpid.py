"""acpid on QEMU: the acpi: scheme serves the firmware's tables byte for byte,
answers INTx routes from _PRT, shows its status, and survives a junk SSDT.

Each case boots the default image, logs in as root on the serial console (as
test_session.py does) and runs commands: `cat acpi:/status`, `ls
acpi:/tables`, `sha256sum acpi:/tables/DSDT` (compared with the DSDT the
host dumps from the same QEMU machine with scripts/dump-qemu-acpi.py), and
`cat acpi:/route/...` for a device QEMU wires through _PRT. q35 routes
through its GSI links (GSI 16-23); i440fx (`-machine pc`) through the PIIX
links, whose _CRS reads the PIIX's PCI config through pcid (IRQ 5, 9, 10 or
11, what SeaBIOS programmed). Needs h-hw (SYS_FWTABLES, grants) and pcid.
"""
import hashlib
import importlib.util
import os
import re
import sys
import tempfile

import pytest

from qemu import boot
from test_session import login_session

sys.path.insert(0, os.path.dirname(__file__))
import acpitables  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DUMP = os.path.join(ROOT, 'scripts', 'dump-qemu-acpi.py')


def host_dsdt_sha(machine, smp=4, mem='512M'):
    """sha256 of the DSDT QEMU builds for this machine, dumped on the host by
    scripts/dump-qemu-acpi.py. Its usual options say `-serial none`, but the
    DSDT describes COM1 only when there is a serial port, and the boot tests
    have one (-serial stdio): so the dump runs with a serial port too."""
    spec = importlib.util.spec_from_file_location('dump_qemu_acpi', DUMP)
    dq = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dq)
    dq.BASE_ARGS = ['-accel', 'tcg', '-display', 'none', '-serial', 'null', '-monitor', 'none']
    for attempt in range(3):  # QEMU's QMP socket can refuse under load
        try:
            with tempfile.TemporaryDirectory() as d:
                dq.dump(d, ['-machine', machine, '-smp', str(smp), '-m', mem])
                with open(os.path.join(d, 'dsdt.dat'), 'rb') as f:
                    return hashlib.sha256(f.read()).hexdigest()
        except (OSError, dq.DumpError) as e:
            if attempt == 2:
                raise AssertionError('dumping QEMU %s tables failed: %r' % (machine, e))


def check_common(s, machine):
    out, rc = s.run('cat acpi:/status')
    assert rc == 0 and 'fwtables ok' in out, out
    m = re.search(r'aml_tables (\d+)', out)
    assert m and int(m.group(1)) >= 1, out
    out, rc = s.run('ls acpi:/tables')
    assert rc == 0, out
    for name in ('DSDT', 'FACP', 'APIC'):
        assert re.search(r'\b%s\b' % name, out), out
    out, rc = s.run('sha256sum acpi:/tables/DSDT')
    assert rc == 0, out
    assert host_dsdt_sha(machine) in out, out
    out, rc = s.run('cat acpi:/route/0000:00:00.0/Z')
    assert rc != 0, out
    out, rc = s.run('cat acpi:/route/nonsense')
    assert rc != 0, out


@pytest.mark.parametrize('uefi', [False, True], ids=['bios', 'uefi'])
def test_acpid_q35(uefi):
    name = 'acpid-q35-%s' % ('uefi' if uefi else 'bios')
    with boot('', name, uefi=uefi, stdin=True) as vm:
        s = login_session(vm, 'root', 'redbear', '# ')
        check_common(s, 'q35')
        # the AHCI controller at 00:1f.2 uses INTA through a GSI link
        out, rc = s.run('cat acpi:/route/0000:00:1f.2/A')
        assert rc == 0, out
        m = re.search(r'^(\d+) (level|edge) (low|high)$', out, re.M)
        assert m and 16 <= int(m.group(1)) <= 23 and m.group(2) == 'level', out
        print('q35 00:1f.2 INTA ->', m.group(0))


def test_acpid_i440fx():
    with boot('', 'acpid-i440fx', extra=['-machine', 'pc'], stdin=True) as vm:
        s = login_session(vm, 'root', 'redbear', '# ')
        check_common(s, 'pc')
        # the default NIC at 00:03.0, INTA, through a PIIX link
        out, rc = s.run('cat acpi:/route/0000:00:03.0/A')
        assert rc == 0, out
        m = re.search(r'^(\d+) (level|edge) (low|high)$', out, re.M)
        assert m and int(m.group(1)) in (5, 9, 10, 11), out
        print('i440fx 00:03.0 INTA ->', m.group(0))


def test_acpid_junk_ssdt(tmp_path):
    junk = tmp_path / 'junk-ssdt.aml'
    body = bytes([0x10, 0xff, 0xff, 0xff, 0x5c, 0x2e]) + b'\xff' * 32
    junk.write_bytes(acpitables.sdt('SSDT', body, rev=2))
    with boot('', 'acpid-junk', extra=['-acpitable', 'file=%s' % junk], stdin=True) as vm:
        s = login_session(vm, 'root', 'redbear', '# ')
        out, rc = s.run('cat acpi:/status')
        assert rc == 0 and 'fwtables ok' in out, out
        out, rc = s.run('ls acpi:/tables')
        assert rc == 0 and 'DSDT' in out and 'SSDT' in out, out
        # the bad AML was logged, and acpid still answers routes
        assert re.search(r'acpid: aml: .*(SSDT|EBADMSG)', vm.output), vm.output[-3000:]
        out, rc = s.run('cat acpi:/route/0000:00:1f.2/A')
        assert rc == 0 and re.search(r'^\d+ level', out, re.M), out
