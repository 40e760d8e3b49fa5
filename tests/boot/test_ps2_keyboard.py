"""The PS/2 keyboard reaches the console (docs/ps2.md): ps2d drives QEMU's
i8042 and writes what it decodes to debug:/input, the same input ring the
serial line fills. The test types through the QEMU monitor's `sendkey`
(one key per command) and reads the results on the serial console, which
shows the same console: log in as root, run a command whose output the
typed line itself cannot match (Shift, `$`, parentheses, `*`), interrupt
a job with Ctrl-C (status 130), then type one line on COM1 into the same
shell. Once on q35 (the default image) and once on i440fx (`-machine
pc`). ps2d is driver-manager's (docs/drivers.md, "ACPI devices"): started
for the firmware's PNP0303 device, listed by `driver-manager --status`,
in the boot timeline, and back after a SIGKILL with the keyboard working. Output lines are matched with their `\n` on both sides: a `$`
would also match a line still arriving ("after=1" of "after=130")."""
import re

import pytest

from qemu import boot
from test_init import timeline
from test_session import login_session

# characters to QEMU sendkey names (US layout)
_KEYS = {' ': 'spc', '\r': 'ret', '-': 'minus', '=': 'equal', '.': 'dot', '/': 'slash',
         ',': 'comma', ';': 'semicolon', "'": 'apostrophe', '`': 'grave_accent',
         '[': 'bracket_left', ']': 'bracket_right', '\\': 'backslash'}
_SHIFTED = {'!': '1', '@': '2', '#': '3', '$': '4', '%': '5', '^': '6', '&': '7', '*': '8',
            '(': '9', ')': '0', '_': 'minus', '+': 'equal', '>': 'dot', '<': 'comma',
            '?': 'slash', ':': 'semicolon', '"': 'apostrophe', '|': 'backslash',
            '~': 'grave_accent', '{': 'bracket_left', '}': 'bracket_right'}


def key_of(ch):
    if ch.islower() or ch.isdigit():
        return ch
    if ch.isupper():
        return 'shift-' + ch.lower()
    if ch in _SHIFTED:
        return 'shift-' + _SHIFTED[ch]
    return _KEYS[ch]


def type_keys(vm, text):
    """Type text on the PS/2 keyboard, one sendkey per character."""
    for ch in text:
        out = vm.monitor('sendkey ' + key_of(ch))
        assert 'rror' not in out and 'nknown' not in out, (ch, out)


def interrupt_job(vm):
    """Ctrl-C on the keyboard interrupts a job typed on it (status 130): the
    marker is printed from inside the job's process group (the console's
    foreground group from its spawn on), so the Ctrl-C reaches it."""
    type_keys(vm, 'sh -c "echo job-started; sleep 100"\r')
    vm.wait_for(r'\njob-started\n', timeout=60)
    vm.monitor('sendkey ctrl-c')
    vm.wait_for(r'# $', timeout=30)
    type_keys(vm, 'echo after=$?\r')
    m = vm.wait_for(r'\nafter=(\d+)\n', timeout=30)
    assert m.group(1) == '130', m.group(0)


# driver-manager's lines for the keyboard: q35 has it at \_SB_.PCI0.SF8_.KBD_,
# i440fx at \_SB_.PCI0.S08_.KBD_
KBD_MATCH = r'driver-manager: (\\_SB_\.\S+) PNP0303: ps2\n'


def keyboard_session(vm):
    m = vm.wait_for(KBD_MATCH, timeout=120)
    path = re.escape(m.group(1))
    vm.wait_for(r'ps2d: keyboard on i8042 port 1 .*irq:/isa/1, %s\n' % path, timeout=120)
    vm.wait_for(r'driver-manager: %s: ps2 ready \(isa 1\) in \d+ ms, pid \d+\n' % path,
                timeout=60)
    vm.wait_for(r'login: $', timeout=120)
    type_keys(vm, 'root\r')
    vm.wait_for(r'Password: $', timeout=30)
    type_keys(vm, 'redbear\r')
    vm.wait_for(r'root@redbear:\S* ?# $', timeout=60)
    # Shift, $, parentheses, *: the echo of the line shows "KBD$((6*7))",
    # only the command prints "KBD42" on a line of its own
    type_keys(vm, 'echo KBD$((6*7))\r')
    vm.wait_for(r'\nKBD42\n', timeout=60)
    vm.wait_for(r'# $', timeout=30)


@pytest.mark.parametrize('machine', ['q35', 'pc'])
def test_keyboard_logs_in_and_runs_commands(machine):
    extra = [] if machine == 'q35' else ['-machine', 'pc']
    with boot('', 'ps2-keyboard-' + machine, monitor=True, stdin=True, extra=extra) as vm:
        keyboard_session(vm)
        if machine != 'q35':
            return
        interrupt_job(vm)
        # the serial line still types into the same shell, beside the keyboard
        vm.wait_for(r'# $', timeout=30)
        vm.send(b'echo SERIAL$((1+1))\r')
        vm.wait_for(r'\nSERIAL2\n', timeout=30)
        assert 'ps2d: i8042' not in vm.output  # no failure line
        assert 'init:/timeline: ps2' not in vm.output  # the timeline took its events


def test_ps2d_is_a_managed_driver_that_comes_back():
    with boot('', 'ps2-keyboard-restart', monitor=True, stdin=True) as vm:
        m = vm.wait_for(KBD_MATCH, timeout=120)
        path = m.group(1)
        m = vm.wait_for(r'driver-manager: %s: ps2 ready \(isa 1\) in \d+ ms, pid (\d+)\n'
                        % re.escape(path), timeout=60)
        pid = m.group(1)
        s = login_session(vm, 'root', 'redbear', '# ')
        # the timeline has it as a driver, started and ready (read after the login: printed
        # on the console at settle, it could land on the login prompt's line)
        out, rc = s.run('echo "--- boot-timeline begin ---"; cat init:/timeline; '
                        'echo "--- boot-timeline end ---"')
        assert rc == 0, out
        d = [e for e in timeline(out.replace('\r', ''))['drivers'] if e['device'] == path]
        assert len(d) == 1 and d[0]['name'] == 'ps2' and d[0]['state'] == 'ready', d
        out, rc = s.run('driver-manager --status')
        out = out.replace('\r', '')
        assert re.search(r'^%s\s+PNP0303\s+ps2\s+bound \(isa 1\)\s+%s\s+0 isa 1$'
                         % (re.escape(path), pid), out, re.M), out
        out, rc = s.run('kill -9 %s' % pid)
        assert rc == 0, out
        # s.run may have read past the line already: search the whole log, for a new pid
        m = vm.wait_for(r'driver-manager: %s: ps2 ready \(isa 1\) in (\d+) ms, pid (?!%s\n)(\d+)\n'
                        % (re.escape(path), pid), timeout=60, from_start=True)
        print('ps2d back in %s ms (spawn to ready)' % m.group(1))
        # the restarted driver types into the shell the serial line logged in
        type_keys(vm, 'echo KBD$((6*7))\r')
        vm.wait_for(r'\nKBD42\n', timeout=60)
