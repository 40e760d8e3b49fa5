/*
 * nvme.c - NVMe 1.4 register fields, queue entries, PRP lists and Identify
 * parsing (nvme.h). All multi-byte fields are little-endian (§1.5); they
 * are assembled byte by byte so the code does not depend on host order
 * or alignment. Pure; no locking.
 */
#include <string.h>
#include "base/err.h"
#include "nvme/nvme.h"

static void put32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

void nvme_cap_parse(uint64_t cap, struct nvme_cap *out)
{
	out->mqes = (uint32_t)(cap & 0xffff) + 1;
	out->cqr = (cap >> 16) & 1;
	out->to_ms = (uint32_t)((cap >> 24) & 0xff) * 500;
	out->dstrd = (unsigned)((cap >> 32) & 0xf);
	out->css_nvm = (cap >> 37) & 1;
	out->mpsmin = (unsigned)((cap >> 48) & 0xf);
	out->mpsmax = (unsigned)((cap >> 52) & 0xf);
}

uint32_t nvme_cc_enable(void)
{
	/* §3.1.5: IOCQES 23:20, IOSQES 19:16, AMS 13:11, MPS 10:7, CSS 6:4, EN 0. */
	return 4u << 20 | 6u << 16 | 0u << 11 | 0u << 7 | 0u << 4 | NVME_CC_EN;
}

uint32_t nvme_aqa(uint32_t sq, uint32_t cq)
{
	return (cq - 1) << 16 | (sq - 1);
}

uint64_t nvme_doorbell(unsigned qid, bool cq, unsigned dstrd)
{
	return NVME_REG_DB + (2ull * qid + (cq ? 1 : 0)) * (4ull << dstrd);
}

void nvme_sqe_pack(const struct nvme_cmd *c, uint8_t sqe[NVME_SQE_SIZE])
{
	memset(sqe, 0, NVME_SQE_SIZE);
	/* CDW0: opcode 7:0, FUSE 9:8 = 0, PSDT 15:14 = 0 (PRPs), CID 31:16. */
	put32(sqe, c->opcode | (uint32_t)c->cid << 16);
	put32(sqe + 4, c->nsid);
	put64(sqe + 24, c->prp1);
	put64(sqe + 32, c->prp2);
	put32(sqe + 40, c->cdw10);
	put32(sqe + 44, c->cdw11);
	put32(sqe + 48, c->cdw12);
}

void nvme_cmd_identify(struct nvme_cmd *c, uint16_t cid, uint8_t cns, uint32_t nsid, uint64_t bus)
{
	*c = (struct nvme_cmd){
	    .opcode = NVME_ADM_IDENTIFY, .cid = cid, .nsid = nsid, .prp1 = bus, .cdw10 = cns};
}

void nvme_cmd_create_cq(struct nvme_cmd *c, uint16_t cid, uint16_t qid, uint32_t size, uint64_t bus,
			uint16_t iv, bool ien)
{
	/* CDW10: QSIZE (0-based) 31:16, QID 15:0; CDW11: IV 31:16, IEN 1, PC 0. */
	*c = (struct nvme_cmd){.opcode = NVME_ADM_CREATE_CQ,
			       .cid = cid,
			       .prp1 = bus,
			       .cdw10 = (size - 1) << 16 | qid,
			       .cdw11 = (uint32_t)iv << 16 | (ien ? 2u : 0u) | 1u};
}

void nvme_cmd_set_num_queues(struct nvme_cmd *c, uint16_t cid, uint32_t nsq, uint32_t ncq)
{
	/* CDW10: FID; CDW11: NCQR 31:16, NSQR 15:0, both 0-based (65535 is reserved). */
	nsq = nsq < 1 ? 1 : nsq > 65535 ? 65535 : nsq;
	ncq = ncq < 1 ? 1 : ncq > 65535 ? 65535 : ncq;
	*c = (struct nvme_cmd){.opcode = NVME_ADM_SET_FEATURES,
			       .cid = cid,
			       .cdw10 = NVME_FEAT_NUM_QUEUES,
			       .cdw11 = (ncq - 1) << 16 | (nsq - 1)};
}

uint32_t nvme_num_queues_granted(uint32_t dw0)
{
	uint32_t nsq = (dw0 & 0xffff) + 1, ncq = (dw0 >> 16) + 1;
	return nsq < ncq ? nsq : ncq;
}

unsigned nvme_queue_count(unsigned cpus, unsigned vectors, uint32_t granted, unsigned max)
{
	unsigned n = cpus;
	if (vectors < n)
		n = vectors;
	if (granted < n)
		n = (unsigned)granted;
	if (max < n)
		n = max;
	return n ? n : 1;
}

void nvme_cmd_create_sq(struct nvme_cmd *c, uint16_t cid, uint16_t qid, uint32_t size, uint64_t bus,
			uint16_t cqid)
{
	/* CDW11: CQID 31:16, QPRIO 2:1 (ignored under round robin), PC 0. */
	*c = (struct nvme_cmd){.opcode = NVME_ADM_CREATE_SQ,
			       .cid = cid,
			       .prp1 = bus,
			       .cdw10 = (size - 1) << 16 | qid,
			       .cdw11 = (uint32_t)cqid << 16 | 1u};
}

