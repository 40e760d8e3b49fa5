"""Boot tests for the x86-64 entry path: an interrupt on a vector nobody
handles must get its EOI (else the local APIC blocks its priority class
for good) and be logged once with its number."""
from qemu import boot


def test_stray_vector_gets_eoi():
    with boot('selftest.trap', 'stray-vector', iso_name='selftest-trap', smp=2) as vm:
        vm.wait_for(r'trap: cpu 0: stray vector 232 with no handler \(EOI sent\); '
                    r'not logged again', timeout=120)
        vm.wait_for(r'ok 1 - trap: stray vector 232 was taken and got its EOI')
        vm.wait_for(r'redbear: ready')
        assert 'not ok' not in vm.output
        assert "unknown option 'selftest.trap'" not in vm.output
