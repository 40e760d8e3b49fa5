/*
 * t_shell.c - ktest cases for what a shell needs from the kernel: the
 * working directory (chdir, getcwd, relative open/unlink/rename/spawn,
 * "." and "..", ENOENT, ENOTDIR, EFAULT, ENAMETOOLONG, inheritance, shared
 * by threads), process groups and sessions (setpgid, getpgid, setsid,
 * getsid, the spawn attribute, kill and waitpid of a group, with their
 * EPERM/ESRCH/EINVAL rules) and the console's job-control calls
 * (tcsetpgrp, tcgetpgrp, tcsetmode), and debug:/input, through which a
 * root driver types on the console. The cwd checks run in a child
 * ("shell-child cwd"), so ktest's own cwd stays "file:/"; a failing check
 * there prints its reason and exits with a non-zero status.
 */
#include <string.h>
#include "ktest.h"
#include "rb/thread.h"

#define KTEST "initfs:/bin/ktest"
#define KCHILD "initfs:/bin/kchild"

/* Spawn "ktest shell-child mode arg" with the console and fd 3 = fd3 (if >= 0). */
static int spawn_mode(const char *mode, const char *arg, int fd3, const struct rb_spawn_attr *a)
{
	char *argv[] = {"ktest", "shell-child", (char *)mode, (char *)(arg ? arg : ""), NULL};
	int fds[4] = {0, 1, 2, fd3};
	return rb_spawn_attr(KTEST, argv, NULL, fds, fd3 >= 0 ? 4 : 3, a);
}

/* A child that blocks until killed, with attribute a; its pid. */
static int spawn_blocker(const struct rb_spawn_attr *a)
{
	char *argv[] = {"kchild", "block", NULL};
	return rb_spawn_attr(KCHILD, argv, NULL, NULL, 0, a);
}

/* Kill pid and reap it. */
static void end_child(int pid)
{
	rb_kill(pid, RB_SIGKILL);
	rb_waitpid(pid, NULL, 0);
}

/* Wait for pid; its status, or -1000 + the error. */
static int status_of(int pid)
{
	int st = 0, r = rb_waitpid(pid, &st, 0);
	return r == pid ? st : -1000 + r;
}

/* ---- the children ---- */

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			rb_printf("shell-child: " __VA_ARGS__);                                    \
			rb_printf("\n");                                                           \
			rb_exit(1);                                                                \
		}                                                                                  \
	} while (0)

static int cwd_is(const char *want)
{
	char buf[RB_PATH_MAX];
	long r = rb_getcwd(buf, sizeof buf);
	return r == (long)strlen(want) + 1 && strcmp(buf, want) == 0;
}

static int chdir_etc(void *arg)
{
	return rb_chdir("initfs:/etc");
}

