// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"An echo request fans out to every raw ICMP socket unless its ICMP_FILTER blocks the type; icmp_rcv still replies";

int main(void)
{
	knr_veth_pair();
	int plain = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	int filtered = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	struct icmp_filter filter = { .data = 1 << ICMP_ECHO };
	setsockopt(filtered, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter));
	int udp = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
	setsockopt(udp, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter));
	knr_send(KNR_IF_PEER, knr_ipv4_icmp_echo(KNR_ADDR_PEER, KNR_ADDR_VETH, 24));
	char buf[256];
	recv(plain, buf, sizeof(buf), MSG_DONTWAIT);
	recv(filtered, buf, sizeof(buf), MSG_DONTWAIT);
	return 0;
}
