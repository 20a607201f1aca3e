// SPDX-License-Identifier: MIT
#include <knr_scenario.h>

static const char knr_description[] = "AF_PACKET accepts only SOCK_RAW, SOCK_DGRAM and SOCK_PACKET: SOCK_STREAM fails";

int main(void)
{
	socket(AF_PACKET, SOCK_STREAM, htons(ETH_P_ALL));
	return 0;
}
