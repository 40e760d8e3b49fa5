#!/usr/bin/env python3
"""make bench: Red Bear OS against Debian's Linux in the same QEMU.

    scripts/bench/bench.py [--runs 3] [--boot-runs N] [--smp 4] [--batches 5]
                           [--boot-cpus 1,4,16,64,255] [--boot-timeout 300]
                           [--timeout 900] [--quick] [--out build/bench]

Boots the two systems alternately (Red Bear, Linux, Red Bear, Linux, ...)
with one QEMU command-line shape (q35, 512 MiB, the same CPU count and
accelerator, QEMU_ACCEL or tcg):

- the kernel and IPC figures: kbench (user/kbench/bench.c, the same loops
  over os_redbear.c and linux/os_linux.c) in --runs boots of each system
  with --smp CPUs; every `bench: NAME ns=N` line is a figure, `bench: NAME
  skipped: why` says a side lacks it;
- svc_restart (Red Bear only): in each run, a normal boot of Red Bear
  with --smp CPUs, root's login on the serial console and `kbench svc`
  (init restarting a killed ipcd; kbench as init has no services);
- the disk figures (user/kbench/disk.c): both systems get the same two
  disks (vm.disks: virtio-blk and NVMe, DISK_MIB MiB images in
  build/bench/disks); Red Bear runs `kbench disk ... virtio=disk:/virtio0
  nvme=disk:/nvme0n1` in that normal boot, after `kbench svc` (the
  drivers need driver-manager and diskd); Linux's /init loads the
  drivers and runs `kbench disk ... virtio=/dev/vda nvme=/dev/nvme0n1`
  before kbench (peer.py). Sequential read (MB/s), 4 KiB random reads at
  queue depth 1 and 32 (IOPS) over the first --disk-mib MiB, --disk-ops
  random reads; each with the driver's interrupts per CPU (`bench: NAME
  irqs cpu0=N ...`, kept in results.json and listed in results.md);
- the boot figures: for each count in --boot-cpus, --boot-runs boots of
  each system (default --runs), timed on the host from QEMU's start to
  Red Bear's `login: ` (ISO, SeaBIOS, GRUB, normal init) or to the Linux
  peer's `peer: shell up` (-kernel/-initrd, busybox /init), with AP
  bring-up from each kernel's log; a boot past --boot-timeout seconds is
  the result "did not finish in N s".

Prints the table (figure, medians, ratio Red Bear / Linux, min-max of each
side) and the issue's targets, writes results.json, results.md, ratios.svg
and boot.svg into --out (after every boot too, marked partial, so a run cut
short keeps what it measured; --replot redoes table and plots from
results.json). --quick is the `make check` smoke: one run each,
one batch, 2 CPUs (unless --smp), the boot figure at those CPUs only (Linux's taken from its
kbench boot, whose /init prints the same marker), into build/bench/smoke. Nothing is
asserted on a timing. See docs/performance.md.
"""
import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer  # noqa: E402
import report  # noqa: E402
import svg  # noqa: E402
import vm  # noqa: E402

REPO = peer.REPO
# Whole lines only: a boot cut at its time limit may end inside a line, and
# "ns=12" of "ns=1234" or "done" of "done, with errors" is not what was said.
FIGURE = re.compile(r'bench: (\w+) ns=(\d+)(?: (MB/s|IOPS)=\d+)?\n')
IRQS = re.compile(r'bench: (\w+) irqs((?: cpu\d+=\d+)+)\n')
DISK_DONE = re.compile(r'bench: disk done(.*)\n')
DISK_MIB = 64  # the size of each bench disk image
# kbench disk counts the interrupts of the rows of irq:/stats naming the
# disks' PCI functions (where vm.disks puts them); Linux's are in peer.py
IRQ_MATCH = b'irq.virtio=0000:00:05.0 irq.nvme=0000:00:06.0'
SKIPPED = re.compile(r'bench: (\w+) skipped: ([^\n]*)\n')
DONE = re.compile(r'bench: done(.*)\n')
RB_AP = re.compile(r'smp: (\d+) CPUs online .*bring-up ([\d.]+) ms')
LX_UP = re.compile(r'peer: shell up uptime=([\d.]+)\n')
LX_AP0 = re.compile(r'\[ *([\d.]+)\] smp: Bringing up secondary CPUs')
LX_AP1 = re.compile(r'\[ *([\d.]+)\] smp: Brought up')


