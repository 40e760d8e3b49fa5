#!/usr/bin/env python3
"""dump-qemu-acpi.py -- save the ACPI tables QEMU's firmware builds, as fixtures.

Usage:
  dump-qemu-acpi.py OUTDIR [QEMU OPTION...]   one machine: tables into OUTDIR
  dump-qemu-acpi.py --all [FIXTURES]          every variant in VARIANTS below,
                                              into FIXTURES/<name>/ (default
                                              tests/fixtures/qemu)
  dump-qemu-acpi.py --list                    print the variants' command lines

It starts qemu-system-x86_64 under TCG with no boot disk, no display, no serial
and no monitor, only a QMP socket.  SeaBIOS builds the ACPI tables during POST
(they come from QEMU through fw_cfg), so the script polls guest memory through
QMP ("pmemsave" into a temporary file) a bounded number of times until an RSDP
with a valid checksum shows up in 0xE0000-0xFFFFF.  It then follows the RSDT
(or the XSDT when the RSDP is revision 2 or later), reads every table it lists
plus the DSDT and FACS named by the FADT, checks each checksum (the FACS has
none) and writes them in the layout of /work/shared/acpi-corpus: lowercase
signature + ".dat", numbered ssdt1.dat, ssdt2.dat, ... in RSDT order when a
signature repeats, "ssdt.dat" when it does not.  The RSDP, RSDT and XSDT
themselves are not saved (the corpus has none either).  Then QEMU is told to
quit.  Python 3 standard library only.
"""
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

QEMU = os.environ.get('QEMU', 'qemu-system-x86_64')
BASE_ARGS = ['-accel', 'tcg', '-nographic', '-serial', 'none', '-monitor', 'none']
POLL_TRIES = 300          # RSDP polls, POLL_GAP apart: 30 s at most
POLL_GAP = 0.1
SOCKET_TRIES = 200        # waits for QEMU to create its QMP socket: 10 s at most
SOCKET_GAP = 0.05

# name -> QEMU options.  `--all` regenerates exactly these; the fixture README
# (tests/fixtures/qemu/README.md) repeats them.
VARIANTS = {
    'q35-default': ['-machine', 'q35', '-smp', '4', '-m', '512M'],
    'pc-default': ['-machine', 'pc', '-smp', '4', '-m', '512M'],
    'q35-bridges': ['-machine', 'q35', '-smp', '2', '-m', '512M',
                    '-device', 'pcie-root-port,id=rp1,bus=pcie.0,chassis=1,addr=0x4',
                    '-device', 'pcie-root-port,id=rp2,bus=pcie.0,chassis=2,addr=0x5',
                    '-device', 'pcie-pci-bridge,id=pb0,bus=rp2',
                    '-device', 'pci-bridge,id=br1,bus=pcie.0,chassis_nr=3,addr=0x6',
                    '-device', 'pci-bridge,id=br2,bus=br1,chassis_nr=4,addr=0x2'],
    'q35-iommu': ['-machine', 'q35,kernel-irqchip=split', '-smp', '4', '-m', '512M',
                  '-device', 'intel-iommu,intremap=on'],
    'q35-numa': ['-machine', 'q35', '-smp', '16,sockets=4,cores=2,threads=2',
                 '-m', '1G',
                 '-object', 'memory-backend-ram,id=m0,size=256M',
                 '-object', 'memory-backend-ram,id=m1,size=256M',
                 '-object', 'memory-backend-ram,id=m2,size=256M',
                 '-object', 'memory-backend-ram,id=m3,size=256M',
                 '-numa', 'node,nodeid=0,cpus=0-3,memdev=m0',
                 '-numa', 'node,nodeid=1,cpus=4-7,memdev=m1',
                 '-numa', 'node,nodeid=2,cpus=8-11,memdev=m2',
                 '-numa', 'node,nodeid=3,cpus=12-15,memdev=m3',
                 '-numa', 'dist,src=0,dst=1,val=20',
                 '-numa', 'dist,src=0,dst=2,val=30',
                 '-numa', 'dist,src=0,dst=3,val=40',
                 '-numa', 'dist,src=1,dst=2,val=20',
                 '-numa', 'dist,src=1,dst=3,val=30',
                 '-numa', 'dist,src=2,dst=3,val=20'],
    'q35-cpuhp': ['-machine', 'q35', '-smp', '2,maxcpus=64', '-m', '512M'],
    'pc-nvdimm': ['-machine', 'pc,nvdimm=on', '-smp', '2', '-m', '512M,slots=2,maxmem=1G',
                  '-object', 'memory-backend-ram,id=nv0,size=128M',
                  '-device', 'nvdimm,id=nvd0,memdev=nv0'],
    'pc-memhp': ['-machine', 'pc', '-smp', '2', '-m', '512M,slots=4,maxmem=4G'],
    'q35-isa': ['-machine', 'q35', '-smp', '2', '-m', '512M',
                '-device', 'isa-serial,iobase=0x3f8,irq=4',
                '-device', 'isa-serial,iobase=0x2f8,irq=3',
                '-device', 'pvpanic',
                '-chardev', 'null,id=dbg0',
                '-device', 'isa-debugcon,iobase=0x402,chardev=dbg0',
                '-device', 'isa-applesmc'],
    'q35-virtio': ['-machine', 'q35', '-smp', '2', '-m', '512M',
                   '-device', 'virtio-net-pci,netdev=n0', '-netdev', 'user,id=n0',
                   '-device', 'virtio-rng-pci', '-device', 'virtio-balloon-pci',
                   '-device', 'vmgenid,guid=7d5c0a6e-3c1f-4b2a-9e8d-1f2e3d4c5b6a',
                   '-device', 'ipmi-bmc-sim,id=bmc0', '-device', 'isa-ipmi-kcs,bmc=bmc0'],
    'pc-isa': ['-machine', 'pc', '-smp', '2', '-m', '512M',
               '-device', 'isa-serial', '-device', 'isa-serial',
               '-device', 'pvpanic', '-chardev', 'null,id=dbg0',
               '-device', 'isa-debugcon,iobase=0x402,chardev=dbg0',
               '-device', 'pci-bridge,id=br1,chassis_nr=1',
               '-device', 'virtio-blk-pci,drive=d0,bus=br1',
               '-drive', 'if=none,id=d0,file=null-co://,format=raw'],
}


