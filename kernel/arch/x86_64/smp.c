/*
 * smp.c - parallel AP bring-up (see smp.h).
 *
 * The sequence is the one Intel SDM Vol 3A §9.4.4.1 and AMD APM Vol 2
 * §15.27.8 describe, done for all APs at once instead of one after another:
 *
 *   1. allocate every AP's stack and per-CPU block up front;
 *   2. INIT (level assert) to each AP, then wait 10 ms once — the SDM's
 *      INIT-to-SIPI delay, on the calibrated TSC;
 *   3. SIPI to each AP, wait 200 us, a second SIPI to each AP that has not
 *      called in yet, wait 200 us (the SDM's second SIPI: some CPUs miss
 *      the first). A running CPU ignores a SIPI, so the second is harmless;
 *   4. callin: each AP takes a ticket (atomic fetch-add in the trampoline)
 *      that picks its stack, finds its slot by APIC id, installs the per-CPU
 *      block prepared for it and announces itself; the BSP waits for all,
 *      bounded. Logical CPU ids are handed out by atomic fetch-add too, but
 *      by the BSP in MADT order, so CPU n is the same processor on every
 *      boot (and matches QEMU's CPU index n) whatever order the APs wake in;
 *   5. callout: the BSP stores each AP's NUMA node in its block and then
 *      releases it; the AP finishes (APIC on) and sets its online bit.
 *
 * The local APIC's error status is cleared before and read after every IPI
 * (SDM §11.5.3); an AP whose IPIs report an error, or that does not call
 * in within smp.timeout_ms (default 10000, 1-600000), is logged with its
 * APIC id and the reason, left out of the online mask and never released;
 * boot goes on without it.
 *
 * Giving up on an AP is a race with that AP calling in late, decided by
 * one compare-and-swap on slot->state: the AP swaps WAITING -> CALLED_IN
 * in ap_entry, the BSP swaps WAITING -> GIVEN_UP at the deadline; whoever
 * loses knows it. The BSP also sets the trampoline's abort word first, so
 * an AP that starts late halts in the trampoline instead of entering the
 * kernel, and it parks every AP it gave up on (and every failed one) with
 * INIT. Only then does it remove the identity map of the trampoline page:
 * no started AP can still be executing there. A parked AP can still be
 * restarted by a SIPI that reaches it after the INIT (the second SIPI may
 * be in flight; QEMU keeps a pending SIPI across INIT): the trampoline
 * reads the abort word in real mode, before paging, and halts there.
 * `smp.late_ap=ID` sends that AP its SIPI only at the deadline, to exercise
 * exactly this race, and again once the identity map is gone;
 * `smp.esr_ap=ID` fakes an ESR error on a SIPI that does start that AP,
 * which must then be parked, never released.
 * The ICR values come from lib/apic/icr.c: no reserved bits, a SIPI is
 * 0x600 | page. x2APIC and xAPIC share this code through lapic.c.
 *
 * Ownership: smp_init() runs on the boot CPU only; slots[] and stack_tops[]
 * are written by it before any AP starts. After that an AP touches only
 * its own slot's state (CAS) and go (read), and its own per-CPU block.
 *
 * Memory ordering (a reviewer can check each edge):
 *  - BSP writes pc->node (plain store) then slot->go (release); the AP
 *    reads slot->go (acquire) before it may read pc->node: node is set
 *    before the CPU is marked online and before anything else can see it.
 *  - The AP writes its per-CPU block, then CASes slot->state to CALLED_IN
 *    (seq_cst); the BSP reads CALLED_IN (acquire) before it reads the block.
 *  - The AP sets its online bit (seq_cst atomic OR) as its last step;
 *    whoever sees the bit sees the whole initialised block.
 */
#include <stdatomic.h>
#include <string.h>
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/smp_layout.h"
#include "arch/x86_64/trap.h"
#include "base/err.h"
#include "boot/boot.h"
#include "core/log.h"
#include "mm/mem.h"
#include "boot/numa.h"
#include "core/percpu.h"
#include "sched/sched.h"
#include "syscall/syscall.h"
#include "core/time.h"
#include "smp/config.h"

#define KSTACK_PAGES 4

struct cpumask cpu_possible, cpu_present, cpu_online;

enum ap_state {
	AP_WAITING,   /* not called in yet (or never started) */
	AP_CALLED_IN, /* the AP won: it is in ap_entry, past the trampoline */
	AP_GIVEN_UP,  /* the BSP won: the AP must never enter the kernel */
};

struct ap_slot {
	uint32_t apic_id;
	uint32_t id;		/* logical CPU id, fixed before the AP starts */
	struct percpu *block;	/* its per-CPU block, allocated up front */
	_Atomic uint32_t state; /* enum ap_state; see the race above */
	_Atomic bool go;	/* callout: BSP lets it finish */
	bool failed;		/* an IPI reported an error: never released */
	uint32_t esr;
};

