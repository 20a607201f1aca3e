#include <knr_scenario.h>

static const char knr_description[] =
	"ping_v4_sendmsg to 127.0.0.1: the echo request through lo to icmp_echo, whose reply comes back through lo to ping_rcv; a raw ICMP socket sees both";

int main(void)
{
	knr_sysctl("net.ipv4.ping_group_range", "0 0");
	int ping = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	int raw = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	struct sockaddr_in at = { .sin_family = AF_INET, .sin_port = htons(0x4b4e) };
	bind(ping, (struct sockaddr *)&at, sizeof(at));
	socklen_t at_length = sizeof(at);
	getsockname(ping, (struct sockaddr *)&at, &at_length);
	char echo[12] = { 8, 0, 0, 0, 0, 0, 0, 7, 'k', 'n', 'r', '!' };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("127.0.0.1") };
	sendto(ping, echo, sizeof(echo), 0, (struct sockaddr *)&to, sizeof(to));
	char reply[64];
	struct sockaddr_in from;
	socklen_t length = sizeof(from);
	recvfrom(ping, reply, sizeof(reply), 0, (struct sockaddr *)&from, &length);
	recvfrom(ping, reply, sizeof(reply), 0, (struct sockaddr *)&from, &length);
	char head[4];
	recv(raw, head, sizeof(head), MSG_TRUNC);
	recv(raw, head, sizeof(head), MSG_TRUNC);
	recv(raw, head, sizeof(head), MSG_TRUNC);
	sendto(ping, echo, 7, 0, (struct sockaddr *)&to, sizeof(to));
	char echo_reply[8] = { 0, 0, 0, 0, 0, 0, 0, 7 };
	sendto(ping, echo_reply, sizeof(echo_reply), 0, (struct sockaddr *)&to, sizeof(to));
	send(ping, echo, sizeof(echo), 0);
	return 0;
}
