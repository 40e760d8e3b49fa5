/*
 * fuzz_irq_count.c - libFuzzer target for the interrupt table reader
 * (lib/irq/count.c). The input's first byte picks the output array's
 * width (0-8), the next up to 8 bytes up to a NUL are the match, the rest
 * is the table. Checks: the result is -E_INVAL or a column count within
 * the width, every cell beyond it is untouched, and a second call gives
 * the same sums (no hidden state).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "irq/count.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int max = data[0] % 9;
	data++, size--;
	char match[9];
	size_t m = 0;
	while (m < 8 && m < size && data[m])
		match[m] = (char)data[m], m++;
	match[m] = 0;
	data += m, size -= m;
	uint64_t a[10], b[10];
	memset(a, 0xab, sizeof a);
	memset(b, 0xab, sizeof b);
	int r = irqcount_sum((const char *)data, size, match, a, max);
	if (r != -E_INVAL && (r < 0 || r > max))
		abort();
	for (int i = max; i < 10; i++)
		if (a[i] != 0xababababababababull)
			abort();
	if (irqcount_sum((const char *)data, size, match, b, max) != r || memcmp(a, b, sizeof a))
		abort();
	return 0;
}
