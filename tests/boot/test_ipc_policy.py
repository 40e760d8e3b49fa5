"""The scheme registration policy at boot: the kernel parses
initfs:/etc/scheme.policy once, before init runs, reports how many rules it
took, and the shipped file has no malformed line (each would be reported as
"policy: line N: reason"). The rules themselves are host-tested
(tests/host/test_policy.c) and checked from user space by ktest's
"policy:" case (user/ktest/t_path.c)."""
import os
import re

from qemu import Qemu

POLICY = os.path.join(os.path.dirname(__file__), '..', '..', 'initfs', 'etc', 'scheme.policy')


def shipped_rules():
    """The rule lines of the shipped file: every line but blanks and comments."""
    with open(POLICY) as f:
        return sum(1 for l in f if l.strip() and not l.lstrip().startswith('#'))


def test_policy_loads_before_init(default_iso):
    with Qemu(default_iso, 'policy-load', smp=2) as vm:
        m = vm.wait_for(r'policy: (\d+) rules from initfs:/etc/scheme.policy', timeout=120)
        vm.wait_for(r'init: started initfs:/bin/init as pid 1')
        assert int(m.group(1)) == shipped_rules()
        assert not re.search(r'policy: line \d+:', vm.output), 'malformed policy line'
        assert 'policy: no initfs' not in vm.output