static void cwd_child(void)
{
	char buf[RB_PATH_MAX + 64];
	CHECK(cwd_is("file:/"), "default cwd is not file:/");
	CHECK(rb_getcwd(buf, 6) == -E_RANGE, "getcwd into 6 bytes not ERANGE");
	CHECK(rb_getcwd(KERNEL_PTR, 64) == -E_FAULT, "getcwd to a kernel address not EFAULT");
	CHECK(rb_chdir("initfs:/bin/") == 0, "chdir initfs:/bin/");
	CHECK(cwd_is("initfs:/bin"), "cwd not initfs:/bin");
	int fd = rb_open("ktest", RB_O_RDONLY);
	CHECK(fd >= 0, "open ktest relative: %d", fd);
	long r = rb_fpath(fd, buf, sizeof buf);
	rb_close(fd);
	CHECK(r == 17 && memcmp(buf, KTEST, 17) == 0, "fpath of relative ktest");
	fd = rb_open("./../etc/./motd", RB_O_RDONLY);
	CHECK(fd >= 0, "open ./../etc/./motd: %d", fd);
	rb_close(fd);
	CHECK(rb_chdir("no-such-dir") == -E_NOENT, "chdir to a missing dir not ENOENT");
	CHECK(rb_chdir("../etc/motd") == -E_NOTDIR, "chdir to a file not ENOTDIR");
	CHECK(rb_chdir(KERNEL_PTR) == -E_FAULT, "chdir(kernel pointer) not EFAULT");
	CHECK(rb_chdir(kt_bad_ptr(0)) == -E_FAULT, "chdir(NULL) not EFAULT");
	CHECK(cwd_is("initfs:/bin"), "a failed chdir changed the cwd");
	memset(buf, 'a', sizeof buf - 1);
	buf[sizeof buf - 1] = 0;
	CHECK(rb_chdir(buf) == -E_NAMETOOLONG, "chdir of 319 bytes not ENAMETOOLONG");
	buf[250] = 0; /* fits as given; "initfs:/bin/" + 250 bytes does not */
	CHECK(rb_open(buf, RB_O_RDONLY) == -E_NAMETOOLONG, "long relative open");
	/* a relative spawn, and the child's cwd is this one */
	char *argv[] = {"ktest", "shell-child", "cwdis", "initfs:/bin", NULL};
	int fds[3] = {0, 1, 2};
	int pid = rb_spawn("ktest", argv, NULL, fds, 3);
	CHECK(pid > 0, "relative spawn: %d", pid);
	CHECK(status_of(pid) == 0, "the child's cwd is not initfs:/bin");
	CHECK(rb_chdir("..") == 0 && cwd_is("initfs:/"), "chdir .. to initfs:/");
	CHECK(rb_chdir("../..") == 0 && cwd_is("initfs:/"), ".. past the root");
	CHECK(rb_chdir("etc") == 0 && cwd_is("initfs:/etc"), "chdir etc");
	/* relative unlink and rename reach initfs (read-only), not file: */
	CHECK(rb_unlink("motd", 0) == -E_ROFS, "relative unlink not EROFS");
	CHECK(rb_rename("motd", "x") == -E_ROFS, "relative rename not EROFS");
	/* threads share the cwd */
	CHECK(rb_chdir("initfs:/") == 0, "chdir initfs:/");
	int tid = rb_thread_create(chdir_etc, NULL), code = -1;
	CHECK(tid > 0 && rb_thread_join(tid, &code) == 0 && code == 0, "thread chdir");
	CHECK(cwd_is("initfs:/etc"), "a thread's chdir not seen by its process");
	rb_exit(0);
}

/* setsid, then report through fd 3 and wait to be killed. */
static void setsid_child(void)
{
	int me = rb_getpid();
	int sid = rb_setsid();
	char ok = sid == me && rb_getsid(0) == me && rb_getpgid(0) == me;
	ok = ok && rb_setsid() == -E_PERM;	/* a group leader now */
	ok = ok && rb_setpgid(0, 0) == -E_PERM; /* a session leader */
	rb_write(3, &ok, 1);
	for (;;)
		rb_nanosleep(1000ull * 1000 * 1000);
}

/* A new session tries the console: arg "root" may take it, "user" may not. */
static int tc_child(const char *arg)
{
	int me = rb_getpid();
	if (rb_setsid() != me)
		return 2;
	if (strcmp(arg, "user") == 0 || strcmp(arg, "userfg") == 0) {
		if (rb_setuid(1000) != 0)
			return 3;
		if (arg[4] == 0)
			return rb_tcsetpgrp(0, me) == -E_PERM ? 0 : 4;
		struct rb_spawn_attr fg = {.flags = RB_SPAWN_SETPGROUP | RB_SPAWN_FOREGROUND,
					   .pgid = 0};
		int c = spawn_blocker(&fg);
		if (c > 0)
			end_child(c); /* wrongly started */
		return c == -E_PERM ? 0 : 7;
	}
	if (rb_tcsetpgrp(0, me) != 0)
		return 5;
	return rb_tcgetpgrp(0) == me ? 0 : 6;
}