def say(msg):
    print('bench: ' + msg, file=sys.stderr, flush=True)


class Results:
    """figure name -> {'name', 'unit', 'redbear': side, 'linux': side}, in first-seen order."""

    def __init__(self):
        self.figs = {}

    def get(self, name, s):
        f = self.figs.setdefault(name, {'name': name, 'unit': 'ns'})
        return f.setdefault(s, {'values': [], 'dnf': 0, 'limit': 0, 'skipped': None})

    def add(self, name, s, ns, unit=None):
        self.get(name, s)['values'].append(int(ns))
        if unit:  # how the table shows it (report.py); the values stay ns per operation
            self.figs[name]['unit'] = unit

    def irqs(self, name, s, counts):
        """One run's interrupts per CPU during figure name: {'cpu0': n, ...}."""
        self.get(name, s).setdefault('irqs', []).append(counts)

    def dnf(self, name, s, limit):
        d = self.get(name, s)
        d['dnf'] += 1
        d['limit'] = limit

    def note(self, name, text):
        notes = self.figs.setdefault(name, {'name': name, 'unit': 'ns'}).setdefault('notes', [])
        if text not in notes:
            notes.append(text)

    def skip(self, name, s, why):
        self.get(name, s)['skipped'] = why

    def ordered(self):
        """kbench figures first (as kbench printed them), then boot figures by kind and CPU count."""
        def key(f):
            m = re.match(r'(boot|to_kernel|kernel_to_marker|ap_bringup)_(\d+)cpu$', f['name'])
            if not m:
                return (0, 0, 0)
            kinds = ['boot', 'to_kernel', 'kernel_to_marker', 'ap_bringup']
            return (1, kinds.index(m.group(1)), int(m.group(2)))
        return sorted(self.figs.values(), key=key)


def make_iso(cmdline, iso):
    # CMDLINE always given: a `make bench CMDLINE=...` would reach this make through MAKEFLAGS
    args = ['make', '-s', '-j%d' % (os.cpu_count() or 1), 'iso', 'ISO=' + iso, 'CMDLINE=' + cmdline]
    subprocess.run(args, cwd=REPO, check=True)
    return iso


def kbench_run(res, s, args, limit, log):
    """One kbench boot; its figures go into res. Returns the Boot."""
    watch = {'done': DONE.pattern, 'shell': r'peer: shell up'}
    b = vm.run(args, watch, 'done', limit, log)
    say('  %s kbench boot: %.0f s' % (s, b.elapsed))
    return collect(res, s, b, limit, log)


def disk_args(a):
    """The kbench disk arguments both systems get (mib=, ops=)."""
    return b'mib=%d ops=%d' % (a.disk_mib, a.disk_ops)


def svc_run(res, a, iso, runs, limit, log):
    """svc_restart, Red Bear only: a normal boot, root's login, `kbench svc`
    (kbench as init has no services; docs/stress.md); after it, with the
    bench disks attached, `kbench disk` (the disk figures need diskd and
    the drivers driver-manager starts). svc first: the disk figures are
    the slow part, and a boot cut at its limit keeps what was printed."""
    watch = {'login': r'login: $', 'password': r'Password: $', 'prompt': r'# $',
             'done': DISK_DONE.pattern}
    answers = {'login': b'root\r', 'password': b'redbear\r',
               'prompt': b'kbench svc runs=%d; kbench disk %s virtio=disk:/virtio0 '
                         b'nvme=disk:/nvme0n1 %s\r' % (runs, disk_args(a), IRQ_MATCH)}
    args = vm.shape(a.smp) + ['-cdrom', iso] + vm.disks(disk_dir(), DISK_MIB)
    b = vm.run(args, watch, 'done', limit, log, answers)
    say('  redbear kbench svc and disk boot: %.0f s' % b.elapsed)
    return collect(res, 'redbear', b, limit, log)


