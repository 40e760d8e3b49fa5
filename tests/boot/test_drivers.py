"""driver-manager (docs/drivers.md) on the default image, q35.

The machine has a pci-testdev (1b36:0005), which initfs's drvtest rule
drives with `args = ["fatal"]`: it must be probed exactly once, say
fatal, be skipped with one line, and never be spawned again. The ICH9
SMBus (8086:2930) matches no rule: one "no driver" line. `driver-manager
--status` lists both, and init counts driver-manager among its ready
services. At poweroff driver-manager stops in order. Each driver's
start, status and exit reach init's boot timeline ("drivers", read from
init:/timeline after the login)."""
import re

from qemu import boot
from test_init import timeline
from test_session import login_session

TESTDEV = ['-device', 'pci-testdev']


def test_fatal_probe_is_skipped_and_unmatched_is_reported():
    with boot('', 'drivers-q35', smp=2, stdin=True, extra=TESTDEV) as vm:
        vm.wait_for(r'driver-manager: \d+ driver rule\(s\)', timeout=120)
        m = vm.wait_for(r'driver-manager: (\S+): drvtest probing \(pid \d+\)', timeout=120)
        addr = m.group(1)
        vm.wait_for(r'driver-manager: %s: drvtest: fatal: told to fail by its rule; skipped'
                    % re.escape(addr), timeout=60)
        s = login_session(vm, 'root', 'redbear', '# ')
        out, rc = s.run('driver-manager --status')
        out = out.replace('\r', '')
        assert rc == 0, out
        assert re.search(r'^%s\s+1b36:0005 drvtest\s+skipped: fatal\s+0\s+0 -$' % re.escape(addr),
                         out, re.M), out
        assert re.search(r'^\S+\s+8086:2930 -\s+no driver ', out, re.M), out
        # probed once, one line each: nothing was retried while we logged in
        assert len(re.findall(r'%s: drvtest probing' % re.escape(addr), vm.output)) == 1
        assert len(re.findall(r'%s: drvtest: fatal' % re.escape(addr), vm.output)) == 1
        assert len(re.findall(r'8086:2930 \(class 0c:05:00\): no driver', vm.output)) == 1
        # the boot timeline has the probe: started and said fatal, once (its exit
        # may come after init settled: driver-manager waits for status lines only).
        # Read in the session: printed on the console at settle, it could land on
        # the login prompt's line, which login_session would then never see.
        out, rc = s.run('echo "--- boot-timeline begin ---"; cat init:/timeline; '
                        'echo "--- boot-timeline end ---"')
        assert rc == 0, out
        tl = timeline(out.replace('\r', ''))
        assert tl['drivers_dropped'] == 0, tl
        d = [e for e in tl['drivers'] if e['device'] == addr]
        assert len(d) == 1 and d[0]['name'] == 'drvtest' and d[0]['type'] == 'driver', tl
        d = d[0]
        assert d['state'] == 'fatal' and d['restarts'] == 0 and d['ready_ns'] is None, d
        assert tl['init_start_ns'] < d['start_ns'] <= tl['settled_ns'], (tl, d)
        assert d['exit_ns'] is None or d['exit_ns'] >= d['start_ns'], d


def test_bound_driver_restarts_and_stops_at_poweroff():
    """drvtest-ready binds QEMU's pvpanic-pci; killed, it is back (a new
    pid, restarts 1) with the time it took printed; at poweroff it gets
    SIGTERM and exits before driver-manager does."""
    with boot('', 'drivers-restart', smp=2, stdin=True,
              extra=['-device', 'pvpanic-pci']) as vm:
        m = vm.wait_for(r'driver-manager: (\S+): drvtest-ready ready \(poll\) in \d+ ms, '
                        r'pid (\d+)\n', timeout=120)
        addr, pid = m.group(1), m.group(2)
        s = login_session(vm, 'root', 'redbear', '# ')
        out, rc = s.run('kill -9 %s' % pid)
        assert rc == 0, out
        # s.run may have read past these lines already: search the whole log
        vm.wait_for(r'driver-manager: %s: drvtest-ready \(pid %s\) ended: signal 9; restart in 0 ms'
                    % (re.escape(addr), pid), timeout=60, from_start=True)
        m = vm.wait_for(r'driver-manager: %s: drvtest-ready restarted \(pid (\d+)\)'
                        % re.escape(addr), timeout=60, from_start=True)
        new = m.group(1)
        assert new != pid
        m = vm.wait_for(r'driver-manager: %s: drvtest-ready ready \(poll\) in (\d+) ms, pid %s'
                        % (re.escape(addr), new), timeout=60, from_start=True)
        print('drvtest-ready back in %s ms (spawn to ready)' % m.group(1))
        out, rc = s.run('driver-manager --status')
        out = out.replace('\r', '')
        assert re.search(r'^%s\s+1b36:0011 drvtest-ready\s+bound \(poll\)\s+%s\s+1 poll$'
                         % (re.escape(addr), new), out, re.M), out
        # init's timeline, read now: the first start and ready, one restart, running
        out, rc = s.run('echo "--- boot-timeline begin ---"; cat init:/timeline; '
                        'echo "--- boot-timeline end ---"')
        assert rc == 0, out
        tl = timeline(out.replace('\r', ''))
        d = [e for e in tl['drivers'] if e['device'] == addr]
        assert len(d) == 1 and d[0]['name'] == 'drvtest-ready', tl
        d = d[0]
        assert d['state'] == 'ready' and d['restarts'] == 1 and d['exit_ns'] is None, d
        assert tl['init_start_ns'] < d['start_ns'] <= d['ready_ns'], d
        vm.send(b'poweroff\r')
        # drvtest-ready and ps2d (the PS/2 keyboard, an ACPI device)
        vm.wait_for(r'driver-manager: stopped 2 driver\(s\)', timeout=60)
        vm.wait_exit(timeout=60)
