"""Boot tests for the foundation: BIOS and UEFI boots, the ACPI summary
against what QEMU was told, and the exception dump of a deliberate fault."""
import pytest

from qemu import Qemu, build_iso

READY = r'redbear: ready'


def test_bios_boot_reaches_ready(default_iso):
    with Qemu(default_iso, 'bios-boot') as vm:
        vm.wait_for(r'boot: loader "GRUB', timeout=60)
        vm.wait_for(READY, timeout=60)
        print('BIOS: ready after %.2f s from QEMU start' % vm.elapsed())


def test_uefi_boot_reaches_ready(default_iso):
    with Qemu(default_iso, 'uefi-boot', uefi=True) as vm:
        # Under UEFI the RSDP must come from GRUB's Multiboot2 tag.
        vm.wait_for(r'acpi: RSDP.*\(from Multiboot2 ACPI', timeout=120)
        vm.wait_for(READY, timeout=120)
        print('UEFI: ready after %.2f s from QEMU start' % vm.elapsed())


def test_uefi_has_framebuffer_console(default_iso):
    with Qemu(default_iso, 'uefi-fb', uefi=True) as vm:
        vm.wait_for(r'console: framebuffer \d+x\d+, 32 bpp', timeout=120)


def test_acpi_summary_matches_qemu(default_iso):
    with Qemu(default_iso, 'acpi-q35', smp=4) as vm:
        vm.wait_for(READY, timeout=60)
        # the summaries come before ready, in table order: look back for each
        vm.wait_for(r'acpi: MADT: 4 CPUs \(4 enabled\)', from_start=True)
        vm.wait_for(r'acpi: MADT: .*1 IOAPIC', from_start=True)
        # q35 always has ECAM: one MCFG entry, segment 0, at 0xb0000000
        vm.wait_for(r'acpi: MCFG: .*0xb0000000', from_start=True)
        vm.wait_for(r'acpi: HPET: ', from_start=True)
        vm.wait_for(r'acpi: FADT: ', from_start=True)
        assert 'SRAT' not in vm.output and 'DMAR' not in vm.output
        assert 'ignored' not in vm.output


@pytest.mark.parametrize('smp', [1, 2, 8])
def test_madt_cpu_count_follows_smp(default_iso, smp):
    with Qemu(default_iso, 'acpi-smp%d' % smp, smp=smp) as vm:
        vm.wait_for(r'acpi: MADT: %d CPUs? \(%d enabled\)' % (smp, smp), timeout=60)


def numa_args(nodes, cpus_per_node, dists):
    args = []
    for n in range(nodes):
        args += ['-object', 'memory-backend-ram,id=m%d,size=%dM' % (n, 512 // nodes),
                 '-numa', 'node,nodeid=%d,cpus=%d-%d,memdev=m%d'
                 % (n, n * cpus_per_node, (n + 1) * cpus_per_node - 1, n)]
    for (a, b), v in dists.items():
        args += ['-numa', 'dist,src=%d,dst=%d,val=%d' % (a, b, v)]
    return args


def test_srat_slit_match_qemu_numa(default_iso):
    dists = {(0, 1): 21, (1, 0): 21}
    with Qemu(default_iso, 'acpi-numa2', smp=4, extra=numa_args(2, 2, dists)) as vm:
        vm.wait_for(r'acpi: SRAT: 4 CPUs, ', timeout=60)
        vm.wait_for(r'acpi: SLIT: 2 localities')
        vm.wait_for(READY, timeout=60)


def test_dmar_with_intel_iommu(default_iso):
    with Qemu(default_iso, 'acpi-dmar', extra=['-device', 'intel-iommu']) as vm:
        vm.wait_for(r'acpi: DMAR: .*1 DRHD', timeout=60)
        vm.wait_for(READY, timeout=60)


@pytest.mark.parametrize('fault,what', [
    ('pagefault', r'exception 14 \(page fault\)'),
    ('divzero', r'exception 0 \(divide error\)'),
    ('ud', r'exception 6 \(invalid opcode\)'),
    ('panic', r'PANIC: cpu 0: deliberate panic'),
])
def test_fault_dump_names_function(fault, what):
    iso = build_iso('fault=' + fault)
    with Qemu(iso, 'fault-' + fault) as vm:
        vm.wait_for(what, timeout=60)
        # every log line carries a timestamp; the frame may be any in the trace
        vm.wait_for(r'backtrace:\n(.*\] +\[<[0-9a-f]+>\] .*\n)*'
                    r'.*\] +\[<[0-9a-f]+>\] selftest_fault_%s\+0x' % fault)
        vm.wait_for(r'cpu 0 halted')
        assert 'redbear: ready' not in vm.output
