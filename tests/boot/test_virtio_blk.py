"""virtio-blk (user/virtio-blkd) through driver-manager and diskd on q35:
a 16 MiB raw image whose 512-byte sector i holds a pattern derived from
i, with a GPT (written here, by hand: UEFI 2.x §5.3) holding one 4 MiB
partition at LBA 2048.

driver-manager starts virtio-blkd for each of three functions: the
transitional one becomes virtio0 (ready on MSI-X, one partition), a
modern-only one (1af4:1042) virtio1, and a legacy-only one is refused
(`unsupported`, skipped with one line). Logged in as root: `disk:/` (diskd)
lists virtio0, virtio0p1 and virtio1; `sha256sum disk:/virtio0` is the
host's; reads past the end are short or 0; writes to the partition (an
aligned dd with seek=, an unaligned echo that needs read-modify-write, and
6 bytes straddling two sectors) read back as expected.

Restart: virtio0's driver is killed with SIGKILL while `sha256sum
disk:/virtio0` reads it; driver-manager restarts it (the time to ready
is printed), diskd repeats the interrupted call, and the sum is right.
diskd itself is killed: init restarts it, both drivers register their
disks again (the time is printed) and virtio0 reads right. With pcid's fault injection (`fail_msi=`) virtio1's driver is killed
and comes back on INTx, and `driver-manager --status` says so. At
poweroff the image differs from the original exactly in the bytes
written."""
import os
import re
import tempfile

from diskimg import SECTOR, gpt, image, sha
from qemu import boot
from test_session import login_session

SECTORS = 32768                 # 16 MiB
PART_FIRST, PART_COUNT = 2048, 8192  # 4 MiB
ADDR = '0000:00:05.0'
MODERN = '0000:00:06.0'
LEGACY = '0000:00:07.0'



def gpt_image():
    return bytes(gpt(image(SECTORS, 0x5ec7a5a5), SECTORS, PART_FIRST, PART_COUNT))


