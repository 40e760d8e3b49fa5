/*
 * arping - ask who has an IPv4 address on the Ethernet link net:/eth0
 * (virtio-netd) and time the answer.
 *
 *   arping [-c N] IP
 *
 * Sends N (default 1, at most 100) ARP requests (RFC 826, lib/net) for IP
 * from 10.0.2.15 (QEMU user networking's guest address) at the MAC that
 * net:/eth0/mac gives, 200 ms apart, each waiting at most 2 s for the
 * reply: "reply from IP at MAC in N us". Exit 0 if every request was
 * answered, 1 if one timed out, 2 on a usage or I/O error.
 * State: main's locals.
 */
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "net/net.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define SRC_IP 0x0a00020fu /* 10.0.2.15 */
#define WAIT_NS 2000000000ull
#define GAP_NS 200000000ull
#define POLL_NS 20000000ll /* poll in slices: a missed wake-up costs 20 ms */

static int usage(void)
{
	rb_printf("usage: arping [-c N] IP\n");
	return 2;
}

static int read_mac(uint8_t mac[NET_ETH_ALEN])
{
	int fd = rb_open("net:/eth0/mac", RB_O_RDONLY);
	if (fd < 0)
		return fd;
	char buf[32];
	long n = rb_read(fd, buf, sizeof buf);
	rb_close(fd);
	if (n < NET_MAC_STR - 1)
		return -E_IO;
	return net_mac_parse(buf, NET_MAC_STR - 1, mac);
}

/* Wait for the reply from tip to us: its round trip in ns, 0 on timeout, < 0 on error. */
static long long wait_reply(int fd, uint32_t tip, uint64_t sent, uint8_t sha[NET_ETH_ALEN])
{
	static uint8_t frame[NET_ETH_MAX];
	for (;;) {
		long n = rb_read(fd, frame, sizeof frame);
		uint64_t now = rb_now_ns();
		if (n >= 0) {
			struct net_arp a;
			if (net_arp_parse(frame, (size_t)n, &a) == 0 && a.op == NET_ARP_REPLY &&
			    a.spa == tip && a.tpa == SRC_IP) {
				memcpy(sha, a.sha, NET_ETH_ALEN);
				return (long long)(now - sent);
			}
			continue; /* someone else's frame */
		}
		if (n != -E_AGAIN)
			return n;
		if (now - sent >= WAIT_NS)
			return 0;
		struct rb_pollfd p = {fd, RB_POLLIN, 0};
		(void)rb_poll(&p, 1, POLL_NS);
	}
}

int main(int argc, char **argv)
{
	long count = 1;
	const char *target = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) {
			char *end;
			count = strtol(argv[++i], &end, 10);
			if (*end || count < 1 || count > 100)
				return usage();
		} else if (argv[i][0] == '-' || target) {
			return usage();
		} else {
			target = argv[i];
		}
	}
	uint32_t tip;
	if (!target || net_ip_parse(target, &tip) < 0)
		return usage();
	uint8_t mac[NET_ETH_ALEN];
	int r = read_mac(mac);
	if (r < 0) {
		rb_printf("arping: net:/eth0/mac: %s\n", err_name(r));
		return 2;
	}
	int fd = rb_open("net:/eth0", RB_O_RDWR | RB_O_NONBLOCK);
	if (fd < 0) {
		rb_printf("arping: net:/eth0: %s\n", err_name(fd));
		return 2;
	}
	/* Frames from before we asked are not answers. */
	static uint8_t junk[NET_ETH_MAX];
	while (rb_read(fd, junk, sizeof junk) >= 0)
		;
	uint8_t req[NET_ARP_FRAME];
	net_arp_request(req, mac, SRC_IP, tip);
	int lost = 0;
	char ipb[NET_IP_STR], macb[NET_MAC_STR];
	for (long k = 0; k < count; k++) {
		if (k)
			rb_nanosleep(GAP_NS);
		uint64_t sent = rb_now_ns();
		long w = rb_write(fd, req, sizeof req);
		if (w != (long)sizeof req) {
			rb_printf("arping: send: %s\n", err_name(w < 0 ? (int)w : -E_IO));
			rb_close(fd);
			return 2;
		}
		uint8_t sha[NET_ETH_ALEN];
		long long rtt = wait_reply(fd, tip, sent, sha);
		if (rtt < 0) {
			rb_printf("arping: receive: %s\n", err_name((int)rtt));
			rb_close(fd);
			return 2;
		}
		if (rtt == 0) {
			rb_printf("no reply from %s in 2 s\n", net_ip_fmt(tip, ipb));
			lost++;
			continue;
		}
		rb_printf("reply from %s at %s in %llu us\n", net_ip_fmt(tip, ipb),
			  net_mac_fmt(sha, macb), (unsigned long long)(rtt / 1000));
	}
	rb_close(fd);
	return lost ? 1 : 0;
}
