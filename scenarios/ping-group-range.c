#include <knr_scenario.h>

static const char knr_description[] =
	"knr_sysctl sets the namespace's net.ipv4.ping_group_range: ping_init_sock refuses a ping socket (EACCES) until root's group is in it; bad values EINVAL, an inverted range means none";

int main(void)
{
	socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	knr_sysctl("net.ipv4.ping_group_range", "0 2147483647");
	int ping = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	knr_sysctl("net.ipv4.ping_group_range", "5 -1");
	knr_sysctl("net.ipv4.ping_group_range", "0 4294967295");
	knr_sysctl("net.ipv4.ping_group_range", "10 3");
	socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	knr_sysctl("net.ipv4.ping_group_range", "0 0");
	int again = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	return 0;
}
