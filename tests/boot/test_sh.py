"""The shell (/bin/sh, user/sh) on the real console, booted as init's console
program (init.console=/bin/sh, loaded by the kernel through ramfsd's file:)
as root. One boot types a session: builtins, arithmetic, $?, loops,
pipelines of programs (sh -c ... | sh -c ..., /bin/echo), commands on
stdin, a background job, bad input, redirections to files, cd,
globs, scripts (sh FILE ARGS), the continuation prompt, syntax errors,
Ctrl-C at the prompt, Ctrl-C on a foreground job (sh -c loop and sleep:
status 130, the shell lives on) and on the shell's own loop, Tab completion of commands and paths
and Up-arrow history. The console prefixes user lines with the kernel log's
timestamp, so expected lines allow an optional "[ s.us ] " in front."""
import re

from qemu import boot

PREFIX = r'^(?:\[\s*\d+\.\d+\] )?'
PROMPT = r'root@redbear:[^#\n]*# '


def line(text):
    """A regex for one whole output line."""
    return PREFIX + re.escape(text) + r'$'


def run(vm, typed, *expect, timeout=60):
    """Type a command line (Enter is CR), wait for each expected regex in
    order, then for the next prompt."""
    vm.send(typed.encode() + b'\r')
    for e in expect:
        vm.wait_for(e, timeout=timeout)
    vm.wait_for(PROMPT, timeout=timeout)


