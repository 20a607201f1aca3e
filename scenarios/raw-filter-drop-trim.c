// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"SO_ATTACH_FILTER on raw sockets: a program returning 0 drops the datagram, one returning 24 trims it to 24 bytes";

int main(void)
{
	knr_veth_pair();
	int dropping = socket(AF_INET, SOCK_RAW, 253);
	struct sock_filter drop[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_fprog drop_prog = { .len = 1, .filter = drop };
	setsockopt(dropping, SOL_SOCKET, SO_ATTACH_FILTER, &drop_prog, sizeof(drop_prog));
	int trimming = socket(AF_INET, SOCK_RAW, 253);
	struct sock_filter trim[] = { BPF_STMT(BPF_RET | BPF_K, 24) };
	struct sock_fprog trim_prog = { .len = 1, .filter = trim };
	setsockopt(trimming, SOL_SOCKET, SO_ATTACH_FILTER, &trim_prog, sizeof(trim_prog));
	knr_send(KNR_IF_PEER, knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, 60));
	char buf[256];
	recv(dropping, buf, sizeof(buf), MSG_DONTWAIT);
	recv(trimming, buf, sizeof(buf), MSG_DONTWAIT);
	return 0;
}
