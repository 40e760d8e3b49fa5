/*
 * test_net.c - lib/net: an ARP request built and parsed back byte for
 * byte, a reply as QEMU's user network sends it, frames that are not ARP
 * or are cut short, the length bounds of Ethernet frames, MAC and IPv4
 * text forms both ways (and junk), and the receive backlog ring (order,
 * wrap, dropping the oldest when full, cut reads, bad lengths).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "net/net.h"

static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint8_t gw[6] = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};

static void test_arp_request(void **state)
{
	uint8_t f[NET_ARP_FRAME];
	assert_int_equal(net_arp_request(f, mac, 0x0a00020f, 0x0a000202), 42);
	static const uint8_t want[42] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x08, 0x06,
	    0x00, 0x01, 0x08, 0x00, 6,	  4,	0x00, 0x01, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
	    10,	  0,	2,    15,   0,	  0,	0,    0,    0,	  0,	10,   0,    2,	  2};
	assert_memory_equal(f, want, 42);
	struct net_arp a;
	assert_int_equal(net_arp_parse(f, sizeof f, &a), 0);
	assert_int_equal(a.op, NET_ARP_REQUEST);
	assert_memory_equal(a.sha, mac, 6);
	assert_int_equal(a.spa, 0x0a00020f);
	assert_int_equal(a.tpa, 0x0a000202);
	struct net_eth e;
	assert_int_equal(net_eth_parse(f, sizeof f, &e), 0);
	assert_int_equal(e.type, NET_ETH_P_ARP);
	assert_memory_equal(e.src, mac, 6);
}

/* A reply from the gateway, padded to 60 bytes as QEMU sends it. */
static void test_arp_reply(void **state)
{
	uint8_t f[60] = {0};
	memcpy(f, mac, 6);
	memcpy(f + 6, gw, 6);
	f[12] = 0x08, f[13] = 0x06;
	uint8_t *a = f + 14;
	a[1] = 1, a[2] = 8, a[4] = 6, a[5] = 4, a[7] = 2;
	memcpy(a + 8, gw, 6);
	a[14] = 10, a[15] = 0, a[16] = 2, a[17] = 2;
	memcpy(a + 18, mac, 6);
	a[24] = 10, a[25] = 0, a[26] = 2, a[27] = 15;
	struct net_arp r;
	assert_int_equal(net_arp_parse(f, sizeof f, &r), 0);
	assert_int_equal(r.op, NET_ARP_REPLY);
	assert_memory_equal(r.sha, gw, 6);
	assert_memory_equal(r.tha, mac, 6);
	assert_int_equal(r.spa, 0x0a000202);
	assert_int_equal(r.tpa, 0x0a00020f);
	/* cut short, wrong EtherType, wrong hardware or protocol */
	assert_int_equal(net_arp_parse(f, 41, &r), -E_INVAL);
	f[13] = 0x00;
	assert_int_equal(net_arp_parse(f, sizeof f, &r), -E_INVAL);
	f[13] = 0x06;
	a[1] = 6;
	assert_int_equal(net_arp_parse(f, sizeof f, &r), -E_INVAL);
	a[1] = 1;
	a[5] = 16;
	assert_int_equal(net_arp_parse(f, sizeof f, &r), -E_INVAL);
}

static void test_eth_bounds(void **state)
{
	static uint8_t f[NET_ETH_MAX + 1];
	struct net_eth e;
	assert_int_equal(net_eth_parse(f, 13, &e), -E_INVAL);
	assert_int_equal(net_eth_parse(f, 14, &e), 0);
	assert_int_equal(net_eth_parse(f, 1514, &e), 0);
	assert_int_equal(net_eth_parse(f, 1515, &e), -E_INVAL);
}

static void test_text(void **state)
{
	char buf[NET_MAC_STR], ib[NET_IP_STR];
	assert_string_equal(net_mac_fmt(gw, buf), "52:55:0a:00:02:02");
	uint8_t m[6];
	assert_int_equal(net_mac_parse("52:54:00:12:34:56", 17, m), 0);
	assert_memory_equal(m, mac, 6);
	assert_int_equal(net_mac_parse("52:54:00:12:34:5", 16, m), -E_INVAL);
	assert_int_equal(net_mac_parse("52-54:00:12:34:56", 17, m), -E_INVAL);
	assert_int_equal(net_mac_parse("52:54:00:12:34:5g", 17, m), -E_INVAL);
	uint32_t ip;
	assert_int_equal(net_ip_parse("10.0.2.2", &ip), 0);
	assert_int_equal(ip, 0x0a000202);
	assert_int_equal(net_ip_parse("255.255.255.255", &ip), 0);
	assert_int_equal(ip, 0xffffffff);
	assert_string_equal(net_ip_fmt(0x0a00020f, ib), "10.0.2.15");
	assert_string_equal(net_ip_fmt(0xc0a864fe, ib), "192.168.100.254");
	const char *bad[] = {"",	"10.0.2",    "10.0.2.2.",  "10.0.2.256", "10..2.2",
			     "a.b.c.d", "10.0.2.2x", "1000.0.0.1", "10.0.2.-1"};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		if (net_ip_parse(bad[k], &ip) != -E_INVAL)
			fail_msg("accepted '%s'", bad[k]);
}

static void test_ring(void **state)
{
	static uint8_t store[4 * NET_ETH_MAX];
	uint16_t lens[4];
	struct net_ring r;
	net_ring_init(&r, 4, lens, store);
	uint8_t f[NET_ETH_MAX + 1], out[NET_ETH_MAX];
	assert_int_equal(net_ring_pop(&r, out, sizeof out), -E_AGAIN);
	for (unsigned i = 0; i < 6; i++) {
		memset(f, (int)i, sizeof f);
		assert_int_equal(net_ring_push(&r, f, 20 + i), i >= 4 ? 1 : 0);
	}
	assert_int_equal(net_ring_count(&r), 4);
	assert_int_equal(r.drops, 2);
	for (unsigned i = 2; i < 6; i++) {
		assert_int_equal(net_ring_pop(&r, out, sizeof out), 20 + i);
		assert_int_equal(out[0], i);
		assert_int_equal(out[19 + i], i);
	}
	assert_int_equal(net_ring_pop(&r, out, sizeof out), -E_AGAIN);
	/* a full-size frame, read into a short buffer: cut, full length returned */
	memset(f, 0xab, sizeof f);
	assert_int_equal(net_ring_push(&r, f, NET_ETH_MAX), 0);
	memset(out, 0, sizeof out);
	assert_int_equal(net_ring_pop(&r, out, 10), NET_ETH_MAX);
	assert_int_equal(out[9], 0xab);
	assert_int_equal(out[10], 0);
	assert_int_equal(net_ring_push(&r, f, NET_ETH_MAX + 1), -E_INVAL);
	assert_int_equal(net_ring_count(&r), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_arp_request), cmocka_unit_test(test_arp_reply),
	    cmocka_unit_test(test_eth_bounds),	cmocka_unit_test(test_text),
	    cmocka_unit_test(test_ring),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
