// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"An untagged frame with PACKET_AUXDATA: tp_status is TP_STATUS_USER alone, no VLAN fields";

int main(void)
{
	knr_veth_pair();
	int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	int one = 1;
	setsockopt(s, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));
	knr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, "10.0.0.99", 253, 32));
	struct msghdr *msg = knr_msghdr(2048, 256);
	recvmsg(s, msg, 0);
	return 0;
}
