/*
 * t_shm.c - ktest cases for shm: and mmap of an fd (docs/ipc.md, Shared
 * memory): file-like read/write/ftruncate, a mapping shared with a child
 * process, a mapping outliving its fd and an fd outliving its mapping,
 * RLIMIT_SHM, the EACCES/EINVAL/ENODEV/EBUSY refusals, and that every
 * page goes back when the last fd and mapping are gone (SYS_KSTAT).
 */
#include <string.h>
#include "ktest.h"
#include "rb/syscall.h"

#define PG 4096
#define RW (RB_PROT_READ | RB_PROT_WRITE)

static int ftrunc(int fd, uint64_t len)
{
	return (int)rb_syscall2(SYS_FTRUNCATE, fd, (long)len);
}

/* Pages held by shm: objects now. */
static long shm_pages(void)
{
	struct rb_kstat k;
	return rb_kstat(&k) == sizeof k ? (long)k.shm_pages : -1;
}

static int shm_file_ops(char *why, size_t n)
{
	long pages0 = shm_pages();
	int fd = rb_open("shm:", RB_O_RDWR);
	KCHECK(fd >= 0, "open shm: %d %s", fd, err_name(fd));
	struct rb_stat st;
	KEXPECT(rb_fstat(fd, &st), 0);
	KEXPECT(st.size, 0);
	KEXPECT(ftrunc(fd, 10000), 0);
	KEXPECT(rb_fstat(fd, &st), 0);
	KEXPECT(st.size, 10000);
	KEXPECT(shm_pages(), pages0); /* nothing touched yet */
	KEXPECT(rb_lseek(fd, 5000, RB_SEEK_SET), 5000);
	KEXPECT(rb_write(fd, "pattern", 7), 7);
	KEXPECT(shm_pages(), pages0 + 1);
	char buf[16];
	KEXPECT(rb_lseek(fd, 4998, RB_SEEK_SET), 4998);
	KEXPECT(rb_read(fd, buf, 9), 9);
	KCHECK(buf[0] == 0 && buf[1] == 0 && memcmp(buf + 2, "pattern", 7) == 0, "read back wrong");
	KEXPECT(rb_lseek(fd, 0, RB_SEEK_END), 10000);
	KEXPECT(rb_read(fd, buf, 4), 0);
	KEXPECT(rb_write(fd, "tail", 4), 4); /* a write past the end grows it */
	KEXPECT(rb_fstat(fd, &st), 0);
	KEXPECT(st.size, 10004);
	KEXPECT(ftrunc(fd, 5001), 0); /* shrink inside the page */
	KEXPECT(ftrunc(fd, 6000), 0); /* regrow: zeros past 5001 */
	KEXPECT(rb_lseek(fd, 5000, RB_SEEK_SET), 5000);
	KEXPECT(rb_read(fd, buf, 3), 3);
	KCHECK(buf[0] == 'p' && buf[1] == 0 && buf[2] == 0, "after shrink and regrow: %x %x %x",
	       buf[0], buf[1], buf[2]);
	KEXPECT(rb_close(fd), 0);
	KEXPECT(shm_pages(), pages0);
	return 0;
}

static int shm_shared_with_child(char *why, size_t n)
{
	int fd = rb_open("shm:", RB_O_RDWR);
	KCHECK(fd >= 0, "open shm: %d %s", fd, err_name(fd));
	KEXPECT(ftrunc(fd, 2 * PG), 0);
	KEXPECT(rb_write(fd, "hello", 5), 5);
	volatile uint8_t *m = rb_mmap_fd(NULL, 2 * PG, RW, 0, fd, 0);
	KCHECK(!RB_IS_ERR(m), "mmap: %ld", (long)m);
	char *argv[] = {"kchild", "shm", NULL};
	int fds[4] = {0, 1, 2, fd};
	int pid = rb_spawn("initfs:/bin/kchild", argv, NULL, fds, 4);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	volatile uint32_t *flag = (volatile uint32_t *)(m + 128);
	uint64_t end = rb_now_ns() + 20000000000ull;
	while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) != 1 && rb_now_ns() < end)
		rb_sched_yield();
	int seen = __atomic_load_n(flag, __ATOMIC_ACQUIRE);
	int bad = 0;
	for (int i = 0; i < PG; i++)
		bad += m[PG + i] != 0x5a;
	__atomic_store_n((volatile uint32_t *)(m + 256), 2, __ATOMIC_RELEASE);
	int status = -1;
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(seen, 1);
	KEXPECT(bad, 0);
	KEXPECT(status, 0);
	char c;
	KEXPECT(rb_lseek(fd, PG, RB_SEEK_SET), PG);
	KEXPECT(rb_read(fd, &c, 1), 1); /* the child's write, seen through the fd */
	KEXPECT(c, 0x5a);
	KEXPECT(rb_munmap((void *)m, 2 * PG), 0);
	KEXPECT(rb_close(fd), 0);
	return 0;
}

