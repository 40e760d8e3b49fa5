"""Run the bootchart host tool (tools/bootchart, lib/bootchart) on the
fixtures in tests/tools/data: the SVG is well-formed XML with a bar per
kernel phase and per service and the critical path marked, the summary
names the path; a log without a timeline charts the kernel phases only and
says so; malformed logs and bad arguments fail with a clear message (exit 1
and 2), never a crash or a half-written chart.
"""

import json
import os
import subprocess
import xml.etree.ElementTree as ET

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(REPO, 'build', 'host', 'bootchart')
DATA = os.path.join(REPO, 'tests', 'tools', 'data')
SVG = '{http://www.w3.org/2000/svg}'


@pytest.fixture(scope='module', autouse=True)
def built():
    subprocess.run(['make', '-s', '-C', REPO, 'build/host/bootchart'], check=True)


def run(*args):
    return subprocess.run([TOOL] + list(args), capture_output=True, text=True)


def chart(tmp_path, log):
    out = tmp_path / 'chart.svg'
    r = run('-o', str(out), log)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ''
    return r.stdout, ET.parse(str(out)).getroot()


def timeline_of(path):
    lines = open(path).read().splitlines()
    i = lines.index(next(l for l in lines if l.endswith('--- boot-timeline begin ---')))
    return json.loads(lines[i + 1].split('] ', 1)[1])


def test_full_log(tmp_path):
    log = os.path.join(DATA, 'bootchart-full.log')
    out, root = chart(tmp_path, log)
    assert root.tag == SVG + 'svg'
    tl = timeline_of(log)
    bars = {r.get('data-service'): r for r in root.iter(SVG + 'rect') if r.get('data-service')}
    assert sorted(bars) == sorted(s['name'] for s in tl['services'])
    phases = [r.get('data-phase') for r in root.iter(SVG + 'rect') if r.get('data-phase')]
    assert phases == ['memory', 'ACPI tables', 'timer calibration', 'SMP bring-up', 'late init',
                      'start init']
    # ramfsd <- logd <- ipcd <- getty: each step the requires/after service done last
    critical = sorted(n for n, r in bars.items() if 'critical' in r.get('class').split())
    assert critical == ['getty', 'ipcd', 'logd', 'ramfsd']
    assert 'critical path: ramfsd (119.8) -> logd (125.1) -> ipcd (131.7) -> getty (132.5)' in out
    assert 'host: qemu_start_to_login_ms=1412' in out
    assert 'kernel to init: 71.4 ms' in out
    assert '    motd: start 120.3 ready - exit 124.0 state exited' in out
    # bars sit on the time axis in order: a later start is never left of an earlier one
    xs = sorted((s['start_ns'], int(bars[s['name']].get('x'))) for s in tl['services'])
    assert [x for _, x in xs] == sorted(x for _, x in xs)
    assert any(t.text == 'ms' for t in root.iter(SVG + 'text'))


def test_kernel_only(tmp_path):
    out, root = chart(tmp_path, os.path.join(DATA, 'bootchart-kernel-only.log'))
    assert 'no boot timeline in the log: kernel phases only' in out
    assert not [r for r in root.iter(SVG + 'rect') if r.get('data-service')]
    assert len([r for r in root.iter(SVG + 'rect') if r.get('data-phase')]) == 6
    assert any('kernel phases only' in (t.text or '') for t in root.iter(SVG + 'text'))


def test_summary_without_svg():
    r = run(os.path.join(DATA, 'bootchart-full.log'))
    assert r.returncode == 0
    assert 'critical path:' in r.stdout and 'chart:' not in r.stdout


def bad_log(tmp_path, text, why):
    log = tmp_path / 'bad.log'
    log.write_bytes(text if isinstance(text, bytes) else text.encode())
    out = tmp_path / 'bad.svg'
    r = run('-o', str(out), str(log))
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert why in r.stderr, r.stderr
    assert r.stderr.startswith('bootchart: %s: ' % log)
    assert not out.exists()


def test_bad_logs(tmp_path):
    full = open(os.path.join(DATA, 'bootchart-full.log')).read()
    cut = full[:full.index('"logd"')]
    bad_log(tmp_path, cut + '\n', 'timeline JSON, byte')
    bad_log(tmp_path, full.replace('--- boot-timeline end ---', ''), 'never ended')
    bad_log(tmp_path, full.replace('"version":1', '"version":7'), 'unknown version')
    bad_log(tmp_path, full.replace('"start_ns":72100000', '"start_ns":-3'), 'non-negative')
    bad_log(tmp_path, '# host: x=soon\n', 'line 1: bad host mark')
    bad_log(tmp_path, b'\x00\xff\xfe garbage\n', 'not a Red Bear OS serial log')
    bad_log(tmp_path, '', 'not a Red Bear OS serial log')


