/*
 * ahci/ahci.h - AHCI 1.3.1 and ATA (ATA8-ACS) data structures, pure: the
 * HBA and port register offsets and bits (§3), the command header and
 * command table with its PRDT (§4.2.2, §4.2.3), the Register Host to
 * Device FIS (SATA 3.x §10.5.5) for the commands the driver sends,
 * IDENTIFY DEVICE data (ATA8-ACS §7.16) and port signatures. No hardware
 * access: user/ahcid maps ABAR and the DMA memory and calls these on
 * bytes; tests/host/test_ahci.c and tests/fuzz/fuzz_ahci.c call them on
 * buffers.
 *
 * Locking: none; every function works on caller-owned storage.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

/* Generic host control (§3.1): byte offsets in ABAR (BAR 5). */
#define AHCI_CAP 0x00
#define AHCI_GHC 0x04
#define AHCI_IS 0x08
#define AHCI_PI 0x0c
#define AHCI_VS 0x10
#define AHCI_CAP2 0x24
#define AHCI_BOHC 0x28
#define AHCI_PORTS 32
#define AHCI_PORT_BASE 0x100
#define AHCI_PORT_SIZE 0x80
#define AHCI_ABAR_LEN 0x1100 /* generic block + 32 ports */

#define AHCI_CAP_NP(c) (((c)&0x1f) + 1)		  /* ports */
#define AHCI_CAP_NCS(c) ((((c) >> 8) & 0x1f) + 1) /* command slots */
#define AHCI_CAP_SCLO (1u << 24)
#define AHCI_CAP_SNCQ (1u << 30)
#define AHCI_CAP_S64A (1u << 31)
#define AHCI_GHC_HR (1u << 0)
#define AHCI_GHC_IE (1u << 1)
#define AHCI_GHC_AE (1u << 31)
#define AHCI_CAP2_BOH (1u << 0)
#define AHCI_BOHC_BOS (1u << 0) /* BIOS owned semaphore */
#define AHCI_BOHC_OOS (1u << 1) /* OS owned semaphore */
#define AHCI_BOHC_BB (1u << 4)	/* BIOS busy */

/* Port registers (§3.3): offsets from the port's base. */
#define AHCI_PX_CLB 0x00
#define AHCI_PX_CLBU 0x04
#define AHCI_PX_FB 0x08
#define AHCI_PX_FBU 0x0c
#define AHCI_PX_IS 0x10
#define AHCI_PX_IE 0x14
#define AHCI_PX_CMD 0x18
#define AHCI_PX_TFD 0x20
#define AHCI_PX_SIG 0x24
#define AHCI_PX_SSTS 0x28
#define AHCI_PX_SCTL 0x2c
#define AHCI_PX_SERR 0x30
#define AHCI_PX_SACT 0x34
#define AHCI_PX_CI 0x38

#define AHCI_CMD_ST (1u << 0)
#define AHCI_CMD_SUD (1u << 1)
#define AHCI_CMD_POD (1u << 2)
#define AHCI_CMD_CLO (1u << 3)
#define AHCI_CMD_FRE (1u << 4)
#define AHCI_CMD_FR (1u << 14)
#define AHCI_CMD_CR (1u << 15)

/* PxIS/PxIE bits (§3.3.5). */
#define AHCI_IS_DHRS (1u << 0) /* D2H Register FIS */
#define AHCI_IS_PSS (1u << 1)  /* PIO Setup FIS */
#define AHCI_IS_DSS (1u << 2)  /* DMA Setup FIS */
#define AHCI_IS_SDBS (1u << 3) /* Set Device Bits FIS */
#define AHCI_IS_IFS (1u << 27) /* interface fatal */
#define AHCI_IS_HBDS (1u << 28)
#define AHCI_IS_HBFS (1u << 29)
#define AHCI_IS_TFES (1u << 30) /* task file error */
/* The errors that stop the port's command processing (§6.1.2). */
#define AHCI_IS_FATAL (AHCI_IS_TFES | AHCI_IS_HBFS | AHCI_IS_HBDS | AHCI_IS_IFS)
/* What the driver enables: completions and every error. */
#define AHCI_IE_DEFAULT (AHCI_IS_DHRS | AHCI_IS_PSS | AHCI_IS_DSS | AHCI_IS_SDBS | 0xfdc00000u)

/* PxTFD's status byte (ATA Status). */
#define AHCI_TFD_ERR (1u << 0)
#define AHCI_TFD_DRQ (1u << 3)
#define AHCI_TFD_BSY (1u << 7)

/* PxSSTS (§3.3.10). */
#define AHCI_SSTS_DET(s) ((s)&0xf)
#define AHCI_SSTS_IPM(s) (((s) >> 8) & 0xf)
#define AHCI_DET_PRESENT 3 /* device present, PHY communication established */
#define AHCI_IPM_ACTIVE 1

/* Port signatures (PxSIG, §3.3.9). */
#define AHCI_SIG_ATA 0x00000101u
#define AHCI_SIG_ATAPI 0xeb140101u
#define AHCI_SIG_SEMB 0xc33c0101u
#define AHCI_SIG_PM 0x96690101u

