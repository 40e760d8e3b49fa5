"""AHCI (user/ahcid) through driver-manager and diskd on q35: a 16 MiB
raw image whose 512-byte sector i holds a pattern derived from i, with a
GPT holding one 4 MiB partition at LBA 2048, attached as an `ide-hd` on
port 1 of q35's built-in ICH9 AHCI (00:1f.2), whose port 2 holds the
boot CD-ROM (-cdrom is ide.2), and a second 1 MiB disk on port 3.

driver-manager starts ahcid (class 01:06:01), which leaves the ATAPI
port alone, identifies the disks and serves them in port order as ahci0
and ahci1 on MSI, reads and writes as NCQ commands on 32 tags. Logged
in as root: `disk:/` lists ahci0 and ahci0p1; `sha256sum` of the whole
disk and of the partition are the host's; an aligned dd into the
partition and an unaligned write (read-modify-write across two sectors)
read back, and so do four concurrent writers; the driver is killed with SIGKILL under a running `sha256sum
disk:/ahci0`, comes back (the time to ready again is printed) and the
sum is right. At poweroff the driver is stopped (FLUSH CACHE EXT went
out with each writer's close) and the image differs from the original
exactly in the bytes written.

Without a disk the same controller says `unsupported` with its one
ATAPI port left alone, and the boot is otherwise unchanged."""
import os
import re
import tempfile
import time

from diskimg import SECTOR, gpt, image, partition_writes, sha
from qemu import boot
from test_session import login_session

SECTORS = 32768                      # 16 MiB
PART_FIRST, PART_COUNT = 2048, 8192  # 4 MiB
ADDR = '0000:00:1f.2'


def gpt_image():
    return bytes(gpt(image(SECTORS, 0x5a7a5a7a), SECTORS, PART_FIRST, PART_COUNT))


