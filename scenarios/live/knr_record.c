/* SPDX-License-Identifier: MIT */
/*
 * knr_record.c - the recording wrappers of knr_live.h.
 *
 * Each wrapper makes the call, keeps errno, and writes one JSON line: {"site", "call", "return",
 * "errno", and for receives "bytes", "data", "msgFlags", "source", "control"}, with names taken from
 * this machine's own C headers. The runner adds step, line and column. When main returns, an exit
 * handler writes {"end":true}; a program that dies leaves no such line, and the runner says so.
 *
 * When the runner records the kernel's packet ends (server/src/live/tracefs.ts), KNR_LIVE_TRACE_MARKER
 * names its tracing instance's trace_marker: the program writes "knr begin" once it runs, "knr
 * statement N" before each statement (N: the results written so far, so the step of the statement's
 * result) and "knr end" when main returns, which place each end in the trace on a statement.
 */
#define _GNU_SOURCE
#include "knr_live.h"
#include "knr_json.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef TP_STATUS_GSO_TCP
#define TP_STATUS_GSO_TCP (1 << 8)
#endif

/* The models' bound on executed statements (docs/scenarios.md). */
#define KNR_STATEMENT_BOUND 10000
/* The results' descriptor, above the helpers' (knr_helpers.c) and any the scenario could get. */
#define KNR_RESULT_FD_FLOOR 950
/* Every scenario socket's receive timeout (knr_scenario.h). */
#define KNR_RECEIVE_TIMEOUT_US 100000

struct flag_name {
	unsigned long bit;
	const char *name;
};

static const struct flag_name msg_flag_names[] = {
	{ MSG_OOB, "MSG_OOB" },	  { MSG_CTRUNC, "MSG_CTRUNC" },	    { MSG_TRUNC, "MSG_TRUNC" },
	{ MSG_EOR, "MSG_EOR" },	  { MSG_ERRQUEUE, "MSG_ERRQUEUE" },
};

static const struct flag_name tp_status_names[] = {
	{ TP_STATUS_USER, "TP_STATUS_USER" },
	{ TP_STATUS_LOSING, "TP_STATUS_LOSING" },
	{ TP_STATUS_CSUMNOTREADY, "TP_STATUS_CSUMNOTREADY" },
	{ TP_STATUS_VLAN_VALID, "TP_STATUS_VLAN_VALID" },
	{ TP_STATUS_VLAN_TPID_VALID, "TP_STATUS_VLAN_TPID_VALID" },
	{ TP_STATUS_CSUM_VALID, "TP_STATUS_CSUM_VALID" },
	{ TP_STATUS_GSO_TCP, "TP_STATUS_GSO_TCP" },
};

static long long statements_run;
static long long results_written;
static int trace_marker_fd = -1;

/* A line in the runner's trace; a marker that cannot be written leaves the runner without ends, which
 * it reports, so failures are not fatal here. */
static void mark(const char *text, long long number)
{
	char line[64];
	int length;

	if (trace_marker_fd < 0)
		return;
	length = number < 0 ? snprintf(line, sizeof(line), "knr %s", text)
			    : snprintf(line, sizeof(line), "knr %s %lld", text, number);
	if (write(trace_marker_fd, line, (size_t)length) < 0)
		trace_marker_fd = -1;
}

static void write_end(void)
{
	mark("end", -1);
	knr_json_open('{');
	knr_json_key("end");
	knr_json_int(1);
	knr_json_close('}');
	knr_json_emit();
}

/* Results go to a copy of standard output above the scenario's descriptors, so that nothing the
 * scenario closes can silence them. */
__attribute__((constructor)) static void start_recording(void)
{
	int fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, KNR_RESULT_FD_FLOOR);

	if (fd < 0) {
		perror("knr_live: keeping a copy of standard output");
		_exit(70);
	}
	knr_json_set_output(fd);
	atexit(write_end);

	const char *marker = getenv("KNR_LIVE_TRACE_MARKER");

	if (marker && *marker) {
		trace_marker_fd = open(marker, O_WRONLY | O_CLOEXEC);
		if (trace_marker_fd >= 0) {
			int high = fcntl(trace_marker_fd, F_DUPFD_CLOEXEC, KNR_RESULT_FD_FLOOR);

			close(trace_marker_fd);
			trace_marker_fd = high;
		}
		mark("begin", -1);
	}
}

