"""pcid and lspci against what QEMU says it built.

Boots the default image with many PCI devices (a PCIe root port with a
device behind it, an x3130 switch with devices on both downstream ports,
virtio-blk, virtio-net, e1000e, NVMe, xHCI, a PCIe-to-PCI bridge with a
legacy e1000 behind it, edu, q35's own AHCI), logs in, runs `lspci -nn`
and `lspci -v`, asks QEMU's monitor for `info pci`, and checks they agree:
every function at the same bus:dev.fn with the same vendor:device, the
class where QEMU names one we know, bridges' secondary/subordinate buses,
and every BAR's address and size. The i440fx machine (legacy 0xCF8 ports,
no MCFG) and one UEFI boot run the same comparison with fewer devices.
Prints pcid's enumeration line (the time it took)."""
import os
import re

from qemu import REPO, boot
from test_session import login_session

DISKS = os.path.join(REPO, 'build', 'pci-test-%s.img')

# info pci's class words -> class code (those our devices use)
QEMU_CLASS = {
    'Host bridge': 0x0600, 'ISA bridge': 0x0601, 'PCI bridge': 0x0604,
    'VGA controller': 0x0300, 'Ethernet controller': 0x0200, 'SATA controller': 0x0106,
    'SMBus': 0x0c05, 'USB controller': 0x0c03, 'SCSI controller': 0x0100,
    'IDE controller': 0x0101,
}


def disk(name):
    path = DISKS % name
    if not os.path.exists(path):
        with open(path, 'wb') as f:
            f.truncate(1 << 20)
    return path


def many_devices():
    return [
        '-device', 'pcie-root-port,id=rp1,chassis=1,slot=1',
        '-device', 'virtio-net-pci,bus=rp1',
        '-device', 'pcie-root-port,id=rp2,chassis=2,slot=2',
        '-device', 'x3130-upstream,id=up,bus=rp2',
        '-device', 'xio3130-downstream,id=dn1,bus=up,chassis=3,slot=0',
        '-device', 'xio3130-downstream,id=dn2,bus=up,chassis=4,slot=1',
        '-device', 'e1000e,bus=dn1',
        '-drive', 'file=%s,if=none,id=nv,format=raw' % disk('nvme'),
        '-device', 'nvme,serial=rbpci,drive=nv,bus=dn2',
        '-drive', 'file=%s,if=none,id=vb,format=raw' % disk('virtio'),
        '-device', 'virtio-blk-pci,drive=vb',
        '-device', 'qemu-xhci',
        '-device', 'pcie-root-port,id=rp3,chassis=5,slot=3',
        '-device', 'pcie-pci-bridge,id=pb,bus=rp3',
        '-device', 'e1000,bus=pb,addr=1',
        '-device', 'edu',
    ]


def parse_info_pci(text):
    """{ 'BB:DD.F': {'id': 'vvvv:dddd', 'cls': code or None, 'sec':, 'sub':,
    'bars': {index: (addr, size)}} }"""
    devs, cur = {}, None
    for line in text.split('\n'):
        m = re.match(r'\s*Bus\s+(\d+), device\s+(\d+), function (\d+):', line)
        if m:
            key = '%02x:%02x.%x' % tuple(int(x) for x in m.groups())
            cur = devs[key] = {'bars': {}, 'sec': None, 'sub': None, 'cls': None}
            continue
        if cur is None:
            continue
        m = re.match(r'\s*(.*?): PCI device ([0-9a-f]{4}):([0-9a-f]{4})', line)
        if m:
            cur['id'] = '%s:%s' % (m.group(2), m.group(3))
            words = m.group(1)
            c = re.match(r'Class (\d{4})', words)
            # QEMU prints an unnamed class code in decimal ("Class 0264" is 0x0108)
            cur['cls'] = int(c.group(1), 10) if c else QEMU_CLASS.get(words)
            continue
        m = re.match(r'\s*secondary bus (\d+)\.', line)
        if m:
            cur['sec'] = int(m.group(1))
        m = re.match(r'\s*subordinate bus (\d+)\.', line)
        if m:
            cur['sub'] = int(m.group(1))
        m = re.match(r'\s*BAR(\d): .*? at (0x[0-9a-f]+) \[(0x[0-9a-f]+)\]', line)
        if m and int(m.group(1)) < 6:
            start, end = int(m.group(2), 16), int(m.group(3), 16)
            if start != 0xffffffffffffffff and start != 0:  # unassigned
                cur['bars'][int(m.group(1))] = (start, end - start + 1)
    return devs


