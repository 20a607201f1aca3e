#include <knr_scenario.h>

static const char knr_description[] =
	"PACKET_QDISC_BYPASS: packet_snd goes to dev_direct_xmit, past dev_queue_xmit_nit, so a tap on lo sees the frame only as it comes back in (PACKET_HOST), not as PACKET_OUTGOING";

int main(void)
{
	int tap = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	int tx = socket(AF_PACKET, SOCK_RAW, htons(0x88b5));
	int value = 7;
	socklen_t length = sizeof(value);
	getsockopt(tx, SOL_PACKET, PACKET_QDISC_BYPASS, &value, &length);
	int one = 1;
	setsockopt(tx, SOL_PACKET, PACKET_QDISC_BYPASS, &one, 1);
	setsockopt(tx, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	getsockopt(tx, SOL_PACKET, PACKET_QDISC_BYPASS, &value, &length);
	char frame[20] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0xb5, 1, 2, 3, 4, 5, 6 };
	struct sockaddr_ll lo = { .sll_family = AF_PACKET, .sll_protocol = htons(0x88b5), .sll_ifindex = KNR_IFINDEX_LO, .sll_halen = 6 };
	sendto(tx, frame, sizeof(frame), 0, (struct sockaddr *)&lo, sizeof(lo));
	char buf[64];
	struct sockaddr_ll from;
	socklen_t from_length = sizeof(from);
	recvfrom(tap, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &from_length);
	recvfrom(tap, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &from_length);
	recvfrom(tx, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &from_length);
	int zero = 0;
	setsockopt(tx, SOL_PACKET, PACKET_QDISC_BYPASS, &zero, sizeof(zero));
	getsockopt(tx, SOL_PACKET, PACKET_QDISC_BYPASS, &value, &length);
	sendto(tx, frame, sizeof(frame), 0, (struct sockaddr *)&lo, sizeof(lo));
	recvfrom(tap, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &from_length);
	recvfrom(tap, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &from_length);
	recvfrom(tap, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &from_length);
	return 0;
}
