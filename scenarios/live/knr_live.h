/* SPDX-License-Identifier: MIT */
/*
 * knr_live.h - the recording wrappers of the live runner (server/src/live/).
 *
 * The runner rewrites each statement's outermost call `name(args)` into `knr_live_name(SITE, args)`,
 * where SITE numbers the statement in the scenario file, and compiles the copy with this header
 * force-included. Each wrapper makes the real call (or runs the helper), then writes one JSON line with
 * the result to standard output; the runner turns those lines into the result JSON of
 * docs/scenarios.md. Nested calls (`htons` in `socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL))`) are not
 * rewritten, so they produce no result, as in the models.
 */
#ifndef KNR_LIVE_H
#define KNR_LIVE_H

#include <knr_scenario.h>
#include <stdint.h>

int knr_live_socket(int site, int domain, int type, int protocol);
int knr_live_setsockopt(int site, int fd, int level, int name, const void *value, socklen_t length);
int knr_live_getsockopt(int site, int fd, int level, int name, void *value, socklen_t *length);
int knr_live_getsockname(int site, int fd, struct sockaddr *address, socklen_t *length);
int knr_live_bind(int site, int fd, const struct sockaddr *address, socklen_t length);
int knr_live_connect(int site, int fd, const struct sockaddr *address, socklen_t length);
ssize_t knr_live_recv(int site, int fd, void *buffer, size_t length, int flags);
ssize_t knr_live_recvfrom(int site, int fd, void *buffer, size_t length, int flags, struct sockaddr *source,
			  socklen_t *source_length);
ssize_t knr_live_recvmsg(int site, int fd, struct msghdr *message, int flags);
ssize_t knr_live_send(int site, int fd, const void *buffer, size_t length, int flags);
ssize_t knr_live_sendto(int site, int fd, const void *buffer, size_t length, int flags,
			const struct sockaddr *destination, socklen_t destination_length);
ssize_t knr_live_sendmsg(int site, int fd, const struct msghdr *message, int flags);
ssize_t knr_live_write(int site, int fd, const void *buffer, size_t length);
int knr_live_close(int site, int fd);

uint16_t knr_live_htons(int site, uint16_t value);
uint32_t knr_live_htonl(int site, uint32_t value);
uint16_t knr_live_ntohs(int site, uint16_t value);
uint32_t knr_live_ntohl(int site, uint32_t value);
in_addr_t knr_live_inet_addr(int site, const char *dotted);

int knr_live_knr_loopback(int site);
int knr_live_knr_veth_pair(int site);
struct knr_frame *knr_live_knr_ethernet(int site, unsigned int ethertype, unsigned int payload_len);
struct knr_frame *knr_live_knr_ipv4(int site, const char *src, const char *dst, unsigned int protocol,
				    unsigned int payload_len);
struct knr_frame *knr_live_knr_ipv4_icmp_echo(int site, const char *src, const char *dst, unsigned int payload_len);
struct knr_frame *knr_live_knr_ipv4_icmp_echo_reply(int site, const char *src, const char *dst,
						   unsigned int payload_len);
struct knr_frame *knr_live_knr_ipv4_udp(int site, const char *src, const char *dst, unsigned int sport,
					unsigned int dport, unsigned int payload_len);
struct knr_frame *knr_live_knr_vlan(int site, struct knr_frame *f, unsigned int tpid, unsigned int priority,
				    unsigned int vid);
struct knr_frame *knr_live_knr_eth_dst(int site, struct knr_frame *f, const char *mac);
int knr_live_knr_send(int site, const char *ifname, struct knr_frame *f);
struct msghdr *knr_live_knr_msghdr(int site, size_t data_len, size_t control_len);
int knr_live_knr_sysctl(int site, const char *name, const char *value);

/* A frame's bytes, for the harness's own tests (the builders must match the models' byte for byte). */
const unsigned char *knr_live_frame_bytes(const struct knr_frame *f, size_t *length);

/* Counts one executed statement; past the run's bound it reports where it stopped and exits. */
void knr_live_statement(int site);
/* Before a loop: refuses one whose iterations would take the run past the bound, as the models do. */
void knr_live_loop(int site, long long start, long long end, long long body_statements);

#endif /* KNR_LIVE_H */