static struct ap_slot slots[MAX_CPUS];
static unsigned nslots;
static uint64_t stack_tops[MAX_CPUS]; /* by ticket */
static _Atomic unsigned online_count = 1;
static _Atomic uint32_t next_cpu_id = 1; /* 0 is the BSP */
static struct tramp_data *tramp;	 /* the copy at TRAMP_BASE */

#define TIMEOUT_MS_DEFAULT 10000
#define TIMEOUT_MS_MAX 600000 /* 10 minutes; keeps ms * 10^6 far from overflow */
#define NO_APIC_ID (~0ull)
static uint64_t esr_ap = NO_APIC_ID; /* smp.esr_ap fault injection */
#define ONLINE_WAIT_MS 10000u	     /* callout to online: kernel code only */

extern const char tramp_start[], tramp_end[];

unsigned smp_online_count(void)
{
	return atomic_load(&online_count);
}

uint32_t smp_cpu_apic_id(unsigned cpu)
{
	if (cpu == 0)
		return percpu_bsp.apic_id;
	return cpu <= nslots ? slots[cpu - 1].apic_id : 0;
}

static struct ap_slot *slot_of(uint32_t apic_id)
{
	for (unsigned i = 0; i < nslots; i++)
		if (slots[i].apic_id == apic_id)
			return &slots[i];
	return NULL;
}

/* Called from the trampoline on the AP's own stack; never returns. */
void ap_entry(uint32_t ticket);
void ap_entry(uint32_t ticket)
{
	lapic_init_cpu();
	struct ap_slot *s = slot_of(lapic_id());
	if (!s) /* not a CPU we started: park it */
		cpu_halt_forever();
	struct percpu *pc = s->block;
	pc->kstack_top = stack_tops[ticket];
	percpu_install(pc);
	gdt_init_cpu(&pc->gdt);
	idt_init_cpu();
	uint32_t waiting = AP_WAITING;
	if (!atomic_compare_exchange_strong(&s->state, &waiting, AP_CALLED_IN))
		cpu_halt_forever(); /* too late: the BSP gave up on us and sends INIT */
	while (!atomic_load_explicit(&s->go, memory_order_acquire)) /* callout */
		cpu_pause();
	timer_init_cpu();
	syscall_init_cpu();
	cpu_protect_user();
	sched_init_cpu();
	cpumask_set_atomic(&cpu_online, pc->id);
	atomic_fetch_add(&online_count, 1);
	sched_idle();
}

/* Send one IPI to apic_id with ESR cleared before and checked after. */
static int ipi_checked(struct ap_slot *s, enum icr_mode mode, uint8_t vector)
{
	lapic_esr_clear();
	int err = lapic_send(mode, vector, ICR_LEVEL_ASSERT, ICR_DEST_FIELD, s->apic_id);
	/* xAPIC: lapic_send() waited for the delivery status to go idle, so the
	   ESR already tells. x2APIC has no delivery status bit (SDM §11.12.9):
	   give the message time to go out before reading the ESR, as for the
	   xAPIC's 'wait for delivery' step of §9.4.4.1. 10 us is ample for an
	   IPI on any APIC bus; the SIPI waits that follow are 200 us anyway. */
	if (lapic_x2apic())
		udelay(10);
	uint32_t esr = lapic_esr_read();
	if (mode == ICR_MODE_STARTUP && s->apic_id == esr_ap)
		esr |= 0x40; /* smp.esr_ap: "send illegal vector", yet the SIPI went out */
	if (err < 0 || esr) {
		s->failed = true;
		s->esr = esr;
		kprintf("smp: APIC id %u: %s IPI failed (%s, ESR %#x); CPU skipped\n", s->apic_id,
			mode == ICR_MODE_INIT ? "INIT" : "SIPI", err < 0 ? err_name(err) : "sent",
			esr);
		return err < 0 ? err : -E_IO;
	}
	return 0;
}

/* Fill the slot table from the MADT and the masks; returns APs to start. */
static unsigned collect_cpus(const struct madt_info *madt, uint32_t bsp_apic)
{
	unsigned possible = 1, present = 1;
	bool warned = false;
	for (uint32_t i = 0; i < madt->ncpus; i++) {
		const struct madt_cpu *c = &madt->cpus[i];
		if (c->apic_id == bsp_apic)
			continue;
		if (possible == MAX_CPUS) {
			if (!warned)
				kprintf("smp: MADT lists more than %d CPUs; the rest are ignored\n",
					MAX_CPUS);
			warned = true;
			continue;
		}
		possible++;
		if (!(c->flags & MADT_CPU_ENABLED))
			continue; /* online-capable: possible, but not started now */
		if (!lapic_x2apic() && c->apic_id >= 0xFF) {
			kprintf("smp: APIC id %u needs x2APIC, which this CPU lacks; skipped\n",
				c->apic_id);
			continue;
		}
		present++;
		slots[nslots++].apic_id = c->apic_id;
	}
	cpumask_fill(&cpu_possible, possible);
	cpumask_fill(&cpu_present, present);
	return nslots;
}

