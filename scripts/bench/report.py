"""Results of `make bench`: the table (stdout and results.md), results.json
and the issue's targets, each marked met / missed / not measured. Nothing
here asserts on a timing: the targets are printed, never enforced.

A figure is {'name', 'unit', 'redbear': side, 'linux': side} with side =
{'values': [ns, ...], 'dnf': count, 'limit': s, 'skipped': why or None};
values are nanoseconds (boot figures too), one per run that measured it.
unit says how the table shows them: 'ns' as a time, 'MB/s' as the rate of
moving 1 MiB in that time (the disk's sequential read, whose value is ns
per MiB), 'IOPS' as operations per second at that time each; the ratio is
always Red Bear / Linux of the time. A disk figure's side may have 'irqs':
[{'cpu0': n, ...}, ...], the driver's interrupts per CPU in each run.
"""
import json
import os
import statistics

SIDES = ('redbear', 'linux')
DASH = '\u2014'

# Why we are behind, where we know; shown in the note column when the
# ratio is above 1. A figure without an entry says so plainly.
NOTES = {}
# The same for every figure whose name starts with the key.
NOTES_PREFIX = {
    'disk_': 'two processes per pread (client and driver: diskd forwards it), a CR3 '
             'switch each way (a soft-TLB flush under TCG), one queue and vector per virtio '
             'disk, and two copies of the data where Linux DMAs into the caller\'s buffer '
             '(docs/performance.md, "Latest disk results")',
}
UNKNOWN = 'behind; cause not investigated yet'


def side(figure, s):
    return figure.get(s) or {'values': [], 'dnf': 0, 'limit': 0, 'skipped': None}


def median(figure, s):
    v = side(figure, s)['values']
    return statistics.median(v) if v else None


def fmt(ns):
    if ns is None:
        return DASH
    if ns >= 10**9:
        return '%.2f s' % (ns / 10**9)
    if ns >= 10**6:
        return '%.2f ms' % (ns / 10**6)
    return '%.2f us' % (ns / 1000)


def fmt_unit(ns, unit):
    """ns per operation as the figure's unit shows it."""
    if ns is None or unit not in ('MB/s', 'IOPS'):
        return fmt(ns)
    if unit == 'MB/s':  # 1 MiB in ns: bytes per us, MB/s
        return '%.1f MB/s' % (2**20 * 1000.0 / ns)
    return '%.0f IOPS' % (10**9 / ns)


def cell(figure, s):
    """The median, or why there is none."""
    d = side(figure, s)
    if d['values']:
        m = fmt_unit(median(figure, s), figure.get('unit'))
        return m + (' (%d DNF)' % d['dnf'] if d['dnf'] else '')
    if d['dnf']:
        return 'did not finish in %d s' % d['limit']
    if d['skipped']:
        return 'skipped: ' + d['skipped']
    return DASH


def span(figure, s):
    v = side(figure, s)['values']
    u = figure.get('unit')
    if u in ('MB/s', 'IOPS'):  # the slowest run first
        return '%s-%s' % (fmt_unit(max(v), u), fmt_unit(min(v), u)) if v else DASH
    return '%s-%s' % (fmt(min(v)), fmt(max(v))) if v else DASH


def ratio(figure):
    o, l = median(figure, 'redbear'), median(figure, 'linux')
    return o / l if o and l else None


def targets(figures):
    """The issue's targets: (text, status, detail) per target."""
    by = {f['name']: f for f in figures}
    out = []

    def cmp(name, text, other=None, factor=1.0, other_side='linux'):
        f, g = by.get(name), by.get(other or name)
        o = median(f, 'redbear') if f else None
        l = median(g, other_side) if g else None
        if o is None or l is None:
            out.append((text, 'not measured', '%s: %s, %s: %s' % (
                name, fmt(o), other or name, fmt(l))))
            return
        ok = o <= factor * l
        u = f.get('unit')
        out.append((text, 'met' if ok else 'missed',
                    '%s vs %s (%.2fx)' % (fmt_unit(o, u), fmt_unit(l, u), o / l)))

    for n in ('null_syscall', 'yield_1cpu', 'thread_create_join', 'spawn_wait',
              'pipe_rtt_1cpu', 'pipe_rtt_2cpu'):
        cmp(n, '%s at or below Linux' % n)
    for c in ('1cpu', '2cpu'):
        cmp('scheme_rtt_' + c, 'scheme_rtt_%s within 1.5x of Linux pipe_rtt_%s' % (c, c),
            other='pipe_rtt_' + c, factor=1.5)
    for f in figures:
        if f['name'].startswith('disk_'):
            cmp(f['name'], '%s within 1.5x of Linux (time per operation)' % f['name'], factor=1.5)
    pis = [f for f in figures if f['name'].startswith('pi_bound')]
    for f in pis:
        o = median(f, 'redbear')
        out.append(('%s under 1 ms' % f['name'],
                    'not measured' if o is None else 'met' if o < 10**6 else 'missed', fmt(o)))
    if not pis:
        out.append(('priority-inversion bound under 1 ms', 'not measured', 'no pi_bound figure'))
    for f in figures:
        if not (f['name'].startswith('boot_') and f['name'].endswith('cpu')):
            continue
        o, l = median(f, 'redbear'), median(f, 'linux')
        text = '%s: Red Bear to login faster than Linux to a busybox shell' % f['name']
        if o is None:
            out.append((text, 'missed' if side(f, 'redbear')['dnf'] else 'not measured',
                        cell(f, 'redbear')))
        elif l is None:
            ok = side(f, 'linux')['dnf'] > 0
            out.append((text, 'met' if ok else 'not measured',
                        '%s vs %s' % (fmt(o), cell(f, 'linux'))))
        else:
            out.append((text, 'met' if o < l else 'missed', '%s vs %s (%.2fx)' % (fmt(o), fmt(l), o / l)))
    return out


