"""The basic utilities (echo, true, false, sleep, env, date, test and [),
booted for real: /bin/utiltest as init runs its "basic" suite (each case
spawns the utilities with pipes and checks output and exit status; one
runs them as uid 1000) and powers off. Every case must print ok."""
import re

from qemu import boot


def test_basic_utilities():
    with boot('init=/bin/utiltest init.suite=basic', 'utils-basic') as vm:
        m = vm.wait_for(r'utiltest: (\d+) passed, (\d+) failed', timeout=300)
        failures = re.findall(r'not ok \d+ - .*', vm.output)
        assert m.group(2) == '0', '\n'.join(failures)
        assert int(m.group(1)) >= 3
        vm.wait_exit(timeout=60)
