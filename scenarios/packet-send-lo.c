#include <knr_scenario.h>

static const char knr_description[] =
	"packet_snd on lo: SOCK_RAW with the caller's link header, SOCK_DGRAM with dev_hard_header from sll_addr; the taps see it out and back in";

int main(void)
{
	int tap = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	int raw = socket(AF_PACKET, SOCK_RAW, htons(0x88b5));
	int dgram = socket(AF_PACKET, SOCK_DGRAM, htons(0x88b5));
	char frame[20] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0xb5, 1, 2, 3, 4, 5, 6 };
	send(raw, frame, sizeof(frame), 0);
	struct sockaddr_ll lo = { .sll_family = AF_PACKET, .sll_protocol = htons(0x88b5), .sll_ifindex = KNR_IFINDEX_LO, .sll_halen = 6 };
	sendto(raw, frame, sizeof(frame), 0, (struct sockaddr *)&lo, sizeof(lo));
	sendto(raw, frame, 10, 0, (struct sockaddr *)&lo, sizeof(lo));
	sendto(raw, frame, sizeof(frame), 0, (struct sockaddr *)&lo, 12);
	sendto(dgram, frame, 6, 0, (struct sockaddr *)&lo, sizeof(lo));
	bind(raw, (struct sockaddr *)&lo, sizeof(lo));
	write(raw, frame, sizeof(frame));
	char buf[64];
	struct sockaddr_ll from;
	socklen_t length = sizeof(from);
	for (int i = 0; i < 6; i++) {
		recvfrom(tap, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &length);
	}
	recv(raw, buf, sizeof(buf), 0);
	recv(raw, buf, sizeof(buf), 0);
	recv(raw, buf, sizeof(buf), 0);
	recv(dgram, buf, sizeof(buf), 0);
	recv(dgram, buf, sizeof(buf), 0);
	return 0;
}
