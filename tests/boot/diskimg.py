"""Disk images with a known pattern, for the disk boot tests
(test_virtio_blk, test_nvme, test_ahci, test_disk_stress)."""
import hashlib
import struct
import uuid
import zlib

SECTOR = 512


def pattern(i, salt):
    """Sector i: its number and words that walk with it, 32 times; salt
    tells two disks' sectors apart."""
    return (struct.pack('<IIII', i, i ^ salt, i * 2654435761 & 0xffffffff,
                        (salt & 0xffff0000) | (i & 0xffff))) * (SECTOR // 16)


def image(sectors, salt):
    """A disk of sectors sectors, each its pattern."""
    return bytearray(b''.join(pattern(i, salt) for i in range(sectors)))


def sha(b):
    return hashlib.sha256(b).hexdigest()


def gpt(img, sectors, first, count, name='data'):
    """Write a protective MBR and a GPT (both headers, 128 entries) with
    one Linux-data partition of count sectors at first into img (a
    bytearray of sectors sectors)."""
    mbr = bytearray(SECTOR)
    mbr[446:462] = struct.pack('<B3sB3sII', 0, b'\x00\x02\x00', 0xee, b'\xff\xff\xff',
                               1, sectors - 1)
    mbr[510:512] = b'\x55\xaa'
    img[0:SECTOR] = mbr
    entries = bytearray(128 * 128)
    label = name.encode('utf-16-le')
    entries[0:128] = (uuid.UUID('0fc63daf-8483-4772-8e79-3d69d8477de4').bytes_le +
                      uuid.UUID('12345678-1234-5678-1234-567812345678').bytes_le +
                      struct.pack('<QQQ', first, first + count - 1, 0) +
                      label + bytes(72 - len(label)))
    ecrc = zlib.crc32(entries) & 0xffffffff

    def header(my, alt, entries_lba):
        h = bytearray(struct.pack('<8sIIIIQQQQ16sQIII', b'EFI PART', 0x10000, 92, 0, 0,
                                  my, alt, 34, sectors - 34,
                                  uuid.UUID('87654321-4321-8765-4321-876543218765').bytes_le,
                                  entries_lba, 128, 128, ecrc))
        h[16:20] = struct.pack('<I', zlib.crc32(h) & 0xffffffff)
        return bytes(h) + bytes(SECTOR - len(h))
    img[SECTOR:2 * SECTOR] = header(1, sectors - 1, 2)
    img[2 * SECTOR:34 * SECTOR] = entries
    img[(sectors - 33) * SECTOR:(sectors - 1) * SECTOR] = entries
    img[(sectors - 1) * SECTOR:] = header(sectors - 1, 1, sectors - 33)
    return img


def partition_writes(s, disk, orig, part, word):
    """On a logged-in session s: copy 12 KiB (4 KiB blocks 1000-1002 of
    disk) to block 1 of its partition 1 (aligned), then write word and a
    newline (11 bytes) at byte 506 of it (straddling sectors 0 and 1:
    read-modify-write); check the partition's first 20 KiB and the whole
    disk against orig with the same changes. orig: the image's bytes;
    part: the partition's first byte. Returns the expected image (a
    bytearray the caller may change further)."""
    want = bytearray(orig)
    want[part + 4096:part + 16384] = orig[1000 * 4096:1000 * 4096 + 12288]
    line = word.encode() + b'\n'
    assert len(line) == 11, word
    want[part + 506:part + 506 + len(line)] = line
    out, rc = s.run('dd if=disk:/%s of=disk:/%sp1 bs=4096 skip=1000 seek=1 count=3'
                    % (disk, disk))
    assert rc == 0, out
    out, rc = s.run('echo %s > /tmp/x; dd if=/tmp/x of=disk:/%sp1 bs=11 seek=46' % (word, disk))
    assert rc == 0 and '11 bytes copied' in out, out
    out, rc = s.run('dd if=disk:/%sp1 bs=4096 count=5 | sha256sum' % disk)
    assert rc == 0 and sha(bytes(want[part:part + 5 * 4096])) in out, out
    out, rc = s.run('sha256sum disk:/%s' % disk, timeout=300)
    assert rc == 0 and sha(bytes(want)) in out, out
    return want

