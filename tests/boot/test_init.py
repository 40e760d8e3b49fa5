"""The supervising init (docs/init.md), in three boots.

The normal boot starts ramfsd, logd, ipcd and pcid from /etc/init.d (getty is
held until they settle), prints "init: N of N services ready" and the motd,
and with init.timeline=serial / init.table prints the boot timeline JSON
and the services table; the test checks both and prints the boot-to-ready
time.

The scenario boot (init.dir=/etc/init.test/super, svctest services) proves
in one run: INIT_NOTIFY readiness; a restart=always service killed by a
probe is running again, its scheme registered, and the probe prints the
time (printed here too); a crash loop restarts at once, then after 1 s,
then fails, said once; a never-ready service fails after its timeout and
its dependent is not started; a cycle, a missing service (reported once,
the `after` user still starts) and a diamond (the shared base started
once); a bad service file named with line and column while the rest boot;
failing health checks (path and command) kill and restart; a critical
service's one message; init:/control answers EINVAL and ENOENT and restarts
a service on `restart NAME`; then
`poweroff` on init:/control: SIGTERM in reverse dependency order, SIGKILL
for the service that ignores SIGTERM, and QEMU exits.

The third boot (init.dir=/etc/init.test/term) sends SIGTERM to init: the
same ordered poweroff, and an unsupervised process that ignores SIGTERM
is killed as well.
"""
import json
import re

from qemu import boot

STAMP = re.compile(r'^\[\s*(\d+\.\d+)\] ', re.M)


def block(out, begin, end):
    """The text between two marker lines, kernel timestamps taken off and
    lines the console split rejoined."""
    m = re.search(re.escape(begin) + r'\n(.*?)\n(?:\[[\s\d.]+\] )?' + re.escape(end), out, re.S)
    assert m, 'no %r block' % begin
    return m.group(1)


# a kernel message the console may put in the middle of a user line
KMSG = re.compile(r'pid \d+ \([^)]*\): [^\n]*killed \(SIG\w+\)\n(\[\s*\d+\.\d+\] )?')


def timeline(out):
    text = KMSG.sub('', block(out, '--- boot-timeline begin ---', '--- boot-timeline end ---'))
    return json.loads(STAMP.sub('', text).replace('\n', ''))


def table(out):
    text = STAMP.sub('', KMSG.sub('', block(out, '--- services begin ---', '--- services end ---')))
    rows = {}
    for line in text.split('\n'):
        f = line.split(' ')
        assert len(f) == 6, line
        rows[f[0]] = f[1:]
    return rows


def test_normal_boot():
    with boot('init.timeline=serial init.table', 'init-normal', smp=2) as vm:
        vm.wait_for(r'init: started\n', timeout=120)
        vm.wait_for(r'init: (\d+) of \1 services ready', timeout=60)
        vm.wait_for(r'Welcome to Red Bear OS')
        vm.wait_for(r'--- services end ---', timeout=60)
        out = vm.output
        tl = timeline(out)
        assert tl['version'] == 1 and tl['settled_ns'] >= tl['init_start_ns'] > 0
        svcs = {s['name']: s for s in tl['services']}
        for name in ('ramfsd', 'logd', 'ipcd'):
            s = svcs[name]
            assert s['state'] == 'ready' and s['type'] == 'notify', s
            assert tl['init_start_ns'] <= s['start_ns'] <= s['ready_ns'] <= tl['settled_ns']
            assert s['exit_ns'] is None and s['restarts'] == 0
        assert svcs['logd']['requires'] == ['ramfsd'] and svcs['logd']['critical'] is True
        # logd waits for ramfsd; ipcd is only ordered after it
        assert svcs['logd']['start_ns'] >= svcs['ramfsd']['ready_ns']
        rows = table(out)
        for name in ('ramfsd', 'logd', 'ipcd'):
            state, pid, restarts, uptime, last = rows[name]
            assert state == 'ready' and int(pid) > 1 and restarts == '0' and last == '-'
        # programs' console lines carry no timestamp: init's own clock says it
        settled, start = tl['settled_ns'] / 1e9, tl['init_start_ns'] / 1e9
        print('\nboot to settled services: %.3f s since the kernel started timing '
              '(init ran %.3f s of it)' % (settled, settled - start))
        assert 'missing INIT_NOTIFY' not in out and 'no INIT_NOTIFY' not in out


def test_scenarios_and_poweroff():
    with boot('init.dir=/etc/init.test/super init.timeline=serial init.table', 'init-super',
              smp=2) as vm:
        vm.wait_for(r'init: started\n', timeout=120)
        vm.wait_for(r'--- services end ---', timeout=90)
        vm.wait_for(r'init: powering off', timeout=120)
        vm.wait_exit(timeout=60)  # QEMU ends at ACPI S5
        check_super(vm.output)