/* {"stopped": site} past the statement bound, or {"stopped": site, "iterations": n} for a loop. */
static void stop(int site, long long iterations)
{
	knr_json_open('{');
	knr_json_key("stopped");
	knr_json_int(site);
	if (iterations >= 0) {
		knr_json_key("iterations");
		knr_json_int(iterations);
	}
	knr_json_close('}');
	knr_json_emit();
	_exit(0);
}

void knr_live_statement(int site)
{
	if (++statements_run > KNR_STATEMENT_BOUND)
		stop(site, -1);
	mark("statement", results_written);
}

void knr_live_loop(int site, long long start, long long end, long long body_statements)
{
	long long iterations = end > start ? end - start : 0;

	if (statements_run + iterations * body_statements > KNR_STATEMENT_BOUND)
		stop(site, iterations);
}

static void begin(int site, const char *call, long long value)
{
	knr_json_open('{');
	knr_json_key("site");
	knr_json_int(site);
	knr_json_key("call");
	knr_json_string(call);
	knr_json_key("return");
	knr_json_int(value);
}

static void finish(void)
{
	results_written++;
	knr_json_close('}');
	knr_json_emit();
}

/* A call that reports failure as -1 with errno. */
static void record_syscall(int site, const char *call, long long value, int error)
{
	begin(site, call, value);
	if (value == -1) {
		const char *name = strerrorname_np(error);
		char number[16];

		snprintf(number, sizeof(number), "%d", error);
		knr_json_key("errno");
		knr_json_string(name ? name : number);
	}
	finish();
}

static void names_of_bits(unsigned long value, const struct flag_name *names, size_t count)
{
	knr_json_open('[');
	for (unsigned int bit = 0; bit < 8 * sizeof(value); bit++) {
		unsigned long mask = 1UL << bit;
		const char *name = NULL;
		char hex[24];

		if (!(value & mask))
			continue;
		for (size_t i = 0; i < count; i++)
			if (names[i].bit == mask)
				name = names[i].name;
		snprintf(hex, sizeof(hex), "0x%lx", mask);
		knr_json_string(name ? name : hex);
	}
	knr_json_close(']');
}

/* "bytes" and "data": what the call copied into the caller's buffers. */
static void copied_data(const struct iovec *iov, size_t iov_count, ssize_t returned)
{
	size_t room = 0, copied, offset = 0;
	unsigned char *joined;

	for (size_t i = 0; i < iov_count; i++)
		room += iov[i].iov_len;
	copied = (size_t)returned < room ? (size_t)returned : room;
	joined = malloc(copied ? copied : 1);
	if (!joined) {
		perror("knr_live: recording received data");
		_exit(70);
	}
	for (size_t i = 0; i < iov_count && offset < copied; i++) {
		size_t part = iov[i].iov_len < copied - offset ? iov[i].iov_len : copied - offset;

		memcpy(joined + offset, iov[i].iov_base, part);
		offset += part;
	}
	knr_json_key("bytes");
	knr_json_int((long long)copied);
	knr_json_key("data");
	knr_json_hex(joined, copied);
	free(joined);
}

static const char *pkttype_name(unsigned int type, char *number, size_t size)
{
	switch (type) {
	case PACKET_HOST:
		return "PACKET_HOST";
	case PACKET_BROADCAST:
		return "PACKET_BROADCAST";
	case PACKET_MULTICAST:
		return "PACKET_MULTICAST";
	case PACKET_OTHERHOST:
		return "PACKET_OTHERHOST";
	case PACKET_OUTGOING:
		return "PACKET_OUTGOING";
	default:
		snprintf(number, size, "%u", type);
		return number;
	}
}

