// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"A double-tagged frame (802.1ad outer, 802.1Q inner): only the outer tag moves to tpacket_auxdata";

int main(void)
{
	knr_veth_pair();
	int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	int one = 1;
	setsockopt(s, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));
	struct knr_frame *inner = knr_vlan(knr_ipv4(KNR_ADDR_PEER, "10.0.0.99", 253, 16), ETH_P_8021Q, 0, 20);
	knr_send(KNR_IF_PEER, knr_vlan(inner, ETH_P_8021AD, 5, 30));
	struct msghdr *msg = knr_msghdr(2048, 256);
	recvmsg(s, msg, 0);
	return 0;
}
