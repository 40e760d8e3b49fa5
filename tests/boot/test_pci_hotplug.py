"""PCI hot-plug: QEMU's device_add/device_del into a pcie-root-port
become `add`/`remove` lines in pci:/events and start and stop the
drivers, driven by events, never by polling (docs/pcid.md, "Hotplug" and
"ACPI hot-plug"; docs/acpid.md, "PCI hot-plug").

q35 in QEMU >= 6.1 hot-plugs root ports through ACPI by default: a GPE
whose method sends Notify(slot, 1) or Notify(slot, 3), and the slot's
_EJ0 to let the device go. test_acpi_pci_hotplug boots that way; acpid
asks pcid (pci:/hotplug) to rescan the root port or to eject the slot,
then runs _EJ0. `-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off`
gives the ports native PCIe hot-plug instead, which pcid serves from the
ports' interrupts: test_native_pcie_hotplug.

Both boot with two root ports, log in as root and, three times, add a
virtio-blk (a raw image through drive_add) behind rp1, wait for pcid's
`add` event, check the guest's lspci, pci:/events and QEMU's `info pci`,
remove it with device_del and wait until it is gone from both sides.
Then a virtio-net once the same way, and an i6300esb behind rp2, which
drvtest-claim claims: the slot's power must go off (native) or its _EJ0
run (ACPI) only after that driver has let go.

pcid assigns the hot-added function's BARs in the root port's windows
before its `add` line (docs/pcid.md, "BAR assignment"), so the drivers
work: each virtio-blk cycle waits for virtio-blkd's `virtioN ... sectors`
line and driver-manager's `ready`, lists `disk:/`, reads the whole disk
in the guest (`sha256sum disk:/virtioN` against the pattern written into
the image on the host), and after device_del checks the driver's process
is gone (`ps`), the disk is gone from `disk:/` and its row from
`driver-manager --status`. The virtio-net comes up as net:/eth0 and goes
the same way. Native only, last: a pci-testdev whose 8 MiB BAR fits no
window of rp2: pcid says so, lists it, and refuses a claim (irqtest:
`claim: ENOSPC`).
Prints the time from device_add to the `add` line on the serial console
and to the driver's ready line, and from device_del to the `remove`
line and to the device being let go of (slot power off / _EJ0 done)."""
import os
import re
import time

from diskimg import image as pattern_image
from diskimg import sha
from qemu import REPO, TIMEOUT_SCALE, boot
from test_session import login_session

IMG = os.path.join(REPO, 'build', 'hotplug-test-%d.img')
NATIVE = ['-global', 'ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off']
PORTS = ['-device', 'pcie-root-port,id=rp1,chassis=1,slot=1',
         '-device', 'pcie-root-port,id=rp2,chassis=2,slot=2']


SECTORS = 2048  # 1 MiB


def image(i):
    """A 1 MiB image of the diskimg pattern (salt i); (path, its sha256)."""
    path = IMG % i
    data = pattern_image(SECTORS, 0x5eed0000 + i)
    with open(path, 'wb') as f:
        f.write(data)
    return path, sha(data)


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


def until(what, check, timeout=10):
    """Poll check() (a guest command each time) until it is true; the
    guest's state after the driver ends settles a moment later (reaping,
    diskd noticing the closed registration)."""
    deadline = time.monotonic() + timeout * TIMEOUT_SCALE
    while True:
        ok, last = check()
        if ok:
            return
        assert time.monotonic() < deadline, '%s: %s' % (what, last)
        time.sleep(0.1)


def plug(vm, s, device, vendor_device, driver=None):
    """device_add; the function's address, after checking it everywhere;
    returns (bdf, seconds to the add line, seconds to the driver's ready
    line or None, the driver's pid or None, the serial text since
    device_add).
    driver: the driver-manager rule name expected to come up."""
    start = len(vm.output)
    t0 = time.monotonic()
    out = vm.monitor('device_add ' + device)
    assert 'Error' not in out and 'error' not in out, out
    m = vm.wait_for(r'pcid: event: add 0000:([0-9a-f]{2}:00\.0)\n', timeout=10)
    dt = time.monotonic() - t0
    bdf = m.group(1)
    mark = m.start()
    # the BARs were placed before the add line
    assert re.search(r'pcid: 0000:%s: BARs assigned behind \S+:( \d+:0x[0-9a-f]+)+\n'
                     % re.escape(bdf), vm.output[start:m.end()]), vm.output[start:]
    t_ready = pid = None
    if driver:
        r = vm.wait_for(r'driver-manager: 0000:%s: %s ready \((\S+) [^)]*\) in (\d+) ms, '
                        r'pid (\d+)\n' % (re.escape(bdf), driver), timeout=30)
        t_ready = time.monotonic() - t0
        pid = r.group(3)
        vm.pos = mark  # back to the add line: the driver's own line came before
        vm.wait_for(r'driver-manager: 0000:%s: %s ready' % (re.escape(bdf), driver))
    out, rc = s.run('lspci -n -s %s' % bdf)
    assert rc == 0 and re.search(r'%s \w{4}: %s' % (re.escape(bdf), vendor_device), out), out
    out, rc = s.run('cat pci:/events')
    assert rc == 0 and 'add 0000:%s' % bdf in out, out
    assert info_pci_has(vm, bdf)
    out, rc = s.run('cat pci:/0000:%s/bars' % bdf)
    assert rc == 0 and re.search(r'mem(32|64) 0x[1-9a-f]', out), out
    return bdf, dt, t_ready, pid, vm.output[start:]


