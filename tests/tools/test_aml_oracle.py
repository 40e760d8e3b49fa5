"""Differential test: build/host/aml-inspect against ACPICA (aml-oracle.py).

For every input -- each machine of ../shared/acpi-corpus, each QEMU fixture in
tests/fixtures/qemu, each ASL case in tests/aml/asl (compiled here with iasl)
-- `build/host/aml-inspect DIR` must print exactly what
`../shared/tools/aml-oracle.py DIR` prints.  A failure shows a unified diff
(oracle first, aml-inspect second).

Inputs are named corpus/<machine>, qemu/<fixture> and asl/<case>.  An input
listed in tests/aml/exceptions.txt ("<name> <reason>") is expected to differ
and is marked xfail (not strict) with that reason.

Oracle outputs are cached in build/oracle-cache/<sha256 of the table files and
of aml-oracle.py>, written atomically, so parallel and repeated runs are cheap;
a clean tree runs the oracle live, all inputs at once on a thread per CPU
(about 70 s of acpiexec for the corpus, most of it two machines).  Every
subprocess has a timeout.

test_asl_case_valid checks the ASL cases against the oracle alone: the cases
are self-checking (their _HID methods return "FAIL..." on a wrong result), so
the oracle output must hold no "FAIL" and no "error", except for lines a case
announces in a comment as "oracle-expect: <line>" (errors.asl tests error
paths that way); each announced line must appear.  That keeps the cases
honest independently of aml-inspect.
"""
import concurrent.futures
import difflib
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / 'shared'
CORPUS = SHARED / 'acpi-corpus'
ORACLE = SHARED / 'tools' / 'aml-oracle.py'
QEMU_FIXTURES = ROOT / 'tests' / 'fixtures' / 'qemu'
ASL_DIR = ROOT / 'tests' / 'aml' / 'asl'
EXCEPTIONS = ROOT / 'tests' / 'aml' / 'exceptions.txt'
BUILD = ROOT / 'build'
TOOL = BUILD / 'host' / 'aml-inspect'
CACHE = BUILD / 'oracle-cache'

TOOL_TIMEOUT = 60       # one aml-inspect run
ORACLE_TIMEOUT = 150    # aml-oracle.py runs acpiexec twice, 60 s cap each
# acpiexec prints its "- " prompt and the echo of the command it read from
# two threads; now and then (1 run in 10 for asl/buffers on an idle
# machine, more under load) the echo lands on the next line, aml-oracle.py
# misses it and reports "oracle error acpiexec stopped early".  Such a run
# is retried (it fails in its first, cheap acpiexec pass, so a retry costs
# little); errors are never cached.
ORACLE_TRIES = 8
IASL_TIMEOUT = 60
BUILD_TIMEOUT = 900
# -of: no constant folding, so Add (1, 2) reaches the interpreter as an AddOp
# instead of being compiled to 3.  Other optimisations (ZeroOp/OneOp, relative
# name paths) stay on: they are what firmware AML looks like.
IASL = ['iasl', '-vs', '-of']


def table_dirs(root):
    if not root.is_dir():
        return []
    return sorted(d for d in root.iterdir() if (d / 'dsdt.dat').is_file())


def asl_cases():
    """{case name: [.asl files]}: tests/aml/asl/<case>.asl, or <case>/dsdt.asl + ssdt*.asl."""
    cases = {}
    if ASL_DIR.is_dir():
        for p in sorted(ASL_DIR.iterdir()):
            if p.is_file() and p.suffix == '.asl':
                cases[p.stem] = [p]
            elif p.is_dir() and (p / 'dsdt.asl').is_file():
                cases[p.name] = sorted(p.glob('*.asl'))
    return cases


def load_exceptions():
    res = {}
    if EXCEPTIONS.is_file():
        for line in EXCEPTIONS.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith('#'):
                name, _, reason = line.partition(' ')
                res[name] = reason.strip() or 'listed in tests/aml/exceptions.txt'
    return res


ASL_CASES = asl_cases()
INPUTS = ([('corpus/' + d.name, d) for d in table_dirs(CORPUS)]
          + [('qemu/' + d.name, d) for d in table_dirs(QEMU_FIXTURES)]
          + [('asl/' + c, None) for c in ASL_CASES])
EXCEPTED = load_exceptions()


def params(names):
    out = []
    for name in names:
        marks = ()
        if name in EXCEPTED:
            marks = pytest.mark.xfail(reason=EXCEPTED[name], strict=False)
        out.append(pytest.param(name, id=name, marks=marks))
    return out