static int shm_mapping_outlives_fd(char *why, size_t n)
{
	long pages0 = shm_pages();
	int fd = rb_open("shm:", RB_O_RDWR);
	KCHECK(fd >= 0, "open shm: %d %s", fd, err_name(fd));
	KEXPECT(ftrunc(fd, 3 * PG), 0);
	volatile uint8_t *m = rb_mmap_fd(NULL, 3 * PG, RW, 0, fd, 0);
	KCHECK(!RB_IS_ERR(m), "mmap: %ld", (long)m);
	KEXPECT(shm_pages(), pages0 + 3); /* mapped at once */
	KEXPECT(rb_close(fd), 0);
	for (int i = 0; i < 3 * PG; i++)
		m[i] = (uint8_t)i;
	int bad = 0;
	for (int i = 0; i < 3 * PG; i++)
		bad += m[i] != (uint8_t)i;
	KEXPECT(bad, 0);
	KEXPECT(rb_vmquery((void *)m) & (RB_VM_PRESENT | RB_VM_WRITE), RB_VM_PRESENT | RB_VM_WRITE);
	KEXPECT(shm_pages(), pages0 + 3);
	/* a partial munmap keeps the object; the last page frees it */
	KEXPECT(rb_munmap((void *)(m + PG), PG), 0);
	KEXPECT(shm_pages(), pages0 + 3);
	KEXPECT(m[2 * PG + 5], (uint8_t)(2 * PG + 5));
	KEXPECT(rb_munmap((void *)m, PG), 0);
	KEXPECT(shm_pages(), pages0 + 3);
	KEXPECT(rb_munmap((void *)(m + 2 * PG), PG), 0);
	KEXPECT(shm_pages(), pages0);
	return 0;
}

static int shm_fd_outlives_mapping(char *why, size_t n)
{
	int fd = rb_open("shm:", RB_O_RDWR);
	KCHECK(fd >= 0, "open shm: %d %s", fd, err_name(fd));
	KEXPECT(ftrunc(fd, 2 * PG), 0);
	uint8_t *m = rb_mmap_fd(NULL, PG, RW, 0, fd, PG); /* the second page only */
	KCHECK(!RB_IS_ERR(m), "mmap: %ld", (long)m);
	memcpy(m, "through the map", 16);
	KEXPECT(ftrunc(fd, PG), -E_BUSY); /* would free a mapped page */
	KEXPECT(ftrunc(fd, 4 * PG), 0);	  /* growing is fine */
	KEXPECT(rb_munmap(m, PG), 0);
	char buf[16];
	KEXPECT(rb_lseek(fd, PG, RB_SEEK_SET), PG);
	KEXPECT(rb_read(fd, buf, 16), 16);
	KCHECK(memcmp(buf, "through the map", 16) == 0, "fd does not see the mapping's write");
	KEXPECT(rb_lseek(fd, PG, RB_SEEK_SET), PG);
	KEXPECT(rb_write(fd, "through the fd!", 16), 16);
	m = rb_mmap_fd(NULL, PG, RB_PROT_READ, 0, fd, PG);
	KCHECK(!RB_IS_ERR(m), "mmap again: %ld", (long)m);
	KCHECK(memcmp(m, "through the fd!", 16) == 0, "the mapping does not see the fd's write");
	KEXPECT(rb_munmap(m, PG), 0);
	KEXPECT(ftrunc(fd, PG), 0); /* unmapped: shrinking works */
	KEXPECT(rb_close(fd), 0);
	return 0;
}