class DumpError(Exception):
    pass


class Qmp:
    """Minimal QMP client: one command at a time, events skipped."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(path)
        self.buf = b''
        self.read()                                   # greeting
        self.cmd('qmp_capabilities')

    def read(self):
        while b'\n' not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise DumpError('QMP connection closed')
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b'\n')
        return json.loads(line)

    def cmd(self, name, **args):
        msg = {'execute': name}
        if args:
            msg['arguments'] = args
        self.sock.sendall(json.dumps(msg).encode() + b'\n')
        while True:
            r = self.read()
            if 'return' in r:
                return r['return']
            if 'error' in r:
                raise DumpError('QMP %s: %s' % (name, r['error'].get('desc')))

    def hmp(self, line):
        return self.cmd('human-monitor-command', **{'command-line': line})

    def close(self):
        self.sock.close()


class Guest:
    """Reads guest-physical memory through pmemsave into a scratch file."""

    def __init__(self, qmp, tmpdir):
        self.qmp = qmp
        self.path = os.path.join(tmpdir, 'mem.bin')

    def read(self, addr, size):
        if size <= 0 or size > 16 << 20:
            raise DumpError('implausible read of %d bytes at %#x' % (size, addr))
        out = self.qmp.hmp('pmemsave %d %d "%s"' % (addr, size, self.path))
        if out.strip():
            raise DumpError('pmemsave: %s' % out.strip())
        with open(self.path, 'rb') as f:
            data = f.read()
        if len(data) != size:
            raise DumpError('pmemsave gave %d of %d bytes' % (len(data), size))
        return data


def find_rsdp(area, base):
    """Physical address of a checksummed RSDP in area (loaded at base), or None."""
    off = area.find(b'RSD PTR ')
    while off >= 0:
        if off % 16 == 0 and sum(area[off:off + 20]) & 0xFF == 0:
            return base + off
        off = area.find(b'RSD PTR ', off + 1)
    return None


def wait_rsdp(guest):
    for _ in range(POLL_TRIES):
        addr = find_rsdp(guest.read(0xE0000, 0x20000), 0xE0000)
        if addr is not None:
            return addr
        time.sleep(POLL_GAP)
    raise DumpError('no RSDP after %d polls' % POLL_TRIES)


def read_table(guest, addr):
    """(signature, bytes) of the table at addr; its checksum must be 0 (not for the FACS)."""
    hdr = guest.read(addr, 36)
    sig = hdr[:4].decode('ascii', 'replace')
    length = struct.unpack_from('<I', hdr, 4)[0]
    if sig == 'FACS':
        return sig, guest.read(addr, length)
    if length < 36:
        raise DumpError('%s at %#x: length %d' % (sig, addr, length))
    data = guest.read(addr, length)
    if sum(data) & 0xFF:
        raise DumpError('%s at %#x: bad checksum' % (sig, addr))
    return sig, data


def read_tables(guest, rsdp_addr):
    """Every table reachable from the RSDP, in RSDT/XSDT order, FADT children after the FADT."""
    rsdp = guest.read(rsdp_addr, 36)
    rev = rsdp[15]
    if rev >= 2 and struct.unpack_from('<Q', rsdp, 24)[0]:
        if sum(rsdp[:struct.unpack_from('<I', rsdp, 20)[0]]) & 0xFF:
            raise DumpError('RSDP extended checksum bad')
        root, width = struct.unpack_from('<Q', rsdp, 24)[0], 8
    else:
        root, width = struct.unpack_from('<I', rsdp, 16)[0], 4
    sig, data = read_table(guest, root)
    if sig not in ('RSDT', 'XSDT'):
        raise DumpError('root table is %r' % sig)
    n = (len(data) - 36) // width
    ptrs = struct.unpack_from('<%d%s' % (n, 'Q' if width == 8 else 'I'), data, 36)
    tables, seen = [], set()

    def add(addr):
        if addr and addr not in seen:
            seen.add(addr)
            tables.append(read_table(guest, addr))
            return tables[-1]
        return None

    for p in ptrs:
        t = add(p)
        if t and t[0] == 'FACP':
            fadt = t[1]
            facs, dsdt = struct.unpack_from('<II', fadt, 36)
            if len(fadt) >= 148:
                facs = struct.unpack_from('<Q', fadt, 132)[0] or facs
                dsdt = struct.unpack_from('<Q', fadt, 140)[0] or dsdt
            add(dsdt)
            add(facs)
    return tables


def file_names(tables):
    """[(file name, bytes)] in the corpus layout."""
    count = {}
    for sig, _ in tables:
        count[sig] = count.get(sig, 0) + 1
    seq, res = {}, []
    for sig, data in tables:
        base = sig.lower().strip()
        if count[sig] > 1:
            seq[sig] = seq.get(sig, 0) + 1
            base += str(seq[sig])
        res.append((base + '.dat', data))
    return res


def dump(outdir, opts):
    """Run QEMU with opts and write its tables into outdir (replacing old .dat files)."""
    tmp = tempfile.mkdtemp(prefix='qemu-acpi-')
    sock = os.path.join(tmp, 'qmp.sock')
    cmd = [QEMU] + BASE_ARGS + ['-qmp', 'unix:%s,server=on,wait=off' % sock] + opts
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    qmp = None
    try:
        for _ in range(SOCKET_TRIES):
            if os.path.exists(sock) or proc.poll() is not None:
                break
            time.sleep(SOCKET_GAP)
        if proc.poll() is not None:
            raise DumpError('QEMU exited: %s' % proc.stderr.read().decode(errors='replace').strip())
        qmp = Qmp(sock)
        guest = Guest(qmp, tmp)
        tables = read_tables(guest, wait_rsdp(guest))
        try:
            qmp.cmd('quit')
        except (DumpError, OSError):
            pass
    finally:
        if qmp:
            qmp.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()
        shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(outdir, exist_ok=True)
    for f in os.listdir(outdir):
        if f.endswith('.dat'):
            os.unlink(os.path.join(outdir, f))
    names = file_names(tables)
    for name, data in names:
        with open(os.path.join(outdir, name), 'wb') as f:
            f.write(data)
    return [n for n, _ in names]


def main(argv):
    if len(argv) >= 2 and argv[1] == '--list':
        for name, opts in VARIANTS.items():
            print('%s: %s' % (name, ' '.join([QEMU] + BASE_ARGS + opts)))
        return 0
    if len(argv) >= 2 and argv[1] == '--all':
        root = argv[2] if len(argv) > 2 else os.path.join(
            os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'qemu')
        status = 0
        for name, opts in VARIANTS.items():
            try:
                files = dump(os.path.join(root, name), opts)
                print('%s: %s' % (name, ' '.join(files)))
            except (DumpError, OSError) as e:
                print('%s: error: %s' % (name, e), file=sys.stderr)
                status = 1
        return status
    if len(argv) < 2 or argv[1].startswith('-'):
        print(__doc__.strip(), file=sys.stderr)
        return 1
    try:
        print(' '.join(dump(argv[1], argv[2:])))
    except (DumpError, OSError) as e:
        print('error: %s' % e, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
