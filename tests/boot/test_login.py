"""Login boot tests (docs/login.md, docs/console.md, docs/ramfs.md).

getty runs as init's console service on the default image and the test types on COM1: the prompts, wrong
passwords ("Login incorrect", no echo), the slow-down after the third
failure, an unknown user, the name length cap, and a correct root login,
which ends in the user's shell or, while /bin/sh does not exist, in the
clear "cannot run" message and a new prompt. Programs' console output
must carry no kernel timestamp prefix. permcheck, run the same way,
checks the seeded permissions as root and as uid 1000 in the guest."""
import re
import time

from qemu import boot

GETTY = ''  # the default image: init starts getty


def login_prompt(vm, timeout=60):
    vm.wait_for(r'redbear login: $', timeout=timeout)


def test_login_flow():
    with boot(GETTY, 'login', stdin=True) as vm:
        # raw user output: the motd and init's lines start their lines
        vm.wait_for(r'^init: \d+ of \d+ services ready\n', timeout=120)
        vm.wait_for(r'^Welcome to Red Bear OS\.\n', timeout=60)
        assert not re.search(r'\] (Welcome to Red Bear|init: \d+ of)', vm.output), \
            'user output still carries the kernel log prefix'
        vm.wait_for(r'^Red Bear OS \(ttyS0\)\n', timeout=60)
        login_prompt(vm)

        vm.send(b'\r')  # an empty name: just a new prompt
        login_prompt(vm)
        vm.send(b'x' * 40 + b'\r')
        vm.wait_for(r'user name too long \(at most 32 characters\)', timeout=60)
        login_prompt(vm)

        vm.send(b'rooot\x7ft\r\n')  # echo with backspace; CR LF is one Enter
        vm.wait_for(r'rooot\x08 \x08t\n', timeout=60)
        took = []  # seconds from typing a wrong password to the next name prompt
        for i, enter in enumerate([b'\r', b'\n', b'\r\n']):
            prompt = vm.wait_for(r'Password: $', timeout=60)
            t0 = time.monotonic()
            vm.send(b'nope' + enter)
            vm.wait_for(r'Login incorrect\n', timeout=60)
            after = vm.output[prompt.end():prompt.end() + 17]
            assert after == '\nLogin incorrect\n', 'password echoed: %r' % after
            if i == 2:
                m = vm.wait_for(r'login: 3 failed attempts; next try in (\d+) s\n', timeout=60)
            login_prompt(vm)
            took.append(time.monotonic() - t0)
            if i < 2:
                vm.send(b'root\r')
        print('login: %s s announced after 3 failures; wrong password to next prompt: %s s'
              % (m.group(1), ', '.join('%.2f' % t for t in took)))
        assert int(m.group(1)) >= 1
        assert took[2] >= 0.9, 'no delay after the third failure: %.2f s' % took[2]

        vm.send(b'nosuchuser\r')  # an unknown user gets the same answer
        vm.wait_for(r'Password: $', timeout=60)
        vm.send(b'whatever\r')
        vm.wait_for(r'Login incorrect\n', timeout=60)
        vm.wait_for(r'login: 4 failed attempts; next try in \d+ s\n', timeout=60)
        login_prompt(vm, timeout=60)

        vm.send(b'root\r')
        prompt = vm.wait_for(r'Password: $', timeout=60)
        vm.send(b'redbear\r')
        m = vm.wait_for(r'login: cannot run /bin/sh: No such file or directory\n|'
                        r'root@redbear:[^\n]*# $', timeout=120)
        assert vm.output[prompt.end()] == '\n', 'password echoed'
        if m.group(0).startswith('login:'):
            print('login: no /bin/sh yet: checked the message and the new prompt')
        else:
            vm.send(b'exit\r')
        vm.wait_for(r'^Red Bear OS \(ttyS0\)\n', timeout=60)
        login_prompt(vm)


def test_seeded_permissions_stop_guest():
    with boot('init.console=initfs:/bin/permcheck', 'login-perms') as vm:
        m = vm.wait_for(r'permcheck: (\d+) failures', timeout=120)
        lines = re.findall(r'^permcheck: .*$', vm.output, re.M)
        print('\n'.join(lines))
        assert m.group(1) == '0', [l for l in lines if 'FAIL' in l]
        assert any(l.startswith('permcheck: ok guest reads /etc/shadow:') for l in lines)
        assert any(l.startswith('permcheck: ok guest writes /etc/passwd:') for l in lines)