def collect(res, s, b, limit, log):
    """The figures a kbench run printed (in Boot b) go into res. Returns b."""
    for m in FIGURE.finditer(b.text):
        if int(m.group(2)) > 0:  # ns=0: kbench could not measure it
            res.add(m.group(1), s, m.group(2), m.group(3))
    for m in SKIPPED.finditer(b.text):
        res.skip(m.group(1), s, m.group(2).strip())
    for m in IRQS.finditer(b.text):
        res.irqs(m.group(1), s, {k: int(v) for k, v in re.findall(r'(cpu\d+)=(\d+)', m.group(2))})
    d = DISK_DONE.search(b.text)
    if d and 'with errors' in d.group(1):
        say('%s: kbench disk finished with errors (log %s)' % (s, log))
    done = DONE.search(b.text)
    if not b.finished:
        say('%s: kbench did not finish in %d s (log %s)' % (s, limit, log))
    elif done and 'with errors' in done.group(1):
        say('%s: kbench finished with errors (log %s)' % (s, log))
    return b


def disk_dir():
    return os.path.join(REPO, 'build', 'bench', 'disks')


def boot_dnf(res, n, s, limit):
    for k in ('boot', 'to_kernel', 'kernel_to_marker', 'ap_bringup'):
        res.dnf('%s_%dcpu' % (k, n), s, limit)


def redbear_boot(res, n, iso, limit, log):
    watch = {'kernel': r'Red Bear OS booting', 'login': r'login: '}
    b = vm.run(vm.shape(n) + ['-cdrom', iso], watch, 'login', limit, log)
    say('  redbear boot, %d CPUs: %.0f s' % (n, b.elapsed))
    if not b.finished:
        boot_dnf(res, n, 'redbear', limit)
        return
    res.add('boot_%dcpu' % n, 'redbear', b.seen['login'] * 1e9)
    if 'kernel' in b.seen:
        res.add('to_kernel_%dcpu' % n, 'redbear', b.seen['kernel'] * 1e9)
        res.add('kernel_to_marker_%dcpu' % n, 'redbear', (b.seen['login'] - b.seen['kernel']) * 1e9)
    m = RB_AP.search(b.text)
    if m:
        res.add('ap_bringup_%dcpu' % n, 'redbear', float(m.group(2)) * 1e6)
        if int(m.group(1)) < n:  # an AP that did not call in within its time is skipped
            res.note('boot_%dcpu' % n, 'Red Bear: %s of %d CPUs online in a boot' % (m.group(1), n))


def linux_boot(res, n, kernel, initrd, limit, log):
    args = vm.shape(n) + ['-kernel', kernel, '-initrd', initrd, '-append',
                          'console=ttyS0 quiet printk.time=1 panic=-1 -- boot']
    b = vm.run(args, {'shell': r'peer: shell up', 'done': r'peer: done'}, 'done', limit, log)
    say('  linux boot, %d CPUs: %.0f s' % (n, b.elapsed))
    linux_boot_figures(res, n, b, limit)


def linux_boot_figures(res, n, b, limit):
    """The boot figures of a Linux boot (a boot run, or a kbench run: same /init)."""
    if 'shell' not in b.seen:
        boot_dnf(res, n, 'linux', limit)
        return
    res.add('boot_%dcpu' % n, 'linux', b.seen['shell'] * 1e9)
    m = LX_UP.search(b.text)
    if m:  # the guest's clock starts in the kernel: what is before it is firmware, load, unpack
        up = float(m.group(1))
        res.add('to_kernel_%dcpu' % n, 'linux', (b.seen['shell'] - up) * 1e9)
        res.add('kernel_to_marker_%dcpu' % n, 'linux', up * 1e9)
    a, z = LX_AP0.search(b.text), LX_AP1.search(b.text)
    if a and z:
        res.add('ap_bringup_%dcpu' % n, 'linux', (float(z.group(1)) - float(a.group(1))) * 1e9)


