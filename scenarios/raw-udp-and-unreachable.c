// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"Raw sockets see a datagram before its protocol handler: UDP still answers port unreachable, an unknown protocol with no raw socket gets protocol unreachable";

int main(void)
{
	knr_veth_pair();
	int s = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
	knr_send(KNR_IF_PEER, knr_ipv4_udp(KNR_ADDR_PEER, KNR_ADDR_VETH, 40000, 9, 10));
	knr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 254, 10));
	struct msghdr *msg = knr_msghdr(1500, 0);
	recvmsg(s, msg, MSG_DONTWAIT);
	recvmsg(s, msg, MSG_DONTWAIT);
	return 0;
}
