import os
import shutil
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402


@pytest.fixture(scope='session')
def default_iso():
    return qemu.build_iso()


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run the test; if QEMU itself crashed (killed by a signal: a host bug,
    the known one being QEMU 7.2's TCG race in docs/pcid.md), record it in
    build/test-logs/qemu-crashes.log, keep the crashed run's serial log as
    NAME.log.crashed and run the test once more. A second crash, and every
    other failure, fails the test as usual."""
    args = {a: pyfuncitem.funcargs[a] for a in pyfuncitem._fixtureinfo.argnames}
    try:
        pyfuncitem.obj(**args)
    except qemu.QemuCrashed as e:
        os.makedirs(qemu.LOG_DIR, exist_ok=True)
        with open(os.path.join(qemu.LOG_DIR, 'qemu-crashes.log'), 'a') as f:
            f.write('%s %s: %s (run again)\n'
                    % (time.strftime('%Y-%m-%dT%H:%M:%S'), pyfuncitem.nodeid, e))
        crashes.append('%s: %s' % (pyfuncitem.nodeid, e))
        if e.log and os.path.exists(e.log):  # closed by now: the next run overwrites it
            shutil.copyfile(e.log, e.log + '.crashed')
        pyfuncitem.obj(**args)
    return True


crashes = []


def pytest_terminal_summary(terminalreporter):
    if crashes:
        terminalreporter.write_sep('-', 'QEMU crashed %d time(s); each test ran once more'
                                   % len(crashes))
        for c in crashes:
            terminalreporter.write_line(c)
