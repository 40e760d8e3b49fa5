"""Interrupts for drivers through pcid's irq node (docs/pcid.md), on
the default image, logged in as root, with irqtest (user/irqtest).

q35 with edu, virtio-net, e1000e and nvme: virtio-net and NVMe are bound
by their drivers (driver-manager) on MSI-X, so `irqtest --all` finds
them claimed; it asks every other function for `auto 1`; each one that
offers MSI-X must get MSI-X, each one that offers only MSI must get MSI. edu (MSI, no MSI-X) then raises 8
interrupts and irq:/stats, printed while the vector is held, shows them
on the vector labelled `msi 0000:00:04.0`. With fault injection
(`fail_msi=` in /etc/pcid.conf) edu falls back to INTx, on the route
acpi:/route gives, and still delivers its 8 interrupts.

i440fx (`-machine pc`) with edu and an e1000 (no MSI): the e1000 gets
INTx on the GSI acpid's _PRT gives (QEMU's PIIX links LNKA-LNKD route to
IRQ 5, 10 or 11), and edu asked for `intx` gets its _PRT route and its
interrupts arrive on it.

Needs h-irq (irq:), h-hw (grants), h-pci (pcid) and h-acpid (acpi:/route)
merged."""
import os
import re
import tempfile

from qemu import boot
from test_session import login_session

EDU = '0000:00:04.0'
LINE = re.compile(r'irqtest: (\S+) ([0-9a-f]{4}):([0-9a-f]{4}) offers msix (\d+) msi (\d+) '
                  r'pin (\d+) got (.*)$', re.M)


def irqtest_all(s):
    out, rc = s.run('initfs:/bin/irqtest --all', timeout=120)
    devs = {m.group(1): m.groups()[1:] for m in LINE.finditer(out.replace('\r', ''))}
    return out, rc, devs


def route_of(s, fn, pin='A'):
    out, rc = s.run('cat acpi:/route/%s/%s' % (fn, pin))
    m = re.search(r'^(\d+) (level|edge) (low|high)\r?$', out, re.M)
    assert rc == 0 and m, out
    return m.groups()


def raise_edu(s, req=None):
    out, rc = s.run('initfs:/bin/irqtest -s -n 8 %s%s' % ('-r "%s" ' % req if req else '', EDU),
                    timeout=120)
    out = out.replace('\r', '')
    # the whole line: 'got 8' is also the start of 'got 80'
    assert rc == 0 and re.search(r'irqtest: %s raised 8 got 8$' % re.escape(EDU), out, re.M), out
    mode = re.search(r'irqtest: %s 1234:11e8 mode (.*) path (\S+)' % re.escape(EDU), out)
    assert mode, out
    return out, mode.group(1), mode.group(2)


def stats_count(out, label):
    """The sum of the per-CPU counts on the irq:/stats line owned by label:
    only the CPU columns the header names (the owner text may hold numbers
    too, e.g. `gsi 20`); '-' is a CPU the vector is not on."""
    lines = out.splitlines()
    head = next((l.split() for l in lines if l.startswith('VEC ')), None)
    assert head, 'no irq:/stats header in:\n%s' % out
    cpus = sum(1 for w in head if re.fullmatch(r'CPU\d+', w))
    for line in lines:
        if line.rstrip().endswith(label):
            cols = line.split()[1:1 + cpus]
            assert all(c.isdigit() or c == '-' for c in cols), line
            return sum(int(c) for c in cols if c != '-')
    raise AssertionError('no irq:/stats line for %r in:\n%s' % (label, out))


def test_q35_msi_msix_and_fallback():
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, 'nvme.img')
        with open(disk, 'wb') as f:
            f.truncate(1 << 20)
        extra = ['-nic', 'none',
                 '-device', 'edu,addr=04.0',
                 '-device', 'virtio-net-pci,addr=05.0',
                 '-device', 'e1000e,addr=06.0',
                 '-drive', 'file=%s,if=none,id=nv0,format=raw' % disk,
                 '-device', 'nvme,serial=rb0,drive=nv0,addr=07.0']
        with boot('', 'pci-irq-q35', smp=2, stdin=True, extra=extra) as vm:
            s = login_session(vm, 'root', 'redbear', '# ')
            # virtio-net and NVMe have drivers (driver-manager): irqtest
            # cannot claim them, and their drivers' modes are the answer.
            out, rc = s.run('driver-manager --status')
            bound = {m.group(1): m.group(2) for m in re.finditer(
                r'^(\S+)\s+\S+ \S+\s+bound \(([^)]*)\)', out.replace('\r', ''), re.M)}
            assert rc == 0 and len(bound) == 2, out
            assert all(mode.startswith('msix ') for mode in bound.values()), out
            out, rc, devs = irqtest_all(s)
            busy = re.findall(r'irqtest: (\S+): claim: EBUSY', out)
            assert sorted(busy) == sorted(bound), out
            assert rc == (1 if busy else 0), out
            want = {('1234', '11e8'): 'msi', ('8086', '10d3'): 'msix'}
            seen = set()
            for fn, (ven, dev, msix, msi, pin, got) in devs.items():
                if int(msix) > 0:
                    assert got == 'msix 1', (fn, got)
                elif int(msi) > 0:
                    assert got == 'msi 1', (fn, got)
                if (ven, dev) in want:
                    assert got.split()[0] == want[(ven, dev)], (fn, got)
                    seen.add((ven, dev))
            assert seen == set(want), out

            out, mode, _ = raise_edu(s)
            assert mode == 'msi 1', out
            assert stats_count(out, 'msi %s' % EDU) >= 8, out
            # irqtest has let go: lspci -v shows no interrupt in use
            out, rc = s.run('lspci -v -s %s' % EDU)
            assert rc == 0 and 'Interrupt in use: none' in out, out

            # fault injection: MSI fails, edu falls back to its _PRT line
            gsi, trig, pol = route_of(s, EDU)
            _, rc = s.run('echo fail_msi=%s > /etc/pcid.conf' % EDU)
            assert rc == 0
            out, mode, path = raise_edu(s)
            assert mode == 'intx %s %s %s' % (gsi, trig, pol), out
            assert path.endswith('/gsi/%s' % gsi), out
            assert stats_count(out, 'intx %s' % EDU) >= 8, out
            _, rc = s.run('rm /etc/pcid.conf')
            vm.send(b'poweroff\r')
            vm.wait_exit(timeout=120)
        assert 'PANIC' not in vm.output


def test_i440fx_intx_from_prt():
    extra = ['-machine', 'pc', '-nic', 'none',
             '-device', 'edu,addr=04.0',
             '-device', 'e1000,addr=05.0']
    with boot('', 'pci-irq-i440fx', smp=2, stdin=True, extra=extra) as vm:
        s = login_session(vm, 'root', 'redbear', '# ')
        out, rc, devs = irqtest_all(s)
        assert rc == 0, out
        e1000 = [fn for fn, d in devs.items() if d[:2] == ('8086', '100e')]
        assert e1000, out
        fn = e1000[0]
        gsi, trig, pol = route_of(s, fn)
        assert int(gsi) in (5, 10, 11), (gsi, out)
        assert devs[fn][5] == 'intx %s %s %s' % (gsi, trig, pol), out

        gsi, trig, pol = route_of(s, EDU)
        assert int(gsi) in (5, 10, 11), gsi
        out, mode, path = raise_edu(s, req='intx')
        assert mode == 'intx %s %s %s' % (gsi, trig, pol), out
        assert path.endswith('/gsi/%s' % gsi), out
        vm.send(b'poweroff\r')
        vm.wait_exit(timeout=120)
    assert 'PANIC' not in vm.output