enum ahci_dev_kind { AHCI_DEV_NONE, AHCI_DEV_ATA, AHCI_DEV_ATAPI, AHCI_DEV_OTHER };

/* What sits on a port with these PxSSTS and PxSIG values. */
enum ahci_dev_kind ahci_port_kind(uint32_t ssts, uint32_t sig);
/* A short name for a kind: "SATA disk", "ATAPI", "none", "other". */
const char *ahci_kind_name(enum ahci_dev_kind k);

/* Memory the HBA reads and writes for one port (§4.2). */
#define AHCI_CMD_LIST_LEN 1024 /* 32 headers of 32 bytes, 1 KiB aligned */
#define AHCI_CMD_HDR_LEN 32
#define AHCI_RFIS_LEN 256 /* received FIS area, 256-byte aligned */
#define AHCI_CFIS_LEN 64  /* command FIS space at the table's start */
#define AHCI_PRDT_OFF 0x80
#define AHCI_PRD_LEN 16
#define AHCI_PRD_MAX (4u << 20) /* bytes one PRD entry describes at most */

/* ATA commands (ATA8-ACS §7). */
#define ATA_CMD_IDENTIFY 0xec
#define ATA_CMD_READ_DMA_EXT 0x25
#define ATA_CMD_WRITE_DMA_EXT 0x35
#define ATA_CMD_READ_FPDMA 0x60 /* READ FPDMA QUEUED (NCQ) */
#define ATA_CMD_WRITE_FPDMA 0x61
#define ATA_CMD_FLUSH_CACHE 0xe7
#define ATA_CMD_FLUSH_CACHE_EXT 0xea
#define ATA_ID_LEN 512
#define AHCI_FIS_H2D_LEN 20
#define AHCI_FIS_TYPE_H2D 0x27

/* Fill cfis[0..20) as a Register H2D FIS for IDENTIFY DEVICE. */
void ahci_fis_identify(uint8_t cfis[AHCI_FIS_H2D_LEN]);
/*
 * Fill cfis as READ DMA EXT (write false) or WRITE DMA EXT of count sectors
 * (1..65536; 65536 is count 0) from lba (< 2^48): 0, or -E_INVAL.
 */
MUST_CHECK int ahci_fis_rw(uint8_t cfis[AHCI_FIS_H2D_LEN], bool write, uint64_t lba,
			   uint32_t count);
/*
 * Fill cfis as READ FPDMA QUEUED (write false) or WRITE FPDMA QUEUED of
 * count sectors (1..65536) from lba (< 2^48) with NCQ tag tag (0..31;
 * ATA8-ACS §7.21: the count in FEATURE, the tag in COUNT bits 7:3):
 * 0, or -E_INVAL.
 */
MUST_CHECK int ahci_fis_fpdma(uint8_t cfis[AHCI_FIS_H2D_LEN], bool write, uint64_t lba,
			      uint32_t count, unsigned tag);
/* Fill cfis as FLUSH CACHE EXT (lba48 true) or FLUSH CACHE. */
void ahci_fis_flush(uint8_t cfis[AHCI_FIS_H2D_LEN], bool lba48);

/*
 * Write the 32-byte command header hdr (§4.2.2): a command FIS of
 * AHCI_FIS_H2D_LEN bytes, prdtl PRD entries, W when the device is written,
 * the command table at ctba (128-byte aligned), PRDBC zeroed.
 */
void ahci_cmd_hdr(uint8_t hdr[AHCI_CMD_HDR_LEN], bool write, unsigned prdtl, uint64_t ctba);
/*
 * Describe len bytes at bus in prdt[] (up to max entries of 16 bytes,
 * AHCI_PRD_MAX bytes each, interrupt bit off): the entries used, or
 * -E_INVAL (len 0 or odd, bus odd) or -E_NOSPC (more entries needed).
 */
MUST_CHECK int ahci_prdt_build(uint8_t *prdt, unsigned max, uint64_t bus, uint32_t len);

/* What the driver takes from IDENTIFY DEVICE data (ATA8-ACS §7.16.7). */
struct ata_id {
	uint64_t sectors;     /* addressable logical sectors (LBA48 if supported, else 28) */
	uint32_t sector_size; /* bytes per logical sector (512 unless words 117-118 say) */
	bool lba48;	      /* word 83 bit 10 */
	bool ncq;	      /* word 76 bit 8 */
	unsigned queue_depth; /* word 75 bits 4:0 + 1, when ncq */
	bool flush;	      /* FLUSH CACHE (word 83 bit 12) */
	bool flush_ext;	      /* FLUSH CACHE EXT (word 83 bit 13) */
	char model[41];	      /* words 27-46, byte-swapped, trimmed, printable */
	char serial[21];      /* words 10-19 */
	char firmware[9];     /* words 23-26 */
};

/*
 * Parse 512 bytes of IDENTIFY DEVICE data: 0, or -E_INVAL (not an ATA
 * device's data, no LBA, zero sectors, or a logical sector size outside
 * 512..4096 or not a power of two). Any 512 bytes are safe.
 */
MUST_CHECK int ata_id_parse(const uint8_t id[ATA_ID_LEN], struct ata_id *out);
