/*
 * hw.h - which hardware a process may touch (docs/hwaccess.md).
 *
 * Each process may hold hardware grants: I/O ports (an I/O permission
 * bitmap, loaded into the CPU's TSS while its threads run), physical
 * ranges it may physmap (explicit ranges and the named classes acpi,
 * mcfg and mmio) and the irq right (opening irq:). Grants come from
 * initfs:/etc/hw.policy at spawn, by program path and uid, and from
 * SYS_HWGRANT, by which a uid-0 holder hands part of what it holds to
 * another process; they are never taken back and end with the process.
 * The bookkeeping is kernel/dev/hw.c; the pure parts are lib/hw/.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "base/compiler.h"

struct proc;

/* Boot CPU, once initfs is set and before any process: read
   initfs:/etc/hw.policy and compute the acpi, mcfg and mmio classes. */
void hw_init(void);

/* Give p (not yet published, being spawned) what the policy grants its
   program and uid: 0 or -E_NOMEM. */
MUST_CHECK int hw_proc_spawn(struct proc *p);
/* Free p's grants (its last reference is going). */
void hw_proc_free(struct proc *p);

/* May p open irq: (allocate vectors, route GSIs)? */
bool hw_irq_allowed(struct proc *p);

/* May p physmap [base, base + len) (page aligned, len > 0)? 0, or -E_PERM
   (logged once per process): the range must lie inside one granted range. */
MUST_CHECK int hw_phys_check(struct proc *p, uint64_t base, uint64_t len);

/* Context switch, interrupts off: make this CPU's I/O bitmap p's (NULL:
   no process, every port closed). */
void hw_switch(struct proc *p);

/* A #GP from user mode, interrupts off: true if the current process's I/O
   grant changed since this CPU loaded it (now reloaded: retry the
   instruction); false if the fault stands. */
bool hw_io_fault_retry(void);
