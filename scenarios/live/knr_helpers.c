/* SPDX-License-Identifier: MIT */
/*
 * knr_helpers.c - the helper set of knr_scenario.h on the live kernel.
 *
 * The runner (server/src/live/) has already built the topology the scenario asks for before this
 * program starts: the program runs in the scenario's namespace, and the path of the peer's namespace
 * is in KNR_LIVE_PEER_NETNS when there is a veth pair. knr_veth_pair() opens the injecting socket in
 * that peer namespace, so the scenario's own sockets never see a transmitted frame, only its arrival.
 */
#define _GNU_SOURCE
#include "knr_live.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* From <net/if.h>, which cannot be included next to the <linux/if.h> that knr_scenario.h pulls in. */
extern unsigned int if_nametoindex(const char *ifname);

struct knr_frame {
	unsigned char *bytes;
	size_t length;
};

/* Descriptors the helpers keep live above any the scenario could get, so its own start at 3. */
#define KNR_HELPER_FD_FLOOR 900
/* After the backlogs drain, the last frame's processing and what it caused still gets this long. */
#define KNR_SETTLE_NS (10 * 1000 * 1000)
/* How long knr_send waits at most for the receive backlogs to drain, in 1 ms polls. */
#define KNR_BACKLOG_POLLS 500

static int inject_fd = -1;
static int peer_ifindex;

static void fail(const char *what)
{
	fprintf(stderr, "knr_live: %s: %s\n", what, strerror(errno));
	exit(70);
}

static int move_high(int fd)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, KNR_HELPER_FD_FLOOR);

	if (high < 0)
		fail("moving a helper descriptor out of the scenario's range");
	close(fd);
	return high;
}

int knr_loopback(void)
{
	return 0;
}

int knr_veth_pair(void)
{
	const char *peer = getenv("KNR_LIVE_PEER_NETNS");
	int own, other, fd;

	if (!peer || if_nametoindex(KNR_IF_VETH) != KNR_IFINDEX_VETH) {
		fprintf(stderr, "knr_live: knr_veth_pair() but the runner built no veth pair\n");
		exit(70);
	}
	if (inject_fd >= 0)
		return 0;
	own = move_high(open("/proc/self/ns/net", O_RDONLY));
	other = move_high(open(peer, O_RDONLY));
	if (setns(other, CLONE_NEWNET) < 0)
		fail("entering the peer namespace");
	/* Protocol 0: a transmit-only packet socket that never receives. */
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		fail("opening the injecting socket");
	inject_fd = move_high(fd);
	peer_ifindex = (int)if_nametoindex(KNR_IF_PEER);
	if (peer_ifindex == 0)
		fail("finding " KNR_IF_PEER " in the peer namespace");
	if (setns(own, CLONE_NEWNET) < 0)
		fail("returning to the scenario namespace");
	close(own);
	close(other);
	return 0;
}

static struct knr_frame *new_frame(size_t length)
{
	struct knr_frame *f = calloc(1, sizeof(*f));

	if (!f || !(f->bytes = calloc(1, length ? length : 1)))
		fail("allocating a frame");
	f->length = length;
	return f;
}

