// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"Reading back: getsockopt at SOL_SOCKET, SOL_RAW, SOL_IP and SOL_PACKET, getsockname, recvfrom's source address";

int main(void)
{
	knr_veth_pair();
	int raw = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	int packet = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	int value = 0;
	socklen_t len = sizeof(value);
	getsockopt(raw, SOL_SOCKET, SO_DOMAIN, &value, &len);
	getsockopt(raw, SOL_SOCKET, SO_TYPE, &value, &len);
	getsockopt(raw, SOL_SOCKET, SO_PROTOCOL, &value, &len);
	getsockopt(raw, SOL_SOCKET, SO_RCVBUF, &value, &len);
	getsockopt(packet, SOL_SOCKET, SO_DOMAIN, &value, &len);
	getsockopt(packet, SOL_SOCKET, SO_PROTOCOL, &value, &len);
	struct icmp_filter filter = { .data = 1 << ICMP_ECHOREPLY };
	setsockopt(raw, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter));
	struct icmp_filter back = { .data = 0 };
	socklen_t filter_len = sizeof(back);
	getsockopt(raw, SOL_RAW, ICMP_FILTER, &back, &filter_len);
	int one = 1;
	setsockopt(raw, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one));
	getsockopt(raw, IPPROTO_IP, IP_RECVTTL, &value, &len);
	unsigned char byte = 0;
	socklen_t byte_len = sizeof(byte);
	getsockopt(raw, IPPROTO_IP, IP_PKTINFO, &byte, &byte_len);
	setsockopt(packet, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));
	getsockopt(packet, SOL_PACKET, PACKET_AUXDATA, &value, &len);
	struct sockaddr_in name = { .sin_family = 0 };
	socklen_t name_len = sizeof(name);
	getsockname(raw, (struct sockaddr *)&name, &name_len);
	struct sockaddr_ll link = { .sll_family = 0 };
	socklen_t link_len = sizeof(link);
	getsockname(packet, (struct sockaddr *)&link, &link_len);
	struct sockaddr_ll bound = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP), .sll_ifindex = KNR_IFINDEX_VETH };
	bind(packet, (struct sockaddr *)&bound, sizeof(bound));
	link_len = sizeof(link);
	getsockname(packet, (struct sockaddr *)&link, &link_len);
	knr_send(KNR_IF_PEER, knr_ipv4_icmp_echo(KNR_ADDR_PEER, KNR_ADDR_VETH, 8));
	char buf[256];
	struct sockaddr_in from = { .sin_family = 0 };
	socklen_t from_len = sizeof(from);
	recvfrom(raw, buf, sizeof(buf), 0, (struct sockaddr *)&from, &from_len);
	struct sockaddr_ll from_link = { .sll_family = 0 };
	socklen_t from_link_len = sizeof(from_link);
	recvfrom(packet, buf, sizeof(buf), 0, (struct sockaddr *)&from_link, &from_link_len);
	socklen_t short_len = 4;
	recvfrom(packet, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from_link, &short_len);
	return 0;
}