def test_ahci_read_write_partition_restart():
    orig = gpt_image()
    part = PART_FIRST * SECTOR
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'ahci.img')
        with open(path, 'wb') as f:
            f.write(orig)
        small = bytes(range(256)) * 4096  # 1 MiB
        path1 = os.path.join(tmp, 'ahci1.img')
        with open(path1, 'wb') as f:
            f.write(small)
        # -boot order=d: SeaBIOS would try the image's protective MBR first.
        extra = ['-boot', 'order=d', '-drive', 'file=%s,if=none,id=sata0,format=raw' % path,
                 '-device', 'ide-hd,drive=sata0,bus=ide.1',
                 '-drive', 'file=%s,if=none,id=sata1,format=raw' % path1,
                 '-device', 'ide-hd,drive=sata1,bus=ide.3']
        with boot('', 'ahci', smp=2, stdin=True, extra=extra) as vm:
            a = re.escape(ADDR)
            vm.wait_for(r'ahcid: %s: port 2: ATAPI \(signature 0xeb140101\); left alone' % a,
                        timeout=120)
            vm.wait_for(r'ahcid: %s: port 1: "QEMU HARDDISK", serial \S+, firmware \S+, '
                        r'NCQ 32 tags, flush' % a, timeout=60)
            m = vm.wait_for(r'ahcid: %s: ahci0 (\d+) blocks of (\d+) bytes \((\d+) MiB\), '
                            r'(.*), (\d+) partition\(s\)' % a, timeout=120)
            assert m.group(1) == str(SECTORS) and m.group(2) == '512', m.group(0)
            assert m.group(3) == '16' and m.group(5) == '1', m.group(0)
            assert m.group(4).startswith('msi '), m.group(0)
            vm.wait_for(r'ahcid: %s: ahci1 2048 blocks of 512 bytes \(1 MiB\)' % a, timeout=60,
                        from_start=True)
            m = vm.wait_for(r'driver-manager: %s: ahci ready \(msi \d+\) in (\d+) ms, pid (\d+)\n'
                            % a, timeout=60, from_start=True)
            print('ahcid: spawn to ready at boot %s ms' % m.group(1))
            pid = m.group(2)
            vm.wait_for(r'login: ', timeout=60, from_start=True)
            vm.send(b'\r')  # a fresh prompt: the driver's lines came after the first
            s = login_session(vm, 'root', 'redbear', '# ')

            out, rc = s.run('ls disk:/')
            assert rc == 0 and {'ahci0', 'ahci0p1', 'ahci1'} <= set(out.split()), out
            out, rc = s.run('sha256sum disk:/ahci1', timeout=120)
            assert rc == 0 and sha(small) in out, out
            out, rc = s.run('sha256sum disk:/ahci0', timeout=300)
            assert rc == 0 and sha(orig) in out, (out, sha(orig))
            out, rc = s.run('sha256sum disk:/ahci0p1', timeout=120)
            assert rc == 0 and sha(orig[part:part + PART_COUNT * SECTOR]) in out, out
            # Past the end of the partition: its last block, then nothing.
            out, rc = s.run('dd if=disk:/ahci0p1 bs=4096 skip=1023 count=5 | wc -c')
            assert rc == 0 and out.split()[-1:] == ['4096'], out

            # 12 KiB aligned, then 11 bytes at 506 (read-modify-write of
            # partition sectors 0 and 1); each writer's close flushes.
            want = partition_writes(s, 'ahci0', orig, part, 'hello-ahci')

            # Four writers at once (NCQ tags, each close a FLUSH that waits
            # for the queue): ahci1's 1 MiB into ahci0 at 8, 9, 10, 11 MiB.
            for k in range(4):
                want[(8 + k) << 20:(9 + k) << 20] = small
                vm.send(("sh -c 'dd if=disk:/ahci1 of=disk:/ahci0 bs=65536 seek=%d count=16 "
                         "2>/tmp/e%d; echo done > /tmp/w%d' &\r" % ((8 + k) * 16, k, k)).encode())
                vm.wait_for(r'\[\d+\]', timeout=30)
            for k in range(4):
                for _ in range(300):  # until the writer's line is there
                    out, rc = s.run('cat /tmp/w%d' % k)
                    if 'done' in out:
                        break
                assert 'done' in out, out
            out, rc = s.run('sha256sum disk:/ahci0', timeout=300)
            assert rc == 0 and sha(bytes(want)) in out, out

            # Kill the driver while a reader is at it: the reader's sum is right.
            want_sum = sha(bytes(want))
            vm.send(b'sha256sum disk:/ahci0 > /tmp/sum &\r')
            vm.wait_for(r'\[\d+\]', timeout=30)
            out, rc = s.run('kill -9 %s' % pid)
            assert rc == 0, out
            vm.wait_for(r'driver-manager: %s: ahci \(pid %s\) ended: signal 9; restart in 0 ms'
                        % (a, pid), timeout=60, from_start=True)
            m = vm.wait_for(r'driver-manager: %s: ahci ready \(msi \d+\) in (\d+) ms, '
                            r'pid (?!%s\b)(\d+)\n' % (a, pid), timeout=60, from_start=True)
            print('ahci0: driver killed, running again in %s ms (spawn to ready)' % m.group(1))
            for _ in range(300):  # the background reader: until its line is there
                out, rc = s.run('cat /tmp/sum')
                if re.search(r'[0-9a-f]{64}', out):
                    break
            assert want_sum in out, (out, want_sum)
            out, rc = s.run('sha256sum disk:/ahci1', timeout=120)
            assert rc == 0 and sha(small) in out, out
            out, rc = s.run('driver-manager --status')
            assert rc == 0 and re.search(r'^%s\s+8086:2922 ahci\s+bound \(msi \d+\)\s+\d+\s+1 '
                                         % a, out.replace('\r', ''), re.M), out

            vm.send(b'poweroff\r')
            vm.wait_for(r'ahcid: %s: SIGTERM: ports stopped, exiting 0' % a, timeout=120)
            vm.wait_for(r'driver-manager: stopped \d+ driver\(s\)', timeout=120)
            vm.wait_exit(timeout=120)
        assert 'PANIC' not in vm.output
        with open(path, 'rb') as f:
            got = f.read()
    assert len(got) == len(want)
    if got != bytes(want):
        diff = [i for i in range(0, len(got), SECTOR) if got[i:i + SECTOR] != want[i:i + SECTOR]]
        raise AssertionError('image differs in sectors %s' % diff[:20])


