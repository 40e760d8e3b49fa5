/*
 * uaccess.c - checked, fault-tolerant user memory access (see uaccess.h).
 *
 * Locking: none needed. smap_on is written once by the boot CPU before any
 * AP starts and only read after; the copies touch only the caller's own
 * buffers and the current address space, whose pages may vanish under a
 * racing munmap (the fault then ends the copy with -E_FAULT).
 */
#include "arch.h"
#include "base/err.h"
#include "mm/uaccess.h"

bool smap_on;
int usercopy(void *dst, const void *src, size_t n);
extern char usercopy_begin[], usercopy_end[], usercopy_fault[];
extern char user_store_insn1[], user_store_insn2[], user_store_insn4[], user_store_fault[];

bool user_range_ok(uint64_t p, size_t len)
{
	return p >= 0x1000 && p <= USER_TOP && len <= USER_TOP - p;
}

int copy_from_user(void *dst, uint64_t src, size_t n)
{
	if (!user_range_ok(src, n))
		return -E_FAULT;
	return usercopy(dst, (const void *)src, n);
}

int user_store_raw(uint64_t dst, uint32_t val, unsigned width);

int user_store(uint64_t dst, uint32_t val, unsigned width)
{
	if (!user_range_ok(dst, width) || (dst & (width - 1)))
		return -E_FAULT;
	return user_store_raw(dst, val, width);
}

int copy_to_user(uint64_t dst, const void *src, size_t n)
{
	if (!user_range_ok(dst, n))
		return -E_FAULT;
	return usercopy((void *)dst, src, n);
}

int copy_string_from_user(char *buf, size_t cap, uint64_t src)
{
	for (size_t i = 0; i < cap; i++) {
		int err = copy_from_user(&buf[i], src + i, 1);
		if (err < 0)
			return err;
		if (buf[i] == '\0')
			return 0;
	}
	return -E_NAMETOOLONG;
}

bool uaccess_fixup(uint64_t *rip)
{
	if (*rip >= (uint64_t)usercopy_begin && *rip < (uint64_t)usercopy_end) {
		*rip = (uint64_t)usercopy_fault;
		return true;
	}
	if (*rip == (uint64_t)user_store_insn1 || *rip == (uint64_t)user_store_insn2 ||
	    *rip == (uint64_t)user_store_insn4) {
		*rip = (uint64_t)user_store_fault;
		return true;
	}
	return false;
}
