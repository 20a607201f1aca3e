// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"raw_recvmsg with a short buffer: MSG_TRUNC in msg_flags, and with MSG_TRUNC in flags the full length; MSG_OOB gives EOPNOTSUPP";

int main(void)
{
	knr_veth_pair();
	int s = socket(AF_INET, SOCK_RAW, 253);
	struct msghdr *msg = knr_msghdr(16, 0);
	recvmsg(s, msg, MSG_OOB);
	knr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, 30));
	knr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, 30));
	recvmsg(s, msg, 0);
	recvmsg(s, msg, MSG_TRUNC);
	return 0;
}