def check_super(out):
    # the bad file: named, with line and column; the rest booted
    assert re.search(r"init: /etc/init.test/super/bad.toml: line 3, column 3: field 'type': "
                     r"'deamon' is not one of", out)
    # cycle and missing: reported once each, with the path / the names
    assert len(re.findall(r'init: cycle: c1 -> c2 -> c1', out)) == 1
    assert len(re.findall(r"missing service 'ghost' \(required by m1; after it: m2\)", out)) == 1
    assert 'svctest c1: started' not in out and 'svctest m1: started' not in out
    assert 'svctest m2: started' in out
    # the diamond: its base started once; its top after both sides
    assert out.count('svctest dbase: started') == 1
    # INIT_NOTIFY readiness: crashy (requires base) started only after base notified
    rows = table(out)
    assert rows['base'][0] == 'ready'
    # the probe: crash to running with the scheme back
    m = re.search(r'svctest: crashy back in (\d+) us \(pid (\d+) -> (\d+)\)', out)
    assert m, 'the probe did not see crashy come back'
    print('\ncrash to running with its scheme re-registered: %.1f ms' % (int(m.group(1)) / 1000))
    assert rows['probe'][0] == 'exited' and rows['crashy'][2] == '1'
    # the crash loop: at once, after 1 s, then failed, said once
    assert 'init: loop ended (signal 11); restart 1 in 0 ms' in out
    assert 'init: loop ended (signal 11); restart 2 in 1000 ms' in out
    assert len(re.findall(r'init: loop failed: it ended \(signal 11\) after 2 restarts', out)) == 1
    # never ready: failed after its timeout, its dependent not started
    assert 'init: never not ready within 1 s; killing it' in out
    assert 'init: needsnever not started: it requires never, which failed' in out
    assert 'svctest needsnever: started' not in out
    # health: a path that fails from its third read, a command that fails
    assert re.search(r'init: hc failed its health check \(EIO\); killing it', out)
    assert 'init: hc ended (signal 9); restart 1 in 0 ms' in out
    assert re.search(r'init: hc failed: it ended \(signal 9\) after 1 restarts', out)
    assert re.search(r'init: hcmd failed its health check \(exit 1\); killing it', out)
    # critical: one clear message
    assert len(re.findall(r'init: critical service crit failed: it ended \(exit 3\); '
                          r'the system is degraded', out)) == 1
    # init:/control refuses a bad command and an unknown service
    assert "svctest ctlbad: control 'frobnicate x': EINVAL" in out
    assert "svctest ctlghost: control 'restart ghost': ENOENT" in out
    # an administrator's restart: SIGTERM, then a new run at once
    assert "svctest ctlrestart: control 'restart m2': ok" in out
    assert 'init: restart m2 (uid 0)' in out
    assert out.count('svctest m2: started') == 2
    assert out.index('svctest m2: SIGTERM') < out.rindex('svctest m2: started')
    # the settle line and the timeline
    assert re.search(r'init: \d+ of 26 services ready', out)
    # user: a name, a number, and one that does not exist
    assert 'svctest asguest: runs as uid 1000 gid 1000' in out
    assert "init: asnobody: no user 'nobody' in /etc/passwd" in out
    assert 'svctest asnobody: started' not in out
    assert "svctest ctlperm: control 'restart m2': EPERM" in out
    tl = timeline(out)
    svcs = {s['name']: s for s in tl['services']}
    assert svcs['never']['state'] == 'failed' and svcs['never']['ready_ns'] is None
    assert svcs['needsnever']['start_ns'] is None
    assert svcs['probe']['exit_ns'] >= svcs['probe']['start_ns']
    assert svcs['dbase']['ready_ns'] <= svcs['dl']['start_ns']
    # the top after both sides (by init's clock: the services' own "started"
    # lines may come in any order, a daemon being ready once spawned)
    assert svcs['dtop']['start_ns'] >= max(svcs['dl']['ready_ns'], svcs['dr']['ready_ns'])
    # the ordered stop: dependents first; stubborn gets SIGKILL; then off
    stop = out[out.index('init: stopping '):]
    assert re.search(r'init: stopping \d+ services', out)
    for first, then in (('dtop', 'dl'), ('dtop', 'dr'), ('dl', 'dbase'), ('dr', 'dbase'),
                        ('crashy', 'base')):
        assert stop.index('init: stopping %s ' % first) < stop.index('init: stopping %s ' % then)
        assert stop.index('init: %s stopped' % first) < stop.index('init: stopping %s ' % then)
    assert 'svctest stubborn: SIGTERM (ignored)' in stop
    assert 'init: stubborn still runs after SIGTERM; SIGKILL' in stop
    assert stop.index('init: all services stopped') > stop.index('init: stubborn stopped')
    assert stop.index('init: powering off') > stop.index('init: all services stopped')
    assert 'PANIC' not in out and 'FATAL' not in out


def test_sigterm_to_init_powers_off():
    """SIGTERM to init is a poweroff: services stop in reverse order, and a
    process no one supervises (it ignores SIGTERM) is killed too."""
    with boot('init.dir=/etc/init.test/term', 'init-term', smp=2) as vm:
        vm.wait_for(r'init: started\n', timeout=120)
        vm.wait_for(r'svctest orphan: started', timeout=60)
        vm.wait_for(r'init: SIGTERM: shutting down', timeout=60)
        vm.wait_for(r'init: stopping 3 services')
        vm.wait_for(r'svctest orphan: SIGTERM \(ignored\)', from_start=True)
        vm.wait_for(r'init: stopping b ')
        vm.wait_for(r'init: b stopped')
        vm.wait_for(r'init: stopping a ')
        vm.wait_for(r'init: all services stopped', timeout=60)
        vm.wait_for(r'init: powering off')
        vm.wait_exit(timeout=60)
        assert 'would not die' not in vm.output
