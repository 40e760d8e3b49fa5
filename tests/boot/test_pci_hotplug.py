"""Native PCIe hot-plug: QEMU's device_add/device_del into a pcie-root-port
become `add`/`remove` lines in pci:/events, driven by the port's
interrupt (docs/pcid.md, "Hotplug").

q35 in QEMU >= 6.1 hot-plugs root ports through ACPI by default (and then
clears the ports' Hot-Plug Capable bit); `-global
ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off` gives the ports native
PCIe hot-plug, which pcid serves. The test boots with two root ports,
logs in as root and, three times, adds a virtio-blk (a raw image through
drive_add) behind rp1, waits for pcid's `add` event, checks the guest's
lspci, pci:/events and QEMU's `info pci`, removes it with device_del
(QEMU presses the slot's Attention Button; pcid reports `remove`, waits
for the driver to let go and powers the slot off) and waits until it is
gone from both sides. Then a virtio-net once the same way, and an
i6300esb behind rp2, which drvtest-claim claims: the slot's power must
go off only after that driver has let go. Prints the
time from device_add to the `add` line on the serial console, and from
device_del to the `remove` line."""
import os
import re
import time

from qemu import REPO, TIMEOUT_SCALE, boot
from test_session import login_session

IMG = os.path.join(REPO, 'build', 'hotplug-test-%d.img')
NATIVE = ['-global', 'ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off']
PORTS = ['-device', 'pcie-root-port,id=rp1,chassis=1,slot=1',
         '-device', 'pcie-root-port,id=rp2,chassis=2,slot=2']


def image(i):
    path = IMG % i
    with open(path, 'wb') as f:
        f.truncate(1 << 20)
    return path


def info_pci_has(vm, bdf):
    bus, dev, fn = (int(x, 16) for x in re.split(r'[:.]', bdf))
    text = vm.monitor('info pci')
    return re.search(r'Bus\s+%d, device\s+%d, function %d:' % (bus, dev, fn), text) is not None


def wait_gone(vm, s, bdf, timeout=10):
    deadline = time.monotonic() + timeout * TIMEOUT_SCALE
    while info_pci_has(vm, bdf):
        assert time.monotonic() < deadline, '%s still in info pci' % bdf
        time.sleep(0.1)
    out, rc = s.run('lspci -n')
    assert rc == 0 and bdf not in out, out
    out, rc = s.run('cat pci:/events')
    assert rc == 0 and ('add 0000:' + bdf) not in out, out


def plug(vm, s, device, vendor_device):
    """device_add; the function's address, after checking it everywhere;
    returns (bdf, seconds to the add line)."""
    t0 = time.monotonic()
    out = vm.monitor('device_add ' + device)
    assert 'Error' not in out and 'error' not in out, out
    m = vm.wait_for(r'pcid: event: add 0000:([0-9a-f]{2}:00\.0)\n', timeout=10)
    dt = time.monotonic() - t0
    bdf = m.group(1)
    out, rc = s.run('lspci -n -s %s' % bdf)
    assert rc == 0 and re.search(r'%s \w{4}: %s' % (re.escape(bdf), vendor_device), out), out
    out, rc = s.run('cat pci:/events')
    assert rc == 0 and 'add 0000:%s' % bdf in out, out
    assert info_pci_has(vm, bdf)
    return bdf, dt


def unplug(vm, s, dev_id, bdf):
    t0 = time.monotonic()
    out = vm.monitor('device_del ' + dev_id)
    assert 'rror' not in out, out
    vm.wait_for(r'pcid: event: remove 0000:%s\n' % re.escape(bdf), timeout=10)
    dt = time.monotonic() - t0
    vm.wait_for(r'pcid: hotplug: \S+: slot power off\n', timeout=20)
    wait_gone(vm, s, bdf)
    return dt


def test_native_pcie_hotplug():
    extra = NATIVE + PORTS
    with boot('', 'pci-hotplug', smp=2, stdin=True, monitor=True, extra=extra) as vm:
        vm.wait_for(r'pcid: hotplug: 2 hot-plug capable slot\(s\)', timeout=120)
        # two ports; the INTx route waits for acpid
        vm.wait_for(r'pcid: hotplug: \S+: slot \d+, interrupts on', timeout=60)
        vm.wait_for(r'pcid: hotplug: \S+: slot \d+, interrupts on', timeout=60)
        s = login_session(vm, 'root', 'redbear', '# ')
        times = []
        for i in range(3):
            img = image(i)
            out = vm.monitor('drive_add 0 if=none,id=hpd%d,file=%s,format=raw' % (i, img))
            assert 'OK' in out, out
            bdf, t_add = plug(vm, s, 'virtio-blk-pci,drive=hpd%d,bus=rp1,id=hp%d' % (i, i),
                              '1af4:')
            t_del = unplug(vm, s, 'hp%d' % i, bdf)
            times.append((bdf, t_add, t_del))
        bdf, t_add = plug(vm, s, 'virtio-net-pci,bus=rp1,id=hpn', '1af4:')
        t_del = unplug(vm, s, 'hpn', bdf)
        times.append((bdf, t_add, t_del))
        # a function with a driver holding its claim (drvtest-claim on the
        # i6300esb, behind rp2): the eject waits for the claim to end
        # before the power goes off
        bdf, t_add = plug(vm, s, 'i6300esb,bus=rp2,id=hpw', '8086:25ab')
        vm.wait_for(r'drvtest: 0000:%s: claimed' % re.escape(bdf), timeout=30, from_start=True)
        t_del = unplug(vm, s, 'hpw', bdf)
        log = vm.output
        i_rel = log.rindex('drvtest: 0000:%s: releasing the claim' % bdf)
        i_off = log.rindex('slot power off')
        assert i_rel < i_off, 'power went off before the driver let go'
        assert re.search(r'pcid: hotplug: \S+: released after \d+ ms', log[i_rel:]), log[i_rel:]
        times.append((bdf, t_add, t_del))
        print()
        for bdf, t_add, t_del in times:
            print('hotplug %s: device_add -> add line %.0f ms, device_del -> remove line %.0f ms'
                  % (bdf, t_add * 1000, t_del * 1000))
        for bdf, t_add, t_del in times:
            # within a second (TCG on a loaded host: the usual scale)
            assert t_add < 1.0 * TIMEOUT_SCALE and t_del < 1.0 * TIMEOUT_SCALE, times
        # the port's own interrupt, as pcid took it through irq.c
        port = vm.wait_for(r'pcid: hotplug: 0000:(\S+): slot 1, interrupts on',
                           from_start=True).group(1)
        out, rc = s.run('lspci -v -s %s' % port)
        print(out)
        assert rc == 0 and re.search(r'Interrupt in use: (msi|msix|intx) ', out), out