def parse_lspci(nn, v):
    devs = {}
    for line in nn.split('\n'):
        m = re.match(r'([0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) .*\[([0-9a-f]{4})\]: .*'
                     r'\[([0-9a-f]{4}:[0-9a-f]{4})\]', line)
        if m:
            devs[m.group(1)] = {'cls': int(m.group(2), 16), 'id': m.group(3), 'bars': {},
                                'sec': None, 'sub': None}
    cur = None
    for line in v.split('\n'):
        m = re.match(r'([0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) ', line)
        if m:
            cur = devs.get(m.group(1))
            continue
        if cur is None:
            continue
        m = re.match(r'\s+Bus: primary=\w+, secondary=(\w+), subordinate=(\w+)', line)
        if m:
            cur['sec'], cur['sub'] = int(m.group(1), 16), int(m.group(2), 16)
        m = re.match(r'\s+BAR (\d) (mem32|mem64|io) (0x[0-9a-f]+) (0x[0-9a-f]+)', line)
        if m:
            cur['bars'][int(m.group(1))] = (int(m.group(3), 16), int(m.group(4), 16))
    return devs


def compare(vm, s):
    m = vm.wait_for(r'pcid: (\d+) functions on (\d+) segment\(s\), (\d+) buses in ([\d.]+) ms',
                    from_start=True)
    print('\n' + m.group(0))
    nn, rc = s.run('lspci -nn', timeout=120)
    assert rc == 0, nn
    v, rc = s.run('lspci -v', timeout=120)
    assert rc == 0, v
    ours = parse_lspci(nn, v)
    qemu = parse_info_pci(vm.monitor('info pci'))
    assert qemu, 'info pci gave nothing'
    # every device has BARs: none parsed means a format neither parser reads
    assert any(q['bars'] for q in qemu.values()), 'no BAR in info pci'
    assert sorted(ours) == sorted(qemu), (nn, sorted(qemu))
    assert int(m.group(1)) == len(qemu)
    for key, q in qemu.items():
        o = ours[key]
        assert o['id'] == q['id'], (key, o, q)
        if q['cls'] is not None:
            assert o['cls'] == q['cls'], (key, o, q)
        if q['sec'] is not None:
            assert (o['sec'], o['sub']) == (q['sec'], q['sub']), (key, o, q)
        assert o['bars'] == q['bars'], (key, o['bars'], q['bars'])
    return ours


def test_q35_many_devices():
    with boot('', 'pci-q35', smp=4, stdin=True, monitor=True, extra=many_devices()) as vm:
        vm.wait_for(r'pcid: config access: ECAM\n', timeout=120)
        s = login_session(vm, 'root', 'redbear', '# ')
        ours = compare(vm, s)
        assert any(d['cls'] == 0x0604 and d['sec'] for d in ours.values())
        assert len(ours) >= 15
        # the names come from the packed pci.ids when the package is installed
        if os.path.exists('/usr/share/misc/pci.ids'):
            out, _ = s.run('lspci -s 00:00.0')
            assert 'Intel Corporation' in out, out
        out, rc = s.run('lspci -n -s 00:00.0')
        assert rc == 0 and re.search(r'00:00\.0 0600: 8086:29c0', out), out
        out, rc = s.run('lspci -s zz')
        assert rc == 2, out
        out, rc = s.run('cat pci:/events')
        assert 'add 0000:00:00.0' in out, out


def test_i440fx_legacy_ports():
    extra = ['-machine', 'pc', '-device', 'e1000', '-device', 'virtio-net-pci', '-device', 'edu']
    with boot('', 'pci-i440fx', smp=2, stdin=True, monitor=True, extra=extra) as vm:
        # no MCFG on i440fx: the legacy ports, which the hardware grants give pcid
        vm.wait_for(r'pcid: config access: legacy 0xcf8/0xcfc ports \(no MCFG\)\n', timeout=120)
        s = login_session(vm, 'root', 'redbear', '# ')
        compare(vm, s)


def test_uefi_q35():
    extra = ['-device', 'pcie-root-port,id=rp1,chassis=1,slot=1', '-device', 'e1000e,bus=rp1']
    with boot('', 'pci-uefi', smp=2, uefi=True, stdin=True, monitor=True, extra=extra) as vm:
        # the MCFG comes through SYS_FWTABLES under UEFI too
        vm.wait_for(r'pcid: config access: ECAM\n', timeout=180)
        s = login_session(vm, 'root', 'redbear', '# ')
        compare(vm, s)
