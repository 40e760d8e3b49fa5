#!/usr/bin/env python3
"""Convert a PSF1 or PSF2 console font into a C file defining a struct font.

Usage: psf2c.py INPUT OUTPUT [--name font_default] [--first 0x20] [--last 0x7e]

INPUT may be gzip-compressed (.psf.gz, as shipped in /usr/share/consolefonts).
The output defines `const struct font NAME` (see lib/gfx/font.h) holding the
glyphs of the code points FIRST..LAST and a replacement glyph. If the font
has a Unicode table, code points are looked up through it; otherwise glyph
number N is taken to be code point N. A code point the font lacks gets the
replacement glyph: the font's own U+FFFD, else U+25A1 or U+25AE, else '?',
else a drawn hollow box. The output is generated at build time and never
committed, since the font keeps its own licence.
"""

import argparse
import gzip
import os
import struct
import sys

PSF1_MAGIC = b'\x36\x04'
PSF1_MODE512 = 0x01
PSF1_MODEHASTAB = 0x02
PSF1_MODESEQ = 0x04
PSF1_SEPARATOR = 0xFFFF
PSF1_STARTSEQ = 0xFFFE

PSF2_MAGIC = b'\x72\xb5\x4a\x86'
PSF2_HAS_UNICODE_TABLE = 0x01
PSF2_SEPARATOR = 0xFF
PSF2_STARTSEQ = 0xFE

REPLACEMENT_CANDIDATES = (0xFFFD, 0x25A1, 0x25AE, ord('?'))


class PsfError(Exception):
    pass


class Font:
    """Glyph bitmaps plus a code point -> glyph index map."""

    def __init__(self, width, height, glyphs, unicode_map):
        self.width = width
        self.height = height
        self.bytes_per_row = (width + 7) // 8
        self.glyphs = glyphs            # list of bytes, one per glyph
        self.unicode_map = unicode_map  # dict or None

    def index(self, cp):
        if self.unicode_map is not None:
            return self.unicode_map.get(cp)
        return cp if cp < len(self.glyphs) else None


def read_psf1(data):
    if len(data) < 4:
        raise PsfError('truncated PSF1 header')
    mode, charsize = data[2], data[3]
    if charsize == 0:
        raise PsfError('PSF1 glyph height is 0')
    count = 512 if mode & PSF1_MODE512 else 256
    end = 4 + count * charsize
    if len(data) < end:
        raise PsfError('PSF1 glyph data truncated')
    glyphs = [data[4 + i * charsize:4 + (i + 1) * charsize]
              for i in range(count)]
    umap = None
    if mode & (PSF1_MODEHASTAB | PSF1_MODESEQ):
        umap = {}
        pos, glyph, in_seq = end, 0, False
        while glyph < count and pos + 2 <= len(data):
            (v,) = struct.unpack_from('<H', data, pos)
            pos += 2
            if v == PSF1_SEPARATOR:
                glyph += 1
                in_seq = False
            elif v == PSF1_STARTSEQ:
                in_seq = True
            elif not in_seq:
                umap.setdefault(v, glyph)
    return Font(8, charsize, glyphs, umap)


