"""The Linux peer of `make bench`: Debian's kernel and busybox, fetched with
`apt-get download` (never installed on the host) and cached in
build/bench/peer/, plus kbench built static against the host's glibc.

    kernel()     -> path of vmlinuz from linux-image-amd64's kernel package
    initramfs()  -> path of a newc cpio: /init (a busybox sh script),
                    /bin/busybox, /kbench, /kchild, /dev/console, /proc,
                    /sys, /lib/modules/*.ko (the disk drivers, see below)

/init prints the shell marker `peer: shell up uptime=S` (S = the guest's
/proc/uptime, seconds since the kernel started its clock), the kernel's
`smp:` lines from dmesg (with printk timestamps) and `peer: done`; then,
if its first word is `bench`, it execs /kbench with the other words (kbench
is then pid 1 and powers the machine off when done), else it powers off.
`bench disk MIB OPS ...` first loads the disk drivers, makes the device
nodes (busybox mdev -s) and runs `/kbench disk mib=MIB ops=OPS
virtio=/dev/vda nvme=/dev/nvme0n1 irq.virtio=virtio0- irq.nvme=nvme0q`
(user/kbench/disk.c; /proc/interrupts names the queues virtio0-req.N and
nvme0qN), then goes on as `bench ...`. Debian builds virtio_blk, virtio_pci and nvme as modules:
the .ko files of the kernel's package (uncompressed in bookworm) and the
ones their `depends=` name, in dependency order, go into /lib/modules
with an /lib/modules/order list that /init insmods (the package has no
modules.dep: depmod makes it at install).
The image is named by a hash of its contents, so a run that rebuilds it
never changes the file another run is booting.
"""
import glob
import hashlib
import lzma
import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
CACHE = os.path.join(REPO, 'build', 'bench', 'peer')

INIT = b"""#!/bin/busybox sh
# /init of the bench peer (scripts/bench/peer.py)
B=/bin/busybox
$B mount -t proc proc /proc
echo "peer: shell up uptime=$($B cut -d ' ' -f 1 /proc/uptime)"
$B dmesg | $B grep 'smp: '
echo "peer: done"
if [ "$1" = bench ]; then
\tshift
\tif [ "$1" = disk ]; then
\t\t$B mount -t sysfs sysfs /sys
\t\tfor m in $($B cat /lib/modules/order); do $B insmod /lib/modules/$m.ko; done
\t\t$B mdev -s
\t\t/kbench disk mib=$2 ops=$3 virtio=/dev/vda nvme=/dev/nvme0n1 \\
\t\t\tirq.virtio=virtio0- irq.nvme=nvme0q
\t\tshift 3
\tfi
\texec /kbench "$@"
fi
$B poweroff -f
"""


def die(msg):
    sys.exit('bench: ' + msg)


def download(package):
    """The .deb of package in CACHE/debs, fetched once with apt-get download."""
    debs = os.path.join(CACHE, 'debs')
    os.makedirs(debs, exist_ok=True)
    found = sorted(glob.glob(os.path.join(debs, package + '_*.deb')))
    if found:
        return found[-1]
    r = subprocess.run(['apt-get', 'download', package], cwd=debs)
    if r.returncode != 0:
        # a fresh machine may have no package lists yet
        subprocess.run(['apt-get', 'update', '-qq'], check=False)
        subprocess.run(['apt-get', 'download', package], cwd=debs, check=True)
    found = sorted(glob.glob(os.path.join(debs, package + '_*.deb')))
    if not found:
        die('apt-get download %s left no .deb in %s' % (package, debs))
    return found[-1]


def extract(deb, member, dest):
    """Copy one file (a path inside the package, e.g. ./bin/busybox) out of deb."""
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        subprocess.run(['dpkg-deb', '-x', deb, tmp], check=True)
        hits = sorted(glob.glob(os.path.join(tmp, member)))
        if not hits:
            die('%s holds no %s' % (os.path.basename(deb), member))
        shutil.copyfile(hits[-1], dest)
        return os.path.basename(hits[-1])


def kernel():
    """vmlinuz of the package linux-image-amd64 depends on (Debian's current kernel)."""
    os.makedirs(CACHE, exist_ok=True)
    found = sorted(glob.glob(os.path.join(CACHE, 'vmlinuz-*')))
    if found:
        return found[-1]
    dep = subprocess.run(['apt-cache', 'depends', 'linux-image-amd64'],
                         capture_output=True, text=True).stdout
    m = re.search(r'Depends: (linux-image-[0-9]\S+)', dep)
    if not m:
        subprocess.run(['apt-get', 'update', '-qq'], check=False)
        dep = subprocess.run(['apt-cache', 'depends', 'linux-image-amd64'],
                             capture_output=True, text=True).stdout
        m = re.search(r'Depends: (linux-image-[0-9]\S+)', dep)
    if not m:
        die('apt-cache names no kernel package for linux-image-amd64')
    deb = download(m.group(1))
    tmp = os.path.join(CACHE, 'vmlinuz.part')
    name = extract(deb, './boot/vmlinuz-*', tmp)
    os.replace(tmp, os.path.join(CACHE, name))
    return os.path.join(CACHE, name)


