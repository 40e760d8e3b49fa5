"""ipcd storm boot test: boot init=/bin/ipcstorm, which starts ipcd, one
echo server process and 20 client processes of 50 threads, each thread a
stream. The server accepts all 1000 streams before it echoes anything, so
they are all open at once; every echo is checked to arrive once and in
order. The test requires the "open at once" line with at least one live
thread per stream (counted by the server at that moment: the storm's own
samples, 100 ms apart, can miss a short serving phase), the peak line
(kernel heap, threads, files, free pages) and ipcd's mem_peak, and the done line
with failures=0 and no panic. REDBEAR_IPCSTORM ("streams=N msgs=M")
changes the size (docs/ipcd.md has the figures)."""
import os
import re

from qemu import Qemu, build_iso

ARGS = os.environ.get('REDBEAR_IPCSTORM', 'streams=1000 msgs=3')


def test_ipcd_storm():
    words = ['init=/bin/ipcstorm'] + ['init.' + w for w in ARGS.split()]
    streams = int(re.search(r'streams=(\d+)', ARGS).group(1))
    iso = build_iso(' '.join(words), name='ipcstorm')
    with Qemu(iso, 'ipcstorm', smp=4) as vm:
        vm.wait_for(r'ipcd: serving ipc:', timeout=120)
        m = vm.wait_for(r'ipcstorm: server: %d streams open at once, threads (-?\d+)\n|PANIC|FATAL'
                        % streams, timeout=600)
        assert m.group(0).startswith('ipcstorm: server'), \
            'ipcstorm: %s (log: %s)' % (m.group(0), vm.log_path())
        # every client thread is alive while every stream is open
        assert int(m.group(1)) >= streams, 'fewer threads than streams: %s' % m.group(0)
        m = vm.wait_for(r'ipcstorm: done, streams=(\d+), msgs=(\d+), ms=(\d+), failures=(\d+)\n'
                        r'|PANIC|FATAL', timeout=600)
        assert m.group(0).startswith('ipcstorm: done'), \
            'ipcstorm: %s (log: %s)' % (m.group(0), vm.log_path())
        for line in re.findall(r'ipcstorm: (?:before|after|peak):.*', vm.output):
            print(line)
        print('ipcstorm: %s ms in the guest, %.0f s of QEMU' % (m.group(3), vm.elapsed()))
        assert int(m.group(4)) == 0, 'ipcstorm failures (log: %s)' % vm.log_path()
        after = re.search(r'ipcstorm: after:.* mem_peak (\d+)', vm.output)
        assert after and int(after.group(1)) > 0, 'no ipcd mem_peak (log: %s)' % vm.log_path()
        peak = re.search(r'ipcstorm: peak: kernel heap_bytes (\d+) .*threads (\d+)', vm.output)
        assert peak, 'no peak line (log: %s)' % vm.log_path()
