"""kbench smoke tests: boot init=/bin/kbench once and check that every figure
line appears and the run ends with "bench: done"; boot normally, log in as
root and run "kbench svc" once for the service restart figure. Timings are
never asserted (TCG on a shared machine); read them in the logs
(build/test-logs/kbench.log, kbench-svc.log) or run kbench by hand, see
docs/stress.md."""
import re

from qemu import Qemu, boot, build_iso
from test_session import login_session

FIGURES = ['null_syscall', 'yield_1cpu', 'futex_rtt_1cpu', 'futex_rtt_2cpu',
           'wakeup_1cpu', 'wakeup_2cpu',
           'thread_create_join', 'spawn_wait', 'mmap_munmap_1m', 'mmap_touch_munmap_1m',
           'fault_per_page', 'sleep_overshoot', 'pi_bound', 'pi_wait_median']
# IPC figures, each with the other end on the same CPU and on another one.
IPC = ['pipe_rtt', 'pipe_read_64k', 'scheme_rtt', 'scheme_read_64k', 'stream_rtt',
       'stream_read_64k']
# Those a system may lack (no ipcd): "bench: NAME skipped: why" instead.
MAY_SKIP = ['stream_rtt', 'stream_read_64k']


def test_bench_smoke():
    # init.batches=1 reaches kbench as the argv word batches=1: one batch per figure.
    iso = build_iso('init=/bin/kbench init.batches=1', name='kbench')
    with Qemu(iso, 'kbench', smp=4) as vm:
        m = vm.wait_for(r'bench: done.*\n|PANIC|FATAL', timeout=300)
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


def test_svc_restart():
    # kbench svc kills ipcd (restart=always) three times; init must bring it back each time.
    with boot('', 'kbench-svc', smp=4, stdin=True) as vm:
        s = login_session(vm, 'root', 'redbear', '# ')
        out, rc = s.run('kbench svc runs=3', timeout=120)
        assert re.search(r'bench: svc_restart ns=[1-9]\d*$', out, re.M), out
        assert re.search(r'bench: done$', out, re.M) and rc == 0, out
        out, rc = s.run('kbench svc runs=0')
        assert rc == 2, out