static bool prepare_trampoline(void)
{
	size_t len = (size_t)(tramp_end - tramp_start);
	uint64_t root = paging_kernel_root();
	if (root >= (1ull << 32)) {
		kprintf("smp: kernel page table above 4 GiB; APs not started\n");
		return false;
	}
	for (unsigned t = 0; t < nslots; t++) {
		uint64_t stack = page_alloc(KSTACK_PAGES);
		uint64_t block = page_alloc((sizeof(struct percpu) + PAGE_SIZE - 1) / PAGE_SIZE);
		if (!stack || !block) {
			kprintf("smp: out of memory for CPU %u's stack; %u APs started\n", t, t);
			nslots = t;
			break;
		}
		stack_tops[t] = (uint64_t)phys_to_virt(stack) + KSTACK_PAGES * PAGE_SIZE;
		struct ap_slot *s = &slots[t];
		s->block = phys_to_virt(block);
		s->id = atomic_fetch_add(&next_cpu_id, 1);
		s->block->id = s->id;
		s->block->apic_id = s->apic_id;
	}
	uint8_t *dst = phys_to_virt(TRAMP_BASE);
	memcpy(dst, tramp_start, len);
	struct tramp_data *d = (struct tramp_data *)(dst + len - TRAMP_DATA_SIZE);
	d->cr3 = (uint32_t)root;
	d->efer = (1u << 8) | (uint32_t)(rdmsr(MSR_EFER) & EFER_NXE);
	d->ticket = 0;
	d->abort = 0;
	tramp = d;
	d->stacks = (uint64_t)stack_tops;
	d->entry = (uint64_t)ap_entry;
	/* The AP turns paging on while executing at TRAMP_BASE: map it 1:1. */
	paging_map_identity(TRAMP_BASE, PAGE_SIZE);
	return true;
}

static unsigned called_in(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < nslots; i++)
		n += atomic_load_explicit(&slots[i].state, memory_order_acquire) == AP_CALLED_IN;
	return n;
}

/* Park s's AP with INIT: it stops whatever it runs and waits for a SIPI. */
static void park(struct ap_slot *s)
{
	lapic_esr_clear();
	if (lapic_send(ICR_MODE_INIT, 0, ICR_LEVEL_ASSERT, ICR_DEST_FIELD, s->apic_id) < 0)
		kprintf("smp: APIC id %u: parking INIT not sent\n", s->apic_id);
}

/*
 * Decide every slot at the deadline (tramp->abort already set): release
 * the ones that called in and did not fail; give up on the rest (the CAS
 * described above) and park them.
 */
static void decide_slots(uint64_t timeout_ms)
{
	bool parked = false;
	for (unsigned i = 0; i < nslots; i++) {
		struct ap_slot *s = &slots[i];
		uint32_t waiting = AP_WAITING;
		bool gave_up = atomic_compare_exchange_strong(&s->state, &waiting, AP_GIVEN_UP);
		if (gave_up || s->failed) {
			if (!s->failed)
				kprintf("smp: APIC id %u did not call in within %lu ms; "
					"parked with INIT, CPU skipped\n",
					s->apic_id, (unsigned long)timeout_ms);
			else if (!gave_up)
				kprintf("smp: APIC id %u called in after an IPI error; "
					"parked with INIT, never released\n",
					s->apic_id);
			park(s);
			parked = true;
			continue;
		}
		s->block->node = numa_node_of_apic(s->apic_id);
		atomic_store_explicit(&s->go, true, memory_order_release);
	}
	/* INIT is taken at the next instruction boundary once delivered (and
	   lapic_send waited for delivery on xAPIC); the SDM gives no figure, so
	   allow 100 us before the trampoline's identity map goes away. */
	if (parked)
		udelay(100);
}

/* Read smp.fail_ap / smp.late_ap: an APIC id, or NO_APIC_ID. */
static uint64_t fault_ap(const char *key, const char *what)
{
	uint64_t id = NO_APIC_ID;
	if (boot_opt_u64(key, 0, UINT32_MAX, &id) == 0)
		kprintf("smp: fault injection: APIC id %lu will %s\n", (unsigned long)id, what);
	return id;
}

