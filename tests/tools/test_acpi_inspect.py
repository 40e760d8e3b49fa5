"""Compare acpi-inspect with the ACPI corpus's expected.txt files.

For every machine folder of ../shared/acpi-corpus (relative to the repo
root), run build/host/acpi-inspect on the folder and compare its output with
expected.txt, ignoring comment lines and the [AML] section, which
test_machine_aml checks on its own: its line for a table must be identical
wherever iasl resolved every method call (unresolved_methods=0); elsewhere
iasl guessed argument counts and only the line's presence is checked. One
test per machine; a failure shows a unified diff. The tool is built first with `make -s build/host/acpi-inspect`.

The synthetic tests build tables the corpus lacks (every FADT length, all
MADT/SRAT/DMAR subtable kinds, unknown types, numbered tables, odd OEM
strings), derive their expected.txt with the corpus's make_expected.py and
compare in the same way. They need ACPICA's iasl 20200925 (the version the
corpus was made with) and are skipped without it.
"""

import difflib
import os
import re
import struct
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


def compare(tool, folder, name):
    res = subprocess.run([tool, folder], capture_output=True, text=True)
    assert res.returncode == 0, 'acpi-inspect failed:\n' + res.stderr
    with open(os.path.join(folder, 'expected.txt'), encoding='utf-8') as f:
        want = normalise(f.read())
    got = normalise(res.stdout)
    if got != want:
        diff = '\n'.join(difflib.unified_diff(want, got, 'expected.txt', 'acpi-inspect',
                                              lineterm=''))
        pytest.fail('output differs for %s:\n%s' % (name, diff))


@pytest.mark.parametrize('machine', machines())
def test_machine(tool, machine):
    compare(tool, os.path.join(CORPUS, machine), machine)


def aml_lines(text):
    """{table file: line} of the [AML] section."""
    lines, inside = {}, False
    for line in text.splitlines():
        if line.startswith('['):
            inside = line == '[AML]'
        elif inside and ':' in line:
            lines[line.split(':')[0]] = line
    return lines


@pytest.mark.parametrize('machine', machines())
def test_machine_aml(tool, machine):
    folder = os.path.join(CORPUS, machine)
    res = subprocess.run([tool, folder], capture_output=True, text=True)
    assert res.returncode == 0, 'acpi-inspect failed:\n' + res.stderr
    with open(os.path.join(folder, 'expected.txt'), encoding='utf-8') as f:
        want = aml_lines(f.read())
    got = aml_lines(res.stdout)
    assert sorted(got) == sorted(want)
    for table, line in want.items():
        if line.endswith(' unresolved_methods=0'):
            # iasl knew every callee; our counts must match exactly. The
            # unresolved figure itself is iasl's notion, so it is left out.
            strip = lambda l: l.rsplit(' unresolved_methods=', 1)[0]
            assert strip(got[table]) == strip(line), table


# ---------------------------------------------------------------- synthetic

def fix(b):
    """Set the length field and checksum of a table."""
    b = bytearray(b)
    b[4:8] = struct.pack('<I', len(b))
    b[9] = 0
    b[9] = (-sum(b)) & 0xff
    return bytes(b)


def hdr(sig, rev=1):
    return bytearray(sig.encode() + bytes(4) + bytes([rev, 0]) + b'OEMID TBLID   ' +
                     b'\1\0\0\0TEST\1\0\0\0')


def madt(entries, flags=1):
    return hdr('APIC', 5) + struct.pack('<II', 0xFEE00000, flags) + b''.join(entries)


def lapic(uid, apic, fl):
    return struct.pack('<BBBBI', 0, 8, uid, apic, fl)


def x2apic(apic, uid, fl):
    return struct.pack('<BBHIII', 9, 16, 0, apic, fl, uid)


def srat(entries):
    return hdr('SRAT', 3) + struct.pack('<I8x', 1) + b''.join(entries)


def srat_cpu(dom, apic, fl):
    return struct.pack('<BBBBIB3sI', 0, 16, dom & 0xff, apic, fl, 0,
                       struct.pack('<I', dom >> 8)[:3], 0)


def srat_mem(dom, base, length, fl):
    return struct.pack('<BBIHQQIIQ', 1, 40, dom, 0, base, length, 0, fl, 0)


def srat_x2(dom, apic, fl):
    return struct.pack('<BBHIIII4x', 2, 24, 0, dom, apic, fl, 0)


def dmar(structs, haw=38, flags=7):
    return hdr('DMAR', 1) + struct.pack('<BB10x', haw, flags) + b''.join(structs)


def scope(kind, bus, dev, fn):
    return struct.pack('<8B', kind, 8, 0, 0, 0, bus, dev, fn)


def drhd(fl, seg, base, scopes):
    return struct.pack('<HHBBHQ', 0, 16 + 8 * len(scopes), fl, 0, seg, base) + b''.join(scopes)


def rmrr(seg, base, limit, scopes):
    return struct.pack('<HHHHQQ', 1, 24 + 8 * len(scopes), 0, seg, base, limit) + \
        b''.join(scopes)


