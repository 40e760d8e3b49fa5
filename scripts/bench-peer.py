#!/usr/bin/env python3
"""Run kbench on Red Bear OS and on Debian's Linux in the same QEMU, side by side.

    scripts/bench-peer.py [--runs N] [--smp N] [--batches B]

Boots the two systems alternately (Red Bear, Linux, Red Bear, Linux, ...),
N times each (default 3), with the same QEMU shape (q35, 512 MiB, the same
CPU count and accelerator), runs the same benchmark loops in both
(user/kbench/bench.c over os_redbear.c / linux/os_linux.c) and prints one
row per figure: Red Bear median, Linux median, ratio (ours / Linux) and
each side's min-max over the runs. Nothing is asserted: these are figures.

The Linux peer comes from Debian packages only: linux-image-amd64's kernel,
fetched with apt-get download into build/peer/ (not installed) and booted
with -kernel, and an initramfs holding kbench as /init plus /kchild, both
static glibc programs built here. Red Bear boots its ISO through GRUB; the
figures are measured in the guest after boot, so the boot path does not
enter them. The benchmark issue grows this into make bench.
"""
import argparse
import glob
import os
import re
import statistics
import subprocess
import sys
import threading

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
PEER = os.path.join(REPO, 'build', 'peer')
ACCEL = os.environ.get('QEMU_ACCEL', 'tcg')
LINE = re.compile(r'bench: (\w+) ns=(\d+)')


def linux_kernel():
    """The vmlinuz of Debian's linux-image-amd64, fetched once into build/peer."""
    found = sorted(glob.glob(os.path.join(PEER, 'boot', 'vmlinuz-*')))
    if found:
        return found[-1]
    os.makedirs(PEER, exist_ok=True)
    dep = subprocess.run(['apt-cache', 'depends', 'linux-image-amd64'], check=True,
                         capture_output=True, text=True).stdout
    m = re.search(r'Depends: (linux-image-\S+)', dep)
    if not m:
        sys.exit('bench-peer: apt-cache names no kernel package for linux-image-amd64')
    subprocess.run(['apt-get', 'download', m.group(1)], cwd=PEER, check=True)
    deb = sorted(glob.glob(os.path.join(PEER, m.group(1) + '_*.deb')))[-1]
    tar = subprocess.Popen(['dpkg-deb', '--fsys-tarfile', deb], stdout=subprocess.PIPE)
    subprocess.run(['tar', 'x', '-C', PEER, '--wildcards', './boot/vmlinuz-*'],
                   stdin=tar.stdout, check=True)
    tar.wait()
    return sorted(glob.glob(os.path.join(PEER, 'boot', 'vmlinuz-*')))[-1]


def cpio_newc(entries):
    """A newc cpio archive of (name, mode, data, rdev) entries, then the trailer."""
    out = bytearray()
    for ino, (name, mode, data, rdev) in enumerate(entries + [('TRAILER!!!', 0, b'', (0, 0))], 1):
        raw = name.encode() + b'\0'
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(raw), 0]
        out += b'070701' + b''.join(b'%08x' % f for f in fields) + raw
        out += b'\0' * (-len(out) % 4) + data
        out += b'\0' * (-len(out) % 4)
    return bytes(out)


def linux_initramfs():
    """build/peer/initramfs.cpio: kbench as /init, /kchild, /dev/console."""
    src = os.path.join(REPO, 'user', 'kbench')
    cflags = ['gcc', '-std=gnu11', '-O2', '-static', '-Wall', '-Werror', '-I', src]
    kbench = os.path.join(PEER, 'kbench')
    kchild = os.path.join(PEER, 'kchild')
    subprocess.run(cflags + [os.path.join(src, 'bench.c'), os.path.join(src, 'linux', 'os_linux.c'),
                             '-pthread', '-o', kbench], check=True)
    subprocess.run(cflags + [os.path.join(src, 'linux', 'kchild.c'), '-o', kchild], check=True)
    with open(kbench, 'rb') as f:
        init = f.read()
    with open(kchild, 'rb') as f:
        child = f.read()
    image = cpio_newc([('dev', 0o40755, b'', (0, 0)),
                       ('dev/console', 0o20600, b'', (5, 1)),
                       ('init', 0o100755, init, (0, 0)),
                       ('kchild', 0o100755, child, (0, 0))])
    path = os.path.join(PEER, 'initramfs.cpio')
    with open(path, 'wb') as f:
        f.write(image)
    return path


def redbear_iso(batches):
    iso = os.path.join(REPO, 'build', 'iso', 'kbench-peer.iso')
    subprocess.run(['make', '-s', '-j%d' % (os.cpu_count() or 1), 'iso',
                    'CMDLINE=init=/bin/kbench init.batches=%d' % batches, 'ISO=' + iso],
                   cwd=REPO, check=True)
    return iso


def boot(args, timeout):
    """Run QEMU until kbench prints its last line (Red Bear halts rather than
    powering off until acpid exists) or QEMU exits; return the figures."""
    base = ['qemu-system-x86_64', '-machine', 'q35', '-accel', ACCEL, '-m', '512M',
            '-display', 'none', '-serial', 'stdio', '-monitor', 'none', '-no-reboot']
    vm = subprocess.Popen(base + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL)
    timer = threading.Timer(timeout, vm.kill)
    timer.start()
    lines = []
    for raw in vm.stdout:
        lines.append(raw.decode(errors='replace'))
        if 'bench: done' in lines[-1]:
            break
    timer.cancel()
    vm.kill()
    vm.wait()
    text = ''.join(lines)
    if 'bench: done' not in text:
        tail = ''.join(lines[-5:])
        print('bench-peer: a run did not finish; its last lines:\n' + tail, file=sys.stderr)
    return {m.group(1): int(m.group(2)) for m in LINE.finditer(text)}


def fmt(ns):
    return '%.2f us' % (ns / 1000) if ns < 10**6 else '%.2f ms' % (ns / 10**6)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--smp', type=int, default=4)
    ap.add_argument('--batches', type=int, default=5)
    ap.add_argument('--timeout', type=int, default=600)
    a = ap.parse_args()
    iso, kernel, initrd = redbear_iso(a.batches), linux_kernel(), linux_initramfs()
    smp = ['-smp', str(a.smp)]
    ours, linux = {}, {}
    for run in range(a.runs):
        for name, res, args in (('redbear', ours, ['-cdrom', iso]),
                                ('linux', linux, ['-kernel', kernel, '-initrd', initrd, '-append',
                                                  'console=ttyS0 quiet panic=-1 -- batches=%d'
                                                  % a.batches])):
            print('bench-peer: run %d/%d, %s' % (run + 1, a.runs, name), file=sys.stderr)
            for k, v in boot(smp + args, a.timeout).items():
                res.setdefault(k, []).append(v)
    print('| figure | Red Bear median | Linux median | ratio | Red Bear min-max | Linux min-max |')
    print('|---|---|---|---|---|---|')
    for k in list(ours) + [k for k in linux if k not in ours]:
        o, l = ours.get(k, []), linux.get(k, [])
        om = statistics.median(o) if o else 0
        lm = statistics.median(l) if l else 0
        ratio = '%.2f' % (om / lm) if om and lm else '-'
        rng = lambda v: '%s-%s' % (fmt(min(v)), fmt(max(v))) if v else '-'
        print('| %s | %s | %s | %s | %s | %s |' % (k, fmt(om), fmt(lm), ratio, rng(o), rng(l)))
    print('accelerator %s, %d CPUs, %d runs each, %d batches per figure' %
          (ACCEL, a.smp, a.runs, a.batches))


if __name__ == '__main__':
    main()
