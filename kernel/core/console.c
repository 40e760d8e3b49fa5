/*
 * console.c - the framebuffer console: a mirror of the serial console on
 * screen (kernel log lines and programs' raw output, docs/console.md).
 *
 * Used when GRUB hands us a direct-RGB framebuffer (Multiboot2 tag 8,
 * type 1); otherwise serial is the only console.
 *
 * Drawing is slow: a new line at the bottom moves every pixel line of the
 * screen up (3 MiB at 1024x768x32), and under emulation the framebuffer is
 * slow memory. It used to happen in fb_write, under the log lock with
 * interrupts off, so every CPU that logged waited for it (5-24 ms a line
 * under load in QEMU). Now fb_write only appends to a pending buffer, and
 * a kernel thread (the renderer) draws what has accumulated, outside the
 * log lock, skipping what would scroll off the screen within one batch
 * (fbcon_tail_start). kprintf may run under scheduler locks, so fb_write
 * never wakes the renderer itself: when the buffer stops being empty it
 * sends its own CPU a VEC_WORK interrupt, which arrives once interrupts
 * are on again, where no spinlock is held, and pokes (console_poke, also
 * called from the tick and the system call return, as kmsg_poke is). So
 * the renderer sleeps until there is work. If the buffer fills before
 * the renderer drains it, the oldest pending bytes go and the screen says
 * how many (serial and the log ring have everything). Before the renderer
 * starts, and from a panic on (console_sync), fb_write draws at once.
 *
 * Ownership and locking: `pend` and its counters belong to pend_lock (a
 * spinlock taken with interrupts off, nested inside the log lock). `fb`
 * belongs to the renderer thread once it runs; before that, and in
 * synchronous mode, to the holder of the log lock. A panic on one CPU
 * while another's renderer draws may garble the screen; serial is exact.
 */
#include <string.h>
#include "arch.h"
#include "boot/boot.h"
#include "core/log.h"
#include "core/percpu.h"
#include "gfx/fbcon.h"
#include "sched/sched.h"
#include "sync/irqlock.h"
#include "scheme/poll.h"
#include "sync/waitq.h"
#include "fmt/fmt.h"

#define PEND_SIZE 16384			  /* bytes waiting for the renderer */
#define RENDER_IDLE_NS (100 * 1000000ull) /* look again this often when not poked */

extern const struct font font_default;
static struct fbcon fb;
static bool have_fb;

static struct spinlock pend_lock = SPINLOCK_INIT;
static char pend[PEND_SIZE];
static size_t pend_len;
static uint64_t pend_lost;    /* bytes dropped since the renderer last took the buffer */
static uint64_t pend_seq;     /* __atomic: writes so far */
static uint64_t poked_seq;    /* __atomic: pend_seq when the renderer was last woken */
static _Atomic bool deferred; /* the renderer draws; else fb_write does */
static struct waitq render_wq = {.lock = SPINLOCK_INIT, .head = NULL};
/* What pend_take hands out: the renderer's, then (synchronous again after a panic) the
   log lock holder's, for what the renderer had not drawn. */
static char taken[PEND_SIZE];

/* Append s[0..n) (pend_lock held), dropping the oldest bytes if it does not fit. */
static void pend_put(const char *s, size_t n)
{
	if (n > PEND_SIZE) {
		pend_lost += n - PEND_SIZE;
		s += n - PEND_SIZE;
		n = PEND_SIZE;
	}
	if (pend_len + n > PEND_SIZE) {
		size_t drop = pend_len + n - PEND_SIZE;
		memmove(pend, pend + drop, pend_len - drop);
		pend_len -= drop;
		pend_lost += drop;
	}
	memcpy(pend + pend_len, s, n);
	pend_len += n;
}

/* Move what is pending to buf (PEND_SIZE bytes): its length; *lost the bytes dropped before it. */
static size_t pend_take(char *buf, uint64_t *lost)
{
	uint64_t f = spin_lock_irqsave(&pend_lock);
	size_t n = pend_len;
	memcpy(buf, pend, n);
	pend_len = 0;
	*lost = pend_lost;
	pend_lost = 0;
	spin_unlock_irqrestore(&pend_lock, f);
	return n;
}

