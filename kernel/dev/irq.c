/*
 * irq.c - the irq: kernel scheme: drivers allocate interrupt vectors, route
 * GSIs, wait for and acknowledge interrupts (docs/interrupts.md).
 *
 * Paths: /msi/CPU[/N], /msix/CPU[/N] (a block of N vectors, CPU a number or
 * "any"), /gsi/G/TRIGGER[/CPU], /isa/N, /stats. A vector file reads a
 * uint64_t count of interrupts since the last read (blocking while none),
 * polls POLLIN while one is pending, and takes writes: 8 bytes = acknowledge,
 * "label TEXT" = owner label, "test" = raise its vector by a self/other-CPU
 * IPI (root only, a test aid). dup "K" gives vector K of the block, dup
 * "cpu=C" moves to CPU C (a fresh MSI block, or the GSI line rerouted).
 *
 * Every allocatable vector (0x30-0xef) has the one handler irq_entry on the
 * shared IDT; it looks up (this CPU, vector) in irq_slots, bumps each
 * handle's pending count and wakes it; a level-triggered line is masked at
 * the IOAPIC until every handle it reached has acknowledged (or closed). A
 * line past the screaming rule (lib/irq/scream.h) is masked for good and
 * logged once.
 *
 * Ownership and locking: see irq_priv.h. In short: one spinlock, irq_lock,
 * taken with interrupts off by threads and by the handler, guards the
 * matrix, the slots, blocks, lines and every handle's fields but its waitq.
 * Nothing sleeps or copies user memory under it. Order: irq_lock, then a
 * waitq lock, then the IOAPIC lock. Handles are freed only by the file's
 * close, after being unlinked from their slot under irq_lock, so the
 * handler never sees a freed handle; a waiter holds a file reference.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arch.h"
#include "base/err.h"
#include "base/syscall_nr.h"
#include "core/log.h"
#include "core/percpu.h"
#include "core/time.h"
#include "dev/hw.h"
#include "dev/irq.h"
#include "dev/irq_priv.h"
#include "fmt/fmt.h"
#include "mm/mem.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "scheme/file.h"
#include "scheme/poll.h"
#include "sync/irqlock.h"
#include <string.h>

struct spinlock irq_lock = SPINLOCK_INIT;
struct irq_matrix irq_mx;
struct irq_slot *irq_slots[MAX_CPUS];
uint64_t irq_unclaimed;
uint32_t irq_serial_gsi = 0xffffffffu;
static struct irq_line *lines;

#define STATS_BUF_PAGES 16

/* ---- parsing ---- */

/* A decimal number at *s up to '/' or the end: 0 and *s moved past it, or -E_INVAL. */
static int parse_num(const char **s, unsigned long max, unsigned *out)
{
	const char *p = *s;
	unsigned long v = 0;
	if (*p < '0' || *p > '9')
		return -E_INVAL;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > max)
			return -E_INVAL;
		p++;
	}
	*s = p;
	*out = (unsigned)v;
	return 0;
}

/* The segment at *s ("any" or a CPU number): IRQ_CPU_ANY or an id; 0 or -E_INVAL. */
static int parse_cpu(const char **s, unsigned *cpu)
{
	if (!strncmp(*s, "any", 3)) {
		*s += 3;
		*cpu = IRQ_CPU_ANY;
		return 0;
	}
	return parse_num(s, MAX_CPUS - 1, cpu);
}

/* ---- handles ---- */

static struct irq_handle *handle_new(void)
{
	struct irq_handle *h = kzalloc(sizeof *h);
	if (!h)
		return NULL;
	waitq_init(&h->wq);
	struct proc *p = proc_current();
	if (p)
		fmt_snprintf(h->label, sizeof h->label, "%s[%d]", p->name, p->pid);
	else
		fmt_snprintf(h->label, sizeof h->label, "kernel");
	return h;
}

/* Link h to slot (cpu, vec). Under irq_lock. */
static void slot_link(struct irq_handle *h, unsigned cpu, unsigned vec)
{
	struct irq_slot *s = &irq_slots[cpu][vec];
	h->cpu = cpu;
	h->vec = vec;
	h->next = s->handles;
	s->handles = h;
}

