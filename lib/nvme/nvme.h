/*
 * nvme/nvme.h - NVMe 1.4 data structures, pure: the controller registers'
 * fields (§3.1), submission and completion queue entries (§4.2, §4.6),
 * PRP lists (§4.3) and the Identify data the driver reads (§5.15). No
 * hardware access: user/nvme maps the registers and queues and calls these
 * on bytes; tests/host/test_nvme.c and tests/fuzz/fuzz_nvme.c call them on
 * buffers.
 *
 * Locking: none; every function works on caller-owned storage.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define NVME_PAGE 4096u /* memory page size: CC.MPS = 0 */
#define NVME_SQE_SIZE 64u
#define NVME_CQE_SIZE 16u

/* Controller registers (§3.1): byte offsets in BAR0. */
#define NVME_REG_CAP 0x00
#define NVME_REG_VS 0x08
#define NVME_REG_INTMS 0x0c
#define NVME_REG_INTMC 0x10
#define NVME_REG_CC 0x14
#define NVME_REG_CSTS 0x1c
#define NVME_REG_AQA 0x24
#define NVME_REG_ASQ 0x28
#define NVME_REG_ACQ 0x30
#define NVME_REG_DB 0x1000 /* doorbells start here */

#define NVME_CC_EN (1u << 0)
#define NVME_CSTS_RDY (1u << 0)
#define NVME_CSTS_CFS (1u << 1)

/* Admin opcodes (§5) and NVM opcodes (NVM command set §6). */
#define NVME_ADM_CREATE_SQ 0x01
#define NVME_ADM_CREATE_CQ 0x05
#define NVME_ADM_IDENTIFY 0x06
#define NVME_ADM_SET_FEATURES 0x09
#define NVME_FEAT_NUM_QUEUES 0x07
#define NVME_CMD_FLUSH 0x00
#define NVME_CMD_WRITE 0x01
#define NVME_CMD_READ 0x02

#define NVME_CNS_NS 0x00
#define NVME_CNS_CTRL 0x01
#define NVME_IDENTIFY_LEN 4096u

/* CAP (§3.1.1), unpacked. */
struct nvme_cap {
	uint32_t mqes;	 /* entries per queue, 1-based (CAP.MQES + 1) */
	bool cqr;	 /* queues must be physically contiguous */
	uint32_t to_ms;	 /* worst-case ready time (CAP.TO * 500 ms) */
	unsigned dstrd;	 /* doorbell stride 4 << dstrd bytes */
	bool css_nvm;	 /* NVM command set supported */
	unsigned mpsmin; /* minimum page size 4096 << mpsmin */
	unsigned mpsmax;
};

/* Unpack CAP. */
void nvme_cap_parse(uint64_t cap, struct nvme_cap *out);
/* CC for CSS=NVM, MPS=0, AMS=round robin, IOSQES=6, IOCQES=4, EN=1. */
uint32_t nvme_cc_enable(void);
/* AQA for admin queues of sq and cq entries (1-based). */
uint32_t nvme_aqa(uint32_t sq, uint32_t cq);
/* BAR0 offset of queue qid's submission (cq false) or completion doorbell. */
uint64_t nvme_doorbell(unsigned qid, bool cq, unsigned dstrd);

/* A submission queue entry as the fields this driver sets. */
struct nvme_cmd {
	uint8_t opcode;
	uint16_t cid;
	uint32_t nsid;
	uint64_t prp1, prp2;
	uint32_t cdw10, cdw11, cdw12;
};

/* Pack c into a 64-byte submission queue entry (§4.2, little-endian, PRPs). */
void nvme_sqe_pack(const struct nvme_cmd *c, uint8_t sqe[NVME_SQE_SIZE]);
/* Identify (CNS cns, namespace nsid) into the buffer at bus. */
void nvme_cmd_identify(struct nvme_cmd *c, uint16_t cid, uint8_t cns, uint32_t nsid, uint64_t bus);
/* Create I/O Completion Queue qid of size entries at bus, on interrupt vector iv (ien). */
void nvme_cmd_create_cq(struct nvme_cmd *c, uint16_t cid, uint16_t qid, uint32_t size, uint64_t bus,
			uint16_t iv, bool ien);
/* Create I/O Submission Queue qid of size entries at bus, completing on cqid. */
void nvme_cmd_create_sq(struct nvme_cmd *c, uint16_t cid, uint16_t qid, uint32_t size, uint64_t bus,
			uint16_t cqid);
/* Read or Write (opcode) nlb blocks (>= 1) from slba of nsid, PRPs prp1/prp2. */
/* Set Features, Number of Queues (§5.21.1.7): ask for nsq submission and ncq completion
   I/O queues (1..65535 each). */
