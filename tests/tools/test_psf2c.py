"""Run scripts/psf2c.py on tiny PSF1 and PSF2 fonts built here.

Each test writes a font whose glyphs are easy to recognise (glyph N has the
byte N in its first row), converts it, compiles the output with
lib/gfx/font.c and a small C main that prints glyphs as '#'/'.' rows, and
checks the printed bitmaps: direct mapping without a Unicode table,
mapping through PSF1 and PSF2 Unicode tables (sequences ignored), gzip
input, glyphs wider than 8 pixels, and the replacement glyph.
"""

import gzip
import os
import struct
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, 'scripts', 'psf2c.py')

MAIN_C = r'''
#include <stdio.h>
#include <stdlib.h>
#include "gfx/font.h"

/* Print each code point's glyph as rows of '#' and '.', then a blank line. */
int main(int argc, char **argv)
{
	const struct font *f = &font_default;

	printf("%u %u %u %u %u\n", f->width, f->height, f->bytes_per_row,
	       f->first, f->count);
	for (int a = 1; a < argc; a++) {
		const uint8_t *g = font_glyph(f, (uint32_t)strtoul(argv[a], 0, 0));

		for (uint32_t y = 0; y < f->height; y++) {
			for (uint32_t x = 0; x < f->width; x++)
				putchar(g[y * f->bytes_per_row + x / 8] &
					(0x80 >> (x % 8)) ? '#' : '.');
			putchar('\n');
		}
		putchar('\n');
	}
	return 0;
}
'''


def glyph_bytes(n, height, bpr):
    """Glyph n: first row holds n in every byte, last row is all ones."""
    g = bytearray(height * bpr)
    for b in range(bpr):
        g[b] = n & 0xFF
        g[(height - 1) * bpr + b] = 0xFF
    return bytes(g)


def psf1(count=256, height=8, table=None):
    mode = (0x01 if count == 512 else 0) | (0x02 if table is not None else 0)
    data = bytearray(b'\x36\x04' + bytes([mode, height]))
    for n in range(count):
        data += glyph_bytes(n, height, 1)
    if table is not None:
        for n in range(count):
            for v in table.get(n, []):
                data += struct.pack('<H', v)
            data += struct.pack('<H', 0xFFFF)
    return bytes(data)


def psf2(count, width, height, table=None):
    bpr = (width + 7) // 8
    flags = 1 if table is not None else 0
    data = bytearray(struct.pack('<4s7I', b'\x72\xb5\x4a\x86', 0, 32, flags,
                                 count, height * bpr, height, width))
    for n in range(count):
        data += glyph_bytes(n, height, bpr)
    if table is not None:
        for n in range(count):
            data += table.get(n, b'') + b'\xff'
    return bytes(data)


