/*
 * os_disk.c - the disk part of kbench's system layer (os.h) on Linux:
 * the block device (/dev/vda, /dev/nvme0n1) opened with O_DIRECT, so the
 * page cache never serves a read and every read reaches the driver, as on
 * Red Bear (which has no block cache); O_DIRECT wants buffer, offset and
 * length aligned to the logical block size (512 here; disk.c uses 4096).
 * pread(2) for reads at an offset; /proc/interrupts for the counts, whose
 * rows name the device's queues (virtio0-req.0, nvme0q1). No state.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "os.h"

#define WAIT_MS 30000

int os_disk_open(const char *path, int wait)
{
	for (int ms = 0;; ms += 10) {
		int fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
		if (fd >= 0 || errno != ENOENT || !wait || ms >= WAIT_MS)
			return fd < 0 ? -errno : fd;
		struct timespec ts = {0, 10000000};
		nanosleep(&ts, NULL);
	}
}

long os_disk_pread(int fd, void *buf, size_t n, uint64_t off)
{
	ssize_t r = pread(fd, buf, n, (off_t)off);
	return r < 0 ? -errno : (long)r;
}

long os_irq_table(char *buf, size_t size)
{
	int fd = open("/proc/interrupts", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t len = 0;
	ssize_t r = 0;
	while (len + 1 < size && (r = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)r;
	close(fd);
	buf[len] = '\0';
	return r < 0 ? -1 : (long)len;
}

void os_report_iops(const char *name, uint64_t ns)
{
	printf("bench: %s ns=%llu IOPS=%llu\n", name, (unsigned long long)ns,
	       (unsigned long long)(ns ? 1000000000ull / ns : 0));
	fflush(stdout);
}