static void parse_mac(const char *text, unsigned char *mac)
{
	unsigned int b[6];

	if (sscanf(text, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6) {
		fprintf(stderr, "knr_live: '%s' is not a MAC address\n", text);
		exit(70);
	}
	for (int i = 0; i < 6; i++)
		mac[i] = (unsigned char)b[i];
}

static void put16(unsigned char *p, unsigned int value)
{
	p[0] = (unsigned char)(value >> 8);
	p[1] = (unsigned char)value;
}

static void fill_pattern(unsigned char *p, unsigned int length)
{
	for (unsigned int i = 0; i < length; i++)
		p[i] = (unsigned char)(i % 256);
}

/* The Internet checksum of `length` bytes, starting from a partial sum. */
static unsigned int checksum(const unsigned char *p, size_t length, unsigned long sum)
{
	for (size_t i = 0; i + 1 < length; i += 2)
		sum += (unsigned long)(p[i] << 8 | p[i + 1]);
	if (length & 1)
		sum += (unsigned long)(p[length - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (unsigned int)(~sum & 0xffff);
}

struct knr_frame *knr_ethernet(unsigned int ethertype, unsigned int payload_len)
{
	struct knr_frame *f = new_frame(ETH_HLEN + (size_t)payload_len);

	parse_mac(KNR_MAC_VETH, f->bytes);
	parse_mac(KNR_MAC_PEER, f->bytes + ETH_ALEN);
	put16(f->bytes + 2 * ETH_ALEN, ethertype);
	fill_pattern(f->bytes + ETH_HLEN, payload_len);
	return f;
}

static in_addr_t parse_ipv4(const char *dotted)
{
	struct in_addr address;

	if (inet_pton(AF_INET, dotted, &address) != 1) {
		fprintf(stderr, "knr_live: '%s' is not an IPv4 address\n", dotted);
		exit(70);
	}
	return address.s_addr;
}

/* An IPv4 frame whose transport part (header_len bytes, then payload_len pattern bytes) follows. */
static struct knr_frame *ipv4_frame(const char *src, const char *dst, unsigned int protocol, unsigned int header_len,
				    unsigned int payload_len)
{
	unsigned int total = 20 + header_len + payload_len;
	struct knr_frame *f = knr_ethernet(ETH_P_IP, total);
	unsigned char *ip = f->bytes + ETH_HLEN;
	in_addr_t s = parse_ipv4(src), d = parse_ipv4(dst);

	memset(ip, 0, 20 + header_len);
	ip[0] = 0x45;
	put16(ip + 2, total);
	put16(ip + 4, 1);
	put16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = (unsigned char)protocol;
	memcpy(ip + 12, &s, 4);
	memcpy(ip + 16, &d, 4);
	put16(ip + 10, checksum(ip, 20, 0));
	fill_pattern(ip + 20 + header_len, payload_len);
	return f;
}

struct knr_frame *knr_ipv4(const char *src, const char *dst, unsigned int protocol, unsigned int payload_len)
{
	return ipv4_frame(src, dst, protocol, 0, payload_len);
}

static struct knr_frame *icmp_echo_message(unsigned int type, const char *src, const char *dst,
					   unsigned int payload_len)
{
	struct knr_frame *f = ipv4_frame(src, dst, IPPROTO_ICMP, 8, payload_len);
	unsigned char *icmp = f->bytes + ETH_HLEN + 20;

	icmp[0] = type;
	put16(icmp + 4, 0x4b4e);
	put16(icmp + 6, 1);
	put16(icmp + 2, checksum(icmp, 8 + (size_t)payload_len, 0));
	return f;
}

struct knr_frame *knr_ipv4_icmp_echo(const char *src, const char *dst, unsigned int payload_len)
{
	return icmp_echo_message(ICMP_ECHO, src, dst, payload_len);
}

struct knr_frame *knr_ipv4_icmp_echo_reply(const char *src, const char *dst, unsigned int payload_len)
{
	return icmp_echo_message(ICMP_ECHOREPLY, src, dst, payload_len);
}

struct knr_frame *knr_ipv4_udp(const char *src, const char *dst, unsigned int sport, unsigned int dport,
			       unsigned int payload_len)
{
	struct knr_frame *f = ipv4_frame(src, dst, IPPROTO_UDP, 8, payload_len);
	unsigned char *ip = f->bytes + ETH_HLEN, *udp = ip + 20;
	unsigned int udp_len = 8 + payload_len, sum;
	unsigned long pseudo = 0;

	put16(udp, sport);
	put16(udp + 2, dport);
	put16(udp + 4, udp_len);
	for (int i = 12; i < 20; i += 2)
		pseudo += (unsigned long)(ip[i] << 8 | ip[i + 1]);
	pseudo += IPPROTO_UDP + udp_len;
	sum = checksum(udp, udp_len, pseudo);
	/* UDP sends a computed zero as 0xffff: zero means "no checksum". */
	put16(udp + 6, sum ? sum : 0xffff);
	return f;
}

struct knr_frame *knr_vlan(struct knr_frame *f, unsigned int tpid, unsigned int priority, unsigned int vid)
{
	unsigned char *bytes = realloc(f->bytes, f->length + 4);

	if (!bytes)
		fail("growing a frame");
	memmove(bytes + 2 * ETH_ALEN + 4, bytes + 2 * ETH_ALEN, f->length - 2 * ETH_ALEN);
	put16(bytes + 2 * ETH_ALEN, tpid);
	put16(bytes + 2 * ETH_ALEN + 2, (priority << 13) | vid);
	f->bytes = bytes;
	f->length += 4;
	return f;
}

const unsigned char *knr_live_frame_bytes(const struct knr_frame *f, size_t *length)
{
	*length = f->length;
	return f->bytes;
}

struct knr_frame *knr_eth_dst(struct knr_frame *f, const char *mac)
{
	parse_mac(mac, f->bytes);
	return f;
}

/*
 * Whether every CPU's receive backlog is empty: the twelfth column of /proc/net/softnet_stat. When the
 * kernel has no such column, a backlog cannot be seen and is taken as empty.
 */
static int backlogs_empty(void)
{
	FILE *stat = fopen("/proc/net/softnet_stat", "re");
	unsigned int c[12];
	char line[512];
	int empty = 1;

	if (!stat)
		return 1;
	while (fgets(line, sizeof(line), stat)) {
		if (sscanf(line, "%x %x %x %x %x %x %x %x %x %x %x %x", &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6],
			   &c[7], &c[8], &c[9], &c[10], &c[11]) == 12 &&
		    c[11] != 0)
			empty = 0;
	}
	fclose(stat);
	return empty;
}

int knr_send(const char *ifname, struct knr_frame *f)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = ETH_ALEN };
	struct timespec settle = { .tv_nsec = KNR_SETTLE_NS }, poll = { .tv_nsec = 1000 * 1000 };
	ssize_t sent;

	if (strcmp(ifname, KNR_IF_PEER) != 0 || inject_fd < 0) {
		errno = ENODEV;
		return -1;
	}
	to.sll_ifindex = peer_ifindex;
	memcpy(to.sll_addr, f->bytes, ETH_ALEN);
	sent = sendto(inject_fd, f->bytes, f->length, 0, (struct sockaddr *)&to, sizeof(to));
	if (sent < 0)
		return -1;
	/*
	 * The receiving kernel normally processes the frame in the softirq the transmit raises, before
	 * sendto returns. On a busy machine the softirq may be left to ksoftirqd: wait for the backlogs to
	 * drain (other traffic on the machine can keep them busy, hence the bound), then settle.
	 */
	for (int i = 0; i < KNR_BACKLOG_POLLS && !backlogs_empty(); i++)
		nanosleep(&poll, NULL);
	nanosleep(&settle, NULL);
	return (int)sent;
}