# ------------------------------------------------------------------ helpers

def aml_files(d):
    """The files aml-oracle.py loads, dsdt.dat then ssdt*.dat in numeric order."""
    ssdts = [f for f in os.listdir(d) if re.fullmatch(r'ssdt\d*\.dat', f)]
    ssdts.sort(key=lambda f: int(re.sub(r'\D', '', f) or 0))
    return ['dsdt.dat'] + ssdts


def cache_key(d):
    if not ORACLE.is_file():
        pytest.fail('%s not found: the oracle lives in the shared folder beside the repository'
                    % ORACLE)
    h = hashlib.sha256()
    h.update(ORACLE.read_bytes())
    for f in aml_files(d):
        data = (Path(d) / f).read_bytes()
        h.update(b'\0%s\0%d\0' % (f.encode(), len(data)))
        h.update(data)
    return h.hexdigest()


def run(cmd, timeout, **kw):
    try:
        return subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout, universal_newlines=True,
                              errors='replace', **kw)
    except subprocess.TimeoutExpired:
        pytest.fail('%s: no answer within %d s' % (' '.join(map(str, cmd)), timeout))


class OracleFailure(Exception):
    pass


def oracle_live(d):
    """Run aml-oracle.py on d; (exit status, stdout).  Thread-safe."""
    for _ in range(ORACLE_TRIES):
        try:
            p = subprocess.run([sys.executable, str(ORACLE), str(d)], stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=ORACLE_TIMEOUT, universal_newlines=True,
                               errors='replace')
        except subprocess.TimeoutExpired:
            raise OracleFailure('aml-oracle.py %s: no answer within %d s' % (d, ORACLE_TIMEOUT))
        if p.returncode != 2:
            break
    if p.returncode not in (0, 2):
        raise OracleFailure('aml-oracle.py %s: exit %d\n%s' % (d, p.returncode, p.stderr))
    return p.returncode, p.stdout


_oracle_memo = {}


def oracle_output(d):
    """aml-oracle.py's stdout for d, from the on-disk cache when possible."""
    key = cache_key(d)
    if key in _oracle_memo:
        return _oracle_memo[key]
    path = CACHE / key
    if path.is_file():
        out = path.read_text()
    else:
        try:
            rc, out = oracle_live(d)
        except OracleFailure as e:
            pytest.fail(str(e))
        if rc == 0:                  # never cache "oracle error" (e.g. a timeout)
            cache_store(key, out)
    _oracle_memo[key] = out
    return out


def cache_store(key, out):
    """Put an oracle answer in the on-disk cache, atomically."""
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = CACHE / ('.%s.%d.%d' % (key, os.getpid(), threading.get_ident()))
    tmp.write_text(out)
    os.replace(tmp, CACHE / key)


def oracle_again(d, got):
    """A mismatch: ask the oracle once more, bypassing the cache. ACPICA's
    answer for one input has been seen to differ on a loaded host (asl/misc,
    which sleeps and reads the timer: 'count Device 5' once, 6 otherwise),
    and a bad answer must not stay cached. The fresh answer is the one
    compared, and it replaces the cached one."""
    try:
        rc, out = oracle_live(d)
    except OracleFailure as e:
        pytest.fail(str(e))
    if rc == 0:
        key = cache_key(d)
        cache_store(key, out)
        _oracle_memo[key] = out
    return out


def warm_oracle_cache(dirs):
    """Fill the cache for every uncached dir, one oracle per CPU at a time."""
    todo = [d for d in dirs if not (CACHE / cache_key(d)).is_file()]
    if len(todo) < 2:
        return
    workers = min(len(todo), os.cpu_count() or 1)
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(oracle_output_quiet, d) for d in todo]
        concurrent.futures.wait(futures)


def oracle_output_quiet(d):
    """oracle_output for a worker thread: failures are left for the test itself."""
    try:
        oracle_output(d)
    except (Exception, pytest.fail.Exception):   # the test reports it
        pass


_compiled = {}


def compile_case(case, base):
    """Compile ASL case into base/<case>/ as dsdt.dat (+ ssdt*.dat); return the dir."""
    if case in _compiled:
        return _compiled[case]
    if not shutil.which(IASL[0]):
        pytest.fail('iasl not found (Debian package acpica-tools)')
    out = base / case
    out.mkdir(parents=True, exist_ok=True)
    for src in ASL_CASES[case]:
        stem = 'dsdt' if len(ASL_CASES[case]) == 1 else src.stem
        p = run(IASL + ['-p', str(out / stem), str(src)], IASL_TIMEOUT, cwd=str(out))
        aml = out / (stem + '.aml')
        if p.returncode != 0 or not aml.is_file():
            pytest.fail('iasl %s failed (exit %d):\n%s%s'
                        % (src.relative_to(ROOT), p.returncode, p.stdout, p.stderr))
        os.replace(aml, out / (stem + '.dat'))
    _compiled[case] = out
    return out


