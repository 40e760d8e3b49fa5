#!/usr/bin/env python3
"""Seeds for fuzz_ahci: IDENTIFY DEVICE data shaped like QEMU's ide-hd
(LBA48, NCQ depth 32, flush), one with 4096-byte logical sectors, one
LBA28-only. Run from this directory: python3 gen.py"""
import struct


def ident(sectors, lba48=True, sector_words=0):
    w = [0] * 256
    w[0] = 0x0040

    def text(first, n, s):
        s = s.ljust(2 * n)
        for i in range(n):
            w[first + i] = ord(s[2 * i]) << 8 | ord(s[2 * i + 1])
    text(10, 10, 'QM00003')
    text(23, 4, '2.5+')
    text(27, 20, 'QEMU HARDDISK')
    w[49] = 1 << 9 | 1 << 8
    w[60], w[61] = min(sectors, 0x0fffffff) & 0xffff, min(sectors, 0x0fffffff) >> 16
    w[75], w[76] = 31, 1 << 8
    w[83] = 1 << 14 | 1 << 12 | ((1 << 13 | 1 << 10) if lba48 else 0)
    for i in range(4):
        w[100 + i] = sectors >> (16 * i) & 0xffff
    if sector_words:
        w[106] = 1 << 14 | 1 << 12
        w[117], w[118] = sector_words & 0xffff, sector_words >> 16
    return struct.pack('<256H', *w)


for name, data in (('qemu-hd.bin', ident(131072)),
                   ('4k-sectors.bin', ident(1 << 20, sector_words=2048)),
                   ('lba28.bin', ident(100000, lba48=False))):
    with open(name, 'wb') as f:
        f.write(data)