def test_shell_session():
    with boot('init.console=/bin/sh', 'sh-session', stdin=True) as vm:
        vm.wait_for(PROMPT, timeout=120)
        # builtins, arithmetic, $?
        run(vm, 'echo hi', line('hi'))
        run(vm, 'x=$((3*4)); echo x=$x', line('x=12'))
        run(vm, 'echo $(( (x + 3) % 4 )) $((7/0)); echo after', r'division by zero')
        run(vm, 'false; echo st=$?', line('st=1'))
        run(vm, 'true && echo and-ok || echo and-bad', line('and-ok'))
        run(vm, '! true; echo not=$?', line('not=1'))
        run(vm, 'for i in 1 2 3; do echo i$i; done',
            line('i1') + r'\n' + line('i2') + r'\n' + line('i3'))
        run(vm, 'n=0; while sh -c "exit $((n >= 3))"; do n=$((n+1)); done; echo n=$n',
            line('n=3'))
        run(vm, 'for i in a b c d; do if [ 1 ] 2>/sh-null; then :; fi; '
                'case=$i; if sh -c "exit $((n == 3))"; then :; else break; fi; done; '
                'echo case=$case', line('case=a'))
        run(vm, 'nosuch-cmd', line('sh: nosuch-cmd: not found'))
        run(vm, 'echo $?', line('127'))
        # pipelines of programs and of builtins
        run(vm, "sh -c 'echo piped words' | sh -c 'read a b; echo got $b'", line('got words'))
        run(vm, 'echo one two | read p q; echo q=$q', line('q=two'))
        run(vm, "sh -c 'exit 3'; echo st=$?", line('st=3'))
        # redirections: > >> < 2> 2>&1
        run(vm, 'echo first > /sh-test.txt; echo second >> /sh-test.txt; echo $?', line('0'))
        run(vm, 'while read l; do echo L:$l; done < /sh-test.txt',
            line('L:first') + r'\n' + line('L:second'))
        run(vm, 'nosuch 2> /sh-err.txt; read e < /sh-err.txt; echo E:$e',
            line('E:sh: nosuch: not found'))
        run(vm, "sh -c 'nosuch2' > /sh-out.txt 2>&1; read o < /sh-out.txt; echo O:$o",
            line('O:sh: nosuch2: not found'))
        run(vm, "/bin/echo external | sh -c 'read a; echo ext:$a'", line('ext:external'))
        run(vm, "sh -c 'nosuch3' 2>&1 | sh -c 'read e; echo P:$e'",
            line('P:sh: nosuch3: not found'))
        run(vm, "echo 'echo from-stdin $((6*7))' | sh", line('from-stdin 42'))
        run(vm, "sh -c 'exit 0' & echo bg-next", r'\[\d+\]', line('bg-next'))
        # bad input gets an error, the shell lives on
        run(vm, 'echo ${} x', r'sh: bad substitution')
        run(vm, 'echo )', line("sh: line 1: syntax error near ')'"))
        vm.send(b'\x01\x02\x1b[99~\x1bOZ\x7f\x7f')
        run(vm, 'echo alive', line('alive'))
        # cd and globs
        run(vm, 'cd /etc; pwd', line('/etc'))
        vm.wait_for(r'root@redbear:/etc# ', timeout=10, from_start=True)
        run(vm, 'echo /etc/pass*', line('/etc/passwd'))
        run(vm, 'echo pass?d "pass*"', line('passwd pass*'))
        run(vm, 'HOME=/etc; cd /; cd; pwd', line('/etc'))
        run(vm, 'cd /')
        # a script with arguments, and -c
        run(vm, "echo 'echo script $1 $#; for a in \"$@\"; do echo arg:$a; done' > /s.sh")
        run(vm, "sh /s.sh 'x y' z", line('script x y 2') + r'\n' + line('arg:x y') + r'\n' +
            line('arg:z'))
        run(vm, "sh -c 'echo dollar0 $0 $1' name one", line('dollar0 name one'))
        # a new file has no execute bit (and there is no chmod yet): run as a
        # command it is refused as POSIX says, 126
        run(vm, "echo 'echo direct-script $1' > /d.sh; /d.sh arg; echo st=$?",
            line('sh: /d.sh: cannot execute: Permission denied') + r'\n' + line('st=126'))
        run(vm, "echo 'echo ok1' > /bad.sh; echo 'if fi; echo never' >> /bad.sh")
        run(vm, "sh /bad.sh; echo st=$?",
            line('ok1') + r'\n' + line("sh: /bad.sh: line 2: syntax error near 'fi'") + r'\n' +
            line('st=2'))
        # continuation prompt and syntax errors
        vm.send(b'if true\r')
        vm.wait_for(r'> ', timeout=30)
        run(vm, 'then echo cont-yes; fi', line('cont-yes'))
        vm.send(b'echo "open\r')
        vm.wait_for(r'> ', timeout=30)
        run(vm, 'quote"', line('open') + r'\n' + line('quote'))
        run(vm, 'if fi', line("sh: line 1: syntax error near 'fi'"))
        run(vm, 'echo $?', line('2'))
        # Ctrl-C at the prompt discards the line
        vm.send(b'echo discarded')
        vm.wait_for(r'echo discarded', timeout=30)
        vm.send(b'\x03')
        vm.wait_for(PROMPT, timeout=30)
        run(vm, 'echo $?', line('130'))
        # Ctrl-C on a foreground job: it dies of SIGINT, the shell lives
        vm.send(b"sh -c 'echo spinning; while true; do :; done'\r")
        vm.wait_for(line('spinning'), timeout=60)
        vm.send(b'\x03')
        vm.wait_for(PROMPT, timeout=60)
        run(vm, 'echo job=$?', line('job=130'))
        # (a program that does not read: the prompt must come back long before
        # the 1000 s are up; the output line syncs with the job being started)
        vm.send(b"sh -c 'echo sleeping; sleep 1000'\r")
        vm.wait_for(line('sleeping'), timeout=60)
        vm.send(b'\x03')
        vm.wait_for(PROMPT, timeout=60)
        assert vm.elapsed() < 900
        run(vm, 'echo sleep=$?', line('sleep=130'))
        # Ctrl-C on the shell's own loop
        vm.send(b'echo looping; while true; do :; done\r')
        vm.wait_for(line('looping'), timeout=60)
        vm.send(b'\x03')
        vm.wait_for(PROMPT, timeout=60)
        run(vm, 'echo loop=$?', line('loop=130'))
        # Tab completion: a builtin, a program in /bin, a path
        vm.send(b'ech\t')
        vm.wait_for(r'echo ', timeout=30)
        run(vm, 'tab-ok', line('tab-ok'))
        vm.send(b'kech\t')
        vm.wait_for(r'kecho ', timeout=30)
        vm.send(b'\x03')
        vm.wait_for(PROMPT, timeout=30)
        vm.send(b'echo /etc/mo\t')
        vm.wait_for(r'/etc/motd ', timeout=30)
        run(vm, '', line('/etc/motd'))
        # Up arrow recalls the previous line
        run(vm, 'echo recalled-line', line('recalled-line'))
        vm.send(b'\x1b[A')
        run(vm, '', line('recalled-line'))
        run(vm, 'history', r'echo recalled-line')
        # exit ends the shell (init starts it again)
        vm.send(b'exit 0\r')
        vm.wait_for(PROMPT, timeout=60)
