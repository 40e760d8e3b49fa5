"""The file utilities (ls, cat, mkdir, rm, cp, mv, dd, hexdump, sha256sum),
booted for real: /bin/utiltest as init runs its "files" suite
(user/utiltest/suite_files.c: each case spawns the utilities with pipes,
checks output, exit status and the files left; one runs them as uid 1000)
and powers off. Every case must print ok."""
import re

from qemu import boot


def test_file_utilities():
    with boot('init=/bin/utiltest init.suite=files', 'utils-files') as vm:
        m = vm.wait_for(r'utiltest: (\d+) passed, (\d+) failed', timeout=300)
        failures = re.findall(r'not ok \d+ - .*', vm.output)
        assert m.group(2) == '0', '\n'.join(failures)
        assert not failures, '\n'.join(failures)
        assert int(m.group(1)) >= 12
        vm.wait_exit(timeout=60)