/*
 * The program runs inside the scenario's namespace, so /proc/sys/net/ is that namespace's own. The
 * admission has refused every name but the per-namespace ones the models know; this refuses anything
 * outside net. again, or a name that could leave /proc/sys/net/, before it becomes a path.
 */
int knr_sysctl(const char *name, const char *value)
{
	char path[256] = "/proc/sys/";
	size_t at = strlen(path);
	ssize_t written;
	int fd;

	if (strncmp(name, "net.", 4) != 0 || strstr(name, "..") || strchr(name, '/') ||
	    strlen(name) >= sizeof(path) - at) {
		errno = EPERM;
		fail("knr_sysctl: only a per-namespace sysctl under net. may be set");
	}
	for (const char *c = name; *c; c++)
		path[at++] = *c == '.' ? '/' : *c;
	path[at] = '\0';
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	written = write(fd, value, strlen(value));
	if (written < 0) {
		int error = errno;

		close(fd);
		errno = error;
		return -1;
	}
	close(fd);
	return 0;
}

struct msghdr *knr_msghdr(size_t data_len, size_t control_len)
{
	struct msghdr *msg = calloc(1, sizeof(*msg));
	struct iovec *iov = calloc(1, sizeof(*iov));
	void *name = calloc(1, sizeof(struct sockaddr_storage));

	if (!msg || !iov || !name)
		fail("allocating a message header");
	iov->iov_base = calloc(1, data_len ? data_len : 1);
	iov->iov_len = data_len;
	msg->msg_iov = iov;
	msg->msg_iovlen = 1;
	msg->msg_name = name;
	msg->msg_namelen = sizeof(struct sockaddr_storage);
	if (control_len) {
		msg->msg_control = calloc(1, control_len);
		msg->msg_controllen = control_len;
	}
	if (!iov->iov_base || (control_len && !msg->msg_control))
		fail("allocating a message buffer");
	return msg;
}