def host_meta(a, started):
    cpu = 'unknown CPU'
    try:
        with open('/proc/cpuinfo') as f:
            m = re.search(r'model name\s*:\s*(.*)', f.read())
            cpu = m.group(1).strip() if m else cpu
    except OSError:
        pass
    qemu = subprocess.run(['qemu-system-x86_64', '--version'], capture_output=True,
                          text=True).stdout.splitlines()[0]
    return {'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
            'host': platform.node(), 'host_cpu': cpu, 'host_cpus': os.cpu_count() or 1,
            'qemu': qemu, 'accel': vm.ACCEL, 'mem': vm.MEM, 'smp': a.smp, 'runs': a.runs,
            'boot_runs': a.boot_runs, 'batches': a.batches, 'boot_cpus': a.boot_cpus,
            'boot_limit': a.boot_timeout, 'load_start': started,
            'disks': 'virtio-blk and NVMe, %d MiB raw images, cache=writeback, aio default; '
                     'seq over %d MiB, %d random reads' % (DISK_MIB, a.disk_mib, a.disk_ops),
            'load_end': started, 'seconds': 0, 'partial': True}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--runs', type=int, default=3, help='kbench boots of each system (3)')
    ap.add_argument('--boot-runs', type=int, default=None, help='boots per CPU count (--runs)')
    ap.add_argument('--smp', type=int, default=None, help='CPUs for the kbench boots (4; --quick: 2)')
    ap.add_argument('--batches', type=int, default=5, help='kbench batches per figure (5)')
    ap.add_argument('--boot-cpus', default='1,4,16,64,255', help='CPU counts of the boot figures')
    ap.add_argument('--boot-timeout', type=int, default=300, help='time limit of one boot, s (300)')
    ap.add_argument('--timeout', type=int, default=900, help='time limit of one kbench boot, s (900)')
    ap.add_argument('--quick', action='store_true',
                    help='the make check smoke: 1 run, 1 batch, boot figure at --smp only')
    ap.add_argument('--disk-mib', type=int, default=None,
                    help='MiB the disk figures read, at most %d (16; --quick: 4)' % DISK_MIB)
    ap.add_argument('--disk-ops', type=int, default=None,
                    help='random 4 KiB reads per disk figure (500; --quick: 128)')
    ap.add_argument('--out', default=None, help='output directory (build/bench, build/bench/smoke)')
    ap.add_argument('--replot', action='store_true', help='only redo table and plots from --out')
    a = ap.parse_args()
    if a.replot:
        replot(os.path.abspath(a.out or os.path.join(REPO, 'build', 'bench')))
        return
    if a.smp is None:  # 2 CPUs are enough for the _2cpu figures and cheaper on a small host
        a.smp = 2 if a.quick else 4
    if a.disk_mib is None:
        a.disk_mib = 4 if a.quick else 16  # Red Bear reads 1-3 MB/s under TCG (docs/performance.md)
    if a.disk_ops is None:
        a.disk_ops = 128 if a.quick else 500
    if not 1 <= a.disk_mib <= DISK_MIB or a.disk_ops < 1:
        ap.error('--disk-mib takes 1 to %d, --disk-ops at least 1' % DISK_MIB)
    if a.quick:
        a.runs, a.boot_runs, a.batches, a.boot_cpus = 1, 1, 1, str(a.smp)
    try:
        a.boot_cpus = [int(x) for x in a.boot_cpus.split(',') if x]
    except ValueError:
        ap.error('--boot-cpus takes numbers separated by commas')
    if a.runs < 1 or a.batches < 1 or a.smp < 1 or not a.boot_cpus or \
            any(n < 1 or n > 255 for n in a.boot_cpus):
        ap.error('runs, batches and smp must be at least 1, boot CPU counts 1 to 255')
    if a.boot_runs is None:
        a.boot_runs = a.runs
    out = a.out or os.path.join(REPO, 'build', 'bench', 'smoke' if a.quick else '')
    out = os.path.abspath(out)
    t0 = time.monotonic()
    started = '%.1f' % os.getloadavg()[0]

    isodir = os.path.join(REPO, 'build', 'bench', 'iso')
    kbench_iso = make_iso('init=/bin/kbench init.batches=%d' % a.batches,
                          os.path.join(isodir, 'kbench-b%d.iso' % a.batches))
    boot_iso = make_iso('', os.path.join(isodir, 'boot.iso'))
    kernel, initrd = peer.kernel(), peer.initramfs()
    res = Results()
    meta = host_meta(a, started)
    meta['linux_kernel'] = os.path.basename(kernel)
    meta['busybox'] = os.path.basename(peer.download('busybox-static'))
    try:
        measure(a, res, meta, t0, out, kbench_iso, boot_iso, kernel, initrd)
    except KeyboardInterrupt:  # Ctrl-C: keep what was measured, marked partial
        publish(out, res, meta, a, t0, final=False)
        print(report.markdown(meta, res.ordered()))
        say('interrupted: partial results in %s' % out)
        sys.exit(130)
    publish(out, res, meta, a, t0, final=True)
    say('wrote %s/results.json, results.md, ratios.svg, boot.svg in %d s' % (out, meta['seconds']))