def render(n, width, height):
    """Expected '#'/'.' rows for glyph_bytes(n) cut to width."""
    bpr = (width + 7) // 8
    g = glyph_bytes(n, height, bpr)
    rows = []
    for y in range(height):
        rows.append(''.join('#' if g[y * bpr + x // 8] & (0x80 >> (x % 8))
                            else '.' for x in range(width)))
    return rows


def convert(tmp_path, data, name='f.psf', extra=()):
    src = tmp_path / name
    src.write_bytes(data)
    out = tmp_path / 'gen' / 'font_default.c'
    subprocess.run([sys.executable, SCRIPT, str(src), str(out), *extra],
                   check=True)
    main = tmp_path / 'main.c'
    main.write_text(MAIN_C)
    exe = tmp_path / 'show'
    subprocess.run(['gcc', '-std=gnu11', '-Wall', '-Wextra', '-Werror',
                    '-I' + os.path.join(REPO, 'lib'), str(main), str(out),
                    os.path.join(REPO, 'lib', 'gfx', 'font.c'), '-o', str(exe)],
                   check=True)
    return exe


def show(exe, *cps):
    out = subprocess.run([str(exe)] + ['0x%x' % c for c in cps], check=True,
                         capture_output=True, text=True).stdout
    header, body = out.split('\n', 1)
    glyphs = [b.split('\n') for b in body.rstrip('\n').split('\n\n')]
    return [int(v) for v in header.split()], glyphs


def test_psf1_without_table_maps_index_to_code_point(tmp_path):
    exe = convert(tmp_path, psf1())
    header, glyphs = show(exe, ord('A'), 0x20, 0x7e)
    assert header == [8, 8, 1, 0x20, 95]
    assert glyphs[0] == render(ord('A'), 8, 8)
    assert glyphs[1] == render(0x20, 8, 8)
    assert glyphs[2] == render(0x7e, 8, 8)


def test_psf1_table_and_replacement(tmp_path):
    # 'A' lives in glyph 5, U+FFFD in glyph 7, '?' in glyph 9; glyph 11
    # has U+263A and then a sequence starting with 'B' that must be ignored.
    table = {5: [ord('A')], 7: [0xFFFD], 9: [ord('?')],
             11: [0x263A, 0xFFFE, ord('B'), 0x301]}
    exe = convert(tmp_path, psf1(count=512, height=16, table=table))
    header, glyphs = show(exe, ord('A'), ord('?'), ord('B'), 0x263A, 0x80)
    assert header == [8, 16, 1, 0x20, 95]
    assert glyphs[0] == render(5, 8, 16)
    assert glyphs[1] == render(9, 8, 16)
    # 'B' only appears inside a sequence: not mapped, so replacement.
    assert glyphs[2] == render(7, 8, 16)
    # Outside the generated range (and not '?'): replacement U+FFFD.
    assert glyphs[3] == render(7, 8, 16)
    assert glyphs[4] == render(7, 8, 16)


def test_psf1_replacement_falls_back_to_question_mark(tmp_path):
    exe = convert(tmp_path, psf1(table={3: [ord('?')], 4: [ord('x')]}))
    _, glyphs = show(exe, ord('x'), ord('y'))
    assert glyphs[0] == render(4, 8, 8)
    assert glyphs[1] == render(3, 8, 8)


def test_psf2_gzip_wide_glyphs_utf8_table(tmp_path):
    table = {2: 'A'.encode(), 3: '\ufffd'.encode() + b'\xfe' + 'Bx'.encode(),
             4: 'éC'.encode()}
    data = gzip.compress(psf2(8, 10, 12, table))
    exe = convert(tmp_path, data, name='f.psf.gz')
    header, glyphs = show(exe, ord('A'), ord('C'), ord('B'))
    assert header == [10, 12, 2, 0x20, 95]
    assert glyphs[0] == render(2, 10, 12)
    assert glyphs[1] == render(4, 10, 12)
    assert glyphs[2] == render(3, 10, 12)


def test_psf2_without_candidates_draws_a_box(tmp_path):
    exe = convert(tmp_path, psf2(16, 6, 5, {1: b'A'}),
                  extra=('--first', '0x41', '--last', '0x42'))
    header, glyphs = show(exe, ord('A'), ord('B'))
    assert header == [6, 5, 1, 0x41, 2]
    assert glyphs[0] == render(1, 6, 5)
    assert glyphs[1] == ['######', '#....#', '#....#', '#....#', '######']


def test_rejects_non_psf(tmp_path):
    src = tmp_path / 'bad.psf'
    src.write_bytes(b'not a font at all')
    r = subprocess.run([sys.executable, SCRIPT, str(src),
                        str(tmp_path / 'out.c')], capture_output=True, text=True)
    assert r.returncode != 0
    assert 'not a PSF' in r.stderr
    assert not (tmp_path / 'out.c').exists()


def test_truncated_psf2_rejected(tmp_path):
    src = tmp_path / 'short.psf'
    src.write_bytes(psf2(8, 8, 8)[:60])
    r = subprocess.run([sys.executable, SCRIPT, str(src),
                        str(tmp_path / 'out.c')], capture_output=True, text=True)
    assert r.returncode != 0
    assert 'truncated' in r.stderr


TERMINUS = '/usr/share/consolefonts/Uni2-Terminus16.psf.gz'


@pytest.mark.skipif(not os.path.exists(TERMINUS),
                    reason='console-setup-linux not installed')
def test_real_terminus_font(tmp_path):
    with open(TERMINUS, 'rb') as f:
        exe = convert(tmp_path, f.read(), name='t.psf.gz')
    header, glyphs = show(exe, ord(' '), ord('A'), ord('|'))
    assert header == [8, 16, 1, 0x20, 95]
    assert all(row == '........' for row in glyphs[0])
    assert sum(row.count('#') for row in glyphs[1]) > 10
    assert glyphs[1] != glyphs[2]
    # The generated file must also build the way the kernel builds lib/.
    subprocess.run(['gcc', '-std=gnu11', '-ffreestanding', '-fno-pic',
                    '-mcmodel=kernel', '-mno-red-zone', '-mgeneral-regs-only',
                    '-Wall', '-Wextra', '-Werror',
                    '-I' + os.path.join(REPO, 'lib'), '-c',
                    str(tmp_path / 'gen' / 'font_default.c'),
                    '-o', str(tmp_path / 'k.o')], check=True)
