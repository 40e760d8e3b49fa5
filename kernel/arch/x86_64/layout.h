/*
 * layout.h - the kernel's virtual address space, shared by C and assembly.
 *
 *   0x0000000000000000 - 0x00007FFFFFFFFFFF   user space (later)
 *   0xFFFF800000000000 - ...                  direct map of all physical memory
 *   0xFFFFC00000000000 - ...                  MMIO mappings (uncached)
 *   0xFFFFFFFF80000000 - ...                  kernel image (-2 GiB, mcmodel=kernel)
 */
#pragma once

#define KERNEL_VMA 0xFFFFFFFF80000000
#define DIRECT_MAP_BASE 0xFFFF800000000000
#define MMIO_BASE 0xFFFFC00000000000
#define BOOT_STACK_SIZE 16384
#define PAGE_SIZE 4096