# the line that says the device was let go of: native hot-plug powers the
# slot off, ACPI hot-plug (acpid) evaluates the slot's _EJ0
NATIVE_DONE = r'pcid: hotplug: \S+: slot power off\n'
ACPI_DONE = (r'acpid: hotplug: \\\S+: eject request: 0000:\S+ slot \d+: '
             r'ejected in \d+ ms\n')


def unplug(vm, s, dev_id, bdf, driver=None, pid=None, done=NATIVE_DONE):
    """device_del; seconds to the remove line and to the line done (the
    device let go of). With a driver: its process is stopped and gone,
    its row gone from driver-manager --status."""
    t0 = time.monotonic()
    out = vm.monitor('device_del ' + dev_id)
    assert 'rror' not in out, out
    vm.wait_for(r'pcid: event: remove 0000:%s\n' % re.escape(bdf), timeout=10)
    dt = time.monotonic() - t0
    if driver:
        vm.wait_for(r'driver-manager: 0000:%s: removed; stopping %s \(pid %s\)'
                    % (re.escape(bdf), driver, pid), timeout=10)
    vm.wait_for(done, timeout=20)
    t_gone = time.monotonic() - t0
    wait_gone(vm, s, bdf)
    if driver:
        def no_proc():
            out, rc = s.run('ps')
            assert rc == 0, out
            return not re.search(r'^\s*%s\s' % pid, out, re.M), out
        until('driver pid %s still running' % pid, no_proc)
        out, rc = s.run('driver-manager --status')
        assert rc == 0 and ('0000:' + bdf) not in out, out
    return dt, t_gone


def cycles(vm, s, done):
    """Three virtio-blk add/read/del cycles behind rp1, then a virtio-net;
    the times of each as (what, add line, driver ready, remove line,
    let go)."""
    times = []
    for i in range(3):
        img, want = image(i)
        out = vm.monitor('drive_add 0 if=none,id=hpd%d,file=%s,format=raw' % (i, img))
        assert 'OK' in out, out
        bdf, t_add, t_ready, pid, since = plug(
            vm, s, 'virtio-blk-pci,drive=hpd%d,bus=rp1,id=hp%d' % (i, i), '1af4:',
            driver='virtio-blk')
        m = re.search(r'virtio-blkd: 0000:%s: (virtio\d+) (\d+) sectors'
                      % re.escape(bdf), since)
        assert m and int(m.group(2)) == SECTORS, since
        disk = m.group(1)
        out, rc = s.run('ls disk:/')
        assert rc == 0 and re.search(r'\b%s\b' % disk, out), out
        out, rc = s.run('driver-manager --status')
        assert rc == 0 and re.search(r'0000:%s\s+1af4:1042 virtio-blk\s+bound'
                                     % re.escape(bdf), out), out
        out, rc = s.run('sha256sum disk:/%s' % disk, timeout=120)
        assert rc == 0 and want in out, (out, want)
        t_del, t_gone = unplug(vm, s, 'hp%d' % i, bdf, driver='virtio-blk', pid=pid,
                               done=done)

        def no_disk():
            out, rc = s.run('ls disk:/')
            return rc == 0 and not re.search(r'\b%s\b' % disk, out), out
        until('%s still in disk:/' % disk, no_disk)
        times.append(('virtio-blk ' + disk, t_add, t_ready, t_del, t_gone))
    bdf, t_add, t_ready, pid, since = plug(vm, s, 'virtio-net-pci,bus=rp1,id=hpn', '1af4:',
                                           driver='virtio-net')
    assert re.search(r'virtio-netd: 0000:%s: eth0 ' % re.escape(bdf), since), since
    out, rc = s.run('ls net:/; cat net:/eth0/mac')
    assert rc == 0 and 'eth0' in out and re.search(r'52:54:00(:[0-9a-f]{2}){3}', out), out
    t_del, t_gone = unplug(vm, s, 'hpn', bdf, driver='virtio-net', pid=pid, done=done)

    def no_net():
        out, rc = s.run('ls net:/')
        return rc != 0 or 'eth0' not in out, out
    until('net:/eth0 still served', no_net)
    times.append(('virtio-net', t_add, t_ready, t_del, t_gone))
    return times


