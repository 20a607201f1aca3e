#include <knr_scenario.h>

static const char knr_description[] =
	"an echo reply injected on knr0: icmp_rcv hands it to ping_rcv, which finds the ping socket bound to its identifier; raw ICMP sockets see it first";

int main(void)
{
	knr_veth_pair();
	knr_sysctl("net.ipv4.ping_group_range", "0 0");
	int ping = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	int other = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	int raw = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	struct sockaddr_in at = { .sin_family = AF_INET, .sin_port = htons(0x4b4e) };
	bind(ping, (struct sockaddr *)&at, sizeof(at));
	struct sockaddr_in elsewhere = { .sin_family = AF_INET, .sin_port = htons(0x4b4f) };
	bind(other, (struct sockaddr *)&elsewhere, sizeof(elsewhere));
	knr_send(KNR_IF_PEER, knr_ipv4_icmp_echo_reply(KNR_ADDR_PEER, KNR_ADDR_VETH, 10));
	char buf[64];
	struct sockaddr_in from;
	socklen_t length = sizeof(from);
	recvfrom(ping, buf, sizeof(buf), 0, (struct sockaddr *)&from, &length);
	recvfrom(ping, buf, sizeof(buf), 0, (struct sockaddr *)&from, &length);
	recv(other, buf, sizeof(buf), 0);
	recvfrom(raw, buf, sizeof(buf), 0, (struct sockaddr *)&from, &length);
	recv(ping, buf, 4, 0);
	return 0;
}
