#include <knr_scenario.h>

static const char knr_description[] = "sendto on a raw socket to 127.0.0.1: out through lo and back in to each raw socket of its protocol";

int main(void)
{
	int tx = socket(AF_INET, SOCK_RAW, 253);
	int rx = socket(AF_INET, SOCK_RAW, 253);
	int other = socket(AF_INET, SOCK_RAW, 254);
	char payload[32] = "knr";
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("127.0.0.1") };
	sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to));
	char head[4];
	struct sockaddr_in from;
	socklen_t length = sizeof(from);
	recvfrom(rx, head, sizeof(head), MSG_TRUNC, (struct sockaddr *)&from, &length);
	recv(tx, head, sizeof(head), MSG_TRUNC);
	recv(other, head, sizeof(head), MSG_TRUNC);
	struct iovec iov = { .iov_base = payload, .iov_len = 8 };
	struct sockaddr_in second = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("127.0.0.2") };
	struct msghdr message = { .msg_name = &second, .msg_namelen = sizeof(second), .msg_iov = &iov, .msg_iovlen = 1 };
	sendmsg(tx, &message, 0);
	recv(rx, head, sizeof(head), MSG_TRUNC);
	return 0;
}
