// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"A SOCK_DGRAM packet socket opened with protocol 0 and bound to knr0 for ETH_P_IP: data starts at the IP header";

int main(void)
{
	knr_veth_pair();
	int s = socket(AF_PACKET, SOCK_DGRAM, 0);
	struct sockaddr_ll addr = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP), .sll_ifindex = KNR_IFINDEX_VETH };
	bind(s, (struct sockaddr *)&addr, sizeof(addr));
	int one = 1;
	setsockopt(s, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));
	knr_send(KNR_IF_PEER, knr_ethernet(0x88b5, 20));
	knr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, "10.0.0.99", 253, 12));
	struct msghdr *msg = knr_msghdr(2048, 256);
	recvmsg(s, msg, MSG_DONTWAIT);
	recvmsg(s, msg, MSG_DONTWAIT);
	return 0;
}
