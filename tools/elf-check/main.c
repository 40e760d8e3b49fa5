/*
 * elf-check - run lib/elf's elf_parse() on a file and print the verdict.
 *
 * Usage: elf-check FILE. On acceptance prints "ok", the entry point, the
 * user address range, each loadable segment, the stack and TLS headers, and
 * exits 0; on refusal prints "refused: <reason>" and exits 1; exits 2 when
 * the file cannot be read. The tool tests compare its output with readelf.
 * Single-threaded, no locking.
 */
#include <stdio.h>
#include <stdlib.h>
#include "base/err.h"
#include "elf/elf.h"

/* "RWX" with '-' for each missing permission. */
static const char *perm(uint32_t f)
{
	static char s[4];

	s[0] = f & ELF_SEG_R ? 'R' : '-';
	s[1] = f & ELF_SEG_W ? 'W' : '-';
	s[2] = f & ELF_SEG_X ? 'X' : '-';
	s[3] = 0;
	return s;
}

/* Read the whole of path into a malloc'd buffer; NULL on failure. */
static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n == cap) {
			unsigned char *nb = realloc(b, cap ? cap * 2 : 65536);

			if (!nb) {
				free(b);
				fclose(f);
				return NULL;
			}
			b = nb;
			cap = cap ? cap * 2 : 65536;
		}
		got = fread(b + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*len = n;
	return b;
}

int main(int argc, char **argv)
{
	static struct elf_info info;
	unsigned char *img;
	size_t len = 0;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: elf-check FILE\n");
		return 2;
	}
	img = slurp(argv[1], &len);
	if (!img) {
		perror(argv[1]);
		return 2;
	}
	r = elf_parse(img, len, &info);
	free(img);
	if (r) {
		printf("refused: %s (%s)\n", info.error, err_name(r));
		return 1;
	}
	printf("ok\nentry 0x%llx\nrange 0x%llx-0x%llx\n", (unsigned long long)info.entry,
	       (unsigned long long)info.lo, (unsigned long long)info.hi);
	for (unsigned i = 0; i < info.nseg; i++) {
		const struct elf_segment *s = &info.seg[i];

		printf("segment %u vaddr 0x%llx memsz 0x%llx offset 0x%llx filesz 0x%llx %s\n", i,
		       (unsigned long long)s->vaddr, (unsigned long long)s->memsz,
		       (unsigned long long)s->offset, (unsigned long long)s->filesz,
		       perm(s->flags));
	}
	printf("stack %s%s\n", perm(info.stack_flags), info.has_stack_hdr ? "" : " (default)");
	if (info.has_tls)
		printf("tls vaddr 0x%llx filesz 0x%llx memsz 0x%llx align 0x%llx\n",
		       (unsigned long long)info.tls.vaddr, (unsigned long long)info.tls.filesz,
		       (unsigned long long)info.tls.memsz, (unsigned long long)info.tls_align);
	return 0;
}
