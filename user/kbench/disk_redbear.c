/*
 * disk_redbear.c - the disk part of kbench's system layer (os.h) on Red
 * Bear: disks are diskd's disk:/NAME (docs/disks.md), opened read-only
 * (root only); there is no block cache, so every read reaches the driver.
 * A read at an offset is one pread (SYS_PREAD, as Linux's), the QD32
 * threads each on their own handle. The interrupt table is irq:/stats (docs/interrupts.md), whose
 * MSI-X rows name the PCI function ("msix 0000:00:05.0"). No state.
 */
#include <string.h>
#include "base/err.h"
#include "base/syscall_nr.h"
#include "os.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define WAIT_NS 30000000000ull /* driver-manager starts the drivers after login may show */
#define POLL_NS 10000000ull

int os_disk_open(const char *path, int wait)
{
	uint64_t end = rb_now_ns() + WAIT_NS;
	int fd;
	while ((fd = rb_open(path, RB_O_RDONLY)) == -E_NOENT && wait && rb_now_ns() < end)
		rb_nanosleep(POLL_NS);
	return fd;
}

long os_disk_pread(int fd, void *buf, size_t n, uint64_t off)
{
	return rb_pread(fd, buf, n, off);
}

long os_irq_table(char *buf, size_t size)
{
	int fd = rb_open("irq:/stats", RB_O_RDONLY);
	if (fd < 0)
		return fd;
	size_t len = 0;
	long r = 0;
	while (len + 1 < size && (r = rb_read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)r;
	rb_close(fd);
	buf[len] = '\0';
	return r < 0 ? r : (long)len;
}

void os_report_iops(const char *name, uint64_t ns)
{
	rb_printf("bench: %s ns=%llu IOPS=%llu\n", name, (unsigned long long)ns,
		  (unsigned long long)(ns ? 1000000000ull / ns : 0));
}
