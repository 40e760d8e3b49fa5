"""Run build/host/elf-check (lib/elf's elf_parse) on executables gcc builds.

A tiny static freestanding program (-static -nostdlib -no-pie, its own
_start) must be accepted, with the entry point and the PT_LOAD segments that
readelf reports. Refused, each with a clear reason: the host's /bin/ls (a
dynamic PIE), a dynamic non-PIE program (it has an interpreter), the same
freestanding program linked with an executable stack, and truncated copies
of the good program. A static glibc program is accepted when the host can
build one (it has a TLS segment and a RELRO data segment).
"""

import os
import re
import shutil
import subprocess

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(REPO, 'build', 'host', 'elf-check')

PROG_C = r'''
static volatile int counter = 7;
static int zeroed[2048];

void _start(void)
{
	zeroed[counter] = counter;
	for (;;)
		__asm__ volatile("pause");
}
'''

HELLO_C = r'''
#include <stdio.h>
int main(void)
{
	puts("hello");
	return 0;
}
'''


@pytest.fixture(scope='session')
def tool():
    subprocess.run(['make', '-s', 'build/host/elf-check'], cwd=REPO, check=True)
    assert os.access(TOOL, os.X_OK), TOOL
    return TOOL


def check(tool, path):
    """elf-check's exit code and output lines."""
    p = subprocess.run([tool, path], capture_output=True, text=True)
    return p.returncode, p.stdout.splitlines()


def gcc(tmp_path, name, source, *flags):
    src = tmp_path / (name + '.c')
    src.write_text(source)
    out = tmp_path / name
    subprocess.run(['gcc', '-O1', '-o', str(out), str(src), *flags], check=True)
    return str(out)


def readelf_entry(path):
    out = subprocess.run(['readelf', '-h', path], capture_output=True, text=True,
                         check=True).stdout
    return int(re.search(r'Entry point address:\s+(0x[0-9a-f]+)', out).group(1), 16)


def readelf_loads(path):
    """(vaddr, memsz) of each PT_LOAD, from readelf -lW."""
    out = subprocess.run(['readelf', '-lW', path], capture_output=True, text=True,
                         check=True).stdout
    loads = []
    for line in out.splitlines():
        f = line.split()
        if f and f[0] == 'LOAD':
            loads.append((int(f[2], 16), int(f[5], 16)))
    return loads


@pytest.fixture
def static_prog(tmp_path):
    return gcc(tmp_path, 'prog', PROG_C, '-static', '-nostdlib', '-ffreestanding', '-no-pie',
               '-z', 'noexecstack')


def test_static_freestanding_accepted(tool, static_prog):
    rc, out = check(tool, static_prog)
    assert rc == 0, out
    assert out[0] == 'ok'
    assert out[1] == 'entry 0x%x' % readelf_entry(static_prog)
    segs = [line for line in out if line.startswith('segment ')]
    got = [(int(line.split()[3], 16), int(line.split()[5], 16)) for line in segs]
    assert got == [load for load in readelf_loads(static_prog) if load[1]]
    # text is R-X, the bss-carrying data segment is RW- and larger in memory
    assert any(line.endswith(' R-X') for line in segs)
    assert not any(line.endswith('WX') for line in segs)
    assert 'stack RW-' in out


def test_static_glibc_accepted(tool, tmp_path):
    try:
        prog = gcc(tmp_path, 'hello', HELLO_C, '-static')
    except subprocess.CalledProcessError:
        pytest.skip('no static libc on this host')
    rc, out = check(tool, prog)
    assert rc == 0, out
    assert out[1] == 'entry 0x%x' % readelf_entry(prog)


def test_bin_ls_refused(tool):
    ls = shutil.which('ls') or '/bin/ls'
    if not os.path.exists(ls):
        pytest.skip('no ls')
    rc, out = check(tool, os.path.realpath(ls))
    assert rc == 1, out
    assert out[0].startswith('refused: ')
    assert 'ET_DYN' in out[0] or 'interpreter' in out[0], out


def test_dynamic_non_pie_refused(tool, tmp_path):
    prog = gcc(tmp_path, 'dyn', HELLO_C, '-no-pie')
    rc, out = check(tool, prog)
    assert rc == 1, out
    assert 'interpreter' in out[0], out


def test_exec_stack_refused(tool, tmp_path):
    prog = gcc(tmp_path, 'xstack', PROG_C, '-static', '-nostdlib', '-ffreestanding', '-no-pie',
               '-z', 'execstack')
    rc, out = check(tool, prog)
    assert rc == 1, out
    assert 'executable stack' in out[0], out


def test_truncated_refused(tool, static_prog, tmp_path):
    data = open(static_prog, 'rb').read()
    for cut, why in ((len(data) // 2, 'past the end'), (100, 'past the end'),
                     (40, 'too short'), (0, 'too short')):
        short = tmp_path / ('cut%d' % cut)
        short.write_bytes(data[:cut])
        rc, out = check(tool, str(short))
        assert rc == 1, (cut, out)
        assert why in out[0], (cut, out)


def test_unreadable(tool, tmp_path):
    rc, _ = check(tool, str(tmp_path / 'missing'))
    assert rc == 2