void kt_shell_child(const char *mode, const char *arg)
{
	if (strcmp(mode, "cwd") == 0)
		cwd_child();
	if (strcmp(mode, "cwdis") == 0)
		rb_exit(cwd_is(arg) ? 0 : 1);
	if (strcmp(mode, "setsid") == 0)
		setsid_child();
	if (strcmp(mode, "tc") == 0)
		rb_exit(tc_child(arg));
	if (strcmp(mode, "setuid") == 0) { /* as uid 1000: SETUID is root's */
		struct rb_spawn_attr as_root = {RB_SPAWN_SETUID, 0, 0, 0};
		int r = spawn_blocker(&as_root);
		CHECK(r == -E_PERM, "spawn as root from uid %d: %d, want EPERM", rb_getuid(), r);
		rb_exit(0);
	}
	if (strcmp(mode, "coninput") == 0) { /* as uid 1000: debug:/input is root's */
		int fd = rb_open("debug:/input", RB_O_WRONLY);
		CHECK(fd == -E_PERM, "open debug:/input as uid %d: %d, want EPERM", rb_getuid(),
		      fd);
		rb_exit(0);
	}
	if (strcmp(mode, "killall") == 0) { /* as uid 1000: kill(-1) reaches only uid 1000 */
		int probe = rb_kill(-1, 0);
		int r = rb_kill(-1, RB_SIGKILL);
		CHECK(probe == 0 && r == 0, "kill(-1): probe %d, SIGKILL %d", probe, r);
		rb_exit(0); /* still alive: kill(-1) skips the caller */
	}
	rb_exit(99);
}

/* ---- the cases ---- */

static int cwd_calls(char *why, size_t n)
{
	int pid = spawn_mode("cwd", NULL, -1, NULL);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	KEXPECT(status_of(pid), 0);
	return 0;
}

static int pgrp_ids(char *why, size_t n)
{
	int me = rb_getpid();
	KCHECK(rb_getpgid(0) > 0 && rb_getsid(0) > 0, "no group or session");
	KEXPECT(rb_getpgid(me), rb_getpgid(0));
	KEXPECT(rb_getpgid(100000), -E_SRCH);
	KEXPECT(rb_getsid(1023), -E_SRCH);
	KEXPECT(rb_getpgid(-5), -E_INVAL);
	KEXPECT(rb_getsid(-5), -E_INVAL);
	if (rb_getpgid(0) == me)
		KEXPECT(rb_setsid(), -E_PERM); /* a group leader may not */
	return 0;
}

static int pgrp_setpgid(char *why, size_t n)
{
	int me = rb_getpid(), mygrp = rb_getpgid(0);
	int c = spawn_blocker(NULL);
	KCHECK(c > 0, "spawn: %d", c);
	int r1 = rb_getpgid(c);
	int r2 = rb_setpgid(c, 0);
	int r3 = rb_getpgid(c);
	int r4 = rb_setpgid(c, 54321); /* no such group */
	int r5 = rb_setpgid(c, -1);    /* negative */
	int r6 = rb_setpgid(1000, 0);  /* no such process */
	int r7 = rb_setpgid(c, mygrp); /* back to ours: exists */
	int r8 = rb_kill(-54321, 0);   /* no such group */
	end_child(c);
	KEXPECT(r1, mygrp); /* inherited */
	KEXPECT(r2, 0);
	KEXPECT(r3, c);
	KEXPECT(r4, -E_PERM);
	KEXPECT(r5, -E_INVAL);
	KEXPECT(r6, -E_SRCH);
	KEXPECT(r7, 0);
	KEXPECT(r8, -E_SRCH);
	KEXPECT(rb_setpgid(me, 77777), -E_PERM);
	return 0;
}