def test_ahci_without_disk_is_unsupported():
    with boot('', 'ahci-nodisk', smp=2) as vm:
        a = re.escape(ADDR)
        vm.wait_for(r'ahcid: %s: port 2: ATAPI \(signature 0xeb140101\); left alone' % a,
                    timeout=120)
        vm.wait_for(r'driver-manager: %s: ahci: unsupported: no SATA disk \(1 ATAPI port\(s\) '
                    r'left alone\); skipped' % a, timeout=60)
        vm.wait_for(r'login: ', timeout=60)


def test_ahci_read_error_is_eio_and_port_recovers():
    """QEMU's blkdebug fails every read of sector 1000 with EIO, which the
    emulated disk reports as an ATA error (TFES): the queued read fails,
    the port is recovered (COMRESET) and the read runs once more unqueued,
    fails again, and gives the reader an error; the reads around it still
    work, with no driver restart."""
    img = bytes(image(4096, 0x0bad0bad))  # 2 MiB
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'bad.img')
        with open(path, 'wb') as f:
            f.write(img)
        conf = os.path.join(tmp, 'blkdebug.conf')
        with open(conf, 'w') as f:
            f.write('[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "1000"\n'
                    'once = "off"\n')
        extra = ['-boot', 'order=d',
                 '-drive', 'file=blkdebug:%s:%s,if=none,id=sata0,format=raw' % (conf, path),
                 '-device', 'ide-hd,drive=sata0,bus=ide.1']
        with boot('', 'ahci-error', smp=2, stdin=True, extra=extra) as vm:
            a = re.escape(ADDR)
            vm.wait_for(r'driver-manager: %s: ahci ready' % a, timeout=120)
            vm.wait_for(r'login: ', timeout=60, from_start=True)
            vm.send(b'\r')
            s = login_session(vm, 'root', 'redbear', '# ')
            out, rc = s.run('dd if=disk:/ahci0 bs=512 count=1000 | sha256sum')
            assert rc == 0 and sha(img[:1000 * SECTOR]) in out, out
            t0 = time.monotonic()
            out, rc = s.run('dd if=disk:/ahci0 bs=512 skip=1000 count=1 | wc -c')
            print('ahci0: failed read answered in %.2f s (round trip)' % (time.monotonic() - t0))
            assert out.split()[-1:] == ['0'], out
            vm.wait_for(r'ahcid: %s: port 1: READ FPDMA QUEUED failed: IS 0x4\d+ .*; retrying '
                        r'unqueued' % a, timeout=30, from_start=True)
            m = vm.wait_for(r'ahcid: %s: port 1: READ DMA EXT failed: IS (0x[0-9a-f]+) '
                            r'TFD (0x[0-9a-f]+)' % a, timeout=30, from_start=True)
            assert int(m.group(1), 16) & (1 << 30), m.group(0)  # TFES
            out, rc = s.run('dd if=disk:/ahci0 bs=512 skip=1001 count=3095 | sha256sum')
            assert rc == 0 and sha(img[1001 * SECTOR:]) in out, out
            # The recovery left the disk clean: no other command failed.
            assert len(re.findall(r'FPDMA QUEUED failed', vm.output)) == 1, vm.output
            assert len(re.findall(r'DMA EXT failed', vm.output)) == 1, vm.output
            out, rc = s.run('driver-manager --status')
            assert rc == 0 and re.search(r'^%s\s+8086:2922 ahci\s+bound \(msi \d+\)\s+\d+\s+0 '
                                         % a, out.replace('\r', ''), re.M), out
            vm.send(b'poweroff\r')
            vm.wait_exit(timeout=120)
        assert 'PANIC' not in vm.output