def slit(n):
    return hdr('SLIT') + struct.pack('<Q', n) + \
        bytes(10 if i // n == i % n else 20 + i % 7 for i in range(n * n))


def synthetic_cases():
    cases = {}
    corpus_fadt = os.path.join(CORPUS, 'gigabyte-x299-ud4-ad9ba0', 'facp.dat')
    if os.path.exists(corpus_fadt):
        fadt = open(corpus_fadt, 'rb').read()
        for n in (116, 120, 128, 129, 130, 131, 132, 139, 140, 147, 148, 150, 200,
                  243, 244, 255, 256, 267, 268, 275, 276):
            cases['fadt%d' % n] = {'facp.dat': fadt[:n]}
    cases['madt_mix'] = {'apic.dat': madt([
        lapic(0, 0, 1), lapic(1, 1, 1), lapic(2, 2, 2), lapic(3, 3, 0),
        x2apic(0x100, 4, 1), x2apic(0x101, 5, 2), x2apic(0x102, 6, 3),
        struct.pack('<BBBBII', 1, 12, 3, 0, 0xFEC00000, 0),
        struct.pack('<BBBBII', 1, 12, 4, 0, 0xFEC01000, 24),
        struct.pack('<BBBBIH', 2, 10, 0, 0, 2, 0), struct.pack('<BBBBIH', 2, 10, 0, 9, 9, 0xD),
        struct.pack('<BBHI', 3, 8, 0xF, 7), struct.pack('<BBBHB', 4, 6, 0xFF, 5, 1),
        struct.pack('<BBHIB3x', 10, 12, 5, 0xFFFFFFFF, 1),
        struct.pack('<BBHQ', 5, 12, 0, 0xFEE10000)] +
        [struct.pack('<BB6x', t, 8) for t in (6, 7, 0xB, 0xF, 0x10, 0x18, 0x80, 0x80, 0xFF)])}
    cases['madt_x2apic_online_capable'] = {'apic.dat': madt(
        [x2apic(i, i, 2 if i % 3 else 1) for i in range(0, 40, 2)] +
        [x2apic(i, i, 0) for i in range(1, 9, 2)], flags=0)}
    cases['srat_slit_mcfg'] = {
        'srat.dat': srat([
            srat_cpu(0, 0, 1), srat_cpu(0x10203, 1, 1), srat_cpu(1, 2, 0), srat_cpu(1, 3, 1),
            srat_x2(2, 0x200, 1), srat_x2(2, 0x201, 0),
            srat_mem(0, 0, 0xA0000, 1), srat_mem(1, 1 << 32, 1 << 32, 3),
            srat_mem(2, 2 << 32, 0x10000000, 7), srat_mem(3, 0, 0, 0),
            struct.pack('<BB16x', 3, 18), struct.pack('<BB30x', 5, 32),
            struct.pack('<BB30x', 6, 32), struct.pack('<BB6x', 0x7F, 8)]),
        'slit.dat': slit(16),
        'mcfg.dat': hdr('MCFG') + bytes(8) +
        struct.pack('<QHBBI', 0xE0000000, 0, 0, 255, 0) +
        struct.pack('<QHBBI', 0xF8000000, 1, 0x10, 0x3F, 0)}
    cases['dmar_mix'] = {'dmar.dat': dmar([
        drhd(0, 0, 0xFED90000, [scope(1, 0, 2, 0)]),
        drhd(1, 0, 0xFED91000, [scope(3, 0xF0, 31, 0), scope(4, 0, 31, 0)]),
        rmrr(0, 0x3E000000, 0x3E7FFFFF, [scope(1, 0, 20, 0), scope(1, 0, 20, 1)]),
        rmrr(1, 0x40000000, 0x40000FFF, []),
        struct.pack('<HHBBH', 2, 16, 1, 0, 0) + scope(2, 0, 1, 0),
        struct.pack('<HHIQI', 3, 20, 0, 0xFED90000, 1),
        struct.pack('<HHBBBB', 4, 12, 0, 0, 0, 1) + b'ABC\0',
        struct.pack('<HHBBH', 5, 8, 0, 0, 0), drhd(0, 1, 0x1000, [])])}
    cases['dmar_unknown_type'] = {'dmar.dat': dmar([
        drhd(1, 0, 0xFED91000, []), struct.pack('<HH4x', 7, 8), drhd(0, 0, 0x2000, [])])}
    cases['hpet_mcfg_empty'] = {
        'hpet.dat': hdr('HPET') + struct.pack('<IBBBBQBHB', 0x10DE8201, 0, 64, 0, 0,
                                              0xFED00000, 3, 0x37EE, 0x11) + b'\xff' * 8,
        'mcfg.dat': hdr('MCFG') + bytes(8)}
    odd = bytearray(madt([lapic(0, 0, 1)]))
    odd[10:16] = b'X\x02\xffY\0Q'
    cases['numbered_odd_oem'] = {
        'apic.dat': madt([lapic(0, 2, 1)]), 'apic1.dat': bytes(odd),
        'apic2.dat': madt([lapic(0, 1, 1)]),
        'mcfg2.dat': hdr('MCFG') + bytes(8), 'mcfg10.dat': hdr('MCFG') + bytes(8)}
    return cases


def iasl_20200925():
    try:
        out = subprocess.run(['iasl', '-v'], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return False
    return re.search(r'version 20200925', out) is not None


SYNTHETIC = synthetic_cases()


@pytest.mark.parametrize('case', sorted(SYNTHETIC))
def test_synthetic(tool, tmp_path, case):
    if not iasl_20200925():
        pytest.skip('needs iasl 20200925 to derive expected.txt')
    for name, data in SYNTHETIC[case].items():
        (tmp_path / name).write_bytes(fix(data))
    subprocess.run(['python3', os.path.join(CORPUS, 'make_expected.py'), str(tmp_path)],
                   check=True, capture_output=True)
    compare(tool, str(tmp_path), case)


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
