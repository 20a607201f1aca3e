#include <knr_scenario.h>

static const char knr_description[] = "IP_HDRINCL: the caller's IP header sent through lo; the kernel fills tot_len, the checksum and a zero source";

int main(void)
{
	int s = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	int rx = socket(AF_INET, SOCK_RAW, 253);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("127.0.0.1") };
	unsigned char header[24] = { 0x45, 0, 0, 0, 0x12, 0x34, 0, 0, 7, 253, 0, 0, 0, 0, 0, 0, 127, 0, 0, 1, 0x6b, 0x6e, 0x72, 0 };
	sendto(s, header, sizeof(header), 0, (struct sockaddr *)&to, sizeof(to));
	char full[64];
	recv(rx, full, sizeof(full), 0);
	recv(s, full, sizeof(full), 0);
	unsigned char zero_id[20] = { 0x45, 0x10, 0, 0, 0, 0, 0x40, 0, 64, 253, 0, 0, 127, 0, 0, 5, 127, 0, 0, 1 };
	sendto(s, zero_id, sizeof(zero_id), 0, (struct sockaddr *)&to, sizeof(to));
	recv(rx, full, sizeof(full), 0);
	unsigned char hashed_id[20] = { 0x45, 0, 0, 0, 0, 0, 0, 0, 64, 253, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1 };
	sendto(s, hashed_id, sizeof(hashed_id), 0, (struct sockaddr *)&to, sizeof(to));
	recv(rx, full, 4, MSG_TRUNC);
	sendto(s, header, 19, 0, (struct sockaddr *)&to, sizeof(to));
	unsigned char long_ihl[24] = { 0x46, 0, 0, 0, 0, 1, 0, 0, 64, 253, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1 };
	sendto(s, long_ihl, 20, 0, (struct sockaddr *)&to, sizeof(to));
	int one = 1;
	setsockopt(rx, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one));
	sendto(rx, header, sizeof(header), 0, (struct sockaddr *)&to, sizeof(to));
	recv(rx, full, sizeof(full), 0);
	return 0;
}
