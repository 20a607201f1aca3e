/*
 * Asks the running kernel about classic BPF programs, one per input line:
 *   N code jt jf k [code jt jf k ...] HEX
 * For each line: attach the program with SO_ATTACH_FILTER to the receiving end of a fresh
 * AF_UNIX datagram socketpair (unix_dgram_sendmsg runs sk_filter on the receiver), send the HEX
 * payload, and print "ATTACH_ERRNO RECEIVED_LENGTH": errno 0 when attached, and the length the
 * receiver gets (-1 when the filter dropped the datagram, -2 when nothing was attached).
 * No network traffic: the datagram never leaves the process.
 */
#include <errno.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_INSNS 70000
#define MAX_PACKET 4096

static struct sock_filter insns[MAX_INSNS];
static unsigned char packet[MAX_PACKET];
static unsigned char received[MAX_PACKET + 1];

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int main(void)
{
	unsigned long count;

	while (scanf("%lu", &count) == 1) {
		char hex[2 * MAX_PACKET + 2];
		struct sock_fprog fprog;
		size_t length = 0;
		int pair[2], attach_errno = 0;
		ssize_t got;

		if (count > MAX_INSNS)
			return 2;
		for (unsigned long i = 0; i < count; i++) {
			unsigned int code, jt, jf, k;

			if (scanf("%u %u %u %u", &code, &jt, &jf, &k) != 4)
				return 2;
			insns[i].code = code;
			insns[i].jt = jt;
			insns[i].jf = jf;
			insns[i].k = k;
		}
		if (scanf("%8193s", hex) != 1)
			return 2;
		if (strcmp(hex, "-") != 0) {
			for (size_t i = 0; hex[i] && hex[i + 1] && length < MAX_PACKET; i += 2)
				packet[length++] = hex_value(hex[i]) * 16 + hex_value(hex[i + 1]);
		}

		if (socketpair(AF_UNIX, SOCK_DGRAM, 0, pair) != 0)
			return 3;
		fprog.len = count;
		fprog.filter = insns;
		if (setsockopt(pair[1], SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(fprog)) != 0)
			attach_errno = errno;
		if (attach_errno == 0) {
			if (send(pair[0], packet, length, 0) != (ssize_t)length)
				return 4;
			got = recv(pair[1], received, sizeof(received), MSG_DONTWAIT);
			if (got < 0 && errno != EAGAIN)
				return 5;
		} else {
			got = -2;
		}
		printf("%d %zd\n", attach_errno, got < 0 && attach_errno == 0 ? (ssize_t)-1 : got);
		fflush(stdout);
		close(pair[0]);
		close(pair[1]);
	}
	return 0;
}