void nvme_cmd_set_num_queues(struct nvme_cmd *c, uint16_t cid, uint32_t nsq, uint32_t ncq);
/* The queues the controller allocated, from that command's completion dword 0: the I/O queue
   pairs usable, the smaller of its submission and completion counts (1..65536). */
uint32_t nvme_num_queues_granted(uint32_t dw0);
/*
 * How many I/O queue pairs a driver makes: one per CPU, at most one per interrupt vector
 * (each pair gets its own: polling counts as one), what the controller granted, and max;
 * at least 1.
 */
unsigned nvme_queue_count(unsigned cpus, unsigned vectors, uint32_t granted, unsigned max);

void nvme_cmd_rw(struct nvme_cmd *c, uint8_t opcode, uint16_t cid, uint32_t nsid, uint64_t slba,
		 uint32_t nlb, uint64_t prp1, uint64_t prp2);

/* A completion queue entry (§4.6), unpacked. */
struct nvme_cqe {
	uint32_t dw0;
	uint16_t sqhd, sqid, cid;
	bool phase;
	uint16_t status; /* bits 14:0 of the status field: SC | SCT << 8 | CRD << 11 | M | DNR */
};

/* Unpack a 16-byte completion queue entry. */
void nvme_cqe_parse(const uint8_t cqe[NVME_CQE_SIZE], struct nvme_cqe *out);
/* Status code and type of a completion's status (0: success). */
static inline unsigned nvme_status_sc(uint16_t st)
{
	return st & 0xff;
}
static inline unsigned nvme_status_sct(uint16_t st)
{
	return (st >> 8) & 7;
}

/*
 * A completion queue's consumer side: head index, expected phase. The
 * controller writes entries with phase 1 on its first pass (§4.6: the
 * queue memory starts zeroed), and inverts it on every wrap.
 */
struct nvme_cq {
	uint32_t size, head;
	bool phase;
};

/* Start a consumer for a zeroed queue of size entries. */
void nvme_cq_init(struct nvme_cq *q, uint32_t size);
/*
 * If the entry at the head is new (its phase bit matches), unpack it into
 * *out, advance the head (flipping the phase at the wrap) and return true.
 * ring is the queue's size * 16 bytes.
 */
bool nvme_cq_pop(struct nvme_cq *q, const volatile uint8_t *ring, struct nvme_cqe *out);

/* A submission queue's producer side: tail index. */
struct nvme_sq {
	uint32_t size, tail;
};

/* The slot the next entry goes into; then nvme_sq_push() advances the tail (its new value). */
static inline uint32_t nvme_sq_push(struct nvme_sq *q)
{
	q->tail = q->tail + 1 == q->size ? 0 : q->tail + 1;
	return q->tail;
}

/*
 * PRPs for a transfer of len bytes (> 0) at bus address bus (dword-aligned)
 * (§4.3): *prp1 is bus; *prp2 is 0 if the transfer lies in one page, the
 * second page if in two, else list_bus, with list[] (max entries, at
 * list_bus, page-aligned) holding the pages from the second on. 0, or
 * -E_INVAL (misaligned, empty) or -E_NOSPC (more pages than the list holds;
 * one list page only, no chaining).
 */
MUST_CHECK int nvme_prp_build(uint64_t bus, uint32_t len, uint64_t list_bus, uint64_t *list,
			      unsigned max, uint64_t *prp1, uint64_t *prp2);

/* What the driver takes from Identify Controller (§5.15.2). */
struct nvme_id_ctrl {
	uint16_t vid;
	char sn[21], mn[41], fr[9]; /* trailing spaces removed, NUL-terminated */
	uint8_t mdts;		    /* max transfer 2^mdts min pages; 0: no limit */
	uint32_t nn;		    /* namespaces */
	bool vwc;		    /* volatile write cache present */
	uint8_t sqes, cqes;	    /* required/max entry sizes (log2 in each nibble) */
};

/* Parse len bytes of Identify Controller data: 0 or -E_INVAL (short or unusable). */
MUST_CHECK int nvme_id_ctrl_parse(const void *buf, size_t len, struct nvme_id_ctrl *out);

/* What the driver takes from Identify Namespace (§5.15.2, NVM command set). */
struct nvme_id_ns {
	uint64_t nsze, ncap;
	unsigned lbaf;	     /* format in use (FLBAS bits 3:0, 4 with bit 6:5 on 2.0) */
	unsigned lbads;	     /* log2 of the block size */
	unsigned ms;	     /* metadata bytes per block */
	uint32_t block_size; /* 1 << lbads */
};

/*
 * Parse len bytes of Identify Namespace data: 0, -E_INVAL (short, NSZE 0,
 * the format in use beyond NLBAF, or a block size outside 512..4096) or
 * -E_NOTSUP (metadata with each block: the driver does not transfer it).
 */
MUST_CHECK int nvme_id_ns_parse(const void *buf, size_t len, struct nvme_id_ns *out);