static int pgrp_spawn_attr(char *why, size_t n)
{
	struct rb_spawn_attr own = {.flags = RB_SPAWN_SETPGROUP, .pgid = 0};
	int a = spawn_blocker(&own);
	KCHECK(a > 0, "spawn: %d", a);
	int ga = rb_getpgid(a); /* set before the child ran */
	struct rb_spawn_attr join = {.flags = RB_SPAWN_SETPGROUP, .pgid = a};
	int b = spawn_blocker(&join);
	int gb = b > 0 ? rb_getpgid(b) : b;
	struct rb_spawn_attr none = {.flags = RB_SPAWN_SETPGROUP, .pgid = 54321};
	struct rb_spawn_attr bad = {.flags = 0x80, .pgid = 0};
	struct rb_spawn_attr fg_only = {.flags = RB_SPAWN_FOREGROUND, .pgid = 0};
	int e1 = spawn_blocker(&none), e2 = spawn_blocker(&bad), e3 = spawn_blocker(&fg_only);
	int e4 = spawn_blocker(kt_bad_ptr(0x10));
	/* both die by one group kill; waitpid(-group) reaps each */
	int k = rb_kill(-a, RB_SIGTERM), sa = -1, sb = -1;
	int w1 = rb_waitpid(-a, &sa, 0), w2 = rb_waitpid(-a, &sb, 0);
	int w3 = rb_waitpid(-a, NULL, RB_WNOHANG);
	KEXPECT(ga, a);
	KEXPECT(gb, a);
	KEXPECT(e1, -E_PERM);
	KEXPECT(e2, -E_INVAL);
	KEXPECT(e3, -E_INVAL);
	KEXPECT(e4, -E_FAULT);
	KEXPECT(k, 0);
	KCHECK((w1 == a && w2 == b) || (w1 == b && w2 == a), "waitpid(-%d): %d, %d", a, w1, w2);
	KEXPECT(sa, 128 + RB_SIGTERM);
	KEXPECT(sb, 128 + RB_SIGTERM);
	KEXPECT(w3, -E_CHILD);
	KEXPECT(rb_kill(-a, 0), -E_SRCH);
	return 0;
}

static int kill_all(char *why, size_t n)
{
	struct rb_spawn_attr guest = {RB_SPAWN_SETUID, 0, 1000, 1000};
	int g1 = spawn_blocker(&guest), g2 = spawn_blocker(&guest), r1 = spawn_blocker(NULL);
	KCHECK(g1 > 0 && g2 > 0 && r1 > 0, "spawn: %d %d %d", g1, g2, r1);
	int killer = spawn_mode("killall", NULL, -1, &guest);
	KCHECK(killer > 0, "spawn killer: %d", killer);
	int sk = status_of(killer), s1 = status_of(g1), s2 = status_of(g2);
	int alive = rb_kill(r1, 0); /* root's process: not the guest's to signal */
	end_child(r1);
	KEXPECT(sk, 0);
	KEXPECT(s1, 128 + RB_SIGKILL);
	KEXPECT(s2, 128 + RB_SIGKILL);
	KEXPECT(alive, 0);
	return 0;
}

static int pgrp_wait_own_group(char *why, size_t n)
{
	struct rb_spawn_attr own = {.flags = RB_SPAWN_SETPGROUP, .pgid = 0};
	char *argv[] = {"kchild", "7", NULL};
	int other = rb_spawn_attr(KCHILD, argv, NULL, NULL, 0, &own);
	int mine = rb_spawn(KCHILD, argv, NULL, NULL, 0);
	KCHECK(other > 0 && mine > 0, "spawn: %d %d", other, mine);
	int st = -1, r;
	do /* ktest may be init: orphans it adopted are in its group too */
		r = rb_waitpid(0, &st, 0);
	while (r > 0 && r != mine && r != other);
	int st_other = -1, r_other = rb_waitpid(-other, &st_other, 0);
	KEXPECT(r, mine); /* never the child in another group */
	KEXPECT(st, 7);
	KEXPECT(r_other, other);
	KEXPECT(st_other, 7);
	KEXPECT(rb_kill(0, 0), 0); /* our own group exists */
	return 0;
}