def note(figure):
    """Why we are behind (when the ratio is above 1), and what the run noted."""
    out = list(figure.get('notes', []))
    r = ratio(figure)
    if r is not None and r > 1.0:
        why = NOTES.get(figure['name'])
        for prefix, text in NOTES_PREFIX.items():
            if not why and figure['name'].startswith(prefix):
                why = text
        out.insert(0, why or UNKNOWN)
    return '; '.join(out)


def table(figures):
    rows = ['| figure | Red Bear median | Linux median | ratio | Red Bear min-max | Linux min-max | note |',
            '|---|---|---|---|---|---|---|']
    for f in figures:
        r = ratio(f)
        rows.append('| %s | %s | %s | %s | %s | %s | %s |' % (
            f['name'], cell(f, 'redbear'), cell(f, 'linux'), '%.2f' % r if r else DASH,
            span(f, 'redbear'), span(f, 'linux'), note(f)))
    return '\n'.join(rows)


def markdown(meta, figures):
    lines = ['# make bench results' + (' (PARTIAL: the run was cut short or is still going)'
                                       if meta.get('partial') else ''), '',
             '%s; host %s (%s, %d CPUs); %s; accelerator %s; guest q35, %s, %d CPUs for '
             'the kernel figures; %d runs each (boot figures: %d), %d batches per figure; '
             'boot time limit %d s; took %d s.' % (
                 meta['date'], meta['host'], meta['host_cpu'], meta['host_cpus'], meta['qemu'],
                 meta['accel'], meta['mem'], meta['smp'], meta['runs'], meta['boot_runs'],
                 meta['batches'], meta['boot_limit'], meta['seconds']),
             '', 'Linux: %s with a busybox (%s) initramfs. Ratio = Red Bear / Linux: below 1 we '
             'are faster. Host load average at start/end: %s / %s.' % (
                 meta['linux_kernel'], meta['busybox'], meta['load_start'], meta['load_end']),
             '', table(figures), '', '## Targets (printed, never asserted)', '',
             '| target | status | figures |', '|---|---|---|']
    for t in targets(figures):
        lines.append('| %s | %s | %s |' % t)
    irqs = irq_table(figures)
    if irqs:
        lines += ['', '## Disk interrupts per CPU during each disk figure (the last run)', '',
                  'Disks: %s.' % meta.get('disks', '?'), ''] + irqs
    return '\n'.join(lines) + '\n'


def irq_table(figures):
    """Rows of the drivers' interrupts per CPU, the last run of each side."""
    rows = []
    for f in figures:
        cells = []
        for s in SIDES:
            runs = side(f, s).get('irqs') or []
            cells.append(' '.join('%s=%d' % kv for kv in runs[-1].items()) if runs else DASH)
        if cells != [DASH, DASH]:
            rows.append('| %s | %s | %s |' % (f['name'], cells[0], cells[1]))
    return ['| figure | Red Bear | Linux |', '|---|---|---|'] + rows if rows else []


def write(out, meta, figures):
    os.makedirs(out, exist_ok=True)
    doc = dict(meta)
    doc['figures'] = figures
    doc['targets'] = [{'target': t, 'status': s, 'detail': d} for t, s, d in targets(figures)]
    with open(os.path.join(out, 'results.json'), 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')
    with open(os.path.join(out, 'results.md'), 'w') as f:
        f.write(markdown(meta, figures))
