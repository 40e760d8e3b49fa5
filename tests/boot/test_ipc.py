"""Schemes and IPC boot tests (docs/ipc.md).

The default boot starts the base services (ramfsd, logd, ipcd) from init,
and /etc/motd is read through the plain-path namespace. The hostile client
(init=/bin/hostile) makes REDBEAR_HOSTILE_REQUESTS (default 100000) random,
malformed and out-of-range calls from unprivileged storm processes against
a correct test server, an evil one (garbage answers, silence, deaths),
file:, ipc: and log:, while a good client must keep being served; it must
end with no failure and the kernel must not panic."""
import os
import re

from qemu import Qemu, build_iso

REQUESTS = int(os.environ.get('REDBEAR_HOSTILE_REQUESTS', '100000'))
SEED = os.environ.get('REDBEAR_HOSTILE_SEED', '0x5eed')


def test_services_start_at_boot(default_iso):
    with Qemu(default_iso, 'services', smp=2) as vm:
        vm.wait_for(r'ramfsd: serving file:', timeout=120)
        vm.wait_for(r'init: (\d+) of \1 services ready', timeout=60)
        assert 'did not start' not in vm.output


def test_hostile_client():
    iso = build_iso('init=/bin/hostile init.requests=%d init.seed=%s' % (REQUESTS, SEED),
                    name='hostile')
    with Qemu(iso, 'hostile', smp=4) as vm:
        vm.wait_for(r'hostile: seed', timeout=120)
        m = vm.wait_for(r'hostile: done, .*failures=(\d+)|PANIC|FATAL',
                        timeout=600 + REQUESTS // 100)
        assert not m.group(0).startswith(('PANIC', 'FATAL')), \
            'kernel died under the hostile client (log: %s)' % vm.log_path()
        fails = [l for l in vm.output.splitlines() if 'hostile: FAIL' in l]
        assert int(m.group(1)) == 0 and not fails, fails
        assert 'skipped' not in vm.output, 'a server was not attacked'
        assert 'PANIC' not in vm.output and 'FATAL' not in vm.output


def test_hostile_evil_only():
    """The evil server alone (targets=2): its storm hung when an answer the
    kernel does not take (a wrong id, an event, a torn header) left the
    caller waiting with no death to free it, when it gave away its
    sibling echo server's fd, and in main's shutdown."""
    iso = build_iso('init=/bin/hostile init.requests=3000 init.procs=1 init.threads=1 '
                    'init.targets=2', name='hostile-evil')
    with Qemu(iso, 'hostile-evil', smp=2) as vm:
        vm.wait_for(r'hostile: storm 0: calls=3000', timeout=300)
        m = vm.wait_for(r'hostile: done, .*failures=(\d+)|PANIC|FATAL', timeout=120)
        assert not m.group(0).startswith(('PANIC', 'FATAL')), vm.log_path()
        assert int(m.group(1)) == 0, [l for l in vm.output.splitlines() if 'FAIL' in l]


def test_hostile_shutdown_file_only():
    """A short run against file: alone (seed 2) hung in hostile's own
    shutdown before c306e7f: an echo thread could not answer a 'bye'."""
    iso = build_iso('init=/bin/hostile init.requests=3000 init.procs=1 init.threads=1 '
                    'init.targets=4 init.seed=0x2', name='hostile-file')
    with Qemu(iso, 'hostile-file', smp=2) as vm:
        m = vm.wait_for(r'hostile: done, .*failures=(\d+)|PANIC|FATAL', timeout=300)
        assert not m.group(0).startswith(('PANIC', 'FATAL')), vm.log_path()
        fails = [l for l in vm.output.splitlines() if 'hostile: FAIL' in l]
        assert int(m.group(1)) == 0 and not fails, fails


def test_hostile_ipc_reaches_connections():
    """ipc: alone (targets=8): the storm must get past ipcd's path checks
    and use real connections. Before its well-formed ipc: calls, almost
    every ipc: call failed, so no connection, accept, packet or fd ever
    went through ipcd under the storm."""
    iso = build_iso('init=/bin/hostile init.requests=4000 init.procs=2 init.threads=2 '
                    'init.targets=8 init.seed=0x3', name='hostile-ipc')
    with Qemu(iso, 'hostile-ipc', smp=4) as vm:
        m = vm.wait_for(r'hostile: done, .*failures=(\d+)|PANIC|FATAL', timeout=400)
        assert not m.group(0).startswith(('PANIC', 'FATAL')), vm.log_path()
        fails = [l for l in vm.output.splitlines() if 'hostile: FAIL' in l]
        assert int(m.group(1)) == 0 and not fails, fails
        oks = re.findall(r'hostile: storm \d+: ipc ok: listen=(\d+) connect=(\d+) '
                         r'accept=(\d+) write=(\d+) read=(\d+) fd=(\d+)', vm.output)
        assert len(oks) == 2, vm.log_path()
        totals = [sum(int(o[k]) for o in oks) for k in range(6)]
        assert all(t > 0 for t in totals), \
            'listen, connect, accept, write, read, fd successes: %s' % totals
