"""A user's first session, end to end, on the default image: the supervising
init brings the services up and starts getty on the serial console; we log
in as root and as the unprivileged guest, run commands through the shell
and check what a user would see (pipes, redirection to /tmp, exit status,
Ctrl-C, permission denied), then power off and QEMU must exit by itself.

Outside tests rely on the prompts: the login prompt line ends in `login: `,
the password prompt in `Password: `, root's shell prompt in `# ` and a
user's in `$ `. Commands are followed by `echo RC=$?` so that each step
waits for a marker the typed line itself cannot match (the shell echoes
`$?`, not its value)."""
import itertools
import re

import pytest

from qemu import boot

_marks = itertools.count(1)


class Session:
    def __init__(self, vm):
        self.vm = vm

    def login(self, user, password, prompt):
        self.vm.wait_for(r'login: $', timeout=120)
        self.vm.send(user.encode() + b'\r')
        self.vm.wait_for(r'Password: $', timeout=30)
        self.vm.send(password.encode() + b'\r')
        self.vm.wait_for(re.escape(prompt) + r'$', timeout=60)

    def run(self, cmd, timeout=60):
        """Type cmd; return (its output, its exit status)."""
        n = next(_marks)
        self.vm.send(('%s; echo "RC%d=$?"\r' % (cmd, n)).encode())
        m = self.vm.wait_for(r'\n((?:.*\n)*?)RC%d=(\d+)\n' % n, timeout=timeout)
        return m.group(1), int(m.group(2))


def login_session(vm, user, password, prompt):
    s = Session(vm)
    s.login(user, password, prompt)
    return s


CONFIGS = [(False, 4), (False, 1), (True, 4), (True, 1)]


@pytest.mark.parametrize('uefi,smp', CONFIGS,
                         ids=['bios-4cpu', 'bios-1cpu', 'uefi-4cpu', 'uefi-1cpu'])
def test_root_logs_in_and_powers_off(uefi, smp):
    name = 'session-root-%s-%dcpu' % ('uefi' if uefi else 'bios', smp)
    with boot('', name, smp=smp, uefi=uefi, stdin=True) as vm:
        s = login_session(vm, 'root', 'redbear', '# ')
        out, rc = s.run('echo hello world | wc -w')
        assert rc == 0 and out.split()[-1:] == ['2'], out
        out, rc = s.run('echo first > /tmp/f; echo second >> /tmp/f; cat /tmp/f')
        assert rc == 0 and 'first\nsecond\n' in out, out
        out, rc = s.run('false')
        assert rc == 1, out
        out, rc = s.run('nosuchcommand')
        assert rc == 127 and 'not found' in out, out
        out, rc = s.run('echo $((6 * 7))')
        assert '42' in out.split(), out
        out, rc = s.run('cat /etc/shadow | grep -c root')
        assert rc == 0 and out.split()[-1:] == ['1'], out
        vm.send(b'poweroff\r')
        vm.wait_for(r'init: powering off', timeout=60)
        vm.wait_exit(timeout=60)


def test_guest_is_held_by_permissions_and_ctrl_c_interrupts_a_job():
    with boot('', 'session-guest', stdin=True) as vm:
        s = login_session(vm, 'guest', 'guest', '$ ')
        out, rc = s.run('cat /etc/shadow')
        assert rc != 0 and 'Permission denied' in out, out
        out, rc = s.run('echo x > /etc/passwd')
        assert rc != 0 and 'Permission denied' in out, out
        out, rc = s.run('pwd; echo mine > /tmp/guestfile; cat /tmp/guestfile')
        assert rc == 0 and '/home/guest\n' in out and 'mine\n' in out, out
        # The job prints its marker from inside the job's process group, which
        # is the console's foreground group from its spawn on: Ctrl-C after the
        # marker reaches the job, not the shell.
        # As in other shells, the interrupted job's status is 130, and Ctrl-C
        # also ends the rest of the line it was typed on.
        vm.send(b"sh -c 'echo job-started; sleep 30'\r")
        vm.wait_for(r'\njob-started\n', timeout=60)
        vm.send(b'\x03')
        vm.wait_for(r'\$ $', timeout=20)
        vm.send(b'echo "after=$?"\r')
        m = vm.wait_for(r'\nafter=(\d+)\n', timeout=20)
        assert m.group(1) == '130', m.group(0)
        out, rc = s.run('echo still here')
        assert rc == 0 and 'still here' in out, out
        out, rc = s.run('poweroff')
        assert rc != 0 and 'permission denied' in out.lower(), out
        vm.send(b'exit\r')
        s.login('root', 'redbear', '# ')
        vm.send(b'poweroff\r')
        vm.wait_exit(timeout=60)
