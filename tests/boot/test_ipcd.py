"""ipcd storm boot test: boot init=/bin/ipcstorm, which starts ipcd, one
echo server process and 20 client processes of 50 threads: 1000 concurrent
ipc: streams, 100 numbered messages each, every echo checked to arrive once
and in order. The test requires the done line with failures=0 and no panic,
and shows the heap and ipcd memory lines it printed. REDBEAR_IPCSTORM
("streams=N msgs=M") changes the size."""
import os
import re

from qemu import Qemu, build_iso

ARGS = os.environ.get('REDBEAR_IPCSTORM', 'streams=1000 msgs=100')


def test_ipcd_storm():
    words = ['init=/bin/ipcstorm'] + ['init.' + w for w in ARGS.split()]
    iso = build_iso(' '.join(words), name='ipcstorm')
    with Qemu(iso, 'ipcstorm', smp=4) as vm:
        vm.wait_for(r'ipcd: serving ipc:', timeout=120)
        m = vm.wait_for(r'ipcstorm: done, streams=(\d+), msgs=(\d+), ms=(\d+), failures=(\d+)'
                        r'|PANIC|FATAL', timeout=1800)
        assert m.group(0).startswith('ipcstorm: done'), \
            'ipcstorm: %s (log: %s)' % (m.group(0), vm.log_path())
        for line in re.findall(r'ipcstorm: (?:before|after):.*', vm.output):
            print(line)
        assert int(m.group(4)) == 0, 'ipcstorm failures (log: %s)' % vm.log_path()
