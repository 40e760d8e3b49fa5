"""kbench smoke test: boot init=/bin/kbench once and check that every figure
line appears and the run ends with "bench: done". Timings are never
asserted (TCG on a shared machine); read them in the log
(build/test-logs/kbench.log) or run kbench by hand, see docs/stress.md."""
import re

from qemu import Qemu, build_iso

FIGURES = ['null_syscall', 'yield_1cpu', 'futex_rtt_1cpu', 'futex_rtt_2cpu',
           'thread_create_join', 'spawn_wait', 'mmap_munmap_1m', 'mmap_touch_munmap_1m',
           'fault_per_page']
# IPC figures, each with the other end on the same CPU and on another one.
IPC = ['pipe_rtt', 'pipe_read_64k', 'scheme_rtt', 'scheme_read_64k', 'stream_rtt']
# Those a system may lack (no ipcd yet): "bench: NAME skipped: why" instead.
MAY_SKIP = ['stream_rtt']


def test_bench_smoke():
    # init.batches=1 reaches kbench as the argv word batches=1: one batch per figure.
    iso = build_iso('init=/bin/kbench init.batches=1', name='kbench')
    with Qemu(iso, 'kbench', smp=4) as vm:
        m = vm.wait_for(r'bench: done.*$|PANIC|FATAL', timeout=300)
        assert m.group(0).startswith('bench: done'), 'kernel died: %s' % m.group(0)
        assert 'with errors' not in m.group(0), 'a figure could not be measured'
        for name in FIGURES:
            assert re.search(r'bench: %s ns=\d+$' % name, vm.output, re.M), \
                'no figure for %s' % name
        for base in IPC:
            for name in (base + '_1cpu', base + '_2cpu'):
                figure = r'bench: %s ns=\d+( MB/s=\d+)?$' % name
                if base in MAY_SKIP:
                    figure = r'(%s|bench: %s skipped: .+$)' % (figure, name)
                assert re.search(figure, vm.output, re.M), 'no figure for %s' % name
