"""Every driver type at once (the plans' P19-1, short version): q35, 4
CPUs, two virtio-blk disks, an NVMe disk and a SATA disk on the ICH9
AHCI with known patterns, a virtio-net NIC and a USB keyboard on xHCI.
Concurrent whole-disk readers on all four disks through diskd and ARP
requests on the NIC while virtio0's driver is killed twice (SIGKILL), the
NVMe and AHCI drivers once, each restarted by driver-manager. Every
reader's sha256 must be the image's: no data error, no hang, no panic.
A kbench disk run (preads, which go straight to the driver through
diskd's forward, and fall back to diskd while a driver restarts) must
end with no failed call;
afterwards every driver is bound and the NIC answers. How many ARP
replies came during the storm is printed, not asserted (each waits at
most 2 s). REDBEAR_DISK_STRESS_ROUNDS (default 1) repeats the
reader-and-kill round for a longer run."""
import os
import re
import tempfile

from diskimg import image, sha
from qemu import boot
from test_session import login_session

ROUNDS = int(os.environ.get('REDBEAR_DISK_STRESS_ROUNDS', '1'))
READERS = 3  # per disk


def back_again(vm, addr, name, pid):
    """Wait until the driver killed as pid has been restarted and is
    ready: its spawn-to-ready ms. Matched from the log's start (s.run may
    have read past the lines), so by the new pid: any earlier ready line
    of the function has some other pid than the killed one too."""
    a = re.escape(addr)
    m = vm.wait_for(r'%s: %s \(pid %s\) ended: signal 9; restart in \d+ ms\r?\n(?:.*\n)*?'
                    r'.*%s: %s restarted \(pid (\d+)\)' % (a, name, pid, a, name),
                    timeout=60, from_start=True)
    m = vm.wait_for(r'%s: %s ready \([^)]*\) in (\d+) ms, pid %s\b' % (a, name, m.group(1)),
                    timeout=60, from_start=True)
    return m.group(1)


def kill_and_wait(vm, s, addr, ident, name):
    """SIGKILL the driver bound to addr (its status row's id ident): the
    spawn-to-ready ms of its restart."""
    out, rc = s.run('driver-manager --status')
    m = re.search(r'^%s\s+%s %s\s+bound \([^)]*\)\s+(\d+)' % (re.escape(addr), ident, name),
                  out.replace('\r', ''), re.M)
    assert rc == 0 and m, out
    pid = m.group(1)
    s.run('kill -9 %s' % pid)
    return back_again(vm, addr, name, pid)