/* Unlink h from its slot. Under irq_lock. */
static void slot_unlink(struct irq_handle *h)
{
	struct irq_slot *s = &irq_slots[h->cpu][h->vec];
	for (struct irq_handle **pp = &s->handles; *pp; pp = &(*pp)->next)
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	h->next = NULL;
}

static bool cpu_usable(unsigned cpu)
{
	return cpu == IRQ_CPU_ANY || (cpu < MAX_CPUS && irq_slots[cpu]);
}

/* ---- MSI blocks ---- */

/* A new block of count on cpu with one handle on vector index 0 into *out. */
static int block_open(enum irq_kind kind, unsigned cpu, unsigned count, struct irq_handle **out)
{
	if (!cpu_usable(cpu))
		return -E_INVAL;
	struct irq_block *b = kzalloc(sizeof *b);
	struct irq_handle *h = handle_new();
	if (!b || !h) {
		kfree(b);
		kfree(h);
		return -E_NOMEM;
	}
	uint64_t fl = spin_lock_irqsave(&irq_lock);
	unsigned c, v;
	int err = irq_matrix_alloc(&irq_mx, cpu, count, &c, &v);
	if (err == 0) {
		b->cpu = c;
		b->first = v;
		b->count = count;
		b->kind = kind;
		b->refs = 1;
		for (unsigned i = 0; i < count; i++) {
			irq_slots[c][v + i].blk = b;
			irq_slots[c][v + i].count = 0;
		}
		h->blk = b;
		slot_link(h, c, v);
	}
	spin_unlock_irqrestore(&irq_lock, fl);
	if (err < 0) {
		kfree(b);
		kfree(h);
		return err;
	}
	*out = h;
	return 0;
}

/* Drop h's block reference; the last one frees the vectors on the block's CPU. Under irq_lock;
   returns the block to kfree (after the lock is dropped) or NULL. */
static struct irq_block *block_put(struct irq_block *b)
{
	if (--b->refs > 0)
		return NULL;
	for (unsigned i = 0; i < b->count; i++)
		irq_slots[b->cpu][b->first + i].blk = NULL;
	int err = irq_matrix_free(&irq_mx, b->cpu, b->first, b->count);
	if (err < 0) /* a kernel bug, but never a panic in an interrupt path's neighbour */
		kprintf("irq: cpu %u vectors %#x+%u: free refused (%d)\n", b->cpu, b->first,
			b->count, err);
	return b;
}

/* ---- GSI lines ---- */

static struct irq_line *line_find(uint32_t gsi)
{
	for (struct irq_line *l = lines; l; l = l->next)
		if (l->gsi == gsi)
			return l;
	return NULL;
}

/* A handle on GSI gsi with the trigger given, joining the line if it is routed with the same
   trigger (else -E_BUSY), else routing it to a new vector on cpu. */
static int line_open(uint32_t gsi, bool level, bool low, unsigned cpu, struct irq_handle **out)
{
	if (!cpu_usable(cpu))
		return -E_INVAL;
	if (gsi == irq_serial_gsi)
		return -E_BUSY; /* the kernel's console line */
	if (!ioapic_has_gsi(gsi))
		return -E_NOENT;
	struct irq_line *nl = kzalloc(sizeof *nl);
	struct irq_handle *h = handle_new();
	if (!nl || !h) {
		kfree(nl);
		kfree(h);
		return -E_NOMEM;
	}
	int err = 0;
	uint64_t fl = spin_lock_irqsave(&irq_lock);
	struct irq_line *l = line_find(gsi);
	if (l) {
		if (l->level != level || l->active_low != low)
			err = -E_BUSY;
	} else {
		unsigned c, v;
		err = irq_matrix_alloc(&irq_mx, cpu, 1, &c, &v);
		if (err == 0) {
			l = nl;
			nl = NULL;
			l->gsi = gsi;
			l->level = level;
			l->active_low = low;
			l->cpu = c;
			l->vec = v;
			irq_slots[c][v].line = l;
			irq_slots[c][v].count = 0;
			err =
			    ioapic_program(gsi, (uint8_t)v, smp_cpu_apic_id(c), level, low, false);
			if (err < 0) {
				irq_slots[c][v].line = NULL;
				int e2 = irq_matrix_free(&irq_mx, c, v, 1);
				(void)e2;
				nl = l;
			} else {
				l->next = lines;
				lines = l;
			}
		}
	}
	if (err == 0) {
		h->line = l;
		l->nhandles++;
		slot_link(h, l->cpu, l->vec);
	}
	spin_unlock_irqrestore(&irq_lock, fl);
	kfree(nl);
	if (err < 0) {
		kfree(h);
		return err;
	}
	*out = h;
	return 0;
}

