"""The text utilities (grep, wc, head) booted for real: /bin/utiltest as
init runs its "text" suite (each case spawns the utilities with pipes and
files under /tmp/text and checks output, stderr and exit status; one case
runs grep's hostile pattern on a 20 000-byte line) and powers off. Every
case must print ok."""
import re

from qemu import boot


def test_text_utilities():
    with boot('init=/bin/utiltest init.suite=text', 'utils-text') as vm:
        m = vm.wait_for(r'utiltest: (\d+) passed, (\d+) failed', timeout=300)
        failures = re.findall(r'not ok \d+ - .*', vm.output)
        assert m.group(2) == '0', '\n'.join(failures)
        assert int(m.group(1)) >= 7
        vm.wait_exit(timeout=60)
