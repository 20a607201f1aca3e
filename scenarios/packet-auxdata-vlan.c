// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"A frame tagged priority 3 VLAN 10 reaches a packet socket with PACKET_AUXDATA: the tag moves to tpacket_auxdata";

int main(void)
{
	knr_veth_pair();
	int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	int one = 1;
	setsockopt(s, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));
	struct knr_frame *frame = knr_vlan(knr_ipv4(KNR_ADDR_PEER, "10.0.0.99", 253, 32), ETH_P_8021Q, 3, 10);
	knr_send(KNR_IF_PEER, frame);
	struct msghdr *msg = knr_msghdr(2048, 256);
	recvmsg(s, msg, 0);
	close(s);
	return 0;
}
