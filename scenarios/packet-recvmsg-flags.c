// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"packet_recvmsg accepts only MSG_PEEK, MSG_DONTWAIT, MSG_TRUNC, MSG_CMSG_COMPAT and MSG_ERRQUEUE: MSG_OOB gives EINVAL";

int main(void)
{
	knr_veth_pair();
	int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	char buf[16];
	recv(s, buf, sizeof(buf), MSG_OOB);
	recv(s, buf, sizeof(buf), MSG_DONTWAIT);
	recv(s, buf, sizeof(buf), MSG_ERRQUEUE);
	knr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, "10.0.0.99", 253, 40));
	recv(s, buf, sizeof(buf), MSG_PEEK);
	recv(s, buf, sizeof(buf), MSG_TRUNC);
	recv(s, buf, sizeof(buf), MSG_DONTWAIT);
	return 0;
}
