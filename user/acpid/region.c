/*
 * region.c - lib/aml's host for acpid: memory, logging, time and the
 * operation-region handlers.
 *
 *  SystemMemory   the region's page range through physmap (which maps only
 *                 ranges acpid was granted and never RAM); a region larger
 *                 than ACPID_REGION_MAX is refused; up to MAP_SLOTS mappings
 *                 are kept, the least recently used one unmapped first.
 *  SystemIO       in/out on granted ports (rb/port.h); the port range must
 *                 lie within 0..0xFFFF.
 *  PCI_Config     pci:/SSSS:BB:DD.F/config through pcid (seek + read/write),
 *                 a few files kept open.
 *  EmbeddedControl ec.c, byte by byte.
 *  anything else  refused; one log line per address space.
 *
 * Owned by main.c's struct acpid_state (ctx); one thread, no locks.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aml/aml.h"
#include "base/err.h"
#include "internal.h"
#include "rb/port.h"
#include "rb/sys.h"

#define MAP_SLOTS 8
#define PCI_SLOTS 8

struct map_slot {
	uint64_t phys; /* the region's base and length */
	uint64_t len;
	uint8_t *va; /* where phys is mapped */
	void *base;
	size_t maplen;
	uint64_t used;
};

struct pci_slot {
	uint64_t pci; /* seg << 32 | bus << 16 | dev << 8 | fn */
	int fd;
	uint64_t used;
};

static struct map_slot maps[MAP_SLOTS];
static struct pci_slot pcis[PCI_SLOTS];
static uint64_t clock_;

static void *h_alloc(void *ctx, size_t size)
{
	return malloc(size);
}

static void h_free(void *ctx, void *p, size_t size)
{
	free(p);
}

static void h_log(void *ctx, const char *line)
{
	printf("acpid: aml: %s\n", line);
}

static uint64_t h_timer(void *ctx)
{
	return rb_now_ns() / 100;
}

/*
 * Sleep and Stall take any integer from the AML. Bounded as ACPICA bounds
 * them (ACPI_MAX_SLEEP 2 s; Stall is for at most 100 us, ACPI 6.5
 * 19.6.131, ACPICA refuses over 255): a huge value must not stop acpid
 * for ages, nor overflow the nanoseconds.
 */
#define SLEEP_MAX_MS 2000
#define STALL_MAX_US 255

static void h_sleep(void *ctx, uint64_t ms)
{
	rb_nanosleep((ms < SLEEP_MAX_MS ? ms : SLEEP_MAX_MS) * 1000000ull);
}

static void h_stall(void *ctx, uint64_t us)
{
	uint64_t end = rb_now_ns() + (us < STALL_MAX_US ? us : STALL_MAX_US) * 1000;

	while (rb_now_ns() < end)
		;
}

static void refuse(struct acpid_state *st, unsigned space, const char *why)
{
	if (space < 32 && (st->refused_spaces & (1u << space)))
		return;
	if (space < 32)
		st->refused_spaces |= 1u << space;
	printf("acpid: region space %u refused: %s (logged once)\n", space, why);
}

static uint8_t *mem_at(struct acpid_state *st, const struct aml_access *a)
{
	struct map_slot *s, *old = &maps[0];

	if (a->region_len > ACPID_REGION_MAX)
		return NULL;
	for (s = maps; s < maps + MAP_SLOTS; s++) {
		if (s->va && s->phys == a->region_base && s->len == a->region_len) {
			s->used = ++clock_;
			return s->va + (a->address - a->region_base);
		}
		if (!s->va || (old->va && s->used < old->used))
			old = s;
	}
	if (old->va)
		rb_munmap(old->base, old->maplen);
	old->va = phys_map(a->region_base, a->region_len, true, &old->base, &old->maplen);
	if (!old->va) {
		printf("acpid: SystemMemory region %#llx+%#llx cannot be mapped\n",
		       (unsigned long long)a->region_base, (unsigned long long)a->region_len);
		return NULL;
	}
	old->phys = a->region_base;
	old->len = a->region_len;
	old->used = ++clock_;
	return old->va + (a->address - a->region_base);
}