void nvme_cmd_rw(struct nvme_cmd *c, uint8_t opcode, uint16_t cid, uint32_t nsid, uint64_t slba,
		 uint32_t nlb, uint64_t prp1, uint64_t prp2)
{
	/* CDW10/11: SLBA; CDW12 15:0: NLB, 0-based. */
	*c = (struct nvme_cmd){.opcode = opcode,
			       .cid = cid,
			       .nsid = nsid,
			       .prp1 = prp1,
			       .prp2 = prp2,
			       .cdw10 = (uint32_t)slba,
			       .cdw11 = (uint32_t)(slba >> 32),
			       .cdw12 = (nlb - 1) & 0xffff};
}

void nvme_cqe_parse(const uint8_t cqe[NVME_CQE_SIZE], struct nvme_cqe *out)
{
	uint32_t dw2 = get32(cqe + 8), dw3 = get32(cqe + 12);
	out->dw0 = get32(cqe);
	out->sqhd = (uint16_t)dw2;
	out->sqid = (uint16_t)(dw2 >> 16);
	out->cid = (uint16_t)dw3;
	out->phase = (dw3 >> 16) & 1;
	out->status = (uint16_t)(dw3 >> 17);
}

void nvme_cq_init(struct nvme_cq *q, uint32_t size)
{
	q->size = size;
	q->head = 0;
	q->phase = true;
}

bool nvme_cq_pop(struct nvme_cq *q, const volatile uint8_t *ring, struct nvme_cqe *out)
{
	const volatile uint8_t *e = ring + (size_t)q->head * NVME_CQE_SIZE;
	/* The phase bit (byte 14, bit 0) says whether the entry is new; read
	   it first, and the rest only after (§4.6). */
	if (((e[14] & 1) != 0) != q->phase)
		return false;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	uint8_t copy[NVME_CQE_SIZE];
	for (unsigned i = 0; i < NVME_CQE_SIZE; i++)
		copy[i] = e[i];
	nvme_cqe_parse(copy, out);
	if (++q->head == q->size) {
		q->head = 0;
		q->phase = !q->phase;
	}
	return true;
}

int nvme_prp_build(uint64_t bus, uint32_t len, uint64_t list_bus, uint64_t *list, unsigned max,
		   uint64_t *prp1, uint64_t *prp2)
{
	if (len == 0 || (bus & 3) || (list_bus & (NVME_PAGE - 1)))
		return -E_INVAL;
	uint64_t first = bus & ~(uint64_t)(NVME_PAGE - 1);
	uint64_t last = (bus + len - 1) & ~(uint64_t)(NVME_PAGE - 1);
	uint64_t pages = (last - first) / NVME_PAGE + 1;
	*prp1 = bus;
	*prp2 = 0;
	if (pages == 1)
		return 0;
	if (pages == 2) {
		*prp2 = last;
		return 0;
	}
	if (pages - 1 > max || max > NVME_PAGE / 8)
		return -E_NOSPC;
	for (uint64_t i = 1; i < pages; i++)
		list[i - 1] = first + i * NVME_PAGE;
	*prp2 = list_bus;
	return 0;
}

/* Copy an ASCII field of n bytes into out (n + 1), dropping trailing spaces. */
static void ascii(const uint8_t *p, size_t n, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		out[k++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	while (k > 0 && (out[k - 1] == ' ' || out[k - 1] == '\0'))
		k--;
	out[k] = '\0';
}

int nvme_id_ctrl_parse(const void *buf, size_t len, struct nvme_id_ctrl *out)
{
	const uint8_t *p = buf;
	if (len < NVME_IDENTIFY_LEN)
		return -E_INVAL;
	memset(out, 0, sizeof *out);
	out->vid = (uint16_t)(p[0] | p[1] << 8);
	ascii(p + 4, 20, out->sn);
	ascii(p + 24, 40, out->mn);
	ascii(p + 64, 8, out->fr);
	out->mdts = p[77];
	out->sqes = p[512];
	out->cqes = p[513];
	out->nn = get32(p + 516);
	out->vwc = p[525] & 1;
	/* §5.15.2: SQES/CQES bits 3:0 are the required (minimum) size; our
	   64- and 16-byte entries must lie within [required, max]. */
	unsigned sq_min = out->sqes & 0xf, sq_max = out->sqes >> 4;
	unsigned cq_min = out->cqes & 0xf, cq_max = out->cqes >> 4;
	if (out->sqes && (sq_min > 6 || (sq_max && sq_max < 6)))
		return -E_INVAL;
	if (out->cqes && (cq_min > 4 || (cq_max && cq_max < 4)))
		return -E_INVAL;
	return 0;
}

int nvme_id_ns_parse(const void *buf, size_t len, struct nvme_id_ns *out)
{
	const uint8_t *p = buf;
	if (len < NVME_IDENTIFY_LEN)
		return -E_INVAL;
	memset(out, 0, sizeof *out);
	out->nsze = get64(p);
	out->ncap = get64(p + 8);
	unsigned nlbaf = p[25]; /* 0-based */
	unsigned flbas = p[26];
	out->lbaf = flbas & 0xf;
	if (nlbaf > 15)
		out->lbaf |= ((flbas >> 5) & 3) << 4; /* NVMe 2.0: more than 16 formats */
	if (out->nsze == 0 || out->lbaf > nlbaf || out->lbaf >= 64)
		return -E_INVAL;
	uint32_t f = get32(p + 128 + 4 * out->lbaf);
	out->ms = f & 0xffff;
	out->lbads = (f >> 16) & 0xff;
	if (out->lbads < 9 || out->lbads > 12)
		return -E_INVAL;
	out->block_size = 1u << out->lbads;
	if (out->ms)
		return -E_NOTSUP;
	return 0;
}