# The disk drivers /init loads, and soft dependencies (softdep=pre:) that
# depends= does not name: crc-t10dif and crc64-rocksoft want a crypto
# implementation of their checksum (nvme-core -> t10-pi -> them).
DISK_MODULES = ['crct10dif_generic', 'crc64_rocksoft_generic', 'virtio_pci', 'virtio_blk', 'nvme']


def modinfo(data, key):
    """A .ko's modinfo value (the NUL-separated `key=value` strings of .modinfo)."""
    m = re.search(b'\\0' + key.encode() + b'=([^\\0]*)\\0', data)
    return m.group(1).decode() if m else ''


def disk_modules():
    """[(name, .ko bytes)] in load order: DISK_MODULES and their depends=."""
    mods = os.path.join(CACHE, 'modules')
    if not os.path.isdir(mods):
        version = os.path.basename(kernel())[len('vmlinuz-'):]
        deb = download('linux-image-' + version)  # kernel() fetched it
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            subprocess.run(['dpkg-deb', '-x', deb, tmp], check=True)
            os.makedirs(mods + '.part', exist_ok=True)
            for ko in glob.glob(os.path.join(tmp, 'lib', 'modules', '*', 'kernel', '**', '*.ko*'),
                                recursive=True):
                name = os.path.basename(ko).split('.ko')[0].replace('-', '_')
                with open(ko, 'rb') as f:
                    data = f.read()
                if ko.endswith('.xz'):
                    data = lzma.decompress(data)
                elif ko.endswith('.zst'):
                    die('%s is zstd-compressed; only .ko and .ko.xz are handled' % ko)
                with open(os.path.join(mods + '.part', name + '.ko'), 'wb') as f:
                    f.write(data)
        os.replace(mods + '.part', mods)
    order, seen = [], set()

    def visit(name):
        name = name.replace('-', '_')
        if name in seen:
            return
        seen.add(name)
        path = os.path.join(mods, name + '.ko')
        if not os.path.exists(path):
            die('the kernel package has no module %s' % name)
        with open(path, 'rb') as f:
            data = f.read()
        for dep in filter(None, modinfo(data, 'depends').split(',')):
            visit(dep)
        order.append((name, data))
    for name in DISK_MODULES:
        visit(name)
    return order


def busybox():
    path = os.path.join(CACHE, 'busybox')
    if not os.path.exists(path):
        extract(download('busybox-static'), './bin/busybox', path + '.part')
        os.replace(path + '.part', path)
    return path


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


def build_kbench():
    """kbench and kchild, static glibc programs from user/kbench's Linux layer."""
    src = os.path.join(REPO, 'user', 'kbench')
    cc = ['gcc', '-std=gnu11', '-O2', '-static', '-Wall', '-Werror', '-I', src,
          '-I', os.path.join(REPO, 'lib')]
    out = {}
    portable = [os.path.join(src, 'bench.c'), os.path.join(src, 'disk.c'),
                os.path.join(REPO, 'lib', 'irq', 'count.c')]
    for name, srcs, extra in (('kbench', portable +
                               sorted(glob.glob(os.path.join(src, 'linux', 'os_*.c'))), ['-pthread']),
                              ('kchild', [os.path.join(src, 'linux', 'kchild.c')], [])):
        path = os.path.join(CACHE, name)
        subprocess.run(cc + srcs + extra + ['-o', path], check=True)
        with open(path, 'rb') as f:
            out[name] = f.read()
    return out


def initramfs():
    """CACHE/initramfs-HASH.cpio, rebuilt each run (kbench may have changed)."""
    os.makedirs(CACHE, exist_ok=True)
    progs = build_kbench()
    with open(busybox(), 'rb') as f:
        bb = f.read()
    mods = disk_modules()
    image = cpio_newc([('dev', 0o40755, b'', (0, 0)),
                       ('dev/console', 0o20600, b'', (5, 1)),
                       ('proc', 0o40755, b'', (0, 0)),
                       ('sys', 0o40755, b'', (0, 0)),
                       ('bin', 0o40755, b'', (0, 0)),
                       ('bin/busybox', 0o100755, bb, (0, 0)),
                       ('init', 0o100755, INIT, (0, 0)),
                       ('kbench', 0o100755, progs['kbench'], (0, 0)),
                       ('kchild', 0o100755, progs['kchild'], (0, 0)),
                       ('lib', 0o40755, b'', (0, 0)),
                       ('lib/modules', 0o40755, b'', (0, 0)),
                       ('lib/modules/order', 0o100644,
                        ''.join(n + '\n' for n, _ in mods).encode(), (0, 0))] +
                      [('lib/modules/%s.ko' % n, 0o100644, d, (0, 0)) for n, d in mods])
    path = os.path.join(CACHE, 'initramfs-%s.cpio' % hashlib.sha256(image).hexdigest()[:12])
    if os.path.exists(path):
        return path
    with open(path + '.part', 'wb') as f:
        f.write(image)
    os.replace(path + '.part', path)
    return path
