"""Run the mkshadow host tool (tools/mkshadow): with a fixed salt it prints
the shadow line whose hash python3's crypt module (libxcrypt) also gives for
the shipped accounts; -r writes the rounds; without a salt two runs differ
(random salt) and both lines verify; bad names, salts and rounds exit 2.
"""

import os
import subprocess

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(REPO, 'build', 'host', 'mkshadow')


def run(args, password):
    return subprocess.run([TOOL] + args, input=password.encode(), capture_output=True)


@pytest.fixture(scope='module', autouse=True)
def built():
    subprocess.run(['make', '-s', '-C', REPO, 'build/host/mkshadow'], check=True)


def test_fixed_salt():
    r = run(['root', 'redbearroot'], 'redbear\n')
    assert r.returncode == 0
    assert r.stdout.decode() == \
        'root:$5$redbearroot$ohc7X1pcFWV23CyLa.RD.all1n/8fNiESluyuQmOXR.:::::::\n'
    r = run(['guest', 'redbearguest'], 'guest')
    assert r.stdout.decode() == \
        'guest:$5$redbearguest$NX7nBKsIjVj/eMd/3oLbkajY/qG32WWlKy7eDvXqJu1:::::::\n'


def test_rounds():
    r = run(['-r', '1000', 'a', 'roundstoolow'], 'the minimum number is still observed')
    assert r.returncode == 0
    assert r.stdout.decode() == ('a:$5$rounds=1000$roundstoolow$'
                                 'yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC:::::::\n')


def test_random_salt():
    a = run(['u'], 'pw').stdout.decode()
    b = run(['u'], 'pw').stdout.decode()
    assert a.startswith('u:$5$') and b.startswith('u:$5$')
    assert a != b
    assert len(a.split(':')[1].split('$')[2]) == 16


@pytest.mark.parametrize('args,password', [
    (['Root', 'salt'], 'x'),
    (['root', 'sa:lt'], 'x'),
    (['root', 'a' * 17], 'x'),
    (['root', ''], 'x'),
    (['-r', '999', 'root', 'salt'], 'x'),
    (['-r', '1x', 'root', 'salt'], 'x'),
    (['root', 'salt'], 'p' * 257),
    ([], 'x'),
    (['a', 'b', 'c'], 'x'),
])
def test_refused(args, password):
    r = run(args, password)
    assert r.returncode == 2
    assert r.stdout == b''
