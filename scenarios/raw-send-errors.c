#include <knr_scenario.h>

static const char knr_description[] = "raw_sendmsg's refusals: no address, a short or foreign address, MSG_OOB, too long, no route";

int main(void)
{
	int s = socket(AF_INET, SOCK_RAW, 253);
	char payload[16] = "knr";
	send(s, payload, sizeof(payload), 0);
	write(s, payload, sizeof(payload));
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("127.0.0.1") };
	sendto(s, payload, sizeof(payload), 0, (struct sockaddr *)&to, 8);
	sendto(s, payload, sizeof(payload), MSG_OOB, (struct sockaddr *)&to, sizeof(to));
	char large[65536];
	sendto(s, large, sizeof(large), 0, (struct sockaddr *)&to, sizeof(to));
	struct sockaddr_in away = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("192.0.2.1") };
	sendto(s, payload, sizeof(payload), 0, (struct sockaddr *)&away, sizeof(away));
	struct sockaddr_in foreign = { .sin_family = AF_INET6, .sin_addr.s_addr = inet_addr("127.0.0.1") };
	sendto(s, payload, sizeof(payload), 0, (struct sockaddr *)&foreign, sizeof(foreign));
	connect(s, (struct sockaddr *)&to, sizeof(to));
	send(s, payload, sizeof(payload), 0);
	write(s, payload, 4);
	char head[4];
	recv(s, head, sizeof(head), MSG_TRUNC);
	recv(s, head, sizeof(head), MSG_TRUNC);
	return 0;
}