def test_concurrent_reads_survive_driver_kills():
    imgs = [image(8192, 0x11110000), image(8192, 0x22220000),
            image(8192, 0x33330000), image(8192, 0x44440000)]  # 4 MiB each
    disks = ['virtio0', 'virtio1', 'ahci0', 'nvme0n1']
    sums = [sha(b) for b in imgs]
    with tempfile.TemporaryDirectory() as tmp:
        extra = ['-boot', 'order=d']
        for i, b in enumerate(imgs):
            p = os.path.join(tmp, 'd%d.img' % i)
            with open(p, 'wb') as f:
                f.write(b)
            extra += ['-drive', 'file=%s,if=none,id=d%d,format=raw' % (p, i)]
            if disks[i].startswith('ahci'):  # port 1 of the built-in ICH9 AHCI
                extra += ['-device', 'ide-hd,drive=d%d,bus=ide.1' % i]
            elif disks[i].startswith('nvme'):
                extra += ['-device', 'nvme,serial=st0,drive=d%d,addr=07.0' % i]
            else:
                extra += ['-device', 'virtio-blk-pci,drive=d%d,addr=0%d.0' % (i, 5 + i)]
        extra += ['-netdev', 'user,id=n0', '-device', 'virtio-net-pci,netdev=n0,addr=08.0',
                  '-device', 'qemu-xhci,id=xhci,addr=09.0', '-device', 'usb-kbd,bus=xhci.0']
        with boot('', 'disk-stress', smp=4, stdin=True, extra=extra) as vm:
            for i in range(2):
                vm.wait_for(r'driver-manager: 0000:00:0%d\.0: virtio-blk ready' % (5 + i),
                            timeout=120, from_start=True)
            for addr, name in (('1f.2', 'ahci'), ('07.0', 'nvme'), ('08.0', 'virtio-net'),
                               ('09.0', 'xhci')):
                vm.wait_for(r'driver-manager: 0000:00:%s: %s ready' % (re.escape(addr), name),
                            timeout=120, from_start=True)
            vm.wait_for(r'login: ', timeout=60, from_start=True)
            vm.send(b'\r')
            s = login_session(vm, 'root', 'redbear', '# ')
            for r in range(ROUNDS):
                for d in range(len(disks)):
                    for k in range(READERS):
                        vm.send(('sha256sum disk:/%s > /tmp/s%d%d%d &\r'
                                 % (disks[d], r, d, k)).encode())
                        vm.wait_for(r'\[\d+\]', timeout=30)
                vm.send(('sh -c "arping -c 20 10.0.2.2; echo ARP-DONE" > /tmp/arp%d &\r'
                         % r).encode())
                vm.wait_for(r'\[\d+\]', timeout=30)
                # pread and 1 MiB reads, which diskd forwards to the driver's node
                # (RB_ANS_FWD): across the kills they fall back to diskd, which
                # waits for the restarted driver. No call may fail.
                vm.send(('kbench disk mib=4 ops=3000 threads=4 virtio=disk:/virtio0 '
                         'ahci=disk:/ahci0 nvme=disk:/nvme0n1 > /tmp/kb%d 2>&1 &\r' % r).encode())
                vm.wait_for(r'\[\d+\]', timeout=30)
                for kill in range(2):
                    ms = kill_and_wait(vm, s, '0000:00:05.0', '1af4:1001', 'virtio-blk')
                    print('round %d kill %d: virtio0 back in %s ms' % (r, kill, ms))
                ms = kill_and_wait(vm, s, '0000:00:1f.2', '8086:2922', 'ahci')
                print('round %d: ahci0 back in %s ms' % (r, ms))
                ms = kill_and_wait(vm, s, '0000:00:07.0', '1b36:0010', 'nvme')
                print('round %d: nvme0n1 back in %s ms' % (r, ms))
                for d in range(len(disks)):
                    for k in range(READERS):
                        for _ in range(600):  # until the reader's line is there
                            out, rc = s.run('cat /tmp/s%d%d%d' % (r, d, k))
                            if re.search(r'[0-9a-f]{64}', out):
                                break
                        assert sums[d] in out, (r, d, k, out)
                for _ in range(600):  # until kbench is done
                    out, rc = s.run('cat /tmp/kb%d' % r)
                    if 'bench: disk done' in out:
                        break
                assert 'bench: disk done\n' in out.replace('\r', ''), (r, out)
                for _ in range(600):  # until arping is done: 20 requests, 2 s each at most
                    out, rc = s.run('cat /tmp/arp%d' % r)
                    if re.search(r'(^|\n)ARP-DONE\n', out):
                        break
                print('round %d: %d of 20 ARP replies during the storm'
                      % (r, len(re.findall(r'reply from 10\.0\.2\.2', out))))
            out, rc = s.run('driver-manager --status')
            assert rc == 0 and len(re.findall(r'virtio-blk\s+bound ', out)) == 2, out
            for name in ('ahci', 'nvme', 'virtio-net', 'xhci'):
                assert len(re.findall(r'%s\s+bound ' % name, out)) == 1, (name, out)
            out, rc = s.run('arping -c 3 10.0.2.2', timeout=60)
            assert rc == 0 and len(re.findall(r'reply from 10\.0\.2\.2', out)) == 3, out
            vm.send(b'poweroff\r')
            vm.wait_exit(timeout=120)
    assert 'PANIC' not in vm.output