/* `key`: the address decoded from `length` bytes (docs/scenarios.md, "source"). */
static void address_fields(const char *key, const void *name, socklen_t length)
{
	const struct sockaddr *address = name;
	char text[64];

	knr_json_key(key);
	knr_json_open('{');
	knr_json_key("family");
	if (address->sa_family == AF_PACKET && length >= offsetof(struct sockaddr_ll, sll_addr)) {
		const struct sockaddr_ll *ll = name;
		size_t used = 0;

		knr_json_string("AF_PACKET");
		knr_json_key("protocol");
		knr_json_int(ntohs(ll->sll_protocol));
		knr_json_key("ifindex");
		knr_json_int(ll->sll_ifindex);
		knr_json_key("hatype");
		knr_json_int(ll->sll_hatype);
		knr_json_key("pkttype");
		knr_json_string(pkttype_name(ll->sll_pkttype, text, sizeof(text)));
		knr_json_key("address");
		text[0] = '\0';
		/* Only the bytes the kernel copied: a short buffer cuts the address. */
		for (unsigned int i = 0; i < ll->sll_halen && i < sizeof(ll->sll_addr) &&
					offsetof(struct sockaddr_ll, sll_addr) + i < length;
		     i++)
			used += (size_t)snprintf(text + used, sizeof(text) - used, i ? ":%02x" : "%02x", ll->sll_addr[i]);
		knr_json_string(text);
	} else if (address->sa_family == AF_INET && length >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = name;

		knr_json_string("AF_INET");
		knr_json_key("address");
		knr_json_string(inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text)));
		knr_json_key("port");
		knr_json_int(ntohs(in->sin_port));
	} else {
		snprintf(text, sizeof(text), "%u", address->sa_family);
		knr_json_string(address->sa_family == AF_INET6 ? "AF_INET6" : text);
		knr_json_key("length");
		knr_json_int(length);
	}
	knr_json_close('}');
}

static const char *level_name(int level, char *number, size_t size)
{
	switch (level) {
	case SOL_SOCKET:
		return "SOL_SOCKET";
	case SOL_IP:
		return "SOL_IP";
	case SOL_PACKET:
		return "SOL_PACKET";
	default:
		snprintf(number, size, "%d", level);
		return number;
	}
}

static void control_messages(struct msghdr *message)
{
	char level[16], type[16];

	knr_json_key("control");
	knr_json_open('[');
	for (struct cmsghdr *c = CMSG_FIRSTHDR(message); c; c = CMSG_NXTHDR(message, c)) {
		knr_json_open('{');
		knr_json_key("level");
		knr_json_string(level_name(c->cmsg_level, level, sizeof(level)));
		knr_json_key("type");
		if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct tpacket_auxdata))) {
			struct tpacket_auxdata aux;

			memcpy(&aux, CMSG_DATA(c), sizeof(aux));
			knr_json_string("PACKET_AUXDATA");
			knr_json_key("auxdata");
			knr_json_open('{');
			knr_json_key("tp_status");
			knr_json_int(aux.tp_status);
			knr_json_key("tp_status_names");
			names_of_bits(aux.tp_status, tp_status_names, sizeof(tp_status_names) / sizeof(tp_status_names[0]));
			knr_json_key("tp_len");
			knr_json_int(aux.tp_len);
			knr_json_key("tp_snaplen");
			knr_json_int(aux.tp_snaplen);
			knr_json_key("tp_mac");
			knr_json_int(aux.tp_mac);
			knr_json_key("tp_net");
			knr_json_int(aux.tp_net);
			knr_json_key("tp_vlan_tci");
			knr_json_int(aux.tp_vlan_tci);
			knr_json_key("tp_vlan_tpid");
			knr_json_int(aux.tp_vlan_tpid);
			knr_json_close('}');
		} else {
			snprintf(type, sizeof(type), "%d", c->cmsg_type);
			knr_json_string(type);
			knr_json_key("data");
			knr_json_hex(CMSG_DATA(c), c->cmsg_len - CMSG_LEN(0));
		}
		knr_json_close('}');
	}
	knr_json_close(']');
}

int knr_live_socket(int site, int domain, int type, int protocol)
{
	int fd = socket(domain, type, protocol), error = errno;
	struct timeval timeout = { .tv_usec = KNR_RECEIVE_TIMEOUT_US };

	if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0) {
		perror("knr_live: setting the receive timeout");
		_exit(70);
	}
	record_syscall(site, "socket", fd, error);
	return fd;
}

int knr_live_setsockopt(int site, int fd, int level, int name, const void *value, socklen_t length)
{
	int r = setsockopt(fd, level, name, value, length);

	record_syscall(site, "setsockopt", r, errno);
	return r;
}