static int pgrp_setsid(char *why, size_t n)
{
	int fds[2];
	KEXPECT(rb_pipe(fds, 0), 0);
	int c = spawn_mode("setsid", NULL, fds[1], NULL);
	rb_close(fds[1]);
	KCHECK(c > 0, "spawn: %d", c);
	char ok = 0;
	long r = rb_read(fds[0], &ok, 1);
	rb_close(fds[0]);
	int sid = rb_getsid(c), set = rb_setpgid(c, 0), set2 = rb_setpgid(c, rb_getpgid(0));
	end_child(c);
	KEXPECT(r, 1);
	KCHECK(ok, "the child's own checks failed (setsid ids, EPERM twice)");
	KEXPECT(sid, c);
	KEXPECT(set, -E_PERM); /* a child in another session */
	KEXPECT(set2, -E_PERM);
	return 0;
}

static int tc_calls(char *why, size_t n)
{
	int fds[2], me = rb_getpgid(0);
	KEXPECT(rb_pipe(fds, 0), 0);
	int e1 = rb_tcgetpgrp(fds[0]), e2 = rb_tcsetpgrp(fds[1], me), e3 = rb_tcsetmode(fds[0], 0);
	rb_close(fds[0]);
	rb_close(fds[1]);
	KEXPECT(e1, -E_NOTTY);
	KEXPECT(e2, -E_NOTTY);
	KEXPECT(e3, -E_NOTTY);
	KEXPECT(rb_tcgetpgrp(57), -E_BADF);
	KEXPECT(rb_tcsetpgrp(0, 0), -E_INVAL);
	KEXPECT(rb_tcsetpgrp(0, -3), -E_INVAL);
	KEXPECT(rb_tcsetpgrp(0, 54321), -E_PERM);
	KEXPECT(rb_tcsetpgrp(0, me), 0);
	KEXPECT(rb_tcgetpgrp(1), me);
	KEXPECT(rb_tcsetmode(0, 2), -E_INVAL);
	KEXPECT(rb_tcsetmode(0, 0), RB_TC_ISIG);
	KEXPECT(rb_tcsetmode(0, RB_TC_ISIG), 0);
	return 0;
}

static int tc_sessions(char *why, size_t n)
{
	int me = rb_getpgid(0);
	int u = spawn_mode("tc", "user", -1, NULL);
	KCHECK(u > 0, "spawn: %d", u);
	KEXPECT(status_of(u), 0); /* a user's new session may not take the console */
	int uf = spawn_mode("tc", "userfg", -1, NULL);
	KCHECK(uf > 0, "spawn: %d", uf);
	KEXPECT(status_of(uf), 0); /* nor spawn a job into its foreground */
	KEXPECT(rb_tcgetpgrp(0), me);
	int r = spawn_mode("tc", "root", -1, NULL);
	KCHECK(r > 0, "spawn: %d", r);
	KEXPECT(status_of(r), 0); /* root's new session may */
	int after = rb_tcgetpgrp(0), back = rb_tcsetpgrp(0, me);
	KEXPECT(after, r);
	/* taking it back needs a root session leader: ktest runs as init */
	KEXPECT(back, rb_getsid(0) == rb_getpid() ? 0 : -E_PERM);
	return 0;
}

static int tc_spawn_foreground(char *why, size_t n)
{
	int me = rb_getpgid(0);
	struct rb_spawn_attr fg = {.flags = RB_SPAWN_SETPGROUP | RB_SPAWN_FOREGROUND, .pgid = 0};
	int c = spawn_blocker(&fg);
	KCHECK(c > 0, "spawn: %d", c);
	int got = rb_tcgetpgrp(0); /* already, before the child ran */
	end_child(c);
	KEXPECT(got, c);
	KEXPECT(rb_tcsetpgrp(0, me), 0);
	return 0;
}

