/*
 * net/net.c - Ethernet/ARP packing and parsing and the receive backlog
 * ring (net.h). Pure: no allocation, no locking.
 */
#include "net/net.h"
#include <string.h>
#include "base/err.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

int net_eth_parse(const void *frame, size_t len, struct net_eth *out)
{
	const uint8_t *f = frame;
	if (len < NET_ETH_MIN || len > NET_ETH_MAX)
		return -E_INVAL;
	memcpy(out->dst, f, NET_ETH_ALEN);
	memcpy(out->src, f + 6, NET_ETH_ALEN);
	out->type = get16(f + 12);
	return 0;
}

int net_arp_parse(const void *frame, size_t len, struct net_arp *out)
{
	struct net_eth eth;
	if (net_eth_parse(frame, len, &eth) < 0 || eth.type != NET_ETH_P_ARP || len < NET_ARP_FRAME)
		return -E_INVAL;
	const uint8_t *a = (const uint8_t *)frame + NET_ETH_HLEN;
	/* RFC 826: hrd 1 (Ethernet), pro 0x0800, hln 6, pln 4, op; then
	   sha, spa, tha, tpa. */
	if (get16(a) != 1 || get16(a + 2) != NET_ETH_P_IPV4 || a[4] != 6 || a[5] != 4)
		return -E_INVAL;
	out->op = get16(a + 6);
	memcpy(out->sha, a + 8, NET_ETH_ALEN);
	out->spa = get32(a + 14);
	memcpy(out->tha, a + 18, NET_ETH_ALEN);
	out->tpa = get32(a + 24);
	return 0;
}

size_t net_arp_request(uint8_t out[NET_ARP_FRAME], const uint8_t mac[NET_ETH_ALEN], uint32_t sip,
		       uint32_t tip)
{
	memset(out, 0xff, NET_ETH_ALEN); /* broadcast */
	memcpy(out + 6, mac, NET_ETH_ALEN);
	put16(out + 12, NET_ETH_P_ARP);
	uint8_t *a = out + NET_ETH_HLEN;
	put16(a, 1);
	put16(a + 2, NET_ETH_P_IPV4);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, NET_ARP_REQUEST);
	memcpy(a + 8, mac, NET_ETH_ALEN);
	put32(a + 14, sip);
	memset(a + 18, 0, NET_ETH_ALEN); /* tha: unknown */
	put32(a + 24, tip);
	return NET_ARP_FRAME;
}

char *net_mac_fmt(const uint8_t mac[NET_ETH_ALEN], char buf[NET_MAC_STR])
{
	static const char hex[] = "0123456789abcdef";
	for (unsigned i = 0; i < NET_ETH_ALEN; i++) {
		buf[3 * i] = hex[mac[i] >> 4];
		buf[3 * i + 1] = hex[mac[i] & 15];
		buf[3 * i + 2] = i + 1 < NET_ETH_ALEN ? ':' : '\0';
	}
	return buf;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int net_mac_parse(const char *s, size_t len, uint8_t mac[NET_ETH_ALEN])
{
	if (len != NET_MAC_STR - 1)
		return -E_INVAL;
	for (unsigned i = 0; i < NET_ETH_ALEN; i++) {
		int hi = hexval(s[3 * i]), lo = hexval(s[3 * i + 1]);
		if (hi < 0 || lo < 0 || (i + 1 < NET_ETH_ALEN && s[3 * i + 2] != ':'))
			return -E_INVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

char *net_ip_fmt(uint32_t ip, char buf[NET_IP_STR])
{
	char *p = buf;
	for (int i = 3; i >= 0; i--) {
		unsigned v = (ip >> (8 * i)) & 0xff;
		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		if (i)
			*p++ = '.';
	}
	*p = '\0';
	return buf;
}

int net_ip_parse(const char *s, uint32_t *ip)
{
	uint32_t v = 0;
	for (int part = 0; part < 4; part++) {
		unsigned n = 0, digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			n = n * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || n > 255)
			return -E_INVAL;
		v = v << 8 | n;
		if (part < 3 && *s++ != '.')
			return -E_INVAL;
	}
	if (*s)
		return -E_INVAL;
	*ip = v;
	return 0;
}

void net_ring_init(struct net_ring *r, unsigned cap, uint16_t *lens, uint8_t *buf)
{
	*r = (struct net_ring){.cap = cap, .lens = lens, .buf = buf};
}

int net_ring_push(struct net_ring *r, const void *frame, size_t len)
{
	if (len > NET_ETH_MAX || r->cap == 0)
		return -E_INVAL;
	int dropped = 0;
	if (r->count == r->cap) {
		r->head = (r->head + 1) % r->cap;
		r->count--;
		r->drops++;
		dropped = 1;
	}
	unsigned slot = (r->head + r->count) % r->cap;
	memcpy(r->buf + (size_t)slot * NET_ETH_MAX, frame, len);
	r->lens[slot] = (uint16_t)len;
	r->count++;
	return dropped;
}

long net_ring_pop(struct net_ring *r, void *out, size_t max)
{
	if (r->count == 0)
		return -E_AGAIN;
	unsigned slot = r->head;
	size_t len = r->lens[slot];
	memcpy(out, r->buf + (size_t)slot * NET_ETH_MAX, len < max ? len : max);
	r->head = (r->head + 1) % r->cap;
	r->count--;
	return (long)len;
}

unsigned net_ring_count(const struct net_ring *r)
{
	return r->count;
}
