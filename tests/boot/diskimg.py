"""Disk images with a known pattern, for the disk boot tests
(test_virtio_blk, test_nvme, test_disk_stress)."""
import hashlib
import struct

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
