#!/usr/bin/env python3
"""bootchart.py - boot an image once and chart where the boot time went.

`make bootchart` runs this. It builds an ISO whose command line asks init
to print its boot timeline on the console (init.timeline=serial), boots it
in QEMU (TCG, 4 CPUs, BIOS; --uefi for OVMF) through tests/boot/qemu.py,
and notes the host time from QEMU's start to:
  - the kernel's first line (`Red Bear OS booting`),
  - the first `login: ` prompt,
  - the end of the timeline block (`--- boot-timeline end ---`),
  - `init: ... services ready` (today's init; a fallback milestone).
It stops when it has the timeline and the prompt (or one of them and no
sign of the other within a grace time, or at the timeout), kills QEMU,
writes build/bootchart.log (the marks as `# host: key=ms` lines, then the
serial output) and runs build/host/bootchart on it, which prints the
summary and writes build/bootchart.svg. Timings are printed, never judged:
TCG on a loaded machine varies a lot from run to run.

Single-threaded apart from qemu.py's reader thread; the QEMU process is
owned here and always killed before exit.
"""
import argparse
import os
import re
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'tests', 'boot'))
import qemu  # noqa: E402

MILESTONES = {
    'kernel': r'Red Bear OS booting',
    'login': r'login: ',
    'timeline': r'--- boot-timeline end ---',
    'services': r'init: .*services ready',
}
GRACE = 5.0  # seconds to wait for the prompt after the timeline, and back


def watch(vm, timeout):
    """Host seconds from QEMU's start to each milestone first seen (a dict)."""
    seen = {}
    rx = {k: re.compile(v, re.M) for k, v in MILESTONES.items()}
    deadline = time.monotonic() + timeout * qemu.TIMEOUT_SCALE
    with vm.cond:
        while True:
            now = time.monotonic()
            for k, r in rx.items():
                if k not in seen and r.search(vm.output):
                    seen[k] = now - vm.start_time
            if 'login' in seen and 'timeline' in seen:
                return seen
            # one of the two and a grace time without the other: it is not coming
            last = max([seen[k] for k in ('login', 'timeline', 'services') if k in seen],
                       default=None)
            stop = deadline
            if last is not None:
                stop = min(deadline, vm.start_time + last + GRACE * qemu.TIMEOUT_SCALE)
            if vm.exited or now >= stop:
                return seen
            vm.cond.wait(stop - now)


def marks(seen):
    """`# host:` lines for the log (integer ms)."""
    ms = {k: int(v * 1000) for k, v in seen.items()}
    out = []
    for k in ('kernel', 'login', 'timeline', 'services'):
        if k in ms:
            out.append('qemu_start_to_%s_ms=%d' % (k, ms[k]))
    if 'kernel' in ms:
        end = 'login' if 'login' in ms else 'services' if 'services' in ms else None
        if end:
            out.append('kernel_line_to_%s_ms=%d' % (end, ms[end] - ms['kernel']))
    return ['# host: ' + m for m in out]


def main():
    ap = argparse.ArgumentParser(description='Boot the image once and chart the boot.')
    ap.add_argument('--uefi', action='store_true', help='boot with OVMF instead of SeaBIOS')
    ap.add_argument('--smp', type=int, default=4, help='CPUs (default 4)')
    ap.add_argument('--timeout', type=float, default=60,
                    help='seconds to wait for the milestones (scaled by REDBEAR_TIMEOUT_SCALE)')
    ap.add_argument('--cmdline', default='init.timeline=serial', help='kernel command line')
    ap.add_argument('--out', default=os.path.join(REPO, 'build', 'bootchart.svg'))
    ap.add_argument('--log', default=os.path.join(REPO, 'build', 'bootchart.log'))
    ap.add_argument('--attempts', type=int, default=2,
                    help='boots to try while the timeline comes out garbled (default 2)')
    args = ap.parse_args()

    tool = os.path.join(REPO, 'build', 'host', 'bootchart')
    subprocess.run(['make', '-s', '-C', REPO, 'build/host/bootchart'], check=True)
    iso = qemu.build_iso(args.cmdline, name='bootchart')
    name = 'bootchart-uefi' if args.uefi else 'bootchart'
    for attempt in range(1, args.attempts + 1):
        rc, err = boot_and_chart(args, tool, iso, name)
        if rc == 0 or 'timeline' not in err:
            break
        # Other console output (getty's prompt) can land inside the JSON
        # line: the kernel writes a long line in 255-byte pieces.
        garbled = os.path.splitext(args.log)[0] + '-garbled.log'
        os.replace(args.log, garbled)
        if attempt < args.attempts:
            print('bootchart: the timeline did not parse (kept in %s); booting again' % garbled)
            continue
        print('bootchart: the timeline did not parse in %d boots (the last is kept in %s); '
              'charting the kernel phases of the last one' % (args.attempts, garbled))
        with open(garbled) as f, open(args.log, 'w') as out:
            out.write(drop_timeline(f.read()))
        rc = subprocess.run([tool, '-o', args.out, args.log]).returncode
    print('bootchart: log %s' % args.log)
    return rc


def drop_timeline(text):
    """text without its timeline block (the begin line up to the end line)."""
    out, inside = [], False
    for line in text.split('\n'):
        if not inside and line.endswith('--- boot-timeline begin ---'):
            inside = True
        elif inside and '--- boot-timeline end ---' in line:
            inside = False
        elif not inside:
            out.append(line)
    return '\n'.join(out)


def boot_and_chart(args, tool, iso, name):
    """Boot once, write the log, run the tool: (its exit status, its stderr)."""
    with qemu.Qemu(iso, name, smp=args.smp, uefi=args.uefi) as vm:
        seen = watch(vm, args.timeout)
        output = vm.output
    lines = marks(seen)
    with open(args.log, 'w') as f:
        f.write('\n'.join(lines + [output]))
    print('bootchart: %s boot, %d CPUs, accel %s' % ('UEFI' if args.uefi else 'BIOS', args.smp,
                                                      qemu.ACCEL))
    for k, v in sorted(seen.items(), key=lambda kv: kv[1]):
        print('bootchart: QEMU start -> %-8s %6d ms  (%s)' % (k, v * 1000, MILESTONES[k]))
    if 'login' not in seen:
        print('bootchart: no `login: ` prompt seen; timed the other milestones only')
    if 'timeline' not in seen:
        print('bootchart: no boot timeline on the console (init without timeline=serial '
              'support?): the chart shows kernel phases only')
    r = subprocess.run([tool, '-o', args.out, args.log], stderr=subprocess.PIPE, text=True)
    sys.stderr.write(r.stderr)
    return r.returncode, r.stderr

if __name__ == '__main__':
    sys.exit(main())