static int spawn_setuid(char *why, size_t n)
{
	struct rb_spawn_attr guest = {RB_SPAWN_SETUID, 0, 1000, 1001};
	int a = spawn_blocker(&guest);
	KCHECK(a > 0, "spawn as 1000: %d", a);
	struct rb_procinfo pi;
	long r = rb_procinfo(a, &pi);
	end_child(a);
	KCHECK(r > 0, "procinfo: %ld", r);
	KEXPECT(pi.uid, 1000); /* from its first instruction */
	KEXPECT(pi.gid, 1001);
	struct rb_spawn_attr bad_uid = {RB_SPAWN_SETUID, 0, -1, 0};
	struct rb_spawn_attr bad_gid = {RB_SPAWN_SETUID, 0, 0, -5};
	KEXPECT(spawn_blocker(&bad_uid), -E_INVAL);
	KEXPECT(spawn_blocker(&bad_gid), -E_INVAL);
	int c = spawn_mode("setuid", NULL, -1, &guest);
	KCHECK(c > 0, "spawn: %d", c);
	KEXPECT(status_of(c), 0); /* uid 1000 got EPERM asking for uid 0 */
	KEXPECT(rb_getuid(), 0);
	return 0;
}

/* debug:/input: root's bytes enter the console's input ring as if typed;
   write-only; a user may not open it. */
static int console_input(char *why, size_t n)
{
	static const char typed[] = "kt-input\r";
	KEXPECT(rb_open("debug:/input", RB_O_RDWR), -E_INVAL);
	KEXPECT(rb_open("debug:/input", RB_O_RDONLY), -E_INVAL);
	int in = rb_open("debug:/input", RB_O_WRONLY);
	KCHECK(in >= 0, "open debug:/input: %d %s", in, err_name(in));
	int con = rb_open("debug:", RB_O_RDONLY | RB_O_NONBLOCK);
	KCHECK(con >= 0, "open debug:: %d %s", con, err_name(con));
	char buf[32];
	while (rb_read(con, buf, sizeof buf) > 0) /* nobody types at ktest; be sure */
		;
	long w = rb_write(in, typed, sizeof typed - 1);
	struct rb_stat st = {0};
	int fs = rb_fstat(con, &st);
	long r = rb_read(con, buf, sizeof buf);
	long again = rb_read(con, buf + 16, 1);
	long rin = rb_read(in, buf + 16, 1);
	char path[32] = {0};
	long pl = rb_fpath(in, path, sizeof path - 1);
	KEXPECT(rb_close(con), 0);
	KEXPECT(rb_close(in), 0);
	KEXPECT(w, sizeof typed - 1);
	KEXPECT(fs, 0);
	KEXPECT(st.size, sizeof typed - 1); /* held in the ring */
	KEXPECT(r, sizeof typed - 1);
	KCHECK(memcmp(buf, typed, sizeof typed - 1) == 0, "read back %.9s", buf);
	KEXPECT(again, -E_AGAIN);
	KEXPECT(rin, -E_BADF);
	KCHECK(pl > 0 && strcmp(path, "debug:/input") == 0, "fpath %ld %s", pl, path);
	struct rb_spawn_attr guest = {RB_SPAWN_SETUID, 0, 1000, 1001};
	int c = spawn_mode("coninput", NULL, -1, &guest);
	KCHECK(c > 0, "spawn: %d", c);
	KEXPECT(status_of(c), 0);
	return 0;
}

const struct kcase shell_cases[] = {
    {"cwd: chdir, getcwd, relative paths, inheritance, errors", cwd_calls},
    {"pgrp: getpgid, getsid, errors", pgrp_ids},
    {"pgrp: setpgid rules (EPERM, ESRCH, EINVAL)", pgrp_setpgid},
    {"pgrp: spawn attribute, kill and waitpid of a group", pgrp_spawn_attr},
    {"kill(-1) as uid 1000: that uid's processes, not the caller's self or root's", kill_all},
    {"pgrp: waitpid(0) waits for the caller's group only", pgrp_wait_own_group},
    {"pgrp: setsid in a child; another session's child is not movable", pgrp_setsid},
    {"tty: tcsetpgrp, tcgetpgrp, tcsetmode rules", tc_calls},
    {"tty: only a root session leader takes the console", tc_sessions},
    {"tty: spawn into the foreground before the child runs", tc_spawn_foreground},
    {"console: debug:/input types into the input ring, root only", console_input},
    {"spawn: RB_SPAWN_SETUID starts a child as another user, root only", spawn_setuid},
    {NULL, NULL},
};