int knr_live_bind(int site, int fd, const struct sockaddr *address, socklen_t length)
{
	int r = bind(fd, address, length);

	record_syscall(site, "bind", r, errno);
	return r;
}

int knr_live_connect(int site, int fd, const struct sockaddr *address, socklen_t length)
{
	int r = connect(fd, address, length);

	record_syscall(site, "connect", r, errno);
	return r;
}

/* A send reports the bytes the kernel took, or -1 and errno: nothing else comes back to the caller. */
ssize_t knr_live_send(int site, int fd, const void *buffer, size_t length, int flags)
{
	ssize_t r = send(fd, buffer, length, flags);

	record_syscall(site, "send", r, errno);
	return r;
}

ssize_t knr_live_sendto(int site, int fd, const void *buffer, size_t length, int flags,
			const struct sockaddr *destination, socklen_t destination_length)
{
	ssize_t r = sendto(fd, buffer, length, flags, destination, destination_length);

	record_syscall(site, "sendto", r, errno);
	return r;
}

ssize_t knr_live_sendmsg(int site, int fd, const struct msghdr *message, int flags)
{
	ssize_t r = sendmsg(fd, message, flags);

	record_syscall(site, "sendmsg", r, errno);
	return r;
}

ssize_t knr_live_write(int site, int fd, const void *buffer, size_t length)
{
	ssize_t r = write(fd, buffer, length);

	record_syscall(site, "write", r, errno);
	return r;
}

int knr_live_close(int site, int fd)
{
	int r = close(fd);

	record_syscall(site, "close", r, errno);
	return r;
}

ssize_t knr_live_recv(int site, int fd, void *buffer, size_t length, int flags)
{
	ssize_t r = recv(fd, buffer, length, flags);
	int error = errno;
	struct iovec iov = { .iov_base = buffer, .iov_len = length };

	if (r < 0)
		return record_syscall(site, "recv", r, error), r;
	begin(site, "recv", r);
	copied_data(&iov, 1, r);
	finish();
	return r;
}

ssize_t knr_live_recvfrom(int site, int fd, void *buffer, size_t length, int flags, struct sockaddr *source,
			  socklen_t *source_length)
{
	socklen_t given = source_length ? *source_length : 0;
	ssize_t r = recvfrom(fd, buffer, length, flags, source, source_length);
	int error = errno;
	struct iovec iov = { .iov_base = buffer, .iov_len = length };

	if (r < 0)
		return record_syscall(site, "recvfrom", r, error), r;
	begin(site, "recvfrom", r);
	copied_data(&iov, 1, r);
	if (source && source_length) {
		socklen_t copied = given < *source_length ? given : *source_length;

		knr_json_key("sourceLength");
		knr_json_int(*source_length);
		if ((int)copied > 0)
			address_fields("source", source, copied);
	}
	finish();
	return r;
}

int knr_live_getsockopt(int site, int fd, int level, int name, void *value, socklen_t *length)
{
	int given = length ? (int)*length : 0;
	int r = getsockopt(fd, level, name, value, length);
	int error = errno;

	if (r < 0)
		return record_syscall(site, "getsockopt", r, error), r;
	begin(site, "getsockopt", r);
	if (length) {
		int shown = (int)*length < given ? (int)*length : given;

		knr_json_key("optlen");
		knr_json_int((int)*length);
		knr_json_key("optval");
		knr_json_hex(value, shown > 0 ? (size_t)shown : 0);
	}
	finish();
	return r;
}

int knr_live_getsockname(int site, int fd, struct sockaddr *address, socklen_t *length)
{
	int given = length ? (int)*length : 0;
	int r = getsockname(fd, address, length);
	int error = errno;

	if (r < 0)
		return record_syscall(site, "getsockname", r, error), r;
	begin(site, "getsockname", r);
	if (length) {
		int copied = (int)*length < given ? (int)*length : given;

		knr_json_key("addressLength");
		knr_json_int((int)*length);
		if (copied > 0)
			address_fields("address", address, (socklen_t)copied);
	}
	finish();
	return r;
}

