/*
 * fuzz_net.c - libFuzzer target for lib/net's frame parsers: the input is
 * a received frame. An accepted Ethernet frame has a length in
 * NET_ETH_MIN..NET_ETH_MAX; an accepted ARP frame is at least 42 bytes,
 * and a request rebuilt from its sender and target matches the input's
 * ARP fields. The input (its first bytes as text) also goes through the
 * MAC and IPv4 parsers, whose results must format back to the same text,
 * and through the backlog ring, which must give the frame back unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "net/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_eth e;
	if (net_eth_parse(data, size, &e) == 0 && (size < NET_ETH_MIN || size > NET_ETH_MAX))
		abort();
	struct net_arp a;
	if (net_arp_parse(data, size, &a) == 0) {
		if (size < NET_ARP_FRAME)
			abort();
		uint8_t f[NET_ARP_FRAME];
		net_arp_request(f, a.sha, a.spa, a.tpa);
		struct net_arp b;
		if (net_arp_parse(f, sizeof f, &b) != 0 || b.spa != a.spa || b.tpa != a.tpa ||
		    memcmp(b.sha, a.sha, 6) != 0 || memcmp(f + 6, a.sha, 6) != 0)
			abort();
	}
	char text[32];
	size_t tl = size < sizeof text - 1 ? size : sizeof text - 1;
	memcpy(text, data, tl);
	text[tl] = '\0';
	uint8_t mac[6];
	char buf[NET_MAC_STR];
	if (net_mac_parse(text, tl, mac) == 0) {
		uint8_t again[6];
		if (net_mac_parse(net_mac_fmt(mac, buf), NET_MAC_STR - 1, again) != 0 ||
		    memcmp(mac, again, 6) != 0)
			abort();
	}
	uint32_t ip, ip2;
	char ib[NET_IP_STR];
	if (net_ip_parse(text, &ip) == 0 &&
	    (net_ip_parse(net_ip_fmt(ip, ib), &ip2) != 0 || ip != ip2))
		abort();
	static uint8_t store[2 * NET_ETH_MAX], out[NET_ETH_MAX];
	uint16_t lens[2];
	struct net_ring r;
	net_ring_init(&r, 2, lens, store);
	if (net_ring_push(&r, data, size) == 0) {
		if (net_ring_pop(&r, out, sizeof out) != (long)size || memcmp(out, data, size) != 0)
			abort();
	} else if (size <= NET_ETH_MAX) {
		abort();
	}
	return 0;
}