def measure(a, res, meta, t0, out, kbench_iso, boot_iso, kernel, initrd):
    """The boots, alternating Red Bear and Linux; outputs rewritten after each."""
    logs = os.path.join(out, 'logs')
    lx_kbench = vm.shape(a.smp) + ['-kernel', kernel, '-initrd', initrd, '-append',
                                   'console=ttyS0 quiet panic=-1 -- bench disk %d %d batches=%d'
                                   % (a.disk_mib, a.disk_ops, a.batches)] + \
        vm.disks(disk_dir(), DISK_MIB)
    for r in range(max(a.runs, a.boot_runs)):
        if r < a.runs:
            say('run %d/%d: kbench on Red Bear, %d CPUs' % (r + 1, a.runs, a.smp))
            kbench_run(res, 'redbear', vm.shape(a.smp) + ['-cdrom', kbench_iso], a.timeout,
                       os.path.join(logs, 'redbear-kbench-%d.log' % r))
            say('run %d/%d: kbench on Linux, %d CPUs' % (r + 1, a.runs, a.smp))
            lb = kbench_run(res, 'linux', lx_kbench, a.timeout,
                            os.path.join(logs, 'linux-kbench-%d.log' % r))
            if a.quick:  # the smoke takes Linux's boot figure from this boot (same /init)
                linux_boot_figures(res, a.smp, lb, a.timeout)
            say('run %d/%d: kbench disk and svc on Red Bear, %d CPUs' % (r + 1, a.runs, a.smp))
            svc_run(res, a, boot_iso, 3 if a.quick else 5, a.timeout,
                    os.path.join(logs, 'redbear-svc-%d.log' % r))
            publish(out, res, meta, a, t0, final=False)
        if r < a.boot_runs:
            for n in a.boot_cpus:
                say('boot run %d/%d: %d CPUs, Red Bear then Linux' % (r + 1, a.boot_runs, n))
                redbear_boot(res, n, boot_iso, a.boot_timeout,
                             os.path.join(logs, 'redbear-boot-%dcpu-%d.log' % (n, r)))
                if not a.quick:
                    linux_boot(res, n, kernel, initrd, a.boot_timeout,
                               os.path.join(logs, 'linux-boot-%dcpu-%d.log' % (n, r)))
                publish(out, res, meta, a, t0, final=False)


def publish(out, res, meta, a, t0, final):
    """Write the outputs; after every boot too (final=False: marked partial), so
    a run cut short still leaves what it measured."""
    figures = res.ordered()
    meta['seconds'] = int(time.monotonic() - t0)
    meta['partial'] = not final
    meta['load_end'] = '%.1f' % os.getloadavg()[0]
    report.write(out, meta, figures)
    plots(out, meta, figures)
    if final:
        print(report.markdown(meta, figures))


def plots(out, meta, figures):
    title = 'Red Bear OS vs Linux, QEMU %s, %s' % (meta['accel'], meta['date'])
    with open(os.path.join(out, 'ratios.svg'), 'w') as f:
        f.write(svg.ratios(figures, title + ', %d CPUs' % meta['smp']))
    with open(os.path.join(out, 'boot.svg'), 'w') as f:
        f.write(svg.boot(figures, meta['boot_cpus'], 'Boot against CPU count, ' + title))


def replot(out):
    """--replot: the table and plots again from out/results.json."""
    with open(os.path.join(out, 'results.json')) as f:
        doc = json.load(f)
    figures = doc.pop('figures')
    doc.pop('targets', None)
    report.write(out, doc, figures)
    plots(out, doc, figures)
    print(report.markdown(doc, figures))

if __name__ == '__main__':
    main()
