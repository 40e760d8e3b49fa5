/*
 * debug.c - the "debug" scheme: the serial console as a stream
 * ("debug:" with any path). Files have no state (priv NULL) and no offset
 * (SCHEME_STREAM). Output goes through klog_user_write (log.c), which
 * writes it raw to the serial port and the screen, timestamped into the
 * kernel log ring, serialised with kernel lines under the log lock in
 * chunks of up to 256 bytes.
 *
 * Input (docs/console.md) is interrupt driven once debug_input_init has
 * enabled COM1's interrupt: the handler (interrupt context, boot CPU)
 * appends bytes to a 4 KiB ring and wakes in_wq. Bytes that come while
 * the ring is full are dropped and counted; the next read that takes
 * bytes logs the count ("console: N input bytes dropped"). A read takes
 * what the ring holds and blocks while it is empty (EAGAIN with
 * RB_O_NONBLOCK, EINTR on a signal); poll gives POLLIN while it holds a
 * byte, POLLOUT always; fstat's size is the bytes it holds. If the interrupt cannot be routed,
 * input stays polled: a read returns a byte the UART holds or 0, poll
 * asks the UART, and the scheme is SCHEME_POLL_TICK so SYS_POLL looks
 * again every 10 ms.
 *
 * Injected input: "debug:/input" (uid 0 only, EPERM otherwise; opened
 * write-only, EINVAL otherwise) is a console input device for a
 * privileged driver (ps2d, the PS/2 keyboard: docs/ps2.md). A write
 * hands its bytes to debug_input, exactly as COM1's interrupt does, so
 * they get the same ring, the same drop count and the same Ctrl-C /
 * Ctrl-\ handling. Such a file is marked by f->priv == &input_tag. While
 * input stays polled, reads and poll look at the ring before the UART.
 *
 * Job control (docs/console.md): the console belongs to one session
 * (con_sid, init's session 1 at boot) and has a foreground process group
 * (con_fg, 0 for none). A process of that session sets it with
 * SYS_TCSETPGRP to a group of its session; a root session leader of
 * another session may take the console over the same way. With
 * RB_TC_ISIG in con_mode (the default), Ctrl-C (0x03) and Ctrl-\ (0x1c)
 * are not put in the ring: the handler sends SIGINT or SIGQUIT to the
 * foreground group (proc_kill_group, which is safe in interrupt context),
 * after in_lock is dropped. With no foreground group, or with ISIG off
 * (SYS_TCSETMODE: a raw-mode reader such as a line-editing shell), they
 * are ordinary bytes. Echo and line editing are left to user space; a
 * read by a background group is not stopped (no SIGTTIN).
 *
 * Ownership and locking: the ring (in_buf, in_head, in_count, in_dropped)
 * and the job-control state (con_sid, con_fg, con_mode) are this
 * file's, guarded by in_lock, a spinlock taken with interrupts off (the
 * handler takes it too); user copies happen outside it, through a small
 * buffer on the stack. in_wq is woken after every append, in interrupt
 * context, where no spinlock of the interrupted code can be held (all
 * are taken with interrupts off). irq_on is written once at boot.
 * out_lock, a sleeping mutex, is held across one whole write() so that
 * two programs' writes never interleave on the console (a prompt stays in
 * one piece, a JSON line printed by init is not cut by getty's banner);
 * nothing under it sleeps but the copy from user memory. Kernel log lines
 * do not take it and may still come between two 256-byte chunks.
 */
#include <string.h>
#include "arch.h"
#include "base/err.h"
#include "core/log.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "scheme/builtin.h"
#include "scheme/fdtable.h"
#include "syscall/syscall.h"
#include "scheme/file.h"
#include "scheme/poll.h"
#include "scheme/scheme.h"
#include "sync/irqlock.h"
#include "sync/kmutex.h"
#include "sync/waitq.h"

#define IN_SIZE 4096

static char in_buf[IN_SIZE];
static size_t in_head, in_count;
static size_t in_dropped; /* bytes that found the ring full, not yet logged */
static struct spinlock in_lock = SPINLOCK_INIT;
static struct waitq in_wq = {.lock = SPINLOCK_INIT, .head = NULL};
static bool irq_on;
static int con_sid = 1;		  /* the session the console belongs to */
static int con_fg;		  /* its foreground process group; 0: none */
static int con_mode = RB_TC_ISIG; /* RB_TC_* */
static struct kmutex out_lock;	  /* one write() at a time (zeroed: unlocked) */
#define DEBUG_INPUT_WRITE_MAX                                                                      \
	IN_SIZE	       /* bytes one debug:/input write takes: the ring holds no more */
static char input_tag; /* f->priv of a "debug:/input" file */

#define CTRL_C 0x03
#define CTRL_BACKSLASH 0x1c

