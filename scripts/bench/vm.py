"""One QEMU boot for `make bench`: start QEMU with the shape both systems
share, read the serial console and note the host time (seconds since
QEMU was started) at which each watched pattern first appeared.

    run(args, watch, stop, limit, log, answers) -> Boot(text, seen, finished, elapsed)

`watch` maps a name to a regex; `stop` is the name whose match ends the
boot (QEMU is then killed); `limit` is the time limit in seconds. A boot
that reaches the limit, or whose QEMU exits first, has finished=False.
`answers` maps a watched name to bytes typed on the serial console when
it first appears (a login, then a command).
No sleeps: select() on QEMU's stdout with the time left as its timeout.

    disks(dir, mib) -> the QEMU arguments of the two bench disks

Both systems get the same two disks for the disk figures: a virtio-blk and
an NVMe image of mib MiB in dir (made once, a 4 KiB pattern: each block
holds its number), raw, cache=writeback (QEMU's default: after the first
pass the images sit in the host's page cache, so the figures are each
system's I/O path and QEMU's device emulation, not the host's disk) and
QEMU's default aio (threads), at fixed PCI slots 05.0 and 06.0.
"""
import codecs
import struct
import os
import re
import select
import subprocess
import time

ACCEL = os.environ.get('QEMU_ACCEL', 'tcg')
MEM = '512M'


def shape(smp, accel=None):
    """The QEMU command line both systems get: q35, same memory, CPUs, accelerator."""
    return ['qemu-system-x86_64', '-machine', 'q35', '-accel', accel or ACCEL,
            '-smp', str(smp), '-m', MEM, '-display', 'none', '-serial', 'stdio',
            '-monitor', 'none', '-no-reboot']


def disks(where, mib):
    """-drive/-device arguments of the two bench disks (made if missing)."""
    os.makedirs(where, exist_ok=True)
    args = []
    for name, dev in (('virtio', 'virtio-blk-pci,drive=bvirtio,addr=05.0'),
                      ('nvme', 'nvme,serial=bench0,drive=bnvme,addr=06.0')):
        path = os.path.join(where, '%s-%dm.img' % (name, mib))
        if not os.path.exists(path):
            with open(path + '.part', 'wb') as f:
                for block in range(mib * 256):
                    f.write(struct.pack('<Q', block) * 512)
            os.replace(path + '.part', path)
        args += ['-drive', 'file=%s,format=raw,if=none,id=b%s,cache=writeback' % (path, name),
                 '-device', dev]
    return args


class Boot:
    def __init__(self, text, seen, finished, elapsed):
        self.text, self.seen, self.finished, self.elapsed = text, seen, finished, elapsed


def run(args, watch, stop, limit, log=None, answers=None):
    rx = {k: re.compile(v, re.M) for k, v in watch.items()}
    seen = {}
    text = ''
    utf8 = codecs.getincrementaldecoder('utf-8')('replace')
    start = time.monotonic()
    answers = answers or {}
    vm = subprocess.Popen(args, stdin=subprocess.PIPE if answers else subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    fd = vm.stdout.fileno()
    try:
        while stop not in seen:
            left = limit - (time.monotonic() - start)
            if left <= 0:
                break
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            now = time.monotonic() - start
            if not chunk:
                break
            # Decode and search only what is new, from the start of the line
            # the last chunk left unfinished (the patterns are single-line):
            # the harness shares the host with the guest it times.
            line = text.rfind('\n') + 1
            text += utf8.decode(chunk).replace('\r', '')
            for k, r in rx.items():
                if k not in seen and r.search(text, line):
                    seen[k] = now
                    if k in answers:
                        vm.stdin.write(answers[k])
                        vm.stdin.flush()
    finally:
        if vm.poll() is None:
            vm.kill()
        vm.wait()
        vm.stdout.close()
        if vm.stdin:
            vm.stdin.close()
    elapsed = time.monotonic() - start
    text += utf8.decode(b'', final=True)
    if log:
        os.makedirs(os.path.dirname(log), exist_ok=True)
        with open(log, 'w') as f:
            f.write('# ' + ' '.join(args) + '\n' + text)
    return Boot(text, seen, stop in seen, elapsed)