def test_bad_arguments(tmp_path):
    r = run()
    assert r.returncode == 2 and 'no log given' in r.stderr
    r = run('-x', 'a')
    assert r.returncode == 2 and "unknown option '-x'" in r.stderr
    r = run('a', 'b')
    assert r.returncode == 2 and 'more than one log' in r.stderr
    r = run('a', '-o')
    assert r.returncode == 2 and '-o needs a file name' in r.stderr
    r = run(str(tmp_path / 'missing.log'))
    assert r.returncode == 1 and 'No such file' in r.stderr
    r = run('--help')
    assert r.returncode == 0 and r.stdout.startswith('usage: bootchart')
    r = run('-o', str(tmp_path / 'no' / 'such' / 'dir.svg'), os.path.join(DATA, 'bootchart-full.log'))
    assert r.returncode == 1 and 'dir.svg: No such file' in r.stderr


def test_real_init_timeline(tmp_path):
    """A log captured by `make bootchart` on s-chart merged with s-init's init
    (no getty in that tree: it failed to start, at once)."""
    log = os.path.join(DATA, 'bootchart-s-init.log')
    out, root = chart(tmp_path, log)
    tl = timeline_of(log)
    bars = {r.get('data-service'): r for r in root.iter(SVG + 'rect') if r.get('data-service')}
    assert sorted(bars) == sorted(s['name'] for s in tl['services'])
    assert sorted(bars) == ['getty', 'ipcd', 'logd', 'ramfsd']
    critical = sorted(n for n, r in bars.items() if 'critical' in r.get('class').split())
    assert critical == ['getty', 'logd', 'ramfsd']
    assert 'critical path: ramfsd (419.8) -> logd (471.2) -> getty (723.4)' in out
    assert 'host: qemu_start_to_timeline_ms=3215' in out


def test_geometry_inside_the_picture(tmp_path):
    for name in ('bootchart-full.log', 'bootchart-kernel-only.log', 'bootchart-s-init.log'):
        _, root = chart(tmp_path, os.path.join(DATA, name))
        w, h = int(root.get('width')), int(root.get('height'))
        assert root.get('viewBox') == '0 0 %d %d' % (w, h)
        for r in root.iter(SVG + 'rect'):
            x, y = int(r.get('x')), int(r.get('y'))
            rw, rh = int(r.get('width')), int(r.get('height'))
            assert 0 <= x and x + rw <= w and 0 <= y and y + rh <= h, (name, r.attrib)
        for t in root.iter(SVG + 'text'):
            assert 0 <= int(t.get('x')) <= w and 0 <= int(t.get('y')) <= h, (name, t.attrib)


def test_script_marks():
    """scripts/bootchart.py turns milestone times into `# host:` lines the tool reads."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'bootchart_script', os.path.join(REPO, 'scripts', 'bootchart.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.marks({'kernel': 1.4521, 'login': 2.0007, 'timeline': 1.9}) == [
        '# host: qemu_start_to_kernel_ms=1452', '# host: qemu_start_to_login_ms=2000',
        '# host: qemu_start_to_timeline_ms=1900', '# host: kernel_line_to_login_ms=548']
    assert mod.marks({'kernel': 1.0, 'services': 1.5}) == [
        '# host: qemu_start_to_kernel_ms=1000', '# host: qemu_start_to_services_ms=1500',
        '# host: kernel_line_to_services_ms=500']
    assert mod.marks({}) == []


def test_script_drop_timeline(tmp_path):
    """A garbled timeline is cut out and the rest still charts (kernel phases)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'bootchart_script', os.path.join(REPO, 'scripts', 'bootchart.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    full = open(os.path.join(DATA, 'bootchart-s-init.log')).read()
    i = full.index('"name": "logd"')
    garbled = full[:i] + '\n[    1.030000] login: ' + full[i:]
    bad_log(tmp_path, garbled, 'timeline JSON, byte')
    log = tmp_path / 'cut.log'
    log.write_text(mod.drop_timeline(garbled))
    out, root = chart(tmp_path, str(log))
    assert 'no boot timeline in the log: kernel phases only' in out
    assert 'host: qemu_start_to_timeline_ms=3215' in out
    assert 'boot-timeline' not in log.read_text()


def test_raw_console_output(tmp_path):
    """A boot where user programs' lines carry no kernel stamp (s-login's raw
    console output; captured on s-chart + s-init + s-login, whose getty did
    not start): the timeline and the kernel phases are still found."""
    out, root = chart(tmp_path, os.path.join(DATA, 'bootchart-raw-console.log'))
    bars = [r.get('data-service') for r in root.iter(SVG + 'rect') if r.get('data-service')]
    assert sorted(bars) == ['getty', 'ipcd', 'logd', 'ramfsd']
    assert len([r for r in root.iter(SVG + 'rect') if r.get('data-phase')]) == 6
    assert 'critical path: ramfsd (1183.5) -> logd (1254.0) -> getty (1294.5)' in out
