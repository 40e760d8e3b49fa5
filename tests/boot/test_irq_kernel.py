"""The irq: kernel scheme in a booted system (docs/interrupts.md).

First boot: ktest with only=irq runs the t_irq.c cases (blocks, exhaustion,
the "any" pick, interrupts raised with the root-only "test" write on every
CPU, shared GSI lines, level masking until every handle acked, rerouting,
vectors freed when a child exits or is killed, EACCES without the irq
right, a concurrent storm) on 4 CPUs and on 1; every case must pass and
the plan must be exact. Second boot: the normal system; root logs in and
runs irqstat, whose table must have a column per CPU, the timer and IPI rows
and a free-vector count per CPU."""
import pytest

import tapcheck
from qemu import Qemu, boot, build_iso
from test_session import login_session

IRQ_CASES = 9


@pytest.mark.parametrize('smp', [4, 1], ids=['4cpu', '1cpu'])
def test_irq_ktest_cases(smp):
    iso = build_iso('init=/bin/ktest init.only=irq', name='ktest-irq')
    with Qemu(iso, 'irq-ktest-%dcpu' % smp, smp=smp) as vm:
        assert tapcheck.check(vm, 'ktest', timeout=600) == IRQ_CASES


def test_irqstat_as_root():
    with boot('', 'irq-irqstat', smp=2, stdin=True) as vm:
        s = login_session(vm, 'root', 'redbear', '# ')
        out, rc = s.run('irqstat')
        assert rc == 0, out
        lines = out.splitlines()
        head = next(l for l in lines if l.startswith('VEC'))
        assert head.split()[1:3] == ['CPU0', 'CPU1'], head
        timer = next(l for l in lines if l.startswith('*:f0'))
        assert timer.split()[3] == 'timer', timer
        assert int(timer.split()[1]) > 0 and int(timer.split()[2]) > 0, timer
        for ipi in ('tlb', 'call', 'resched'):
            assert any(l.split()[-1] == ipi for l in lines if l.startswith('*:f')), ipi
        free = next(l for l in lines if l.startswith('free '))
        counts = [int(x) for x in free.split()[1:3]]
        assert all(0 <= c <= 192 for c in counts), free
        assert any(l.startswith('stray ') for l in lines), out
        out, rc = s.run('irqstat -f')
        assert rc == 0 and 'free ' in out and '*:f0' not in out, out
        out, rc = s.run('irqstat --help')
        assert rc == 0 and 'usage: irqstat' in out, out
        out, rc = s.run('irqstat -z')
        assert rc == 2, out