static void start_aps(void)
{
	uint64_t fail_ap = fault_ap("smp.fail_ap", "never be started");
	uint64_t late_ap = fault_ap("smp.late_ap", "get its SIPI only at the deadline");
	esr_ap = fault_ap("smp.esr_ap", "see an ESR error on a SIPI that still starts it");
	uint64_t timeout_ms = TIMEOUT_MS_DEFAULT;
	if (boot_opt_u64("smp.timeout_ms", 1, TIMEOUT_MS_MAX, &timeout_ms) < 0)
		timeout_ms = TIMEOUT_MS_DEFAULT;

	for (unsigned i = 0; i < nslots; i++)
		(void)ipi_checked(&slots[i], ICR_MODE_INIT, 0);
	udelay(10000);
	for (int round = 0; round < 2; round++) {
		for (unsigned i = 0; i < nslots; i++) {
			struct ap_slot *s = &slots[i];
			if (s->failed || s->apic_id == fail_ap || s->apic_id == late_ap ||
			    atomic_load(&s->state) != AP_WAITING)
				continue;
			(void)ipi_checked(s, ICR_MODE_STARTUP, TRAMP_BASE >> 12);
		}
		udelay(200);
	}

	unsigned expect = 0;
	for (unsigned i = 0; i < nslots; i++)
		expect += (!slots[i].failed || slots[i].apic_id == esr_ap) &&
			  slots[i].apic_id != fail_ap && slots[i].apic_id != late_ap;
	/* (smp.esr_ap's AP does start: wait for it, so the test sees it call in) */
	uint64_t deadline = time_ns() + timeout_ms * 1000000;
	while (called_in() < expect && time_ns() < deadline)
		cpu_pause();
	/* From here on an AP that starts halts in the trampoline. */
	__atomic_store_n(&tramp->abort, 1, __ATOMIC_SEQ_CST);
	for (unsigned i = 0; i < nslots; i++)
		if (slots[i].apic_id == late_ap && !slots[i].failed)
			(void)ipi_checked(&slots[i], ICR_MODE_STARTUP, TRAMP_BASE >> 12);

	decide_slots(timeout_ms);
	unsigned want = called_in() + 1;
	for (unsigned i = 0; i < nslots; i++)
		want -= slots[i].failed && atomic_load(&slots[i].state) == AP_CALLED_IN;
	/* A released AP runs only kernel code to its online bit: wait for it
	   whatever smp.timeout_ms was, or a tiny timeout would print a count
	   that leaves out CPUs which did call in (bounded all the same). */
	deadline = time_ns() + ONLINE_WAIT_MS * 1000000ull;
	while (smp_online_count() < want && time_ns() < deadline)
		cpu_pause();
	if (smp_online_count() < want)
		kprintf("smp: %u released CPUs not online after %u ms\n", want - smp_online_count(),
			ONLINE_WAIT_MS);
	/* every started AP has called in (it runs in the higher half) or is parked */
	paging_unmap_identity(TRAMP_BASE, PAGE_SIZE);
	/* smp.late_ap: a SIPI that reaches the parked AP after its INIT (QEMU
	   keeps one still pending across the INIT) restarts it now, with the
	   identity map gone: the trampoline must halt it in real mode. */
	for (unsigned i = 0; i < nslots; i++)
		if (slots[i].apic_id == late_ap && !slots[i].failed)
			(void)ipi_checked(&slots[i], ICR_MODE_STARTUP, TRAMP_BASE >> 12);
}

void smp_init(const struct madt_info *madt)
{
	uint32_t bsp_apic = lapic_id();
	percpu_bsp.apic_id = bsp_apic;
	percpu_bsp.node = numa_node_of_apic(bsp_apic);
	cpumask_set_atomic(&cpu_online, 0);
	unsigned naps = 0;
	if (madt) {
		naps = collect_cpus(madt, bsp_apic);
	} else {
		cpumask_fill(&cpu_possible, 1);
		cpumask_fill(&cpu_present, 1);
	}
	if (naps && cmdline_flag(&boot_cmdline, "nosmp")) {
		kprintf("smp: nosmp: %u APs not started\n", naps);
		naps = 0;
	}
	uint64_t t0 = time_ns();
	if (naps && prepare_trampoline())
		start_aps();
	uint64_t us = (time_ns() - t0) / 1000;
	kprintf("smp: %u CPUs online (possible %u, max %d), bring-up %lu.%03lu ms, %s\n",
		smp_online_count(), cpumask_count(&cpu_possible), MAX_CPUS,
		(unsigned long)(us / 1000), (unsigned long)(us % 1000),
		lapic_x2apic() ? "x2APIC" : "xAPIC");
}
