"""Build small ACPI tables for QEMU's -acpitable file=... (the file holds the
whole table, header included) with a correct checksum, so boot tests can
hand the kernel hostile firmware tables."""
import struct


def sdt(sig, body, rev=1):
    """The table sig with body behind a standard header, checksummed."""
    hdr = struct.pack('<4sIBB6s8sI4sI', sig.encode(), 36 + len(body), rev, 0, b'RBTEST',
                      b'HOSTILE ', 1, b'RBOS', 1)
    t = bytearray(hdr + body)
    t[9] = (-sum(t)) & 0xFF
    return bytes(t)


def madt(lapic_address=0xFEE00000, cpus=4, ioapics=((0, 0xFEC00000, 0),),
         lapic_override=None, truncated_entry=False):
    """An MADT: cpus local APICs (ids 0..cpus-1, enabled), the given I/O
    APICs (id, address, GSI base), IRQ0 -> GSI 2, an optional type-5
    override, and optionally a subtable of length 1 that stops the parse."""
    body = struct.pack('<II', lapic_address, 1)  # flags: PC-AT compatible
    for i in range(cpus):
        body += struct.pack('<BBBBI', 0, 8, i, i, 1)
    for ioid, addr, gsi in ioapics:
        body += struct.pack('<BBBBII', 1, 12, ioid, 0, addr, gsi)
    body += struct.pack('<BBBBIH', 2, 10, 0, 0, 2, 0)
    if lapic_override is not None:
        body += struct.pack('<BBHQ', 5, 12, 0, lapic_override)
    if truncated_entry:
        body += bytes([0, 1])
    return sdt('APIC', body, rev=3)


def hpet(address):
    """An HPET table whose event timer block sits at address (memory)."""
    gas = struct.pack('<BBBBQ', 0, 64, 0, 0, address)
    body = struct.pack('<I', 0x8086A201) + gas + struct.pack('<BHB', 0, 0x80, 0)
    return sdt('HPET', body)


def write(path, table):
    with open(path, 'wb') as f:
        f.write(table)
    return path
