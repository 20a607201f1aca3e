// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"Packet sockets of each accepted type: SOCK_RAW and SOCK_DGRAM get packet_ops, protocol 0 registers no hook";

int main(void)
{
	int raw = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	int dgram = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	int unbound = socket(AF_PACKET, SOCK_RAW, 0);
	socket(AF_PACKET, SOCK_SEQPACKET, htons(ETH_P_ALL));
	close(unbound);
	close(dgram);
	close(raw);
	return 0;
}
