"""The plots of `make bench`, plain SVG from the standard library.

    ratios(figures) -> text of ratios.svg: one horizontal bar per figure,
        Red Bear / Linux on a log axis, from the 1.0 line (left: we are
        faster, green; right: slower, red); a figure one side lacks gets a
        grey row saying which side has it.
    boot(figures, cpus) -> text of boot.svg: two panels against CPU count
        (log axis): QEMU start to login / shell in seconds, and AP bring-up
        in milliseconds (log axis); medians with min-max whiskers, a boot
        that hit the time limit as an open marker labelled DNF at the top.
"""
import math
from xml.sax.saxutils import escape

import report

FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'
COLOURS = {'redbear': '#c0392b', 'linux': '#2c3e50'}
LABELS = {'redbear': 'Red Bear OS', 'linux': 'Linux (Debian, busybox)'}


def text(x, y, s, size=12, anchor='start', extra=''):
    return '<text x="%.1f" y="%.1f" font-size="%d" text-anchor="%s" %s %s>%s</text>' % (
        x, y, size, anchor, FONT, extra, escape(s))


def line(x1, y1, x2, y2, colour='#000', width=1, extra=''):
    return '<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%s" %s/>' % (
        x1, y1, x2, y2, colour, width, extra)


def doc(w, h, body):
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">\n'
            '<rect width="100%%" height="100%%" fill="white"/>\n%s\n</svg>\n' % (w, h, w, h, '\n'.join(body)))


def decades(lo, hi):
    """Tick values 1, 2, 5 x 10^k covering [lo, hi] (only 10^k past 3 decades)."""
    ticks = []
    k = math.floor(math.log10(lo))
    steps = (1, 2, 5) if math.log10(hi / lo) <= 3.01 else (1,)
    while 10 ** k <= hi * 1.0001:
        for m in steps:
            v = m * 10 ** k
            if lo * 0.9999 <= v <= hi * 1.0001:
                ticks.append(v)
        k += 1
    return ticks


def nice(v):
    """The smallest 1, 2 or 5 x 10^k at or above v."""
    k = 10 ** math.floor(math.log10(v))
    return next(m * k for m in (1, 2, 5, 10) if m * k >= v * 0.9999)


def num(v):
    return '%g' % v


def ratios(figures, title):
    rows = [(f['name'], report.ratio(f), f) for f in figures]
    have = [r for _, r, _ in rows if r]
    lo = min(have + [1.0]) / 1.5
    hi = max(have + [1.0]) * 1.5
    lo, hi = 10 ** math.floor(math.log10(lo)), 10 ** math.ceil(math.log10(hi))
    left, right, top, rowh = 230, 60, 70, 22
    width = 900
    plot_w = width - left - right
    height = top + rowh * len(rows) + 60

    def x(v):
        return left + plot_w * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))

    body = [text(width / 2, 24, title, 16, 'middle', 'font-weight="bold"'),
            text(width / 2, 44, 'Red Bear median / Linux median per figure, log scale; '
                 'left of 1.0 (green): Red Bear faster; right (red): slower', 11, 'middle')]
    bottom = top + rowh * len(rows)
    for t in decades(lo, hi):
        body.append(line(x(t), top - 6, x(t), bottom, '#ddd'))
        body.append(text(x(t), bottom + 16, num(t), 11, 'middle'))
    body.append(text(left + plot_w / 2, bottom + 40, 'ratio Red Bear / Linux (log scale)', 12, 'middle'))
    for i, (name, r, f) in enumerate(rows):
        y = top + i * rowh
        body.append(text(left - 8, y + 15, name, 11, 'end'))
        if r:
            x0, x1 = sorted((x(1.0), x(r)))
            colour = '#27ae60' if r <= 1.0 else '#c0392b'
            body.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s"/>' % (
                x0, y + 4, max(x1 - x0, 1), rowh - 8, colour))
            lx = x(r) + (4 if r > 1.0 else -4)
            body.append(text(lx, y + 15, '%.2f' % r, 10, 'start' if r > 1.0 else 'end'))
        else:
            why = ['%s %s' % ('Red Bear' if s == 'redbear' else 'Linux', report.cell(f, s))
                   for s in report.SIDES if not report.side(f, s)['values']]
            body.append(text(x(1.0) + 6, y + 15, 'no ratio: ' + '; '.join(why), 10, 'start',
                             'fill="#888"'))
    body.append(line(x(1.0), top - 6, x(1.0), bottom, '#000', 1.5))
    return doc(width, height, body)