def claimed_eject(vm, s, done):
    """An i6300esb behind rp2, which drvtest-claim claims: the eject (done)
    must come only after that driver let go."""
    bdf, t_add, _, _, _ = plug(vm, s, 'i6300esb,bus=rp2,id=hpw', '8086:25ab')
    vm.wait_for(r'drvtest: 0000:%s: claimed' % re.escape(bdf), timeout=30, from_start=True)
    t_del, t_gone = unplug(vm, s, 'hpw', bdf, done=done)
    log = vm.output
    i_rel = log.rindex('drvtest: 0000:%s: releasing the claim' % bdf)
    i_done = [m.start() for m in re.finditer(done, log)][-1]
    assert i_rel < i_done, 'the device was let go of before the driver let go'
    return ('i6300esb', t_add, None, t_del, t_gone)


def print_times(times):
    print()
    for what, t_add, t_ready, t_del, t_gone in times:
        ready = ', -> driver ready %.0f ms' % (t_ready * 1000) if t_ready else ''
        print('hotplug %s: device_add -> add line %.0f ms%s, device_del -> remove line '
              '%.0f ms, -> gone %.0f ms'
              % (what, t_add * 1000, ready, t_del * 1000, t_gone * 1000))


def test_native_pcie_hotplug():
    extra = NATIVE + PORTS
    with boot('', 'pci-hotplug', smp=2, stdin=True, monitor=True, extra=extra) as vm:
        vm.wait_for(r'pcid: hotplug: 2 hot-plug capable slot\(s\)', timeout=120)
        # two ports; the INTx route waits for acpid
        vm.wait_for(r'pcid: hotplug: \S+: slot \d+, interrupts on', timeout=60)
        vm.wait_for(r'pcid: hotplug: \S+: slot \d+, interrupts on', timeout=60)
        # pcid's lines may have landed on the login prompt's line: an empty
        # name makes getty prompt again, on a line of its own
        vm.wait_for(r'redbear login: ', timeout=120, from_start=True)
        vm.send(b'\r')
        s = login_session(vm, 'root', 'redbear', '# ')
        times = cycles(vm, s, NATIVE_DONE)
        # a function with a driver holding its claim (drvtest-claim on the
        # i6300esb, behind rp2): the eject waits for the claim to end
        # before the power goes off
        times.append(claimed_eject(vm, s, NATIVE_DONE))
        log = vm.output
        assert re.search(r'pcid: hotplug: \S+: released after \d+ ms',
                         log[log.rindex('drvtest: 0000:'):]), log[-2000:]
        # a BAR bigger than the port's windows (SeaBIOS: 2 MiB each): the
        # function is listed, the BAR is reported, and a claim is refused
        bdf, t_add, _, _, since = plug(vm, s, 'pci-testdev,membar=8M,bus=rp2,id=hpt',
                                       '1b36:0005')
        assert re.search(r'pcid: 0000:%s: BAR 2 \(mem64, 0x800000 bytes\) behind \S+: '
                         r'does not fit; claims refused' % re.escape(bdf),
                         since), since
        out, rc = s.run('irqtest 0000:%s' % bdf)
        assert rc != 0 and 'claim: ENOSPC' in out, out
        unplug(vm, s, 'hpt', bdf)
        print_times(times)
        # the port's own interrupt, as pcid took it through irq.c
        port = vm.wait_for(r'pcid: hotplug: 0000:(\S+): slot 1, interrupts on',
                           from_start=True).group(1)
        out, rc = s.run('lspci -v -s %s' % port)
        print(out)
        assert rc == 0 and re.search(r'Interrupt in use: (msi|msix|intx) ', out), out


def test_acpi_pci_hotplug():
    """QEMU's default for q35 (no -global): device_add/device_del raise GPE
    1, whose method sends Notify(slot, 1) or Notify(slot, 3); acpid has
    pcid rescan the root port, or eject the slot and then runs its _EJ0
    (docs/acpid.md, "PCI hot-plug")."""
    with boot('', 'pci-acpihp', smp=2, stdin=True, monitor=True, extra=PORTS) as vm:
        vm.wait_for(r'acpid: power button on; \d+ of \d+ GPEs have methods', timeout=120)
        vm.wait_for(r'redbear login: ', timeout=120, from_start=True)
        vm.send(b'\r')
        s = login_session(vm, 'root', 'redbear', '# ')
        times = cycles(vm, s, ACPI_DONE)
        times.append(claimed_eject(vm, s, ACPI_DONE))
        log = vm.output
        assert re.search(r'pcid: hotplug: \S+ slot 0: ACPI eject: 1 removed, released after '
                         r'\d+ ms', log[log.rindex('drvtest: 0000:'):]), log[-2000:]
        # every add went through acpid's device check, every del through its eject
        assert len(re.findall(r'acpid: hotplug: \\\S+: device check: 0000:\S+: rescan: '
                              r'1 added', log)) == 5, log
        assert len(re.findall(ACPI_DONE, log)) == 5, log
        # pcid arms the empty root ports' native hot-plug too, but under
        # ACPI hot-plug their slots never report an event
        assert not re.search(r'pcid: hotplug: \S+: events ', log), log
        print_times(times)
