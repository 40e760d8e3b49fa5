"""Tests for scripts/gen-ksyms.py.

Each test feeds the script an nm listing, assembles its output with `as`,
extracts the .ksyms section with `objcopy -O binary` and decodes the table
(layout in lib/base/ksyms.h), checking count, order, sizes, name offsets and
names. One test runs the whole chain on a real object built with gcc.
"""

import os
import shutil
import struct
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, 'scripts', 'gen-ksyms.py')

needs_binutils = pytest.mark.skipif(
    not (shutil.which('as') and shutil.which('objcopy')), reason='needs binutils')


def gen(listing, *args):
    r = subprocess.run([sys.executable, SCRIPT, *args], input=listing, text=True,
                       capture_output=True, check=True)
    return r.stdout


def assemble(src, tmp_path):
    s, o, b = (tmp_path / n for n in ('k.S', 'k.o', 'k.bin'))
    s.write_text(src)
    subprocess.run(['as', '--64', '-o', str(o), str(s)], check=True)
    subprocess.run(['objcopy', '-O', 'binary', '-j', '.ksyms', str(o), str(b)], check=True)
    return b.read_bytes(), subprocess.run(['nm', str(o)], capture_output=True, text=True,
                                          check=True).stdout


def decode(blob):
    """[(address, size, name)] from a table, checking its layout."""
    (count,) = struct.unpack_from('<Q', blob, 0)
    strings = 8 + 16 * count
    out = []
    for i in range(count):
        addr, off, size = struct.unpack_from('<QII', blob, 8 + 16 * i)
        assert strings <= off < len(blob)
        end = blob.index(b'\0', off)
        out.append((addr, size, blob[off:end].decode()))
    addrs = [e[0] for e in out]
    assert addrs == sorted(addrs)
    return out


LISTING = """\
ffffffff80100000 T _start
ffffffff80100000 t _start_local
ffffffff80100040 t helper
ffffffff80100040 W alias_of_helper
ffffffff80100080 T kmain
ffffffff80100100 W weak_fn
ffffffff80100180 T _etext
                 U undefined_sym
ffffffff80200000 D some_data
ffffffff80200100 R rodata
ffffffff80300000 B bss
0000000000000000 w null_weak
0000000000001000 a absolute
"""


@needs_binutils
def test_layout(tmp_path):
    blob, syms = assemble(gen(LISTING), tmp_path)
    assert decode(blob) == [
        (0xffffffff80100000, 0, '_start'),
        (0xffffffff80100040, 0, 'helper'),
        (0xffffffff80100080, 0, 'kmain'),
        (0xffffffff80100100, 0, 'weak_fn'),
        (0xffffffff80100180, 0, '_etext'),
    ]
    assert ' R ksym_table' in syms and ' R ksym_table_end' in syms


@needs_binutils
def test_linker_labels_lose_ties(tmp_path):
    listing = """\
ffffffff80201000 T __kernel_start
ffffffff80201000 T __text_start
ffffffff80201000 t gdt_init_cpu
ffffffff80201040 T __real_fn
"""
    blob, _ = assemble(gen(listing), tmp_path)
    assert [e[2] for e in decode(blob)] == ['gdt_init_cpu', '__real_fn']


@needs_binutils
def test_sizes_and_unsorted_input(tmp_path):
    listing = """\
0000000000002000 0000000000000010 T second
0000000000001000 0000000000000020 t first
0000000000003000 0000000100000000 T huge
"""
    blob, _ = assemble(gen(listing), tmp_path)
    assert decode(blob) == [(0x1000, 0x20, 'first'), (0x2000, 0x10, 'second'),
                            (0x3000, 0, 'huge')]


@needs_binutils
def test_weak_without_etext(tmp_path):
    listing = """\
0000000000001000 T code
0000000000001100 W weak_code
0000000000002000 D data
0000000000002100 W weak_in_data
0000000000003000 t text_end_marker
0000000000003000 d local_data
0000000000003000 W weak_at_data
"""
    blob, _ = assemble(gen(listing), tmp_path)
    assert [e[2] for e in decode(blob)] == ['code', 'weak_code', 'text_end_marker']


@needs_binutils
def test_empty(tmp_path):
    blob, syms = assemble(gen(''), tmp_path)
    assert blob == b'\0' * 8
    assert 'ksym_table' in syms
    blob, _ = assemble(gen('ffffffff80200000 D only_data\n'), tmp_path)
    assert blob == b'\0' * 8


@needs_binutils
def test_odd_names(tmp_path):
    listing = '0000000000001000 T a"b\\c\n0000000000001010 T x*/y\n0000000000001020 T _Z3fooi\n'
    blob, _ = assemble(gen(listing), tmp_path)
    assert [e[2] for e in decode(blob)] == ['a"b\\c', 'x*/y', '_Z3fooi']


def test_file_argument_and_output(tmp_path):
    src = tmp_path / 'nm.txt'
    src.write_text(LISTING)
    out = tmp_path / 'k.S'
    subprocess.run([sys.executable, SCRIPT, str(src), '-o', str(out)], check=True)
    assert out.read_text() == gen(LISTING)
    assert '.section .ksyms,"a"' in out.read_text()


@needs_binutils
@pytest.mark.skipif(not shutil.which('gcc') or not shutil.which('nm'), reason='needs gcc')
def test_real_object(tmp_path):
    c = tmp_path / 'k.c'
    c.write_text('static int helper(int x) { return x * 3; }\n'
                 'int kmain(int x) { return helper(x) + 1; }\n'
                 '__attribute__((weak)) int hook(void) { return 0; }\n'
                 'int data = 5;\n')
    obj = tmp_path / 'k.o'
    subprocess.run(['gcc', '-O0', '-c', '-o', str(obj), str(c)], check=True)
    nm = subprocess.run(['nm', '-n', '--defined-only', str(obj)], capture_output=True,
                        text=True, check=True).stdout
    names = [e[2] for e in decode(assemble(gen(nm), tmp_path)[0])]
    assert names == ['helper', 'kmain', 'hook']
