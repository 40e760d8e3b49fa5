#!/usr/bin/env python3
"""Write the seed disk images of fuzz_part (tests/fuzz/fuzz_part.c) here.

  mbr-extended.img   64 x 512: 2 primaries, an extended partition, 3 logicals
  gpt.img            64 x 512: protective MBR, GPT of 32 entries, 3 in use
  gpt-bad-primary.img  the same with the primary header's CRC broken
  gpt-4k.img         8 x 4096: GPT of 32 entries (one block), 2 in use

Small on purpose (32 KiB each): libFuzzer's -max_len follows the seeds.
Run it from anywhere: python3 gen.py
"""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def mbr_entry(disk, lba, bs, slot, boot, typ, first, count):
    off = lba * bs + 446 + 16 * slot
    disk[off:off + 16] = struct.pack("<B3sB3sII", boot, b"\0" * 3, typ, b"\0" * 3, first, count)
    disk[lba * bs + 510:lba * bs + 512] = b"\x55\xaa"


def mbr_extended():
    bs, blocks = 512, 64
    disk = bytearray(bs * blocks)
    mbr_entry(disk, 0, bs, 0, 0x80, 0x83, 1, 8)
    mbr_entry(disk, 0, bs, 1, 0x00, 0x07, 9, 8)
    mbr_entry(disk, 0, bs, 2, 0x00, 0x05, 20, 40)  # extended: 20..59
    # EBR chain 20 -> 30 -> 45; logicals relative to their EBR, links to 20
    mbr_entry(disk, 20, bs, 0, 0, 0x83, 1, 8)
    mbr_entry(disk, 20, bs, 1, 0, 0x05, 10, 10)
    mbr_entry(disk, 30, bs, 0, 0, 0x82, 2, 10)
    mbr_entry(disk, 30, bs, 1, 0, 0x05, 25, 10)
    mbr_entry(disk, 45, bs, 0, 0, 0x0C, 1, 14)
    return disk


def utf16(name):
    return name.encode("utf-16-le")[:72].ljust(72, b"\0")


def gpt(bs, blocks, n, parts):
    """parts: (index, type GUID bytes, first, last, name)."""
    size = 128
    array_blocks = (n * size + bs - 1) // bs
    first_usable, last_usable = 2 + array_blocks, blocks - 2 - array_blocks
    disk = bytearray(bs * blocks)
    mbr_entry(disk, 0, bs, 0, 0, 0xEE, 1, min(blocks - 1, 0xFFFFFFFF))
    array = bytearray(n * size)
    for i, typ, first, last, name in parts:
        uniq = bytes([i + 1] * 16)
        array[i * size:(i + 1) * size] = (
            typ + uniq + struct.pack("<QQQ", first, last, 0) + utf16(name)
        ).ljust(size, b"\0")
    array_crc = zlib.crc32(array)

    def header(lba, alt, array_lba):
        h = bytearray(struct.pack(
            "<8sIIIIQQQQ16sQIII", b"EFI PART", 0x00010000, 92, 0, 0, lba, alt,
            first_usable, last_usable, bytes(range(16)), array_lba, n, size, array_crc))
        struct.pack_into("<I", h, 16, zlib.crc32(h))
        disk[lba * bs:lba * bs + 92] = h

    backup_array = blocks - 1 - array_blocks
    disk[2 * bs:2 * bs + len(array)] = array
    disk[backup_array * bs:backup_array * bs + len(array)] = array
    header(1, blocks - 1, 2)
    header(blocks - 1, 1, backup_array)
    return disk


ESP = bytes.fromhex("28732ac11ff8d211ba4b00a0c93ec93b")  # C12A7328-F81F-11D2-... as stored
LINUX = bytes.fromhex("af3dc60f838472478e793d69d8477de4")  # 0FC63DAF-8483-4772-...
SWAP = bytes.fromhex("6dfd5706aba4c44384e50933c84b4f4f")  # 0657FD6D-A4AB-43C4-...


def main():
    images = {
        "mbr-extended.img": mbr_extended(),
        "gpt.img": gpt(512, 64, 32, [
            (0, ESP, 10, 19, "EFI system"),
            (1, SWAP, 20, 29, "swap"),
            (4, LINUX, 30, 54, "Donn\u00e9es \u65e5\u672c \U0001F600"),
        ]),
        "gpt-4k.img": gpt(4096, 8, 32, [
            (0, ESP, 3, 3, "EFI"),
            (1, LINUX, 4, 5, "root"),
        ]),
    }
    bad = bytearray(images["gpt.img"])
    bad[512 + 16] ^= 0xFF  # the primary header's CRC field
    images["gpt-bad-primary.img"] = bad
    for name, data in images.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
