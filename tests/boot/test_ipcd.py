"""ipcd storm boot test: boot init=/bin/ipcstorm, which starts ipcd, one
echo server process and client processes of up to 50 threads, each thread
a stream of numbered messages, every echo checked to arrive once and in
order. The test requires the done line with failures=0 and no panic, and
shows the heap and ipcd memory lines it printed. REDBEAR_IPCSTORM
("streams=N msgs=M") changes the size.

make check runs 60 streams of 10 messages. The issue's 1000 concurrent
streams do not finish yet: the run stalls with about 144 handles open and
64 requests deferred in ipcd (docs/ipcd.md, open defects)."""
import os
import re

from qemu import Qemu, build_iso

ARGS = os.environ.get('REDBEAR_IPCSTORM', 'streams=60 msgs=10')


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
