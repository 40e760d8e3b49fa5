"""`make bench` smoke: run scripts/bench/bench.py --quick (one kbench boot
of each system with one batch; 2 CPUs, one normal boot of Red Bear, while
Linux's boot figure comes from its kbench boot, whose /init prints the same
marker, and one normal boot of Red Bear logged in as root running `kbench
svc`) and check that it wrote its outputs with both systems' rows:
kbench figures measured on Red Bear and on Linux, Red Bear's
svc_restart (Linux: skipped, no service manager), the boot figure (Red
Bear's time to login; Linux's time or "did not finish"), the disk rows
(sequential read and random reads at queue depth 1 and 32 on virtio-blk
and NVMe, with the interrupts per CPU, from `kbench disk` on both
systems: a few MiB and reads in --quick), the targets, a final (not
partial) results.json, and SVG files that parse.
Never a timing: the figures are printed, not asserted
(docs/performance.md)."""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

from qemu import REPO

OUT = os.path.join(REPO, 'build', 'bench', 'smoke')
# figures both systems have (kbench's portable loops)
BOTH = ['null_syscall', 'yield_1cpu', 'thread_create_join', 'spawn_wait', 'pipe_rtt_1cpu']
# the disk rows, each with its unit and the interrupts per CPU
DISKS = {'disk_%s_%s' % (d, f): unit for d in ('virtio', 'nvme')
         for f, unit in (('seq_read', 'MB/s'), ('randread_qd1', 'IOPS'), ('randread_qd32', 'IOPS'))}


def test_bench_quick_has_both_systems():
    r = subprocess.run([sys.executable, os.path.join(REPO, 'scripts', 'bench', 'bench.py'),
                        '--quick', '--out', OUT], cwd=REPO, capture_output=True, text=True,
                       timeout=900)
    print(r.stderr[-3000:])
    assert r.returncode == 0, r.stderr[-2000:]
    assert '| figure | Red Bear median | Linux median |' in r.stdout
    with open(os.path.join(OUT, 'results.json')) as f:
        doc = json.load(f)
    figs = {f['name']: f for f in doc['figures']}
    for name in BOTH:
        assert name in figs, 'no row for %s' % name
        for side in ('redbear', 'linux'):
            assert figs[name].get(side, {}).get('values'), '%s: no %s figure' % (name, side)
    assert doc['partial'] is False, 'results.json still marked partial'
    for name, unit in DISKS.items():
        assert name in figs and figs[name]['unit'] == unit, 'no %s row in %s' % (name, unit)
        for side in ('redbear', 'linux'):
            d = figs[name].get(side, {})
            assert d.get('values'), '%s: no %s figure' % (name, side)
            assert d.get('irqs') and 'cpu0' in d['irqs'][-1], '%s: no %s interrupts' % (name, side)
    svc = figs.get('svc_restart', {})
    assert svc.get('redbear', {}).get('values'), 'svc_restart: no Red Bear figure'
    assert svc.get('linux', {}).get('skipped'), 'svc_restart: Linux not marked skipped'
    boot = figs.get('boot_2cpu')
    assert boot, 'no boot row'
    # Red Bear must reach login: a DNF there is a boot that failed (every
    # boot test would fail too); Linux under TCG may hit the limit
    assert boot.get('redbear', {}).get('values'), 'boot_2cpu: Red Bear did not reach login'
    d = boot.get('linux', {})
    assert d.get('values') or d.get('dnf'), 'boot_2cpu: nothing for linux'
    assert doc['targets'] and all(t['status'] in ('met', 'missed', 'not measured')
                                  for t in doc['targets'])
    with open(os.path.join(OUT, 'results.md')) as f:
        md = f.read()
    assert '| null_syscall |' in md and '| disk_nvme_randread_qd32 |' in md
    assert '## Disk interrupts per CPU' in md
    for name in ('ratios.svg', 'boot.svg'):
        root = ET.parse(os.path.join(OUT, name)).getroot()
        assert root.tag.endswith('svg')
