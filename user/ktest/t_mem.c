/*
 * t_mem.c - ktest cases for memory: anonymous mmap (zero-filled,
 * writable), munmap, mprotect (mapped and unmapped ranges) and the
 * runtime's malloc. Unmapped memory is never touched: that would kill
 * the test runner itself.
 */
#include <string.h>
#include "ktest.h"
#include "rb/syscall.h"
#include "rb/malloc.h"

#define RW (RB_PROT_READ | RB_PROT_WRITE)
/* Below the program's text (0x400000): never mapped. */
#define UNMAPPED ((void *)0x10000)

static int mmap_anonymous(char *why, size_t n)
{
	size_t len = 64 * 1024;
	unsigned char *p = rb_mmap(NULL, len, RW, 0);
	KCHECK(!RB_IS_ERR(p), "mmap: %ld %s", (long)p, err_name((int)(long)p));
	KCHECK(((uintptr_t)p & 4095) == 0, "mmap gave unaligned %p", p);
	for (size_t i = 0; i < len; i++) {
		if (p[i]) {
			rb_munmap(p, len);
			KFAIL("byte %zu is %u, not zero", i, p[i]);
		}
	}
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 7);
	for (size_t i = 0; i < len; i++) {
		if (p[i] != (unsigned char)(i * 7)) {
			rb_munmap(p, len);
			KFAIL("byte %zu did not keep its value", i);
		}
	}
	KEXPECT(rb_munmap(p, len), 0);
	return 0;
}

static int mmap_two_distinct(char *why, size_t n)
{
	char *a = rb_mmap(NULL, 4096, RW, 0);
	char *b = rb_mmap(NULL, 4096, RW, 0);
	int ok = !RB_IS_ERR(a) && !RB_IS_ERR(b) && a != b;
	if (ok) {
		a[0] = 1;
		b[0] = 2;
		ok = a[0] == 1 && b[0] == 2;
	}
	if (!RB_IS_ERR(a))
		rb_munmap(a, 4096);
	if (!RB_IS_ERR(b))
		rb_munmap(b, 4096);
	KCHECK(ok, "mappings %p and %p overlap or failed", a, b);
	return 0;
}

static int mmap_zero_length(char *why, size_t n)
{
	void *p = rb_mmap(NULL, 0, RW, 0);
	KCHECK(RB_IS_ERR(p), "mmap of 0 bytes gave %p", p);
	KEXPECT((long)p, -E_INVAL);
	return 0;
}

static int munmap_errors(char *why, size_t n)
{
	char *p = rb_mmap(NULL, 8192, RW, 0);
	KCHECK(!RB_IS_ERR(p), "mmap: %ld", (long)p);
	int unaligned = rb_munmap(p + 1, 4096);
	int whole = rb_munmap(p, 8192);
	KEXPECT(unaligned, -E_INVAL);
	KEXPECT(whole, 0);
	return 0;
}

static int mprotect_ranges(char *why, size_t n)
{
	char *p = rb_mmap(NULL, 8192, RW, 0);
	KCHECK(!RB_IS_ERR(p), "mmap: %ld", (long)p);
	int ro = rb_mprotect(p, 4096, RB_PROT_READ);
	char first = p[0];
	int rw = rb_mprotect(p, 4096, RW);
	if (rw == 0)
		p[0] = 5;
	int un = rb_munmap(p, 8192);
	KEXPECT(ro, 0);
	KEXPECT(first, 0);
	KEXPECT(rw, 0);
	KEXPECT(un, 0);
	int unmapped = rb_mprotect(UNMAPPED, 4096, RB_PROT_READ);
	KCHECK(unmapped < 0, "mprotect of an unmapped page gave %d", unmapped);
	return 0;
}

static int malloc_small_and_big(char *why, size_t n)
{
	enum { COUNT = 300 };
	static unsigned char *ptrs[COUNT];
	for (int i = 0; i < COUNT; i++) {
		size_t sz = 1 + (size_t)(i * 37) % 2000;
		ptrs[i] = rb_malloc(sz);
		KCHECK(ptrs[i], "malloc(%zu) failed at %d", sz, i);
		KCHECK(((uintptr_t)ptrs[i] & 15) == 0, "malloc gave unaligned %p", ptrs[i]);
		memset(ptrs[i], i & 0xff, sz);
	}
	for (int i = 0; i < COUNT; i++) {
		size_t sz = 1 + (size_t)(i * 37) % 2000;
		for (size_t j = 0; j < sz; j++)
			KCHECK(ptrs[i][j] == (i & 0xff), "block %d was overwritten", i);
	}
	for (int i = 0; i < COUNT; i += 2)
		rb_free(ptrs[i]);
	for (int i = 1; i < COUNT; i += 2)
		rb_free(ptrs[i]);
	unsigned char *big = rb_malloc(1 << 20);
	KCHECK(big, "malloc(1 MiB) failed");
	big[0] = 1;
	big[(1 << 20) - 1] = 2;
	rb_free(big);
	unsigned char *z = rb_calloc(100, 10);
	KCHECK(z, "calloc failed");
	for (int i = 0; i < 1000; i++)
		KCHECK(z[i] == 0, "calloc byte %d not zero", i);
	memcpy(z, "keep", 5);
	z = rb_realloc(z, 5000);
	KCHECK(z && memcmp(z, "keep", 5) == 0, "realloc lost the contents");
	rb_free(z);
	return 0;
}

/* As root: the BIOS area maps and reads; bad arguments are refused. */
static int physmap(char *why, size_t n)
{
	long a = rb_syscall3(SYS_PHYSMAP, 0xE0000, 0x20000, RB_PROT_READ);
	KCHECK(a > 0, "physmap of the BIOS area: %ld %s", a, err_name((int)a));
	volatile const uint8_t *b = (const uint8_t *)a;
	unsigned sum = 0;
	for (int i = 0; i < 0x20000; i += 4096)
		sum += b[i];
	(void)sum;
	KEXPECT(rb_syscall3(SYS_PHYSMAP, 0xE0001, 4096, RB_PROT_READ), -E_INVAL);
	KEXPECT(rb_syscall3(SYS_PHYSMAP, 0xE0000, 0, RB_PROT_READ), -E_INVAL);
	KEXPECT(rb_syscall3(SYS_PHYSMAP, 0xE0000, 4096, RB_PROT_EXEC), -E_ACCES);
	return 0;
}

const struct kcase mem_cases[] = {
    {"physmap: privileged mapping of device memory, bad arguments refused", physmap},
    {"mmap: anonymous memory is zeroed and writable", mmap_anonymous},
    {"mmap: two mappings are distinct", mmap_two_distinct},
    {"mmap: zero length gives EINVAL", mmap_zero_length},
    {"munmap: unaligned gives EINVAL, whole range 0", munmap_errors},
    {"mprotect: mapped range 0, unmapped range an error", mprotect_ranges},
    {"malloc: small, big, calloc and realloc", malloc_small_and_big},
    {NULL, NULL},
};
