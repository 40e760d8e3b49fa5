"""acpid's _PRT reading agrees with aml-inspect (and so with ACPICA).

For each of the 12 corpus machines (../shared/acpi-corpus/*/) and each QEMU
fixture (tests/fixtures/qemu/*/), `aml-inspect --routes DIR` prints the _PRT
entries as acpid reads them through lib/acpi/prt.c, plus one `link` line per
link device (its IRQ from _CRS with regions reading zero, or `none`). The
`prt` lines must equal the `prt` lines of `aml-inspect --full DIR`: the plain
output, which tests/tools/test_aml_oracle.py checks against ACPICA's
acpiexec, except that a _PRT larger than acpiexec's 16 KiB result buffer is
printed instead of reported as an error (prt.c has no such limit; QEMU's
128-entry _PRT is one). Every `link` line must name a device some `prt`
line uses, with a GSI below 256 or none.
"""
import fcntl
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / 'build'
TOOL = BUILD / 'host' / 'aml-inspect'
QEMU_FIXTURES = ROOT / 'tests' / 'fixtures' / 'qemu'


def find_corpus():
    """../shared/acpi-corpus next to the checkout, or next to any parent (worktrees)."""
    for d in [ROOT] + list(ROOT.parents):
        c = d.parent / 'shared' / 'acpi-corpus'
        if c.is_dir():
            return c
    return None


CORPUS = find_corpus()


def inputs():
    out = []
    if CORPUS:
        out += [('corpus/' + d.name, d) for d in sorted(CORPUS.iterdir())
                if (d / 'dsdt.dat').is_file()]
    if QEMU_FIXTURES.is_dir():
        out += [('qemu/' + d.name, d) for d in sorted(QEMU_FIXTURES.iterdir())
                if (d / 'dsdt.dat').is_file()]
    return out


INPUTS = inputs()


@pytest.fixture(scope='session')
def tool():
    BUILD.mkdir(exist_ok=True)
    with open(BUILD / '.aml-inspect.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        p = subprocess.run(['make', '-s', 'build/host/aml-inspect'], cwd=str(ROOT),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, timeout=600)
    assert p.returncode == 0 and TOOL.is_file(), p.stdout[-4000:]
    return TOOL


def run(tool, *args):
    p = subprocess.run([str(tool)] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
    return p.stdout.splitlines(), p.stderr


def test_corpus_present():
    assert CORPUS is not None, 'no ../shared/acpi-corpus found'
    assert len([n for n, _ in INPUTS if n.startswith('corpus/')]) == 12


@pytest.mark.parametrize('name,d', INPUTS, ids=[n for n, _ in INPUTS])
def test_routes_match_aml_inspect(tool, name, d):
    plain, _ = run(tool, '--full', str(d))
    routes, _ = run(tool, '--routes', str(d))
    want = [l for l in plain if l.startswith('prt ')]
    got = [l for l in routes if l.startswith('prt ')]
    assert got == want
    used = {l.split()[4] for l in got if len(l.split()) == 6 and l.split()[4].startswith('\\')}
    for l in routes:
        if not l.startswith('link '):
            continue
        f = l.split()
        assert f[1] in used, l
        assert f[2] == 'none' or (int(f[2]) < 256 and f[3] in ('level', 'edge')
                                  and f[4] in ('low', 'high')), l
