"""Console input boot test: bytes typed on COM1 reach a program that waits
for them in poll and reads them with blocking reads (interrupt-driven input,
docs/console.md). /bin/kecho runs as init and echoes one line back."""
import re

from qemu import boot


def test_console_input_wakes_poll_and_read():
    with boot('init=/bin/kecho', 'console-input', stdin=True) as vm:
        vm.wait_for(r'kecho: ready', timeout=60)
        vm.send(b'hello red bear\r')
        m = vm.wait_for(r'kecho: poll (-?\d+) revents (\S+)\n', timeout=60)
        assert m.group(1) == '1' and m.group(2) == '0x1', m.group(0)
        vm.wait_for(r'kecho: got hello red bear\n', timeout=60)
        vm.wait_for(r'kecho: then empty', timeout=60)


def test_console_input_flood_drops_counted():
    """5000 bytes typed at a reader that does not read: the 4 KiB ring keeps
    the first 4096 in order and the kernel logs how many it dropped; every
    byte typed is either read or counted."""
    sent = bytes(ord('a') + i % 26 for i in range(5000))
    with boot('init=/bin/kecho init.flood', 'console-flood', stdin=True) as vm:
        vm.wait_for(r'kecho: flood ready', timeout=60)
        vm.send(sent)
        vm.wait_for(r'kecho: full 4096', timeout=120)
        vm.wait_for(r'kecho: drained ok', timeout=120)
        vm.send(b'\n')  # the ring has room again: this byte is kept
        m = vm.wait_for(r'kecho: flood got (\d+)\n', timeout=120)
        got = int(m.group(1))
        dropped = sum(int(n) for n in
                      re.findall(r'console: (\d+) input bytes dropped', vm.output))
        assert dropped > 0, 'no drop was logged'
        assert got + dropped == len(sent) + 1, (got, dropped)
