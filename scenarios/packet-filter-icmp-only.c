// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"SO_ATTACH_FILTER with the program tcpdump -dd prints for 'icmp': a packet socket keeps the ICMP echo and drops the UDP datagram";

int main(void)
{
	knr_veth_pair();
	int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IP));
	struct sock_filter icmp_only[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 3),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ICMP, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 262144),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = 6, .filter = icmp_only };
	setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
	knr_send(KNR_IF_PEER, knr_ipv4_udp(KNR_ADDR_PEER, KNR_ADDR_VETH, 4000, 4001, 16));
	knr_send(KNR_IF_PEER, knr_ipv4_icmp_echo(KNR_ADDR_PEER, KNR_ADDR_VETH, 32));
	char buf[256];
	recv(s, buf, sizeof(buf), MSG_DONTWAIT);
	recv(s, buf, sizeof(buf), MSG_DONTWAIT);
	return 0;
}