static int shm_rlimit(char *why, size_t n)
{
	long old = rb_getrlimit(RB_RLIMIT_SHM);
	KEXPECT(old, 64l << 20);
	KEXPECT(rb_setrlimit(RB_RLIMIT_SHM, 1 << 20), 0);
	int a = rb_open("shm:", RB_O_RDWR), b = rb_open("shm:", RB_O_RDWR);
	int big = ftrunc(a, 2 << 20);
	int fits = ftrunc(a, 1 << 20);
	int more = ftrunc(b, 1);
	long wr = rb_write(b, "x", 1);
	rb_close(a);
	int after = ftrunc(b, 1 << 20); /* a's bytes were given back */
	rb_close(b);
	int restore = rb_setrlimit(RB_RLIMIT_SHM, (uint64_t)old);
	KCHECK(a >= 0 && b >= 0, "open shm: %d %d", a, b);
	KEXPECT(big, -E_NOMEM);
	KEXPECT(fits, 0);
	KEXPECT(more, -E_NOMEM);
	KEXPECT(wr, -E_NOMEM);
	KEXPECT(after, 0);
	KEXPECT(restore, 0);
	return 0;
}

static int shm_refusals(char *why, size_t n)
{
	int fd = rb_open("shm:", RB_O_RDWR);
	KCHECK(fd >= 0, "open shm: %d %s", fd, err_name(fd));
	KEXPECT(ftrunc(fd, 2 * PG), 0);
	KEXPECT((long)rb_mmap_fd(NULL, PG, RB_PROT_READ, 0, fd, 100), -E_INVAL);
	KEXPECT((long)rb_mmap_fd(NULL, PG, RB_PROT_READ, 0, fd, 4 * PG),
		-E_INVAL); /* past the end */
	KEXPECT((long)rb_mmap_fd(NULL, PG, RW | RB_PROT_EXEC, 0, fd, 0), -E_ACCES); /* W^X */
	KEXPECT((long)rb_mmap_fd(NULL, PG, RB_PROT_READ, 0, 999, 0), -E_BADF);
	int ro = rb_open("shm:", RB_O_RDONLY), wo = rb_open("shm:", RB_O_WRONLY);
	KCHECK(ro >= 0 && wo >= 0, "open shm: %d %d", ro, wo);
	KEXPECT((long)rb_mmap_fd(NULL, PG, RW, 0, ro, 0), -E_ACCES);
	KEXPECT((long)rb_mmap_fd(NULL, PG, RB_PROT_READ, 0, wo, 0), -E_ACCES);
	KEXPECT(ftrunc(ro, PG), -E_BADF);
	KEXPECT(rb_write(ro, "x", 1), -E_BADF);
	rb_close(ro);
	rb_close(wo);
	int ifd = rb_open("initfs:/bin/kchild", RB_O_RDONLY);
	KEXPECT((long)rb_mmap_fd(NULL, PG, RB_PROT_READ, 0, ifd, 0), -E_NODEV); /* no fmap */
	rb_close(ifd);
	KEXPECT((long)rb_mmap_fd(NULL, PG, RB_PROT_READ, 0, 1, 0), -E_NODEV); /* the console */
	/* a read-only mapping of a writable file may become writable */
	uint8_t *m = rb_mmap_fd(NULL, PG, RB_PROT_READ, 0, fd, 0);
	KCHECK(!RB_IS_ERR(m), "mmap: %ld", (long)m);
	KEXPECT(rb_mprotect(m, PG, RW), 0);
	m[0] = 1;
	KEXPECT(rb_munmap(m, PG), 0);
	KEXPECT(rb_close(fd), 0);
	return 0;
}

const struct kcase shm_cases[] = {
    {"shm: read, write, ftruncate and fstat as a file", shm_file_ops},
    {"shm: a child's writes through its mapping are seen at once", shm_shared_with_child},
    {"shm: a mapping outlives close; the last munmap frees the pages", shm_mapping_outlives_fd},
    {"shm: the fd outlives munmap; shrinking a mapped object is EBUSY", shm_fd_outlives_mapping},
    {"shm: RLIMIT_SHM bounds what a process creates (ENOMEM)", shm_rlimit},
    {"shm: mmap refusals: EINVAL, EACCES, EBADF, ENODEV", shm_refusals},
    {NULL, NULL},
};
