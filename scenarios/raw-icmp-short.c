// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"ICMP messages shorter than struct icmphdr never reach raw ICMP sockets: icmp_filter cannot read the header";

int main(void)
{
	knr_veth_pair();
	int plain = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	int filtered = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	struct icmp_filter filter = { .data = 1 << ICMP_ECHO };
	setsockopt(filtered, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter));
	char buf[256];
	for (int n = 0; n < 10; n++) {
		knr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, IPPROTO_ICMP, n));
		recv(plain, buf, sizeof(buf), MSG_DONTWAIT);
		recv(filtered, buf, sizeof(buf), MSG_DONTWAIT);
	}
	return 0;
}