/* h acknowledges its line's last interrupt; unmask when nobody owes one. Under irq_lock. */
static void line_ack(struct irq_handle *h)
{
	struct irq_line *l = h->line;
	if (!h->need_ack)
		return;
	h->need_ack = false;
	if (l->unacked && --l->unacked == 0 && l->masked && !l->screaming) {
		l->masked = false;
		int err = ioapic_mask(l->gsi, false);
		(void)err; /* the GSI was routed, so an IOAPIC owns it */
	}
}

/* h leaves its line; the last handle masks and frees it. Under irq_lock; the line to kfree
   after the lock, or NULL. */
static struct irq_line *line_leave(struct irq_handle *h)
{
	struct irq_line *l = h->line;
	line_ack(h);
	if (--l->nhandles > 0)
		return NULL;
	int err = ioapic_program(l->gsi, (uint8_t)l->vec, smp_cpu_apic_id(l->cpu), l->level,
				 l->active_low, true);
	(void)err;
	irq_slots[l->cpu][l->vec].line = NULL;
	err = irq_matrix_free(&irq_mx, l->cpu, l->vec, 1);
	if (err < 0)
		kprintf("irq: GSI %u: vector %#x on cpu %u: free refused (%d)\n", l->gsi, l->vec,
			l->cpu, err);
	for (struct irq_line **pp = &lines; *pp; pp = &(*pp)->next)
		if (*pp == l) {
			*pp = l->next;
			break;
		}
	return l;
}

/* ---- the interrupt handler ---- */

/* Log a screaming line once and mask it. Under irq_lock, interrupt context. */
static void line_scream(struct irq_line *l)
{
	l->screaming = true;
	l->masked = true;
	int err = ioapic_mask(l->gsi, true);
	(void)err;
	struct irq_handle *h = irq_slots[l->cpu][l->vec].handles;
	kprintf("irq: GSI %u screaming (%u interrupts in 1 s, owner %s); masked\n", l->gsi,
		l->scream.count, h ? h->label : "none");
}

static void irq_entry(struct trap_frame *tf)
{
	unsigned cpu = percpu_id(), vec = (unsigned)tf->vector;
	spin_lock(&irq_lock); /* interrupts are off in a handler */
	struct irq_slot *s = cpu < MAX_CPUS && irq_slots[cpu] ? &irq_slots[cpu][vec] : NULL;
	struct irq_line *l = s ? s->line : NULL;
	if (!s || !s->handles) {
		/* Never a line here: a line has a handle from its open until its last close,
		   both under irq_lock. */
		irq_unclaimed++;
		if (s && s->blk)
			s->count++; /* a vector of a block nobody dup'ed: shown in stats */
	} else {
		s->count++;
		if (l && l->level && !l->screaming) {
			l->masked = true;
			int err = ioapic_mask(l->gsi, true);
			(void)err;
		}
		for (struct irq_handle *h = s->handles; h; h = h->next) {
			h->pending++;
			if (l && l->level && !h->need_ack) {
				h->need_ack = true;
				l->unacked++;
			}
			waitq_wake(&h->wq);
		}
		if (l && !l->screaming &&
		    irq_scream_note(&l->scream, time_ns(), IRQ_SCREAM_LIMIT, IRQ_SCREAM_WINDOW_NS))
			line_scream(l);
	}
	/* Under the lock: whoever holds it next knows every interrupt handled
	   so far has been acknowledged (move_line relies on it). */
	lapic_eoi();
	spin_unlock(&irq_lock);
}

/* ---- scheme ops ---- */