/* The signal byte c sends to the foreground group, or 0 (in_lock held). */
static int signal_of(char c)
{
	if (!(con_mode & RB_TC_ISIG) || con_fg <= 0)
		return 0;
	return c == CTRL_C ? RB_SIGINT : c == CTRL_BACKSLASH ? RB_SIGQUIT : 0;
}

/* The interrupt handler's callback (and a debug:/input write's, in thread
   context): keep what fits, wake readers; the signal bytes go to the
   foreground group instead (after the lock). */
static void debug_input(const char *buf, size_t n)
{
	uint64_t fl = spin_lock_irqsave(&in_lock);
	int fg = con_fg;
	uint64_t sigs = 0;
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		int sig = signal_of(buf[i]);
		if (sig) {
			sigs |= 1ull << sig;
		} else if (in_count < IN_SIZE) {
			in_buf[(in_head + in_count++) % IN_SIZE] = buf[i];
			kept++;
		} else {
			in_dropped++;
		}
	}
	spin_unlock_irqrestore(&in_lock, fl);
	for (int sig = 1; sig < 32; sig++)
		if (sigs & (1ull << sig))
			(void)proc_kill_group(fg, sig, false); /* an empty group: nobody to tell */
	if (kept)
		waitq_wake(&in_wq);
}

/* Take up to n bytes from the ring into buf: how many. Logs the bytes
   dropped since the last take that found some. */
static size_t in_take(char *buf, size_t n)
{
	uint64_t fl = spin_lock_irqsave(&in_lock);
	size_t got = 0, dropped = 0;
	for (; got < n && in_count; got++, in_count--) {
		buf[got] = in_buf[in_head];
		in_head = (in_head + 1) % IN_SIZE;
	}
	if (got) {
		dropped = in_dropped;
		in_dropped = 0;
	}
	spin_unlock_irqrestore(&in_lock, fl);
	if (dropped)
		kprintf("console: %zu input bytes dropped (ring full)\n", dropped);
	return got;
}

/* Bytes the ring holds now. */
static size_t in_held(void)
{
	uint64_t fl = spin_lock_irqsave(&in_lock);
	size_t held = in_count;
	spin_unlock_irqrestore(&in_lock, fl);
	return held;
}

void debug_input_init(void)
{
	int err = serial_irq_enable(debug_input);
	if (err < 0) {
		kprintf("console: input stays polled (%s)\n", err_name(err));
		debug_scheme.flags |= SCHEME_POLL_TICK;
		return;
	}
	irq_on = true;
}

static bool is_input_path(const char *path)
{
	while (*path == '/')
		path++;
	return strcmp(path, "input") == 0;
}

static int debug_open(struct file *f, const char *path, int flags)
{
	if (!is_input_path(path))
		return 0; /* every other path is the console */
	if (proc_uid(proc_current()) != 0)
		return -E_PERM;
	if ((flags & RB_O_ACCMODE) != RB_O_WRONLY)
		return -E_INVAL;
	f->priv = &input_tag;
	return 0;
}

/* Polled input: bytes a debug:/input writer left in the ring, else one
   byte the UART holds, or 0. */
static long read_polled(uint64_t ubuf, size_t len)
{
	char buf[128];
	size_t n = in_take(buf, len < sizeof buf ? len : sizeof buf);
	if (n)
		return copy_to_user(ubuf, buf, n) < 0 ? -E_FAULT : (long)n;
	int c = len ? serial_getc() : -1;
	if (c < 0)
		return 0;
	char ch = (char)c;
	int err = copy_to_user(ubuf, &ch, 1);
	return err < 0 ? err : 1;
}

static long debug_read(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	if ((f->flags & RB_O_ACCMODE) == RB_O_WRONLY || f->priv == &input_tag)
		return -E_BADF;
	if (!irq_on)
		return read_polled(ubuf, len);
	if (len == 0)
		return 0;
	char buf[128];
	struct waitq_entry e;
	waitq_entry_init_thread(&e);
	long r;
	for (;;) {
		size_t n = in_take(buf, len < sizeof buf ? len : sizeof buf);
		if (n) { /* bytes a failed copy took are lost, as a terminal's would be */
			r = copy_to_user(ubuf, buf, n) < 0 ? -E_FAULT : (long)n;
			break;
		}
		if (f->flags & RB_O_NONBLOCK) {
			r = -E_AGAIN;
			break;
		}
		r = poll_wait_change(&in_wq, &e);
		if (r < 0)
			break;
	}
	waitq_remove(&e);
	return r;
}

/* A debug:/input write: the bytes enter the console input as if typed on
   COM1 (what the ring cannot hold is dropped and counted). */
