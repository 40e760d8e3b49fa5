"""Console input boot test: bytes typed on COM1 reach a program that waits
for them in poll and reads them with blocking reads (interrupt-driven input,
docs/console.md). /bin/kecho runs as init and echoes one line back."""
from qemu import boot


def test_console_input_wakes_poll_and_read():
    with boot('init=/bin/kecho', 'console-input', stdin=True) as vm:
        vm.wait_for(r'kecho: ready', timeout=60)
        vm.send(b'hello red bear\r')
        m = vm.wait_for(r'kecho: poll (-?\d+) revents (\S+)', timeout=60)
        assert m.group(1) == '1' and m.group(2) == '0x1', m.group(0)
        vm.wait_for(r'kecho: got hello red bear\n', timeout=60)
        vm.wait_for(r'kecho: then empty', timeout=60)
