// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] =
	"AF_INET sockets through inetsw: SOCK_RAW takes the wildcard entry, protocol 0 is refused, SOCK_DGRAM + ICMP reaches ping_prot";

int main(void)
{
	int icmp = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	int any = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	socket(AF_INET, SOCK_RAW, 0);
	socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	close(any);
	close(icmp);
	return 0;
}