def read_psf2(data):
    if len(data) < 32:
        raise PsfError('truncated PSF2 header')
    (_, version, headersize, flags, length, charsize,
     height, width) = struct.unpack_from('<4s7I', data, 0)
    if width == 0 or height == 0 or length == 0:
        raise PsfError('PSF2 font has a zero dimension')
    if charsize != height * ((width + 7) // 8):
        raise PsfError('PSF2 charsize %d does not match %dx%d'
                       % (charsize, width, height))
    end = headersize + length * charsize
    if headersize < 32 or len(data) < end:
        raise PsfError('PSF2 glyph data truncated')
    glyphs = [data[headersize + i * charsize:headersize + (i + 1) * charsize]
              for i in range(length)]
    umap = None
    if flags & PSF2_HAS_UNICODE_TABLE:
        umap = {}
        pos = end
        for glyph in range(length):
            stop = data.find(bytes([PSF2_SEPARATOR]), pos)
            if stop < 0:
                stop = len(data)
            entry = data[pos:stop]
            pos = stop + 1
            # Single code points come first; sequences follow 0xFE.
            single = entry.split(bytes([PSF2_STARTSEQ]))[0]
            for ch in single.decode('utf-8', errors='ignore'):
                umap.setdefault(ord(ch), glyph)
            if stop >= len(data):
                break
    return Font(width, height, glyphs, umap)


def read_psf(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data[:2] == b'\x1f\x8b':
        data = gzip.decompress(data)
    if data[:4] == PSF2_MAGIC:
        return read_psf2(data)
    if data[:2] == PSF1_MAGIC:
        return read_psf1(data)
    raise PsfError('%s: not a PSF1 or PSF2 font' % path)


def hollow_box(font):
    """A rectangle outline filling the cell, for fonts with no candidate."""
    w, h, bpr = font.width, font.height, font.bytes_per_row
    out = bytearray(h * bpr)

    def set_px(x, y):
        out[y * bpr + x // 8] |= 0x80 >> (x % 8)

    for x in range(w):
        set_px(x, 0)
        set_px(x, h - 1)
    for y in range(h):
        set_px(0, y)
        set_px(w - 1, y)
    return bytes(out)


def replacement(font):
    for cp in REPLACEMENT_CANDIDATES:
        i = font.index(cp)
        if i is not None:
            return font.glyphs[i], cp
    return hollow_box(font), None


def c_bytes(data, indent='\t'):
    lines = []
    for i in range(0, len(data), 12):
        lines.append(indent + ', '.join('0x%02x' % b for b in data[i:i + 12])
                     + ',')
    return '\n'.join(lines)


def generate(font, name, first, last, source):
    repl, repl_cp = replacement(font)
    parts = []
    for cp in range(first, last + 1):
        i = font.index(cp)
        glyph = font.glyphs[i] if i is not None else repl
        label = chr(cp) if 0x20 < cp < 0x7f and chr(cp) not in '\\*/' else ''
        parts.append('\t/* U+%04X %s */\n%s' % (cp, label, c_bytes(glyph, '\t')))
    how = ('U+%04X' % repl_cp) if repl_cp is not None else 'a drawn box'
    return '''/*
 * Generated by scripts/psf2c.py from %(source)s; do not edit, do not commit.
 * Glyphs for U+%(first)04X..U+%(last)04X; replacement glyph: %(how)s.
 * The glyphs keep the source font's licence; see docs/console.md.
 */
#include "gfx/font.h"

static const uint8_t %(name)s_glyphs[] = {
%(glyphs)s
};

static const uint8_t %(name)s_replacement[] = {
%(repl)s
};

const struct font %(name)s = {
	.width = %(width)d,
	.height = %(height)d,
	.bytes_per_row = %(bpr)d,
	.first = 0x%(first)x,
	.count = %(count)d,
	.glyphs = %(name)s_glyphs,
	.replacement = %(name)s_replacement,
};
''' % dict(source=os.path.basename(source), first=first, last=last, how=how,
           name=name, glyphs='\n'.join(parts), repl=c_bytes(repl),
           width=font.width, height=font.height, bpr=font.bytes_per_row,
           count=last - first + 1)


def main(argv=None):
    ap = argparse.ArgumentParser(description='PSF font to C struct font')
    ap.add_argument('input')
    ap.add_argument('output')
    ap.add_argument('--name', default='font_default')
    ap.add_argument('--first', type=lambda s: int(s, 0), default=0x20)
    ap.add_argument('--last', type=lambda s: int(s, 0), default=0x7e)
    args = ap.parse_args(argv)
    if not 0 <= args.first <= args.last <= 0x10FFFF:
        ap.error('need 0 <= first <= last <= 0x10FFFF')
    try:
        font = read_psf(args.input)
    except (OSError, PsfError) as e:
        print('psf2c: %s' % e, file=sys.stderr)
        return 1
    text = generate(font, args.name, args.first, args.last, args.input)
    out_dir = os.path.dirname(args.output)
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
    tmp = args.output + '.tmp'
    with open(tmp, 'w') as f:
        f.write(text)
    os.replace(tmp, args.output)
    return 0


if __name__ == '__main__':
    sys.exit(main())
