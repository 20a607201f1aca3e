// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"raw_v4_match: a socket bound to the destination, one connected to another peer and one bound to lo; only the first receives";

int main(void)
{
	knr_veth_pair();
	int bound = socket(AF_INET, SOCK_RAW, 253);
	struct sockaddr_in local = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(KNR_ADDR_VETH) };
	bind(bound, (struct sockaddr *)&local, sizeof(local));
	int connected = socket(AF_INET, SOCK_RAW, 253);
	struct sockaddr_in other = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("10.0.0.3") };
	connect(connected, (struct sockaddr *)&other, sizeof(other));
	int on_lo = socket(AF_INET, SOCK_RAW, 253);
	setsockopt(on_lo, SOL_SOCKET, SO_BINDTODEVICE, KNR_IF_LO, 3);
	knr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, 16));
	struct msghdr *msg = knr_msghdr(1500, 0);
	recvmsg(bound, msg, MSG_DONTWAIT);
	recvmsg(connected, msg, MSG_DONTWAIT);
	recvmsg(on_lo, msg, MSG_DONTWAIT);
	return 0;
}
