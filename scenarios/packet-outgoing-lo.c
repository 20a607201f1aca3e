#include <knr_scenario.h>

static const char knr_description[] =
	"packet sockets on lo see a raw send twice, PACKET_OUTGOING (dev_queue_xmit_nit) then PACKET_HOST; PACKET_IGNORE_OUTGOING keeps the second";

int main(void)
{
	int all = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	int quiet = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	int one = 1;
	setsockopt(quiet, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	int value = 0;
	socklen_t value_length = sizeof(value);
	getsockopt(quiet, SOL_PACKET, PACKET_IGNORE_OUTGOING, &value, &value_length);
	int ip = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	int tx = socket(AF_INET, SOCK_RAW, 253);
	char payload[8];
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("127.0.0.1") };
	sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to));
	char head[14];
	struct sockaddr_ll from;
	socklen_t length = sizeof(from);
	recvfrom(all, head, sizeof(head), MSG_TRUNC, (struct sockaddr *)&from, &length);
	recvfrom(all, head, sizeof(head), MSG_TRUNC, (struct sockaddr *)&from, &length);
	recvfrom(all, head, sizeof(head), MSG_TRUNC, (struct sockaddr *)&from, &length);
	recvfrom(quiet, head, sizeof(head), MSG_TRUNC, (struct sockaddr *)&from, &length);
	recvfrom(quiet, head, sizeof(head), MSG_TRUNC, (struct sockaddr *)&from, &length);
	recvfrom(ip, head, 4, MSG_TRUNC, (struct sockaddr *)&from, &length);
	recvfrom(ip, head, 4, MSG_TRUNC, (struct sockaddr *)&from, &length);
	return 0;
}