ssize_t knr_live_recvmsg(int site, int fd, struct msghdr *message, int flags)
{
	ssize_t r = recvmsg(fd, message, flags);
	int error = errno;

	if (r < 0)
		return record_syscall(site, "recvmsg", r, error), r;
	begin(site, "recvmsg", r);
	copied_data(message->msg_iov, message->msg_iovlen, r);
	knr_json_key("msgFlags");
	names_of_bits((unsigned int)message->msg_flags, msg_flag_names,
		      sizeof(msg_flag_names) / sizeof(msg_flag_names[0]));
	if (message->msg_name && message->msg_namelen > 0)
		address_fields("source", message->msg_name, message->msg_namelen);
	control_messages(message);
	finish();
	return r;
}

/* Byte-order and address helpers at the outermost level of a statement still give a result. */
uint16_t knr_live_htons(int site, uint16_t value)
{
	begin(site, "htons", htons(value));
	finish();
	return htons(value);
}

uint32_t knr_live_htonl(int site, uint32_t value)
{
	begin(site, "htonl", htonl(value));
	finish();
	return htonl(value);
}

uint16_t knr_live_ntohs(int site, uint16_t value)
{
	begin(site, "ntohs", ntohs(value));
	finish();
	return ntohs(value);
}

uint32_t knr_live_ntohl(int site, uint32_t value)
{
	begin(site, "ntohl", ntohl(value));
	finish();
	return ntohl(value);
}

in_addr_t knr_live_inet_addr(int site, const char *dotted)
{
	in_addr_t address = inet_addr(dotted);

	begin(site, "inet_addr", address);
	finish();
	return address;
}

int knr_live_knr_loopback(int site)
{
	int r = knr_loopback();

	record_syscall(site, "knr_loopback", r, errno);
	return r;
}

int knr_live_knr_veth_pair(int site)
{
	int r = knr_veth_pair();

	record_syscall(site, "knr_veth_pair", r, errno);
	return r;
}

int knr_live_knr_send(int site, const char *ifname, struct knr_frame *f)
{
	int r = knr_send(ifname, f);

	record_syscall(site, "knr_send", r, errno);
	return r;
}

int knr_live_knr_sysctl(int site, const char *name, const char *value)
{
	int r = knr_sysctl(name, value);

	record_syscall(site, "knr_sysctl", r, errno);
	return r;
}

/* Helpers that return a pointer report 0 (docs/scenarios.md). */
static void *record_pointer(int site, const char *call, void *pointer)
{
	begin(site, call, 0);
	finish();
	return pointer;
}

struct knr_frame *knr_live_knr_ethernet(int site, unsigned int ethertype, unsigned int payload_len)
{
	return record_pointer(site, "knr_ethernet", knr_ethernet(ethertype, payload_len));
}

struct knr_frame *knr_live_knr_ipv4(int site, const char *src, const char *dst, unsigned int protocol,
				    unsigned int payload_len)
{
	return record_pointer(site, "knr_ipv4", knr_ipv4(src, dst, protocol, payload_len));
}

struct knr_frame *knr_live_knr_ipv4_icmp_echo(int site, const char *src, const char *dst, unsigned int payload_len)
{
	return record_pointer(site, "knr_ipv4_icmp_echo", knr_ipv4_icmp_echo(src, dst, payload_len));
}

struct knr_frame *knr_live_knr_ipv4_icmp_echo_reply(int site, const char *src, const char *dst,
						   unsigned int payload_len)
{
	return record_pointer(site, "knr_ipv4_icmp_echo_reply", knr_ipv4_icmp_echo_reply(src, dst, payload_len));
}

struct knr_frame *knr_live_knr_ipv4_udp(int site, const char *src, const char *dst, unsigned int sport,
					unsigned int dport, unsigned int payload_len)
{
	return record_pointer(site, "knr_ipv4_udp", knr_ipv4_udp(src, dst, sport, dport, payload_len));
}

struct knr_frame *knr_live_knr_vlan(int site, struct knr_frame *f, unsigned int tpid, unsigned int priority,
				    unsigned int vid)
{
	return record_pointer(site, "knr_vlan", knr_vlan(f, tpid, priority, vid));
}

struct knr_frame *knr_live_knr_eth_dst(int site, struct knr_frame *f, const char *mac)
{
	return record_pointer(site, "knr_eth_dst", knr_eth_dst(f, mac));
}

struct msghdr *knr_live_knr_msghdr(int site, size_t data_len, size_t control_len)
{
	return record_pointer(site, "knr_msghdr", knr_msghdr(data_len, control_len));
}
