// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"IP_PKTINFO, IP_RECVTTL and IP_RECVTOS on a raw socket: raw_setsockopt hands SOL_IP to ip_setsockopt, raw_recvmsg adds the control messages";

int main(void)
{
	knr_veth_pair();
	int s = socket(AF_INET, SOCK_RAW, 253);
	int one = 1;
	setsockopt(s, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	setsockopt(s, SOL_IP, IP_RECVTTL, &one, sizeof(one));
	unsigned char on = 1;
	setsockopt(s, IPPROTO_IP, IP_RECVTOS, &on, sizeof(on));
	setsockopt(s, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));
	struct knr_frame *first = knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, 16);
	knr_send(KNR_IF_PEER, first);
	struct msghdr *msg = knr_msghdr(2048, 256);
	recvmsg(s, msg, 0);
	int zero = 0;
	setsockopt(s, IPPROTO_IP, IP_PKTINFO, &zero, sizeof(zero));
	struct knr_frame *second = knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, 8);
	knr_send(KNR_IF_PEER, second);
	struct msghdr *small = knr_msghdr(2048, 24);
	recvmsg(s, small, 0);
	return 0;
}
