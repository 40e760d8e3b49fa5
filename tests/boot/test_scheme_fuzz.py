"""The servers under a hostile client (docs/stress.md, "schemefuzz"): q35,
4 CPUs, a virtio-blk, an NVMe and a SATA (AHCI) disk with known patterns
and a virtio-net NIC. schemefuzz runs four threads of random opens, reads, writes, seeks,
syncs, truncates, directory reads, derived handles and closes on disk:,
the disks' own schemes, drivers:, net:, init:, pci: and irq:, first as
uid 1000 (every write allowed: the servers' checks must refuse them),
then as root writing only to net:, init:/timeline and disk:/register.
A thread may be left waiting in a read that waits for data by design (a
NIC's frames, pci:/events, an interrupt vector), nowhere else.
Afterwards: schemefuzz found no out-of-bounds result, every server
answers, no driver was restarted (a crash would show as a restart),
every disk still holds its pattern, and the system powers off."""
import os
import re
import tempfile

from diskimg import image, sha
from qemu import boot
from test_session import login_session

SCHEMES = ('disk: disk-virtio0: disk-nvme0n1: disk-ahci0: drivers:/status net: init:/services '
           'init:/timeline init:/control pci: irq:')


# reads that wait for data by design: a NIC's frames, pci:/events, an interrupt vector
WAITING_OK = re.compile(r'schemefuzz: thread \d+ still in read of (net|pci|irq):')


def fuzz(s, args):
    out, rc = s.run('schemefuzz threads=4 seconds=120 ' + args + ' ' + SCHEMES, timeout=600)
    out = out.replace('\r', '')
    assert rc == 0 and 'schemefuzz: done' in out and 'FAIL' not in out, out
    for line in re.findall(r'schemefuzz: thread .*', out):
        print(line)
        assert WAITING_OK.match(line), line
    print(re.search(r'schemefuzz: done.*', out).group(0))


def restarts(s):
    out, rc = s.run('driver-manager --status')
    out = out.replace('\r', '')
    assert rc == 0, out
    rows = re.findall(r'^(\S+)\s+\S+ (virtio-blk|nvme|ahci|virtio-net)\s+bound \([^)]*\)\s+\d+\s+'
                      r'(\d+)', out, re.M)
    assert len(rows) == 4, out
    return {(a, d): int(n) for a, d, n in rows}


def test_servers_survive_a_hostile_client():
    imgs = [image(8192, 0x33330000), image(8192, 0x44440000), image(8192, 0x55550000)]  # 4 MiB
    with tempfile.TemporaryDirectory() as tmp:
        paths = [os.path.join(tmp, 'd%d.img' % i) for i in range(3)]
        for p, b in zip(paths, imgs):
            with open(p, 'wb') as f:
                f.write(b)
        extra = ['-boot', 'order=d',
                 '-drive', 'file=%s,if=none,id=v0,format=raw' % paths[0],
                 '-device', 'virtio-blk-pci,drive=v0,addr=05.0',
                 '-drive', 'file=%s,if=none,id=n0,format=raw' % paths[1],
                 '-device', 'nvme,serial=fz0,drive=n0,addr=06.0',
                 '-drive', 'file=%s,if=none,id=s0,format=raw' % paths[2],
                 '-device', 'ide-hd,drive=s0,bus=ide.1',
                 '-netdev', 'user,id=n1', '-device', 'virtio-net-pci,netdev=n1,addr=07.0']
        with boot('', 'scheme-fuzz', smp=4, stdin=True, extra=extra) as vm:
            for what in ('virtio-blk', 'nvme', 'ahci', 'virtio-net'):
                vm.wait_for(r'driver-manager: \S+: %s ready' % what, timeout=120,
                            from_start=True)
            vm.wait_for(r'login: ', timeout=60, from_start=True)
            vm.send(b'\r')
            s = login_session(vm, 'root', 'redbear', '# ')
            before = restarts(s)
            fuzz(s, 'seed=0x5eed ops=1500 uid=1000')
            fuzz(s, 'seed=0x5eee ops=1500 uid=0 write=net: write=init:/timeline '
                 'write=disk:/register')
            assert restarts(s) == before, 'a driver was restarted under the fuzzer'
            out, rc = s.run('ls disk:/')
            assert rc == 0 and {'virtio0', 'nvme0n1', 'ahci0'} <= set(out.split()), out
            for name, b in (('virtio0', imgs[0]), ('nvme0n1', imgs[1]), ('ahci0', imgs[2])):
                out, rc = s.run('sha256sum disk:/%s' % name, timeout=300)
                assert rc == 0 and sha(b) in out, (name, out)
            out, rc = s.run('cat init:/services')
            assert rc == 0 and re.search(r'^driver-manager ready ', out.replace('\r', ''),
                                         re.M), out
            vm.send(b'poweroff\r')
            vm.wait_exit(timeout=120)
    assert 'PANIC' not in vm.output
