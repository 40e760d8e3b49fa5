"""Compare acpi-inspect with the ACPI corpus's expected.txt files.

For every machine folder of ../shared/acpi-corpus (relative to the repo
root), run build/host/acpi-inspect on the folder and compare its output with
expected.txt, ignoring comment lines and the [AML] section (acpi-inspect's
AML facts are checked elsewhere). One test per machine; a failure shows a
unified diff. The tool is built first with `make -s build/host/acpi-inspect`.
"""

import difflib
import os
import subprocess

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.normpath(os.path.join(REPO, '..', 'shared', 'acpi-corpus'))
TOOL = os.path.join(REPO, 'build', 'host', 'acpi-inspect')


def machines():
    if not os.path.isdir(CORPUS):
        return []
    return sorted(d for d in os.listdir(CORPUS)
                  if os.path.isfile(os.path.join(CORPUS, d, 'expected.txt')))


def normalise(text, drop=('AML',)):
    """Lines without comments and without the sections named in drop;
    trailing blank lines removed."""
    out = []
    skipping = False
    for line in text.splitlines():
        if line.startswith('#'):
            continue
        if line.startswith('[') and line.endswith(']'):
            skipping = line[1:-1].split(' ')[0] in drop
        if not skipping:
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out


@pytest.fixture(scope='session')
def tool():
    subprocess.run(['make', '-s', 'build/host/acpi-inspect'], cwd=REPO, check=True)
    assert os.access(TOOL, os.X_OK), TOOL
    return TOOL


@pytest.mark.parametrize('machine', machines())
def test_machine(tool, machine):
    folder = os.path.join(CORPUS, machine)
    res = subprocess.run([tool, folder], capture_output=True, text=True)
    assert res.returncode == 0, 'acpi-inspect failed:\n' + res.stderr
    want = normalise(open(os.path.join(folder, 'expected.txt')).read())
    got = normalise(res.stdout)
    if got != want:
        diff = '\n'.join(difflib.unified_diff(want, got, 'expected.txt', 'acpi-inspect',
                                              lineterm=''))
        pytest.fail('output differs for %s:\n%s' % (machine, diff))


def test_corpus_present():
    assert machines(), 'no machine folders in ' + CORPUS


def test_missing_directory(tool):
    res = subprocess.run([tool, os.path.join(REPO, 'no-such-acpi-dir')],
                         capture_output=True, text=True)
    assert res.returncode != 0
    assert 'no-such-acpi-dir' in res.stderr


def test_malformed_table_is_reported(tool, tmp_path):
    """A broken MADT gives one error line; the other tables still print."""
    src = os.path.join(CORPUS, machines()[0])
    for name in ('apic.dat', 'hpet.dat'):
        data = open(os.path.join(src, name), 'rb').read()
        if name == 'apic.dat':
            data = data[:60]        # length field now lies
        (tmp_path / name).write_bytes(data)
    res = subprocess.run([tool, str(tmp_path)], capture_output=True, text=True)
    assert res.returncode == 1
    errors = [l for l in res.stderr.splitlines() if 'error' in l]
    assert len(errors) == 1 and 'apic.dat' in errors[0], res.stderr
    assert '[HPET]' in res.stdout and '[MADT]' not in res.stdout