def test_virtio_blk_read_write_partitions():
    orig = gpt_image()
    # The expected image after the guest's writes (byte offsets on the disk).
    part = PART_FIRST * SECTOR
    src = 1000 * 4096
    want = bytearray(orig)
    want[part + 4096:part + 16384] = orig[src:src + 12288]
    hello = b'hello-virtio\n'
    want[part:part + len(hello)] = hello
    want[part + 510:part + 516] = b'ABCDEF'
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'disk.img')
        with open(path, 'wb') as f:
            f.write(orig)
        small = bytes(range(256)) * 4096  # 1 MiB
        path1, path2 = os.path.join(tmp, 'modern.img'), os.path.join(tmp, 'legacy.img')
        for p in (path1, path2):
            with open(p, 'wb') as f:
                f.write(small)
        # -boot order=d: SeaBIOS would try the image's protective MBR first.
        extra = ['-boot', 'order=d', '-drive', 'file=%s,if=none,id=d0,format=raw' % path,
                 '-device', 'virtio-blk-pci,drive=d0,addr=05.0',
                 '-drive', 'file=%s,if=none,id=d1,format=raw' % path1,
                 '-device', 'virtio-blk-pci,drive=d1,addr=06.0,disable-legacy=on',
                 '-drive', 'file=%s,if=none,id=d2,format=raw' % path2,
                 '-device', 'virtio-blk-pci,drive=d2,addr=07.0,disable-modern=on']
        with boot('', 'virtio-blk', smp=2, stdin=True, extra=extra) as vm:
            m = vm.wait_for(r'virtio-blkd: %s: virtio0 (\d+) sectors \((\d+) MiB\), (.*), '
                            r'(\d+) partition\(s\)' % re.escape(ADDR), timeout=120)
            assert m.group(1) == str(SECTORS) and m.group(2) == '16', m.group(0)
            assert m.group(3).startswith('msix '), m.group(0)
            assert m.group(4) == '1', m.group(0)
            m = vm.wait_for(r'driver-manager: %s: virtio-blk ready \(msix \d+\) in \d+ ms, '
                            r'pid (\d+)\n' % re.escape(ADDR), timeout=60, from_start=True)
            pid0 = m.group(1)
            vm.wait_for(r'virtio-blkd: %s: virtio1 2048 sectors \(1 MiB\)' % re.escape(MODERN),
                        timeout=60, from_start=True)
            vm.wait_for(r'driver-manager: %s: virtio-blk: unsupported: legacy-only virtio device'
                        r' \(no modern interface\); skipped' % re.escape(LEGACY), timeout=60,
                        from_start=True)
            vm.wait_for(r'login: ', timeout=60, from_start=True)
            vm.send(b'\r')  # a fresh prompt: the drivers' lines came after the first
            s = login_session(vm, 'root', 'redbear', '# ')

            out, rc = s.run('ls disk:/')
            assert rc == 0, out
            assert {'virtio0', 'virtio0p1', 'virtio1'} <= set(out.split()), out
            out, rc = s.run('sha256sum disk:/virtio0', timeout=300)
            assert rc == 0 and sha(orig) in out, (out, sha(orig))
            out, rc = s.run('sha256sum disk:/virtio0p1', timeout=120)
            assert rc == 0 and sha(orig[part:part + PART_COUNT * SECTOR]) in out, out
            out, rc = s.run('sha256sum disk:/virtio1', timeout=120)
            assert rc == 0 and sha(small) in out, out

            # Past the end: the partition's last block, then nothing.
            out, rc = s.run('dd if=disk:/virtio0p1 bs=4096 skip=1023 count=5 | wc -c')
            assert rc == 0 and out.split()[-1:] == ['4096'], out
            out, rc = s.run('dd if=disk:/virtio0 bs=1000 skip=16777 count=2 | wc -c')
            assert rc == 0 and out.split()[-1:] == ['216'], out
            # Unaligned reads are answered from the driver's DMA area with the
            # answer's header just before the bytes: in the sector's skipped
            # bytes (440 or 416 bytes into the sector) or in the area's headroom (16).
            for bs, skip in ((1000, 3), (4100, 4), (300000, 3)):
                at = bs * skip
                out, rc = s.run('dd if=disk:/virtio0 bs=%d skip=%d count=2 | sha256sum'
                                % (bs, skip))
                assert rc == 0 and sha(orig[at:at + 2 * bs]) in out, (bs, skip, out)

            # Writes: aligned (dd seek= calls ftruncate, a no-op here) and
            # unaligned (echo: 13 bytes into sector 0, read-modify-write).
            out, rc = s.run('dd if=disk:/virtio0 of=disk:/virtio0p1 bs=4096 skip=1000 '
                            'seek=1 count=3')
            assert rc == 0, out
            out, rc = s.run('echo hello-virtio > disk:/virtio0p1')
            assert rc == 0, out
            # 6 bytes at 510: one write straddling two partial sectors.
            out, rc = s.run('echo -n ABCDEF > /tmp/x; '
                            'dd if=/tmp/x of=disk:/virtio0p1 bs=6 seek=85')
            assert rc == 0 and '6 bytes copied' in out, out
            out, rc = s.run('dd if=disk:/virtio0p1 bs=4096 count=5 | sha256sum')
            assert rc == 0 and sha(bytes(want[part:part + 5 * 4096])) in out, out
            out, rc = s.run('dd if=disk:/virtio0 bs=512 skip=2048 count=1 | head -c 13')
            assert rc == 0 and 'hello-virtio' in out, out

            # Kill virtio0's driver while a reader is at it: the reader's sum is right.
            want_sum = sha(bytes(want))
            vm.send(b'sha256sum disk:/virtio0 > /tmp/sum &\r')
            vm.wait_for(r'\[\d+\]', timeout=30)
            out, rc = s.run('kill -9 %s' % pid0)
            assert rc == 0, out
            vm.wait_for(r'driver-manager: %s: virtio-blk \(pid %s\) ended: signal 9; restart '
                        r'in 0 ms' % (re.escape(ADDR), pid0), timeout=60, from_start=True)
            m = vm.wait_for(r'driver-manager: %s: virtio-blk ready \(msix \d+\) in (\d+) ms, '
                            r'pid (?!%s\b)(\d+)\n' % (re.escape(ADDR), pid0), timeout=60,
                            from_start=True)
            print('virtio0: driver killed, running again in %s ms (spawn to ready)'
                  % m.group(1))
            for _ in range(300):  # the background reader: until its line is there
                out, rc = s.run('cat /tmp/sum')
                if re.search(r'[0-9a-f]{64}', out):
                    break
            assert want_sum in out, (out, want_sum)

            # Kill diskd: init restarts it with an empty registry, and both
            # drivers register their disks again by themselves.
            out, rc = s.run('cat init:/services')
            m = re.search(r'^diskd ready (\d+) ', out.replace('\r', ''), re.M)
            assert rc == 0 and m, out
            out, rc = s.run('kill -9 %s' % m.group(1))
            assert rc == 0, out
            for name in ('virtio0', 'virtio1'):
                m = vm.wait_for(r'virtio-blkd: \S+: registered %s again with diskd after (\d+) '
                                r'ms' % name, timeout=60, from_start=True)
                print('diskd killed: %s registered again after %s ms' % (name, m.group(1)))
            out, rc = s.run('ls disk:/; sha256sum disk:/virtio0')
            assert rc == 0 and {'virtio0', 'virtio0p1', 'virtio1'} <= set(out.split()), out
            assert want_sum in out, (out, want_sum)

            # virtio1 comes back on INTx when MSI fails (pcid's fault injection).
            out, rc = s.run('driver-manager --status')
            m = re.search(r'^%s\s+1af4:1042 virtio-blk\s+bound \(msix \d+\)\s+(\d+)\s+0 '
                          % re.escape(MODERN), out.replace('\r', ''), re.M)
            assert rc == 0 and m, out
            _, rc = s.run('echo fail_msi=%s > /etc/pcid.conf; kill -9 %s' % (MODERN, m.group(1)))
            assert rc == 0
            vm.wait_for(r'driver-manager: %s: virtio-blk ready \(intx \d+ level \w+\)'
                        % re.escape(MODERN), timeout=60, from_start=True)
            out, rc = s.run('rm /etc/pcid.conf; sha256sum disk:/virtio1; driver-manager --status')
            assert rc == 0 and sha(small) in out, out
            assert re.search(r'^%s\s+1af4:1042 virtio-blk\s+bound \(intx \d+ level \w+\)'
                             % re.escape(MODERN), out.replace('\r', ''), re.M), out
            assert re.search(r'^%s\s+1af4:1001 virtio-blk\s+skipped: unsupported'
                             % re.escape(LEGACY), out.replace('\r', ''), re.M), out
            vm.send(b'poweroff\r')
            vm.wait_for(r'driver-manager: stopped 3 driver\(s\)', timeout=120)  # and ps2d
            vm.wait_exit(timeout=120)
        assert 'PANIC' not in vm.output
        with open(path, 'rb') as f:
            got = f.read()
    assert len(got) == len(want)
    if got != bytes(want):
        diff = [i for i in range(0, len(got), SECTOR) if got[i:i + SECTOR] != want[i:i + SECTOR]]
        raise AssertionError('image differs in sectors %s' % diff[:20])
