// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"socket(AF_INET, SOCK_PACKET) is rewritten to PF_PACKET: packet_ops_spkt and packet_rcv_spkt receive whole frames";

int main(void)
{
	knr_veth_pair();
	int s = socket(AF_INET, SOCK_PACKET, htons(ETH_P_ALL));
	knr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, "10.0.0.99", 253, 8));
	struct msghdr *msg = knr_msghdr(1500, 64);
	recvmsg(s, msg, 0);
	return 0;
}
