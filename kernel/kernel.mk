# kernel/kernel.mk - the kernel ELF and the bootable ISO (included by the Makefile).
#
# The kernel is every .c/.S under kernel/ plus the archive of every lib/
# module built with the kernel's flags ($(BUILD)/kernel/lib.a: the linker
# takes the modules the kernel uses), built freestanding for the higher half. It is linked twice: first with an
# empty symbol table, then with the table generated from the first link
# (section .ksyms is placed last, so no other address moves).

KCC      := gcc
KCFLAGS  := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdinc -fno-stack-protector \
	    -fno-pic -fno-pie -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	    -fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fcf-protection=none \
	    -Wall -Wextra -Wshadow -Wno-unused-parameter -Werror \
	    -isystem $(shell $(KCC) -print-file-name=include) \
	    -Ilib/libc/include -Ikernel -Ilib -MMD -MP
# make DEBUG=1: lock owner tracking and recursion checks (kernel/sync/irqlock.h)
ifeq ($(DEBUG),1)
KCFLAGS += -DKERNEL_DEBUG
endif
KASFLAGS := -g -Ikernel -Ilib -MMD -MP
# .boot (entry code + boot GDT) is RWX until kmain replaces the boot page
# tables; the final tables do not map it at all.
KLDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack -no-pie \
	    -Wl,--build-id=none -Wl,--no-warn-rwx-segments -T kernel/arch/x86_64/kernel.ld

KSRCS_C := $(shell find kernel -name '*.c' | sort)
KSRCS_S := $(shell find kernel -name '*.S' | sort)
KOBJS   := $(KSRCS_C:%.c=$(BUILD)/kernel/%.o) $(KSRCS_S:%.S=$(BUILD)/kernel/%.o) \
	   $(BUILD)/kernel/gen/font_default.o
KLIB    := $(BUILD)/kernel/lib.a
KERNEL  := $(BUILD)/kernel.elf

$(BUILD)/kernel/%.o: %.c
	@mkdir -p $(@D)
	$(KCC) $(KCFLAGS) -c $< -o $@

$(BUILD)/kernel/%.o: %.S
	@mkdir -p $(@D)
	$(KCC) $(KASFLAGS) -c $< -o $@

$(KLIB): $(LIB_SRCS:%.c=$(BUILD)/kernel/%.o)
	$(AR_ATOMIC)

# Font: Terminus 8x16 from Debian's console-setup-linux, converted at build time.
FONT_PSF ?= /usr/share/consolefonts/Uni2-Terminus16.psf.gz
$(BUILD)/gen/font_default.c: scripts/psf2c.py
	@mkdir -p $(@D)
	python3 scripts/psf2c.py $(FONT_PSF) $@

$(BUILD)/kernel/gen/font_default.o: $(BUILD)/gen/font_default.c
	@mkdir -p $(@D)
	$(KCC) $(KCFLAGS) -c $< -o $@

$(BUILD)/kernel/ksyms-empty.o: kernel/arch/x86_64/kernel.ld
	@mkdir -p $(@D)
	printf '.section .ksyms,"a"\n.globl ksym_table\nksym_table:\n.quad 0\n.globl ksym_table_end\nksym_table_end:\n' | $(KCC) -c -x assembler - -o $@

$(BUILD)/kernel.pass1.elf: $(KOBJS) $(KLIB) $(BUILD)/kernel/ksyms-empty.o kernel/arch/x86_64/kernel.ld
	$(KCC) $(KLDFLAGS) $(KOBJS) $(BUILD)/kernel/ksyms-empty.o $(KLIB) -o $@

$(BUILD)/kernel/ksyms.S: $(BUILD)/kernel.pass1.elf scripts/gen-ksyms.py
	nm -n --defined-only $< | python3 scripts/gen-ksyms.py > $@

$(BUILD)/kernel/ksyms.o: $(BUILD)/kernel/ksyms.S
	$(KCC) -c $< -o $@

$(KERNEL): $(KOBJS) $(KLIB) $(BUILD)/kernel/ksyms.o kernel/arch/x86_64/kernel.ld
	$(KCC) $(KLDFLAGS) $(KOBJS) $(BUILD)/kernel/ksyms.o $(KLIB) -o $@
	@# the symbol table must not have moved any code
	@nm -n $(BUILD)/kernel.pass1.elf | grep -v -i -E 'ksym|__kernel_end' > $(BUILD)/kernel/syms1.txt
	@nm -n $@ | grep -v -i -E 'ksym|__kernel_end' > $(BUILD)/kernel/syms2.txt
	@cmp -s $(BUILD)/kernel/syms1.txt $(BUILD)/kernel/syms2.txt || { echo "ksyms: addresses moved between links"; exit 1; }

kernel: $(KERNEL)

# ---------------------------------------------------------------- ISO
INITFS := $(BUILD)/initfs.cpio
# initfs: the files under initfs/ plus every user program (USER_BINS, user/user.mk) in bin/,
# without its debug information (a quarter of the size: GRUB loads and ramfsd copies less;
# GDB reads the unstripped build/user/bin/ copies).
# pci.ids packed for lspci (tools/pciids, docs/pcid.md); empty without the Debian package.
PCI_IDS := $(BUILD)/pci.ids
$(PCI_IDS): $(BUILD)/host/pciids $(wildcard /usr/share/misc/pci.ids)
	@$(BUILD)/host/pciids /usr/share/misc/pci.ids $@ >/dev/null

