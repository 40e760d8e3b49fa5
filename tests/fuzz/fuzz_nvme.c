/*
 * fuzz_nvme.c - libFuzzer target for the NVMe Identify parsers and the
 * completion-queue reader (lib/nvme/nvme.c). The input, padded with zeros
 * to 4096 bytes (or cut), is parsed as Identify Controller and Identify
 * Namespace data, and also at its own length (short data must be refused).
 * An accepted namespace must have a block size of 512..4096 that is
 * 1 << lbads, no metadata, NSZE > 0; an accepted controller's strings must
 * be NUL-terminated printable ASCII without trailing spaces. The bytes are
 * then read as a 256-entry completion queue: the consumer must stop within
 * one pass plus one entry and keep its head inside the queue.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "nvme/nvme.h"

static void check_str(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	if (n == cap)
		abort();
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f)
			abort();
	if (n && s[n - 1] == ' ')
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[NVME_IDENTIFY_LEN];
	memset(buf, 0, sizeof buf);
	memcpy(buf, data, size < sizeof buf ? size : sizeof buf);
	struct nvme_id_ctrl c;
	struct nvme_id_ns ns;
	if (size < NVME_IDENTIFY_LEN &&
	    (nvme_id_ctrl_parse(data, size, &c) == 0 || nvme_id_ns_parse(data, size, &ns) == 0))
		abort();
	if (nvme_id_ctrl_parse(buf, sizeof buf, &c) == 0) {
		check_str(c.sn, sizeof c.sn);
		check_str(c.mn, sizeof c.mn);
		check_str(c.fr, sizeof c.fr);
	}
	if (nvme_id_ns_parse(buf, sizeof buf, &ns) == 0) {
		if (ns.lbads < 9 || ns.lbads > 12 || ns.block_size != 1u << ns.lbads || ns.ms ||
		    ns.nsze == 0 || ns.lbaf >= 64)
			abort();
	}
	struct nvme_cq q;
	struct nvme_cqe e;
	nvme_cq_init(&q, NVME_IDENTIFY_LEN / NVME_CQE_SIZE);
	unsigned n = 0;
	while (nvme_cq_pop(&q, buf, &e)) {
		if (q.head >= q.size || ++n > q.size + 1)
			abort();
	}
	return 0;
}
