/* SPDX-License-Identifier: MIT */
/*
 * knr_scenario.h - the helper set of Kernel Net Reader scenarios.
 *
 * A scenario is a C file with one function, `int main(void)`, whose body is a list of statements:
 * system calls (docs/scenarios.md lists them), declarations of the values they use, bounded `for`
 * loops, and calls of the helpers declared below. The same file
 * runs on the models (knr trace) and, compiled with gcc against an implementation of this header, on
 * the live kernel in private network namespaces. docs/scenarios.md is the full contract: which
 * statements produce a result and the exact JSON of each result.
 *
 * Only libc and Linux UAPI headers are included, so `gcc -fsyntax-only -I scenarios/include` accepts
 * every scenario.
 */
#ifndef KNR_SCENARIO_H
#define KNR_SCENARIO_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/filter.h>
#include <linux/icmp.h>

/*
 * Topology. The scenario runs in a fresh network namespace. Its first statement may choose the
 * topology; without one the namespace has only the loopback device.
 *
 * knr_loopback():  lo (ifindex 1, 127.0.0.1/8, up). Nothing else.
 * knr_veth_pair(): lo as above, plus the veth device knr0 (ifindex 2, MAC 02:4b:4e:52:00:01,
 *                  10.0.0.1/24, up) whose peer knr1 (ifindex 3, MAC 02:4b:4e:52:00:02, 10.0.0.2/24)
 *                  lives in a second, private namespace. Frames are injected from that peer, so the
 *                  scenario's own sockets only see what arrives on knr0 and what the scenario's
 *                  kernel sends back. Both ends have a permanent neighbour entry for the other,
 *                  and IPv6 is disabled on every device (no ARP, no router solicitations).
 * Both return 0.
 */
int knr_loopback(void);
int knr_veth_pair(void);

#define KNR_IF_LO "lo"
#define KNR_IF_VETH "knr0"
#define KNR_IF_PEER "knr1"
#define KNR_IFINDEX_LO 1
#define KNR_IFINDEX_VETH 2
#define KNR_ADDR_LO "127.0.0.1"
#define KNR_ADDR_VETH "10.0.0.1"
#define KNR_ADDR_PEER "10.0.0.2"
#define KNR_MAC_VETH "02:4b:4e:52:00:01"
#define KNR_MAC_PEER "02:4b:4e:52:00:02"

/*
 * Frames. Every builder returns a new frame; frames are never freed. A frame starts with an Ethernet
 * header, destination KNR_MAC_VETH, source KNR_MAC_PEER, no FCS and no padding. Payload bytes are
 * the pattern 0x00, 0x01, ... 0xff, 0x00, ... (byte i is i % 256).
 *
 * IPv4 headers: version 4, IHL 5, TOS 0, total length exact, identification 1, DF set, TTL 64, the
 * header checksum computed. Addresses are dotted quads.
 * ICMP echo request and reply: id 0x4b4e, sequence 1, checksum computed, then payload_len pattern bytes.
 * UDP: checksum computed (with the IPv4 pseudo header), then payload_len pattern bytes.
 */
struct knr_frame;

/* An Ethernet frame of any EtherType (host byte order) followed by payload_len pattern bytes. */
struct knr_frame *knr_ethernet(unsigned int ethertype, unsigned int payload_len);
/* IPv4 (EtherType 0x0800) carrying `protocol`, followed by payload_len pattern bytes. */
struct knr_frame *knr_ipv4(const char *src, const char *dst, unsigned int protocol, unsigned int payload_len);
/* IPv4 + ICMP echo request. */
struct knr_frame *knr_ipv4_icmp_echo(const char *src, const char *dst, unsigned int payload_len);
/* IPv4 + ICMP echo reply, with the echo request's id and sequence (a ping socket bound to 0x4b4e gets it). */
struct knr_frame *knr_ipv4_icmp_echo_reply(const char *src, const char *dst, unsigned int payload_len);
/* IPv4 + UDP from sport to dport (host byte order). */
struct knr_frame *knr_ipv4_udp(const char *src, const char *dst, unsigned int sport, unsigned int dport,
			       unsigned int payload_len);
/*
 * Inserts a VLAN tag right after the MAC addresses, so the new tag becomes the outer one: tag an
 * untagged frame once for one tag, twice for two (the second call's tag is outer). tpid in host
 * byte order (ETH_P_8021Q or ETH_P_8021AD); the TCI is (priority << 13) | vid, DEI 0. Returns f.
 */
struct knr_frame *knr_vlan(struct knr_frame *f, unsigned int tpid, unsigned int priority, unsigned int vid);
/* Replaces the destination MAC address (e.g. "ff:ff:ff:ff:ff:ff"). Returns f. */
struct knr_frame *knr_eth_dst(struct knr_frame *f, const char *mac);

/*
 * Injects the frame: it is transmitted on `ifname`, which must be KNR_IF_PEER, and arrives on knr0.
 * Returns the frame's length in bytes once the scenario's kernel has finished processing it and
 * everything it caused (replies, ICMP errors).
 */
int knr_send(const char *ifname, struct knr_frame *f);

/*
 * Receiving. Every socket a scenario creates has a 100 ms receive timeout, so a receive on an empty
 * queue returns -1 with EAGAIN instead of blocking. knr_msghdr() returns a zeroed message header with
 * one iovec of data_len bytes, control_len bytes of control buffer and a struct sockaddr_storage for
 * the source address (msg_namelen = sizeof(struct sockaddr_storage)); each call returns a new one.
 */
struct msghdr *knr_msghdr(size_t data_len, size_t control_len);

/*
 * Sets a sysctl of the scenario's own network namespace, as `sysctl -w name=value` would there: name
 * is a string literal naming one of the per-namespace sysctls the models know
 * (net.ipv4.ping_group_range); anything else is refused before the scenario runs. Returns 0, or -1
 * with errno when the kernel refuses the value (EINVAL).
 */
int knr_sysctl(const char *name, const char *value);

#endif /* KNR_SCENARIO_H */