static int irq_open(struct file *f, const char *path, int flags)
{
	if (!strcmp(path, "/stats")) {
		struct irq_handle *sh = kzalloc(sizeof *sh);
		if (!sh)
			return -E_NOMEM;
		sh->stats = true;
		f->priv = sh;
		return 0;
	}
	struct proc *p = proc_current();
	if (!p || !hw_irq_allowed(p))
		return -E_ACCES;
	const char *s = path;
	struct irq_handle *h = NULL;
	int err;
	unsigned cpu = IRQ_CPU_ANY, n = 1;
	if (!strncmp(s, "/msi/", 5) || !strncmp(s, "/msix/", 6)) {
		enum irq_kind kind = s[4] == 'x' ? IRQ_KIND_MSIX : IRQ_KIND_MSI;
		s += kind == IRQ_KIND_MSIX ? 6 : 5;
		if (parse_cpu(&s, &cpu) < 0)
			return -E_INVAL;
		if (*s == '/') {
			s++;
			if (parse_num(&s, IRQ_BLOCK_MAX, &n) < 0)
				return -E_INVAL;
		}
		if (*s || n == 0 || (n & (n - 1)))
			return -E_INVAL;
		err = block_open(kind, cpu, n, &h);
	} else if (!strncmp(s, "/gsi/", 5)) {
		s += 5;
		unsigned gsi;
		if (parse_num(&s, 0xffffff, &gsi) < 0 || *s++ != '/')
			return -E_INVAL;
		static const char *const trig[4] = {"edge-high", "edge-low", "level-high",
						    "level-low"};
		int t = -1;
		for (int i = 0; i < 4; i++)
			if (!strncmp(s, trig[i], strlen(trig[i]))) {
				size_t len = strlen(trig[i]);
				if (s[len] == 0 || s[len] == '/') {
					t = i;
					s += len;
					break;
				}
			}
		if (t < 0)
			return -E_INVAL;
		if (*s == '/') {
			s++;
			if (parse_cpu(&s, &cpu) < 0)
				return -E_INVAL;
		}
		if (*s)
			return -E_INVAL;
		err = line_open(gsi, t >= 2, t & 1, cpu, &h);
	} else if (!strncmp(s, "/isa/", 5)) {
		s += 5;
		unsigned irq;
		if (parse_num(&s, 15, &irq) < 0 || *s)
			return -E_INVAL;
		uint32_t gsi;
		bool level, low;
		ioapic_isa_line((uint8_t)irq, &gsi, &level, &low);
		err = line_open(gsi, level, low, IRQ_CPU_ANY, &h);
	} else {
		return -E_NOENT;
	}
	if (err < 0)
		return err;
	f->priv = h;
	return 0;
}

static int irq_close(struct file *f)
{
	struct irq_handle *h = f->priv;
	if (h->stats) {
		if (h->stats_snap)
			page_free(virt_to_phys(h->stats_snap), STATS_BUF_PAGES);
		kfree(h);
		return 0;
	}
	struct irq_block *b = NULL;
	struct irq_line *l = NULL;
	uint64_t fl = spin_lock_irqsave(&irq_lock);
	slot_unlink(h);
	if (h->blk)
		b = block_put(h->blk);
	else
		l = line_leave(h);
	spin_unlock_irqrestore(&irq_lock, fl);
	kfree(b);
	kfree(l);
	kfree(h);
	return 0;
}

/* Take h's pending count (0 if none). */
static uint64_t take_pending(struct irq_handle *h)
{
	uint64_t fl = spin_lock_irqsave(&irq_lock);
	uint64_t n = h->pending;
	h->pending = 0;
	spin_unlock_irqrestore(&irq_lock, fl);
	return n;
}

/* The stats text is made at a handle's first read and kept until its
   close: a reader taking it in small pieces sees one snapshot, and the
   table is not rebuilt for every piece (open again for a fresh one). The
   snapshot starts with its length; two first reads racing each make one
   and the loser frees its own. */
