"""NVMe (user/nvme) through driver-manager and diskd on q35: an 8 MiB
raw image whose 512-byte sector i holds a pattern derived from i, with an
MBR holding one 4 MiB partition (type 0x83) at LBA 2048, attached as
`-device nvme`.

driver-manager starts the nvme driver (class 01:08:02), which resets the
controller, identifies namespace 1 and serves it as nvme0n1 on MSI-X.
Logged in as root: `disk:/` lists nvme0n1 and nvme0n1p1;
`sha256sum disk:/nvme0n1` and `disk:/nvme0n1p1` are the host's; an
aligned dd into the partition (12 KiB: a PRP list) and an unaligned echo
(read-modify-write) read back. At poweroff the driver is stopped and the
image differs from the original exactly in the bytes written."""
import os
import re
import struct
import tempfile

from diskimg import SECTOR, image, partition_writes, sha
from qemu import boot
from test_session import login_session

SECTORS = 16384                      # 8 MiB
PART_FIRST, PART_COUNT = 2048, 8192  # 4 MiB
ADDR = '0000:00:05.0'


def mbr_image():
    img = image(SECTORS, 0x4e565a5a)
    mbr = bytearray(SECTOR)
    mbr[446:462] = struct.pack('<B3sB3sII', 0, b'\x00\x00\x00', 0x83, b'\x00\x00\x00',
                               PART_FIRST, PART_COUNT)
    mbr[510:512] = b'\x55\xaa'
    img[0:SECTOR] = mbr
    return bytes(img)


def test_nvme_read_write_partition():
    orig = mbr_image()
    part = PART_FIRST * SECTOR
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'nvme.img')
        with open(path, 'wb') as f:
            f.write(orig)
        # -boot order=d: SeaBIOS would try the image's MBR first.
        extra = ['-boot', 'order=d', '-drive', 'file=%s,if=none,id=n0,format=raw' % path,
                 '-device', 'nvme,serial=rb0,drive=n0,addr=05.0']
        with boot('', 'nvme', smp=4, stdin=True, extra=extra) as vm:
            m = vm.wait_for(r'nvme: %s: nvme0n1 (\d+) blocks of (\d+) bytes \((\d+) MiB\), '
                            r'(.*), (\d+) I/O queue\(s\), (\d+) partition\(s\)'
                            % re.escape(ADDR), timeout=120)
            assert m.group(1) == str(SECTORS) and m.group(2) == '512', m.group(0)
            assert m.group(3) == '8' and m.group(6) == '1', m.group(0)
            # one queue pair per CPU, each with its own MSI-X vector
            assert m.group(4) == 'msix 4' and m.group(5) == '4', m.group(0)
            vm.wait_for(r'driver-manager: %s: nvme ready \(msix \d+\) in \d+ ms, pid \d+'
                        % re.escape(ADDR), timeout=60, from_start=True)
            vm.wait_for(r'login: ', timeout=60, from_start=True)
            vm.send(b'\r')  # a fresh prompt: the driver's lines came after the first
            s = login_session(vm, 'root', 'redbear', '# ')

            out, rc = s.run('ls disk:/')
            assert rc == 0 and {'nvme0n1', 'nvme0n1p1'} <= set(out.split()), out
            out, rc = s.run('sha256sum disk:/nvme0n1', timeout=300)
            assert rc == 0 and sha(orig) in out, (out, sha(orig))
            out, rc = s.run('sha256sum disk:/nvme0n1p1', timeout=120)
            assert rc == 0 and sha(orig[part:part + PART_COUNT * SECTOR]) in out, out

            # 12 KiB aligned (three pages: PRP1 + a PRP list), then 11 bytes
            # at 506 (read-modify-write of partition sectors 0 and 1).
            want = partition_writes(s, 'nvme0n1', orig, part, 'hello-nvme')
            # the four vectors, spread by pcid over the CPUs; their counts printed
            out, rc = s.run('irqstat')
            assert rc == 0, out
            rows = [r.split() for r in out.replace('\r', '').split('\n') if ADDR in r]
            assert len(rows) == 4, out
            cpus = {r[0].split(':')[0] for r in rows}
            print('\nNVMe vectors (CPU:vector, then counts per CPU): %s'
                  % '; '.join(' '.join(r[:5]) for r in rows))
            assert len(cpus) >= 2, out
            vm.send(b'poweroff\r')
            vm.wait_for(r'driver-manager: stopped \d+ driver\(s\)', timeout=120)
            vm.wait_exit(timeout=120)
        assert 'PANIC' not in vm.output
        with open(path, 'rb') as f:
            got = f.read()
    assert len(got) == len(want)
    if got != bytes(want):
        diff = [i for i in range(0, len(got), SECTOR) if got[i:i + SECTOR] != want[i:i + SECTOR]]
        raise AssertionError('image differs in sectors %s' % diff[:20])
