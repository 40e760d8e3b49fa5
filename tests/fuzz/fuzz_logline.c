/*
 * fuzz_logline.c - libFuzzer target for the kernel log's line layout
 * (lib/logline/logline.c). The input is a run of writes: a header byte
 * (bit 7: kernel or program, low bits: length) and that many bytes. The
 * checks: every line of the ring starts with the prefix; the console
 * holds every byte written, in order, once the prefixes and the inserted
 * line breaks are taken out; no byte is lost or invented.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "logline/logline.h"

#define CAP 65536

static char ring[CAP], con[CAP], in[CAP];
static size_t nring, ncon, nin;

static void put(char *buf, size_t *n, const char *s, size_t len)
{
	if (*n + len > CAP)
		abort();
	memcpy(buf + *n, s, len);
	*n += len;
}

static void put_ring(void *ctx, const char *s, size_t n)
{
	put(ring, &nring, s, n);
}

static void put_con(void *ctx, const char *s, size_t n)
{
	put(con, &ncon, s, n);
}

static size_t stamp(void *ctx, char *buf)
{
	buf[0] = '\x01'; /* a byte the input below never holds */
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct logline_out out = {put_ring, put_con, stamp, NULL};
	struct logline l = LOGLINE_INIT;
	nring = ncon = nin = 0;
	size_t i = 0;
	while (i < size) {
		enum logline_who who = data[i] & 0x80 ? LOGLINE_KERNEL : LOGLINE_USER;
		size_t len = data[i] & 0x3f;
		i++;
		if (len > size - i)
			len = size - i;
		char chunk[64];
		for (size_t k = 0; k < len; k++)
			chunk[k] = data[i + k] == '\x01' ? 'x' : (char)data[i + k];
		i += len;
		if (nin + len + 8 > CAP / 4)
			break;
		logline_write(&l, who, chunk, len, &out);
		memcpy(in + nin, chunk, len);
		nin += len;
	}
	/* every ring line starts with the prefix */
	for (size_t k = 0; k < nring; k++)
		if ((k == 0 || ring[k - 1] == '\n') && ring[k] != '\x01')
			abort();
	/* the console minus prefixes is the input with some '\n' added */
	size_t a = 0;
	for (size_t k = 0; k < ncon; k++) {
		if (con[k] == '\x01')
			continue;
		if (a < nin && con[k] == in[a])
			a++;
		else if (con[k] != '\n')
			abort();
	}
	if (a != nin)
		abort();
	return 0;
}