/* Draw a batch taken from the buffer: the note of what was lost, then its visible tail. */
static void draw(const char *buf, size_t n, uint64_t lost)
{
	if (lost) {
		char note[80];
		int len = fmt_snprintf(note, sizeof note,
				       "\n[console: %lu bytes not drawn here; see dmesg]\n",
				       (unsigned long)lost);
		if (len > 0)
			fbcon_write(&fb, note, MIN((size_t)len, sizeof note - 1));
	}
	size_t start = fbcon_tail_start(buf, n, fb.rows);
	fbcon_write(&fb, buf + start, n - start);
}

/* Under the log lock (interrupts off). */
static void fb_write(const char *s, size_t n)
{
	if (!atomic_load_explicit(&deferred, memory_order_acquire)) {
		uint64_t lost;
		size_t m = pend_take(taken, &lost);
		if (m || lost)
			draw(taken, m, lost);
		fbcon_write(&fb, s, n);
		return;
	}
	spin_lock(&pend_lock);
	bool was_empty = pend_len == 0;
	pend_put(s, n);
	spin_unlock(&pend_lock);
	__atomic_add_fetch(&pend_seq, 1, __ATOMIC_RELEASE);
	if (was_empty)
		(void)arch_ipi_send(percpu_id(), VEC_WORK); /* best effort: the tick pokes too */
}

/* VEC_WORK: interrupts were on, so no spinlock is held here. */
static void work_irq(struct trap_frame *tf)
{
	lapic_eoi();
	console_poke();
	kmsg_poke();
}

void console_poke(void)
{
	if (atomic_load_explicit(&deferred, memory_order_relaxed))
		waitq_wake_on_change(&render_wq, &poked_seq,
				     __atomic_load_n(&pend_seq, __ATOMIC_ACQUIRE));
}

static void render_main(void *arg)
{
	struct waitq_entry e;
	waitq_entry_init_thread(&e);
	waitq_add(&render_wq, &e);
	for (;;) {
		thread_prepare_block();
		uint64_t lost;
		size_t n = pend_take(taken, &lost);
		if (!n && !lost) {
			thread_block();
			continue;
		}
		thread_wake(thread_current());
		draw(taken, n, lost);
	}
}

void console_start_render(void)
{
	if (!have_fb)
		return;
	trap_register(VEC_WORK, work_irq);
	atomic_store_explicit(&deferred, true, memory_order_release);
	if (!thread_create(render_main, NULL, "fbcon", 0, SCHED_POLICY_FAIR,
			   sched_prio_from_nice(0))) {
		atomic_store_explicit(&deferred, false, memory_order_release);
		kprintf("console: no renderer thread; the screen is drawn as lines are logged\n");
	}
}

void console_sync(void)
{
	atomic_store_explicit(&deferred, false, memory_order_release);
}

void console_init(void)
{
	const struct mb2_framebuffer *f = &boot_mbi.fb;
	if (!boot_mbi.has_fb || f->type != MB2_FB_RGB) {
		kprintf("console: no RGB framebuffer; serial only\n");
		return;
	}
	struct fbcon_rgb_layout layout = {
	    .red_pos = f->red_pos,
	    .red_size = f->red_size,
	    .green_pos = f->green_pos,
	    .green_size = f->green_size,
	    .blue_pos = f->blue_pos,
	    .blue_size = f->blue_size,
	};
	void *pixels = mmio_map(f->addr, (size_t)f->pitch * f->height);
	if (!pixels || fbcon_init(&fb, pixels, f->width, f->height, f->pitch, f->bpp, &layout,
				  &font_default) < 0) {
		kprintf("console: framebuffer %ux%u %u bpp not usable; serial only\n", f->width,
			f->height, f->bpp);
		return;
	}
	fbcon_clear(&fb);
	have_fb = true;
	klog_add_console(fb_write);
	kprintf("console: framebuffer %ux%u, %u bpp at %#lx\n", f->width, f->height, f->bpp,
		(unsigned long)f->addr);
}