static long input_write(uint64_t ubuf, size_t len)
{
	char buf[128];
	size_t done = 0;
	if (len > DEBUG_INPUT_WRITE_MAX)
		len = DEBUG_INPUT_WRITE_MAX; /* a short write: the ring holds no more anyway */
	while (done < len) {
		size_t n = len - done < sizeof buf ? len - done : sizeof buf;
		int err = copy_from_user(buf, ubuf + done, n);
		if (err < 0)
			return done ? (long)done : err;
		debug_input(buf, n);
		done += n;
	}
	return (long)done;
}

static long debug_write(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	if ((f->flags & RB_O_ACCMODE) == RB_O_RDONLY)
		return -E_BADF;
	if (f->priv == &input_tag)
		return input_write(ubuf, len);
	char buf[256];
	size_t done = 0;
	long res = 0;
	kmutex_lock(&out_lock);
	while (done < len) {
		size_t n = len - done < sizeof buf ? len - done : sizeof buf;
		int err = copy_from_user(buf, ubuf + done, n);
		if (err < 0) {
			res = err;
			break;
		}
		klog_user_write(buf, n);
		done += n;
	}
	kmutex_unlock(&out_lock);
	return done ? (long)done : res;
}

static int debug_fstat(struct file *f, struct rb_stat *st)
{
	st->mode = 0x2000;
	st->size = irq_on ? in_held() : 0;
	return 0;
}

static int debug_fsync(struct file *f)
{
	return 0; /* every write reached the port already */
}

static unsigned debug_poll(struct file *f, struct waitq_entry *w)
{
	if (f->priv == &input_tag)
		return RB_POLLOUT; /* write-only: a write never waits */
	if (!irq_on)
		return RB_POLLOUT | (in_held() || serial_can_read() ? RB_POLLIN : 0);
	if (w)
		waitq_add(&in_wq, w);
	return RB_POLLOUT | (in_held() ? RB_POLLIN : 0);
}

static long debug_fpath(struct file *f, char *buf, size_t len)
{
	if (f->priv != &input_tag)
		return 0; /* one console: its whole path is "debug:" */
	if (len < 6)
		return -E_RANGE;
	memcpy(buf, "/input", 6);
	return 6;
}

int console_set_fg(struct proc *caller, int pgid)
{
	if (pgid <= 0)
		return -E_INVAL;
	int sid = proc_sid(caller);
	uint64_t fl = spin_lock_irqsave(&in_lock);
	int owner = con_sid;
	spin_unlock_irqrestore(&in_lock, fl);
	bool take = sid == caller->pid && proc_uid(caller) == 0;
	if (sid != owner && !take)
		return -E_PERM; /* not the console's session */
	if (!proc_pgrp_in_session(pgid, sid))
		return -E_PERM;
	fl = spin_lock_irqsave(&in_lock);
	con_sid = sid;
	con_fg = pgid;
	spin_unlock_irqrestore(&in_lock, fl);
	return 0;
}

static long tc_setpgrp(struct file *f, uint64_t pgid, uint64_t unused)
{
	if (f->scheme != &debug_scheme)
		return -E_NOTTY;
	return pgid > INT32_MAX ? -E_INVAL : console_set_fg(proc_current(), (int)pgid);
}

static long tc_getpgrp(struct file *f, uint64_t unused_a, uint64_t unused_b)
{
	if (f->scheme != &debug_scheme)
		return -E_NOTTY;
	uint64_t fl = spin_lock_irqsave(&in_lock);
	int fg = con_fg;
	spin_unlock_irqrestore(&in_lock, fl);
	return fg;
}

static long tc_setmode(struct file *f, uint64_t mode, uint64_t unused)
{
	if (f->scheme != &debug_scheme)
		return -E_NOTTY;
	if (mode & ~(uint64_t)RB_TC_ISIG)
		return -E_INVAL;
	uint64_t fl = spin_lock_irqsave(&in_lock);
	int old = con_mode;
	con_mode = (int)mode;
	spin_unlock_irqrestore(&in_lock, fl);
	return old;
}

long sys_tcsetpgrp(uint64_t fd, uint64_t pgid, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return on_fd(fd, tc_setpgrp, pgid, 0);
}

long sys_tcgetpgrp(uint64_t fd, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return on_fd(fd, tc_getpgrp, 0, 0);
}

long sys_tcsetmode(uint64_t fd, uint64_t mode, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return on_fd(fd, tc_setmode, mode, 0);
}

static const struct scheme_ops debug_ops = {
    .open = debug_open,
    .read = debug_read,
    .write = debug_write,
    .fstat = debug_fstat,
    .fsync = debug_fsync,
    .poll = debug_poll,
    .fpath = debug_fpath,
};

struct scheme debug_scheme = {
    .name = "debug",
    .ops = &debug_ops,
    .flags = SCHEME_STREAM, /* | SCHEME_POLL_TICK while input is polled */
};