def series(figures, prefix, cpus, s):
    """[(cpus, median, lo, hi, dnf_limit)] of figure prefix+'_Ncpu' for side s."""
    by = {f['name']: f for f in figures}
    out = []
    for n in cpus:
        f = by.get('%s_%dcpu' % (prefix, n))
        if not f:
            continue
        d = report.side(f, s)
        if d['values']:
            v = d['values']
            out.append((n, report.median(f, s), min(v), max(v), None))
        elif d['dnf']:
            out.append((n, None, None, None, d['limit']))
    return out


def panel(body, figures, cpus, prefix, scale, unit, title, ox, oy, w, h, logy):
    data = {s: series(figures, prefix, cpus, s) for s in report.SIDES}
    vals = [v / scale for s in data for p in data[s] for v in p[1:4] if v]
    if not vals:
        vals = [1.0]
    if logy:
        lo = 10 ** math.floor(math.log10(max(min(vals), 1e-3)))
        hi = 10 ** math.ceil(math.log10(max(vals) * 1.2))
    else:
        lo, hi = 0.0, nice(max(vals) * 1.1)
    xlo, xhi = math.log2(min(cpus)) - 0.3, math.log2(max(cpus)) + 0.3
    pl, pr, pt, pb = ox + 60, ox + w - 10, oy + 30, oy + h - 45

    def X(n):
        return pl + (pr - pl) * (math.log2(n) - xlo) / (xhi - xlo)

    def Y(v):
        if logy:
            v = max(v, lo)
            return pb - (pb - pt) * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        return pb - (pb - pt) * (v - lo) / (hi - lo)

    body.append(text((pl + pr) / 2, oy + 16, title, 13, 'middle', 'font-weight="bold"'))
    if logy:
        ticks = decades(lo, hi)
    else:
        step = nice(hi / 5)
        ticks = [step * i for i in range(int(hi / step + 1e-9) + 1)]
    for t in ticks:
        body.append(line(pl, Y(t), pr, Y(t), '#e5e5e5'))
        body.append(text(pl - 6, Y(t) + 4, num(t), 10, 'end'))
    for n in cpus:
        body.append(line(X(n), pt, X(n), pb, '#f0f0f0'))
        body.append(text(X(n), pb + 16, str(n), 10, 'middle'))
    body.append(line(pl, pb, pr, pb))
    body.append(line(pl, pt, pl, pb))
    body.append(text((pl + pr) / 2, pb + 36, 'CPUs (log scale)', 11, 'middle'))
    body.append(text(ox + 14, (pt + pb) / 2, unit + (' (log scale)' if logy else ''), 11, 'middle',
                     'transform="rotate(-90 %.1f %.1f)"' % (ox + 14, (pt + pb) / 2)))
    for s, pts in data.items():
        c = COLOURS[s]
        done = [(n, m / scale, a / scale, b / scale) for n, m, a, b, d in pts if m is not None]
        if len(done) > 1:
            body.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (
                c, ' '.join('%.1f,%.1f' % (X(n), Y(m)) for n, m, _, _ in done)))
        for n, m, a, b in done:
            body.append(line(X(n), Y(a), X(n), Y(b), c, 1))
            body.append('<circle cx="%.1f" cy="%.1f" r="4" fill="%s"/>' % (X(n), Y(m), c))
        for n, m, a, b, d in pts:
            if m is None:
                body.append('<circle cx="%.1f" cy="%.1f" r="5" fill="white" stroke="%s" stroke-width="2"/>'
                            % (X(n), pt + 6, c))
                last = n == max(cpus)  # keep the label inside the panel
                body.append(text(X(n) + (6 if last else 0), pt + 24 + (12 if s == 'linux' else 0),
                                 'DNF in %d s' % d, 10, 'end' if last else 'middle',
                                 'fill="%s"' % c))


def boot(figures, cpus, title):
    width, height = 1000, 420
    body = [text(width / 2, 22, title, 16, 'middle', 'font-weight="bold"')]
    panel(body, figures, cpus, 'boot', 1e9, 'seconds',
          'QEMU start to login (Red Bear) / shell (Linux)', 0, 40, 500, 330, False)
    panel(body, figures, cpus, 'ap_bringup', 1e6, 'milliseconds',
          'AP bring-up (kernel log)', 500, 40, 500, 330, True)
    for i, s in enumerate(report.SIDES):
        x = 300 + i * 230
        body.append(line(x, height - 18, x + 24, height - 18, COLOURS[s], 3))
        body.append(text(x + 30, height - 14, LABELS[s], 12))
    body.append(text(width - 10, height - 14, 'median, bars min-max', 10, 'end', 'fill="#666"'))
    return doc(width, height, body)