$(INITFS): $(shell find initfs -type f 2>/dev/null) $(USER_BINS) $(PCI_IDS)
	@rm -rf $(BUILD)/initfs-root && mkdir -p $(BUILD)/initfs-root/bin
	@[ -d initfs ] && cp -r initfs/. $(BUILD)/initfs-root/ || true
	@for b in $(USER_BINS); do strip --strip-debug -o $(BUILD)/initfs-root/bin/$$(basename $$b) $$b; done
	@cp $(BUILD)/initfs-root/bin/test '$(BUILD)/initfs-root/bin/['
	@[ ! -s $(PCI_IDS) ] || { mkdir -p $(BUILD)/initfs-root/usr/share && cp $(PCI_IDS) $(BUILD)/initfs-root/usr/share/pci.ids; }
	@chmod -R a+rX,go-w $(BUILD)/initfs-root && chmod 0600 $(BUILD)/initfs-root/etc/shadow
	cd $(BUILD)/initfs-root && find . | sort | cpio -o -H newc --quiet > $(abspath $@)

# The command line is baked into grub.cfg; a different CMDLINE means a
# different ISO, so it is part of the stamp that triggers a rebuild. It
# reaches the recipes through the environment (RB_CMDLINE), and
# scripts/check-cmdline.sh refuses one GRUB could not parse (an unbalanced
# quote would give an image that never starts the kernel).
ISO_STAMP := $(ISO).cmdline
$(ISO_STAMP) $(ISO): export RB_CMDLINE := $(CMDLINE)
$(ISO_STAMP): FORCE
	@./scripts/check-cmdline.sh
	@mkdir -p $(@D)
	@printf '%s\n' "$$RB_CMDLINE" | cmp -s - $@ || printf '%s\n' "$$RB_CMDLINE" > $@

$(ISO): $(KERNEL) $(INITFS) boot/grub.cfg.in $(ISO_STAMP)
	@rm -rf $(ISO).root && mkdir -p $(ISO).root/boot/grub
	cp $(KERNEL) $(ISO).root/boot/kernel.elf
	cp $(INITFS) $(ISO).root/boot/initfs
	sed "s|@CMDLINE@|$$RB_CMDLINE|" boot/grub.cfg.in > $(ISO).root/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(ISO).root >$(ISO).log 2>&1 || { cat $(ISO).log; exit 1; }
	@rm -rf $(ISO).root

iso: $(ISO)
.PHONY: kernel iso FORCE
FORCE:

# ---------------------------------------------------------------- QEMU
OVMF_CODE ?= /usr/share/OVMF/OVMF_CODE_4M.fd
QEMU_FLAGS := -machine q35 -smp $(SMP) -m $(MEM) -accel $(QEMU_ACCEL) -no-reboot \
	      -cdrom $(ISO) -serial mon:stdio
# The devices make run attaches: scratch disks on virtio-blk, NVMe and
# port 1 of q35's ICH9 AHCI, whose port 2 holds the -cdrom (disk:/virtio0,
# disk:/nvme0n1, disk:/ahci0; docs/disks.md), kept between runs, a
# virtio-net NIC on QEMU's user network (net:/eth0, docs/net.md), and a USB
# keyboard on an xHCI controller (docs/usb.md; the monitor's sendkey types
# on it); -boot order=d so firmware never boots from a disk.
DISK_IMG := $(BUILD)/disk.img
NVME_IMG := $(BUILD)/nvme.img
AHCI_IMG := $(BUILD)/ahci.img
QEMU_DEVS := -boot order=d -drive file=$(DISK_IMG),if=none,id=disk0,format=raw \
	     -device virtio-blk-pci,drive=disk0 \
	     -drive file=$(NVME_IMG),if=none,id=nvme0,format=raw -device nvme,serial=rb0,drive=nvme0 \
	     -drive file=$(AHCI_IMG),if=none,id=sata0,format=raw -device ide-hd,drive=sata0,bus=ide.1 \
	     -netdev user,id=net0 -device virtio-net-pci,netdev=net0 \
	     -device qemu-xhci,id=xhci -device usb-kbd,bus=xhci.0
$(DISK_IMG) $(NVME_IMG) $(AHCI_IMG):
	@mkdir -p $(@D) && truncate -s 64M $@

run: deps iso $(DISK_IMG) $(NVME_IMG) $(AHCI_IMG)
	qemu-system-x86_64 $(QEMU_FLAGS) $(QEMU_DEVS) -display none

run-uefi: deps iso
	cp /usr/share/OVMF/OVMF_VARS_4M.fd $(BUILD)/ovmf-vars.fd
	qemu-system-x86_64 $(QEMU_FLAGS) -display none \
		-drive if=pflash,format=raw,readonly=on,file=$(OVMF_CODE) \
		-drive if=pflash,format=raw,file=$(BUILD)/ovmf-vars.fd

debug: deps iso
	@echo "QEMU is halted with its GDB stub on :1234. In another terminal:"
	@echo "  gdb $(KERNEL) -ex 'target remote :1234' -ex 'break kmain' -ex continue"
	qemu-system-x86_64 $(QEMU_FLAGS) -display none -s -S
