/*
 * net/net.h - Ethernet frames and ARP (RFC 826) on plain bytes, and the
 * bounded receive backlog a network driver keeps.
 *
 * Frames: net_eth_parse() checks a frame's length (NET_ETH_MIN..NET_ETH_MAX
 * bytes, no FCS) and returns its addresses and EtherType;
 * net_arp_request() builds the 42-byte broadcast who-has frame for IPv4
 * over Ethernet, net_arp_parse() takes an ARP frame apart (only the
 * Ethernet/IPv4 form: htype 1, ptype 0x0800, hlen 6, plen 4). IPv4
 * addresses are host-order uint32_t (10.0.2.15 is 0x0a00020f); on the
 * wire they are big-endian. net_mac_fmt/net_mac_parse and
 * net_ip_fmt/net_ip_parse convert text forms.
 *
 * Backlog: struct net_ring holds up to cap frames of at most NET_ETH_MAX
 * bytes in caller-provided storage (cap * NET_ETH_MAX bytes and cap
 * lengths). net_ring_push() copies a frame in, dropping the oldest one
 * when full (counted in drops); net_ring_pop() copies the oldest out.
 *
 * Locking: none; the caller serialises use of one ring.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define NET_ETH_ALEN 6
#define NET_ETH_HLEN 14
#define NET_ETH_MIN NET_ETH_HLEN /* a write may be a bare header */
#define NET_ETH_MAX 1514	 /* header + 1500-byte MTU, no FCS */
#define NET_ETH_P_IPV4 0x0800
#define NET_ETH_P_ARP 0x0806
#define NET_ARP_LEN 28				   /* ARP payload for Ethernet/IPv4 */
#define NET_ARP_FRAME (NET_ETH_HLEN + NET_ARP_LEN) /* 42 */
#define NET_ARP_REQUEST 1
#define NET_ARP_REPLY 2
#define NET_MAC_STR 18 /* "52:54:00:12:34:56" and NUL */
#define NET_IP_STR 16

struct net_eth {
	uint8_t dst[NET_ETH_ALEN], src[NET_ETH_ALEN];
	uint16_t type;
};

struct net_arp {
	uint16_t op;
	uint8_t sha[NET_ETH_ALEN], tha[NET_ETH_ALEN];
	uint32_t spa, tpa;
};

/* Parse frame's header: 0, or -E_INVAL for a length outside MIN..MAX. */
MUST_CHECK int net_eth_parse(const void *frame, size_t len, struct net_eth *out);
/*
 * Parse an Ethernet/IPv4 ARP frame: 0, -E_INVAL when it is too short,
 * not ARP, or not the Ethernet/IPv4 form.
 */
MUST_CHECK int net_arp_parse(const void *frame, size_t len, struct net_arp *out);
/* Build the broadcast ARP request "who has tip, tell sip at mac" into out: NET_ARP_FRAME. */
size_t net_arp_request(uint8_t out[NET_ARP_FRAME], const uint8_t mac[NET_ETH_ALEN], uint32_t sip,
		       uint32_t tip);
/* "aa:bb:cc:dd:ee:ff" into buf (NET_MAC_STR bytes); buf. */
char *net_mac_fmt(const uint8_t mac[NET_ETH_ALEN], char buf[NET_MAC_STR]);
/* Parse six hex pairs separated by ':' (len bytes of s): 0 or -E_INVAL. */
MUST_CHECK int net_mac_parse(const char *s, size_t len, uint8_t mac[NET_ETH_ALEN]);
/* "a.b.c.d" into buf (NET_IP_STR bytes); buf. */
char *net_ip_fmt(uint32_t ip, char buf[NET_IP_STR]);
/* Parse a dotted quad (NUL-terminated): 0 or -E_INVAL. */
MUST_CHECK int net_ip_parse(const char *s, uint32_t *ip);

struct net_ring {
	unsigned cap, head, count; /* frames: head is the oldest */
	uint64_t drops;		   /* frames dropped to make room */
	uint16_t *lens;		   /* cap lengths */
	uint8_t *buf;		   /* cap * NET_ETH_MAX bytes */
};

/* Set up r over lens[cap] and buf[cap * NET_ETH_MAX] (cap >= 1). */
void net_ring_init(struct net_ring *r, unsigned cap, uint16_t *lens, uint8_t *buf);
/*
 * Copy in frame (len <= NET_ETH_MAX): 1 if the oldest frame was dropped
 * for it, 0 if not, -E_INVAL for a bad length (nothing stored).
 */
MUST_CHECK int net_ring_push(struct net_ring *r, const void *frame, size_t len);
/*
 * Take the oldest frame into out (max bytes; a longer frame is cut): its
 * full length, or -E_AGAIN when the ring is empty.
 */
MUST_CHECK long net_ring_pop(struct net_ring *r, void *out, size_t max);
/* Frames waiting. */
unsigned net_ring_count(const struct net_ring *r);