def input_dir(name, asl_base):
    kind, _, rest = name.partition('/')
    if kind == 'asl':
        return compile_case(rest, asl_base)
    return dict(INPUTS)[name]


# ------------------------------------------------------------------ fixtures

@pytest.fixture(scope='session')
def asl_base(tmp_path_factory):
    return tmp_path_factory.mktemp('asl')


@pytest.fixture(scope='session')
def aml_inspect():
    """Build build/host/aml-inspect once; (path, None) or (None, why not)."""
    if not (ROOT / 'tools' / 'aml-inspect').is_dir():
        return None, ('tools/aml-inspect/ is not in the tree yet, so there is no '
                      'build/host/aml-inspect to compare with ACPICA')
    BUILD.mkdir(exist_ok=True)
    # Parallel pytest workers each run this fixture: one make at a time.
    with open(BUILD / '.aml-inspect.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            p = subprocess.run(['make', '-s', 'build/host/aml-inspect'], cwd=str(ROOT),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=BUILD_TIMEOUT, universal_newlines=True,
                               errors='replace')
        except subprocess.TimeoutExpired:
            return None, 'make build/host/aml-inspect took over %d s' % BUILD_TIMEOUT
    if p.returncode != 0 or not TOOL.is_file():
        return None, 'make build/host/aml-inspect failed:\n' + p.stdout[-4000:]
    return TOOL, None


@pytest.fixture(scope='session')
def oracle_warm(aml_inspect, asl_base):
    """Before the first comparison, run the oracle on all uncached inputs in parallel.

    Skipped under pytest-xdist, whose workers each run their own share."""
    if aml_inspect[0] is None or os.environ.get('PYTEST_XDIST_WORKER'):
        return
    dirs = []
    for name, d in INPUTS:
        try:
            dirs.append(input_dir(name, asl_base))
        except (Exception, pytest.fail.Exception):   # fails again in its own test
            pass
    warm_oracle_cache(dirs)


# ------------------------------------------------------------------ tests

@pytest.mark.parametrize('name', params(n for n, _ in INPUTS))
def test_aml_inspect_matches_acpica(name, aml_inspect, asl_base, oracle_warm):
    tool, why = aml_inspect
    if tool is None:
        pytest.fail(why)
    d = input_dir(name, asl_base)
    want = oracle_output(d)
    p = run([str(tool), str(d)], TOOL_TIMEOUT)
    got = p.stdout
    if got != want:
        want = oracle_again(d, got)
    if got != want:
        diff = ''.join(difflib.unified_diff(
            want.splitlines(True), got.splitlines(True),
            'aml-oracle.py %s' % name, 'aml-inspect %s' % name))
        pytest.fail('aml-inspect differs from ACPICA on %s (exit %d):\n%s%s'
                    % (name, p.returncode, diff,
                       '\naml-inspect stderr:\n' + p.stderr[-2000:] if p.stderr else ''))


def expected_lines(case):
    """Lines announced by "oracle-expect: <line>" comments in a case's sources."""
    res = []
    for src in ASL_CASES[case]:
        for m in re.finditer(r'oracle-expect:\s*(.*\S)', src.read_text()):
            res.append(m.group(1))
    return res


@pytest.mark.parametrize('case', sorted(ASL_CASES))
def test_asl_case_valid(case, asl_base):
    out = oracle_output(compile_case(case, asl_base))
    lines = out.splitlines()
    expect = expected_lines(case)
    missing = [l for l in expect if l not in lines]
    assert not missing, 'asl/%s: announced lines missing:\n%s\noracle output:\n%s' % (
        case, '\n'.join(missing), out)
    bad = [l for l in lines if ('FAIL' in l or 'error' in l) and l not in expect]
    assert not bad, 'oracle output for asl/%s:\n%s' % (case, '\n'.join(bad))
    assert out.strip(), 'oracle printed nothing for asl/%s' % case


def test_exceptions_name_real_inputs():
    names = {n for n, _ in INPUTS}
    stale = sorted(set(EXCEPTED) - names)
    assert not stale, 'tests/aml/exceptions.txt names unknown inputs: %s' % stale