static const char *stats_snapshot(struct irq_handle *h, size_t *total)
{
	char *snap = __atomic_load_n(&h->stats_snap, __ATOMIC_ACQUIRE);
	if (!snap) {
		uint64_t pa = page_alloc(STATS_BUF_PAGES);
		if (!pa)
			return NULL;
		char *mine = phys_to_virt(pa);
		size_t n = irq_stats_format(mine + sizeof(size_t),
					    STATS_BUF_PAGES * PAGE_SIZE - sizeof(size_t));
		memcpy(mine, &n, sizeof n);
		if (__atomic_compare_exchange_n(&h->stats_snap, &snap, mine, false,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			snap = mine;
		else
			page_free(pa, STATS_BUF_PAGES); /* snap is the winner's */
	}
	memcpy(total, snap, sizeof *total);
	return snap + sizeof(size_t);
}

static long stats_read(struct irq_handle *h, uint64_t ubuf, size_t len)
{
	size_t total;
	const char *text = stats_snapshot(h, &total);
	if (!text)
		return -E_NOMEM;
	uint64_t off = __atomic_load_n(&h->stats_off, __ATOMIC_RELAXED);
	long r = 0;
	if (off < total) {
		size_t n = total - off < len ? total - off : len;
		r = copy_to_user(ubuf, text + off, n) < 0 ? -E_FAULT : (long)n;
		if (r > 0)
			__atomic_store_n(&h->stats_off, off + (uint64_t)r, __ATOMIC_RELAXED);
	}
	return r;
}

static long irq_read(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	struct irq_handle *h = f->priv;
	if (h->stats)
		return stats_read(h, ubuf, len);
	if (len < 8)
		return -E_INVAL;
	struct waitq_entry e;
	waitq_entry_init_thread(&e);
	long r;
	for (;;) {
		uint64_t n = take_pending(h);
		if (n) {
			r = copy_to_user(ubuf, &n, 8) < 0 ? -E_FAULT : 8;
			if (r < 0) { /* give the count back: nothing was read */
				uint64_t fl = spin_lock_irqsave(&irq_lock);
				h->pending += n;
				spin_unlock_irqrestore(&irq_lock, fl);
			}
			break;
		}
		if (f->flags & RB_O_NONBLOCK) {
			r = -E_AGAIN;
			break;
		}
		r = poll_wait_change(&h->wq, &e);
		if (r < 0)
			break;
	}
	waitq_remove(&e);
	return r;
}

/* Raise h's vector on its CPU with a fixed IPI (the "test" command). */
static long raise_test(struct irq_handle *h)
{
	struct proc *p = proc_current();
	if (!p || proc_uid(p) != 0)
		return -E_PERM;
	uint64_t fl = spin_lock_irqsave(&irq_lock);
	unsigned cpu = h->cpu, vec = h->vec;
	spin_unlock_irqrestore(&irq_lock, fl);
	/* A reroute racing with this may send to the old vector: it counts as unclaimed. */
	int err = arch_ipi_send(cpu, (uint8_t)vec);
	return err < 0 ? err : 4;
}

static long irq_write(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	struct irq_handle *h = f->priv;
	if (h->stats)
		return -E_BADF;
	char buf[6 + IRQ_LABEL_MAX];
	if (len > sizeof buf)
		return -E_INVAL;
	if (copy_from_user(buf, ubuf, len) < 0)
		return -E_FAULT;
	if (len >= 6 && !memcmp(buf, "label ", 6)) {
		size_t n = len - 6;
		if (n && buf[6 + n - 1] == '\n')
			n--;
		if (n == 0 || n >= IRQ_LABEL_MAX)
			return -E_INVAL;
		uint64_t fl = spin_lock_irqsave(&irq_lock);
		memcpy(h->label, buf + 6, n);
		h->label[n] = 0;
		spin_unlock_irqrestore(&irq_lock, fl);
		return (long)len;
	}
	if ((len == 4 || len == 5) && !memcmp(buf, "test", 4) && (len == 4 || buf[4] == '\n')) {
		long r = raise_test(h);
		return r < 0 ? r : (long)len;
	}
	if (len != 8)
		return -E_INVAL;
	uint64_t fl = spin_lock_irqsave(&irq_lock);
	if (h->line)
		line_ack(h);
	spin_unlock_irqrestore(&irq_lock, fl);
	return 8;
}

static unsigned irq_poll(struct file *f, struct waitq_entry *w)
{
	struct irq_handle *h = f->priv;
	if (h->stats)
		return RB_POLLIN;
	if (w)
		waitq_add(&h->wq, w);
	uint64_t fl = spin_lock_irqsave(&irq_lock);
	bool ready = h->pending != 0;
	spin_unlock_irqrestore(&irq_lock, fl);
	return ready ? RB_POLLIN : 0;
}

static long irq_fpath(struct file *f, char *buf, size_t len)
{
	struct irq_handle *h = f->priv;
	if (h->stats)
		return fmt_snprintf(buf, len, "/stats") < (int)len ? 6 : -E_RANGE;
	uint64_t fl = spin_lock_irqsave(&irq_lock);
	unsigned cpu = h->cpu, vec = h->vec;
	long gsi = h->line ? (long)h->line->gsi : -1;
	spin_unlock_irqrestore(&irq_lock, fl);
	int n = gsi < 0 ? fmt_snprintf(buf, len, "/cpu/%u/apic/%u/vector/%u", cpu,
				       smp_cpu_apic_id(cpu), vec)
			: fmt_snprintf(buf, len, "/cpu/%u/apic/%u/vector/%u/gsi/%ld", cpu,
				       smp_cpu_apic_id(cpu), vec, gsi);
	return n < (int)len ? n : -E_RANGE;
}

static int irq_fstat(struct file *f, struct rb_stat *st)
{
	struct irq_handle *h = f->priv;
	st->mode = h->stats ? 0x8000 : 0x2000; /* stats a regular file, vectors character devices */
	st->size = 0;
	return 0;
}

/* dup "K": vector K of h's MSI block. */
static int dup_index(struct irq_handle *h, unsigned k, struct irq_handle *nh)
{
	int err = 0;
	uint64_t fl = spin_lock_irqsave(&irq_lock);
	struct irq_block *b = h->blk;
	if (!b || k == 0 || k >= b->count) {
		err = -E_INVAL;
	} else {
		b->refs++;
		nh->blk = b;
		slot_link(nh, b->cpu, b->first + k);
	}
	spin_unlock_irqrestore(&irq_lock, fl);
	return err;
}

/* Whether a level interrupt of l is on its way to l's vector (irq_lock
   held): accepted by the CPU and not yet handled there. Its EOI would name
   the old vector, which a moved entry no longer has, so Remote IRR would
   stay set and the line go dead. The handler EOIs under irq_lock, so with
   the entry masked, Remote IRR set now means exactly that. l is left
   masked when the answer is false, as it was otherwise. */
static bool level_in_flight(struct irq_line *l)
{
	int err = ioapic_mask(l->gsi, true);
	if (err < 0 || !ioapic_remote_irr(l->gsi))
		return false;
	if (!l->masked)
		err = ioapic_mask(l->gsi, false);
	(void)err;
	return true;
}

/* dup "cpu=C" of a GSI handle: move the line to a new vector on cpu; nh joins it.
   -E_AGAIN while a level interrupt is in flight (try again: it is being
   handled). An edge interrupt in flight arrives at the old vector and is
   counted unclaimed there; so that no driver misses it, every handle on
   the line gets one count (a spurious wake, as on a shared line). */
static int move_line(struct irq_handle *h, unsigned cpu, struct irq_handle *nh)
{
	int err;
	uint64_t fl = spin_lock_irqsave(&irq_lock);
	struct irq_line *l = h->line;
	unsigned c, v;
	if (l->level && level_in_flight(l)) {
		spin_unlock_irqrestore(&irq_lock, fl);
		return -E_AGAIN;
	}
	err = irq_matrix_alloc(&irq_mx, cpu, 1, &c, &v);
	if (err == 0) {
		err = ioapic_program(l->gsi, (uint8_t)v, smp_cpu_apic_id(c), l->level,
				     l->active_low, l->masked);
		if (err < 0) {
			int e2 = irq_matrix_free(&irq_mx, c, v, 1);
			(void)e2;
		}
	}
	if (err < 0 && l->level && !l->masked) {
		int e2 = ioapic_mask(l->gsi, false); /* level_in_flight masked it */
		(void)e2;
	}
	if (err == 0) {
		struct irq_slot *old = &irq_slots[l->cpu][l->vec], *new = &irq_slots[c][v];
		new->handles = old->handles;
		new->line = l;
		new->count = 0;
		old->handles = NULL;
		old->line = NULL;
		for (struct irq_handle *x = new->handles; x; x = x->next) {
			x->cpu = c;
			x->vec = v;
			if (!l->level) {
				x->pending++;
				waitq_wake(&x->wq);
			}
		}
		int e2 = irq_matrix_free(&irq_mx, l->cpu, l->vec, 1);
		if (e2 < 0)
			kprintf("irq: GSI %u: old vector free refused (%d)\n", l->gsi, e2);
		l->cpu = c;
		l->vec = v;
		nh->line = l;
		l->nhandles++;
		slot_link(nh, c, v);
	}
	spin_unlock_irqrestore(&irq_lock, fl);
	return err;
}

static int irq_dup(struct file *f, const char *arg, struct file *nf)
{
	struct irq_handle *h = f->priv;
	if (h->stats)
		return -E_INVAL;
	struct proc *p = proc_current();
	if (!p || !hw_irq_allowed(p))
		return -E_ACCES;
	const char *s = arg;
	bool move = !strncmp(s, "cpu=", 4);
	unsigned k;
	if (move) {
		s += 4;
		if (parse_cpu(&s, &k) < 0 || *s || !cpu_usable(k))
			return -E_INVAL;
	} else if (parse_num(&s, IRQ_BLOCK_MAX, &k) < 0 || *s) {
		return -E_INVAL;
	}
	struct irq_handle *nh;
	int err;
	if (move && h->blk) {
		uint64_t fl = spin_lock_irqsave(&irq_lock);
		unsigned count = h->blk->count;
		enum irq_kind kind = h->blk->kind;
		spin_unlock_irqrestore(&irq_lock, fl);
		err = block_open(kind, k, count, &nh);
		if (err < 0)
			return err;
		memcpy(nh->label, h->label, sizeof nh->label);
		nf->priv = nh;
		return 0;
	}
	nh = handle_new();
	if (!nh)
		return -E_NOMEM;
	memcpy(nh->label, h->label, sizeof nh->label);
	err = move ? (h->line ? move_line(h, k, nh) : -E_INVAL) : dup_index(h, k, nh);
	if (err < 0) {
		kfree(nh);
		return err;
	}
	nf->priv = nh;
	return 0;
}

static const struct scheme_ops irq_ops = {
    .open = irq_open,
    .close = irq_close,
    .read = irq_read,
    .write = irq_write,
    .fstat = irq_fstat,
    .dup = irq_dup,
    .fpath = irq_fpath,
    .poll = irq_poll,
};

struct scheme irq_scheme = {
    .name = "irq",
    .ops = &irq_ops,
    .flags = SCHEME_STREAM,
};

void irq_init(void)
{
	irq_matrix_init(&irq_mx);
	unsigned cpu;
	cpumask_for_each(cpu, &cpu_online)
	{
		size_t pages = (256 * sizeof(struct irq_slot) + PAGE_SIZE - 1) / PAGE_SIZE;
		uint64_t pa = page_alloc(pages); /* zeroed; kept for good */
		irq_slots[cpu] = pa ? phys_to_virt(pa) : NULL;
		if (!irq_slots[cpu]) {
			kprintf("irq: no memory for cpu %u's vector table; no vectors there\n",
				cpu);
			continue;
		}
		irq_matrix_set_online(&irq_mx, cpu, true);
	}
	uint32_t gsi;
	bool level, low;
	ioapic_isa_line(4, &gsi, &level, &low); /* COM1: serial.c's */
	irq_serial_gsi = gsi;
	for (unsigned v = IRQ_VEC_FIRST; v <= IRQ_VEC_LAST; v++)
		trap_register((uint8_t)v, irq_entry);
	int err = scheme_register(&irq_scheme);
	if (err < 0)
		kprintf("irq: cannot register the irq: scheme (%d)\n", err);
}