static int pci_fd(const struct aml_access *a)
{
	struct pci_slot *s, *old = &pcis[0];
	char path[64];

	for (s = pcis; s < pcis + PCI_SLOTS; s++) {
		if (s->used && s->pci == a->pci) {
			s->used = ++clock_;
			return s->fd;
		}
		if (!s->used || s->used < old->used)
			old = s;
	}
	if (old->used)
		close(old->fd);
	old->used = 0;
	snprintf(path, sizeof(path), "pci:/%04x:%02x:%02x.%x/config",
		 (unsigned)(a->pci >> 32 & 0xFFFF), (unsigned)(a->pci >> 16 & 0xFF),
		 (unsigned)(a->pci >> 8 & 0x1F), (unsigned)(a->pci & 7));
	old->fd = open(path, O_RDWR);
	if (old->fd < 0)
		old->fd = open(path, O_RDONLY);
	if (old->fd < 0)
		return -1;
	old->pci = a->pci;
	old->used = ++clock_;
	return old->fd;
}

static int access_ok(const struct aml_access *a)
{
	unsigned n = a->width / 8;

	if (n != 1 && n != 2 && n != 4 && n != 8)
		return 0;
	/* differences, not sums: a region at the top of the address space must not wrap */
	return a->address >= a->region_base && a->region_len >= n &&
	       a->address - a->region_base <= a->region_len - n;
}

static int do_access(struct acpid_state *st, const struct aml_access *a, bool wr, uint64_t *v)
{
	unsigned n = a->width / 8;

	if (!access_ok(a))
		return -E_INVAL;
	switch (a->space) {
	case AML_SPACE_MEMORY: {
		volatile uint8_t *p = mem_at(st, a);
		if (!p)
			return -E_IO;
		if (wr) {
			switch (n) {
			case 1:
				*p = (uint8_t)*v;
				break;
			case 2:
				*(volatile uint16_t *)p = (uint16_t)*v;
				break;
			case 4:
				*(volatile uint32_t *)p = (uint32_t)*v;
				break;
			default:
				*(volatile uint64_t *)p = *v;
				break;
			}
		} else {
			switch (n) {
			case 1:
				*v = *p;
				break;
			case 2:
				*v = *(volatile uint16_t *)p;
				break;
			case 4:
				*v = *(volatile uint32_t *)p;
				break;
			default:
				*v = *(volatile uint64_t *)p;
				break;
			}
		}
		return 0;
	}
	case AML_SPACE_IO: {
		uint16_t port = (uint16_t)a->address;
		if (a->address + n > 0x10000 || n == 8)
			return -E_INVAL;
		if (wr) {
			if (n == 1)
				rb_outb(port, (uint8_t)*v);
			else if (n == 2)
				rb_outw(port, (uint16_t)*v);
			else
				rb_outl(port, (uint32_t)*v);
		} else {
			*v = n == 1 ? rb_inb(port) : n == 2 ? rb_inw(port) : rb_inl(port);
		}
		return 0;
	}
	case AML_SPACE_PCI: {
		int fd = pci_fd(a);
		uint64_t off = a->address; /* already the offset in config space (aml.h) */
		if (fd < 0 || off + n > 4096 || lseek(fd, (off_t)off, SEEK_SET) < 0)
			return -E_IO;
		if (wr)
			return write(fd, v, n) == (ssize_t)n ? 0 : -E_IO;
		*v = 0;
		return read(fd, v, n) == (ssize_t)n ? 0 : -E_IO;
	}
	case AML_SPACE_EC: {
		uint64_t off = a->address; /* an address in the EC's space, like PCI's */
		if (!st->ec.present)
			return -E_NODEV;
		if (!wr)
			*v = 0;
		for (unsigned i = 0; i < n; i++) {
			uint8_t b = (uint8_t)(*v >> (8 * i));
			int r = off + i > 0xFF ? -E_INVAL
				: wr	       ? ec_write(&st->ec, (uint8_t)(off + i), b)
					       : ec_read(&st->ec, (uint8_t)(off + i), &b);
			if (r)
				return r;
			if (!wr)
				*v |= (uint64_t)b << (8 * i);
		}
		return 0;
	}
	default:
		refuse(st, a->space, "no handler for this address space");
		return -E_NOTSUP;
	}
}

static int h_read(void *ctx, const struct aml_access *a, uint64_t *value)
{
	struct acpid_state *st = ctx;
	int r = do_access(st, a, false, value);

	if (r)
		st->region_errors++;
	return r;
}

static int h_write(void *ctx, const struct aml_access *a, uint64_t value)
{
	struct acpid_state *st = ctx;
	int r = do_access(st, a, true, &value);

	if (r)
		st->region_errors++;
	return r;
}

void region_host(struct acpid_state *st, struct aml_host *host)
{
	*host = (struct aml_host){
	    .ctx = st,
	    .alloc = h_alloc,
	    .free = h_free,
	    .region_read = h_read,
	    .region_write = h_write,
	    .timer = h_timer,
	    .sleep = h_sleep,
	    .stall = h_stall,
	    .log = h_log,
	};
}
