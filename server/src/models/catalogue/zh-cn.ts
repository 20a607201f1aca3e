// 每个被建模的内核函数在这些套接字路径上做什么，写给读者（简体中文）。
export const zhCn: Readonly<Record<string, string>> = {
  __sys_socket: 'socket(2) 的入口：通过 __sock_create 创建套接字，再为它分配文件描述符。',
  __sock_create:
    '检查协议族和类型的范围，把 PF_INET + SOCK_PACKET 改写为 PF_PACKET，然后调用 net_families[family] 中该协议族的 create 函数。',
  __sys_setsockopt:
    'setsockopt(2) 的入口：SOL_SOCKET 选项交给 sock_setsockopt，其他层级交给 sock->ops->setsockopt。',
  do_sock_setsockopt: '较新内核中 setsockopt(2) 的主体：同样按 SOL_SOCKET 或 sock->ops->setsockopt 分派。',
  __sys_bind: 'bind(2) 的入口：从用户空间复制地址，调用 sock->ops->bind。',
  __sys_connect: 'connect(2) 的入口：从用户空间复制地址，再进入 __sys_connect_file。',
  __sys_connect_file: '用内核中的地址副本调用 sock->ops->connect。',
  __sys_recvfrom: 'recvfrom(2) 和 recv(2) 的入口：在用户缓冲区上构造 msghdr，调用 sock_recvmsg。',
  ____sys_recvmsg: 'recvmsg(2) 的主体：调用 sock_recvmsg，再把源地址、msg_flags 和控制消息长度写回用户空间。',
  sock_recvmsg: '先执行安全钩子，再调用 sock_recvmsg_nosec。',
  sock_recvmsg_nosec:
    '调用 sock->ops->recvmsg：packet 套接字是 packet_recvmsg，AF_INET 套接字是 inet_recvmsg。',
  __sock_release: '对套接字执行 close(2)：调用 sock->ops->release。',
  packet_create:
    '创建 packet 套接字：只接受 SOCK_DGRAM、SOCK_RAW 和 SOCK_PACKET，选择 packet_ops 或 packet_ops_spkt、packet_rcv 或 packet_rcv_spkt，协议号非零时注册接收钩子。',
  __register_prot_hook: '用 dev_add_pack 注册套接字的 packet_type 钩子，从此开始收到帧。',
  packet_setsockopt:
    'SOL_PACKET 选项；PACKET_AUXDATA 打开 tpacket_auxdata 控制消息，PACKET_QDISC_BYPASS 让发送经 dev_direct_xmit。',
  packet_bind: '对 packet 套接字执行 bind(2)：检查 sockaddr_ll，然后调用 packet_do_bind。',
  packet_do_bind: '把接收钩子移到指定的设备和协议上，两者之一改变时重新注册。',
  packet_release: '对 packet 套接字执行 close(2)：注销钩子并离开 net->packet.sklist。',
  run_filter: '对帧运行套接字的经典 BPF 过滤器；结果即截取长度（0 表示丢弃）。',
  packet_rcv:
    'SOCK_RAW 和 SOCK_DGRAM packet 套接字的钩子：保留或去掉链路层头，运行过滤器，记录 sockaddr_ll 和原始长度，把克隆放入接收队列。',
  packet_rcv_spkt: 'SOCK_PACKET 套接字的钩子：整个帧连同 struct sockaddr_pkt，经 sock_queue_rcv_skb 入队。',
  packet_recvmsg:
    'packet 套接字上的 recvmsg：除 MSG_PEEK、MSG_DONTWAIT、MSG_TRUNC、MSG_CMSG_COMPAT、MSG_ERRQUEUE 以外的标志返回 EINVAL；取出一个 skb 并复制（缓冲区不够时置 MSG_TRUNC），填写地址，开启 PACKET_AUXDATA 时附上 tpacket_auxdata（含 VLAN 标签）。',
  skb_recv_datagram:
    '取出 sk->sk_receive_queue 的第一个 skb（MSG_PEEK 时保留在队列中），最多等待到接收超时。',
  skb_queue_purge: '用 kfree_skb 释放队列中剩余的每个 skb（无丢弃原因：NOT_SPECIFIED）。',
  skb_queue_purge_reason: '把队列中的 skb 移到私有链表，并以给定的丢弃原因逐个释放（关闭时为 QUEUE_PURGE）。',
  skb_free_datagram: '用 consume_skb 释放接收者对已读数据报的引用；最后一个引用释放时该 skb 以“已消费”结束。',
  __skb_recv_datagram: 'skb_recv_datagram 的等待循环：先查队列，再睡眠直到有数据、超时或出错。',
  inet_create:
    '创建 AF_INET 套接字：在 inetsw[type] 中查找协议（任一方为 IPPROTO_IP 即通配），装上该项的 ops 和 proto，把原始套接字加入哈希表并执行 proto 的 init。',
  inet_recvmsg:
    'AF_INET 套接字上的 recvmsg：调用 sk->sk_prot->recvmsg（原始套接字为 raw_recvmsg）并设置 msg_namelen。',
  inet_bind: 'AF_INET 的 bind(2)：原始套接字有自己的 sk->sk_prot->bind（raw_bind）。',
  inet_dgram_connect: '数据报和原始套接字的 connect(2)：调用 sk->sk_prot->connect。',
  inet_release: 'AF_INET 的 close(2)：调用 sk->sk_prot->close。',
  sock_common_setsockopt: 'AF_INET 套接字的非 SOL_SOCKET 选项：调用 sk->sk_prot->setsockopt。',
  ping_init_sock:
    'ICMP 数据报（ping）套接字的初始化：只允许 net.ipv4.ping_group_range 中的组，默认范围为空。',
  raw_sk_init: '原始套接字的初始化（raw_prot.init）：清空 IPPROTO_ICMP 套接字的 ICMP 过滤器。',
  raw_hash_sk: '把原始套接字加入其协议对应的哈希桶，raw_v4_input 在那里找到它。',
  raw_close: '关闭原始套接字并把它移出哈希表。',
  raw_setsockopt: 'SOL_RAW 选项交给 do_raw_setsockopt，其他所有层级交给 ip_setsockopt。',
  do_raw_setsockopt: 'ICMP_FILTER（仅限 IPPROTO_ICMP 套接字）：要丢弃的 ICMP 类型的位掩码。',
  raw_bind: '原始套接字的 bind(2)：接受本地、组播、广播或任意地址，并据此设置本地地址。',
  __ip4_datagram_connect: '原始和 UDP 套接字的 connect(2)：查找路由，设置对端地址和本地地址。',
  raw_recvmsg:
    '原始套接字上的 recvmsg：MSG_OOB 返回 EOPNOTSUPP；从 IP 头开始复制数据报，缓冲区不够时置 MSG_TRUNC，标志中带 MSG_TRUNC 时返回完整长度。',
  raw_local_deliver: '把收到的数据报交给该协议哈希桶中的原始套接字。',
  raw_v4_input: '对每个匹配的原始套接字：检查 ICMP 过滤器，通过 raw_rcv 放入克隆；返回是否有套接字匹配。',
  raw_v4_match: '原始套接字按协议、已连接的对端地址、绑定的本地地址和绑定的设备匹配。',
  icmp_filter: '原始套接字的 ICMP_FILTER 是否屏蔽这个 ICMP 类型；短于 struct icmphdr 的消息总是被屏蔽。',
  raw_rcv: '把 skb->data 移回 IP 头，把克隆交给 raw_rcv_skb。',
  raw_rcv_skb: '通过 sock_queue_rcv_skb_reason 入队，过滤器拒绝或缓冲区满时丢弃。',
  sock_setsockopt: 'SOL_SOCKET 选项：调用 sk_setsockopt。',
  sk_setsockopt: 'SOL_SOCKET 选项：包括 SO_BINDTODEVICE、SO_ATTACH_FILTER、SO_DETACH_FILTER、SO_RCVBUF 等。',
  sock_queue_rcv_skb: '内联包装：不带丢弃原因的 sock_queue_rcv_skb_reason。',
  sock_queue_rcv_skb_reason: '先运行套接字过滤器（sk_filter），再用 __sock_queue_rcv_skb 入队。',
  __sock_queue_rcv_skb: 'sk_rmem_alloc 达到 sk_rcvbuf 时以 ENOMEM 拒绝，否则计入内存并入队。',
  sk_attach_filter: 'SO_ATTACH_FILTER：检查经典 BPF 程序并挂到套接字上。',
  sk_filter_trim_cap: '运行已挂载的过滤器：返回 0 时以 EPERM 丢弃，返回更小的长度时截短数据包。',
  veth_xmit: 'veth 对端发送：帧交给另一端的接收路径。',
  eth_type_trans: '根据目的 MAC 设置 pkt_type，去掉以太网头，返回以太网类型。',
  __netif_receive_skb_core:
    '设备接收：去掉 VLAN 标签，交给每个抓包钩子（ptype_all），没人处理的 VLAN 的帧标为 PACKET_OTHERHOST，再交给协议处理函数（ptype_base）。',
  eth_skb_pkt_type: '目的地址不是本设备时，把帧标为 PACKET_BROADCAST、PACKET_MULTICAST 或 PACKET_OTHERHOST。',
  inet_bind_sk: '较新内核中 inet_bind 的主体：原始套接字使用自己的 sk->sk_prot->bind（raw_bind）。',
  deliver_skb: '调用 packet_type 的处理函数：packet 套接字是 packet_rcv，IPv4 是 ip_rcv。',
  skb_vlan_untag: '把外层 VLAN 标签从数据移到 skb->vlan_tci 和 skb->vlan_proto。',
  dev_add_pack: '注册 packet_type：ETH_P_ALL 钩子进 ptype_all，其他协议进 ptype_base。',
  dev_queue_xmit_nit: '把发送的帧复制给每个抓包钩子，标为 PACKET_OUTGOING。',
  ip_rcv: 'IPv4 接收：ip_rcv_core 检查头部，然后路由并本地交付。',
  ip_rcv_core: '丢弃不是发给本机的帧（PACKET_OTHERHOST），设置传输层头。',
  ip_rcv_finish_core: '查路由：本地地址交付；其他地址因为未开启转发，路由输入为 ip_error。',
  ip_error: '本机不转发的目的地址的路由输入：未开启转发时丢弃数据报，按路由错误给出丢弃原因。',
  ip_local_deliver: 'LOCAL_IN 钩子之后的本地交付。',
  ip_local_deliver_finish: '去掉 IP 头，用协议号调用 ip_protocol_deliver_rcu。',
  ip_protocol_deliver_rcu:
    '先把数据报交给原始套接字，再调用 inet_protos[protocol]->handler；两者都没有时回复 ICMP 协议不可达。',
  icmp_rcv: 'ICMP 接收：按类型分派；回显请求会得到应答。',
  icmp_echo: '用回显应答回复回显请求。',
  __icmp_send: '发送引用出错头部的 ICMP 差错报文。',
  __udp4_lib_rcv: 'UDP 接收：端口上没有套接字时回复 ICMP 端口不可达。',
  tcp_v4_init_sock:
    '粗略模型：新建 AF_INET 流套接字时 TCP 的 sk_prot->init；socket() 成功（不模拟 TCP 流量）。',
  tcp_close: '粗略模型：关闭套接字时 TCP 的 sk_prot->close；套接字被释放（不模拟连接状态）。',
  udp_init_sock:
    '粗略模型：新建 AF_INET 数据报套接字时 UDP 的 sk_prot->init；socket() 成功（模型中没有接收数据的 UDP 套接字）。',
  udp_lib_close: '粗略模型：关闭套接字时 UDP 的 sk_prot->close；由 sk_common_release 释放。',
  ip_setsockopt: 'IP 层选项：SOL_IP 以外的层级返回 ENOPROTOOPT，SOL_IP 交给 do_ip_setsockopt。',
  do_ip_setsockopt:
    '读取一个 int（optlen 较短时读一个字节），设置或清除 IP_PKTINFO、IP_RECVTTL、IP_RECVTOS 的接收标志；其他 SOL_IP 选项未建模。',
  ipv4_pktinfo_prepare:
    '原始套接字接收时，若开启 IP_PKTINFO：把到达接口和特定目的地址（单播时即本地地址本身）记入 skb 控制块。',
  ip_cmsg_recv: '为接收该 skb 的套接字调用 ip_cmsg_recv_offset。',
  ip_cmsg_recv_offset: '按 IP_PKTINFO、IP_TTL、IP_TOS 的顺序添加套接字请求的 IP 控制消息。',
  ip_cmsg_recv_pktinfo: 'IP_PKTINFO 消息：struct in_pktinfo（接口、特定目的地址、头部目的地址）。',
  ip_cmsg_recv_ttl: 'IP_TTL 消息：收到的 IP 头的 TTL，以 int 表示。',
  ip_cmsg_recv_tos: 'IP_TOS 消息：收到的 IP 头的 TOS 字节。',
  __sys_getsockopt:
    'getsockopt(2) 的入口：SOL_SOCKET 选项交给 sock_getsockopt，其他层级交给 sock->ops->getsockopt（ops 没有时返回 EOPNOTSUPP）；6.x 起经由 do_sock_getsockopt。',
  do_sock_getsockopt: '6.x 起 getsockopt(2) 的主体：同样的 SOL_SOCKET 或 sock->ops->getsockopt 分派。',
  __sys_getsockname:
    'getsockname(2) 的入口：sock->ops->getname 填写 sockaddr_storage，move_addr_to_user 复制放得下的部分并写回完整长度。',
  sock_getsockopt: '6.x 之前的 SOL_SOCKET getsockopt：调用 sk_getsockopt。',
  sk_getsockopt:
    '以 int 读回 SOL_SOCKET 选项（已建模 SO_DOMAIN、SO_TYPE、SO_PROTOCOL、SO_RCVBUF）：len 截到 sizeof(int)，再复制值和 len。',
  sock_common_getsockopt:
    'AF_INET 套接字的 getsockopt：调用 sk->sk_prot->getsockopt（原始套接字为 raw_getsockopt）。',
  inet_getname:
    'AF_INET 套接字的 getsockname：绑定地址（否则源地址）和 inet_sport，原始套接字的 inet_sport 是其协议号。',
  raw_getsockopt: 'SOL_RAW 选项交给 do_raw_getsockopt，其他所有层级交给 ip_getsockopt。',
  do_raw_getsockopt: '只有 ICMP_FILTER，且仅限 IPPROTO_ICMP 套接字（否则 EOPNOTSUPP）；其他为 ENOPROTOOPT。',
  raw_geticmpfilter: '把过滤器的至多 sizeof(struct icmp_filter) 个字节及该长度复制回调用者。',
  ip_getsockopt: 'IP 层的 getsockopt：do_ip_getsockopt（它不认识的选项交给 netfilter）。',
  do_ip_getsockopt:
    'SOL_IP 以外的层级为 EOPNOTSUPP；IP_PKTINFO、IP_RECVTTL、IP_RECVTOS 读取各自的标志，缓冲区短于 int 时为一个字节。',
  packet_getsockopt:
    '读回 SOL_PACKET 选项：PACKET_STATISTICS（上次读取以来的包数和丢弃数，读后清零；接收缓冲区满时计入丢弃）、PACKET_AUXDATA、PACKET_ORIGDEV。',
  packet_getname:
    '包套接字的 getsockname：sockaddr_ll，含绑定的 ifindex、协议以及该设备的类型和地址（未绑定时没有）。',
  __sys_sendto: 'sendto(2) 和 send(2)：复制目的地址，清除内部标志，经 __sock_sendmsg 发送。',
  __sys_sendmsg: 'sendmsg(2)：原生入口拒绝 MSG_CMSG_COMPAT，然后调用 ___sys_sendmsg。',
  ___sys_sendmsg: '把用户的 msghdr 和 iovec 复制进内核（sendmsg_copy_msghdr），然后调用 ____sys_sendmsg。',
  ____sys_sendmsg: '用 sendmsg 的 flags 设置 msg_flags，经 __sock_sendmsg 发送（发送时的控制消息未建模）。',
  sock_write_iter: '套接字上的 write(2)：不带地址和标志的发送（SOCK_SEQPACKET 加 MSG_EOR）。',
  __sock_sendmsg: '安全钩子，然后 sock_sendmsg_nosec。',
  sock_sendmsg_nosec: '调用 sock->ops->sendmsg：AF_INET 套接字为 inet_sendmsg。',
  inet_sendmsg: 'AF_INET 套接字的 sendmsg：调用 sk->sk_prot->sendmsg（原始套接字为 raw_sendmsg）。',
  raw_sendmsg:
    '由内核构建 IP 头的原始发送：检查长度、标志和地址，查路由，然后 ip_append_data 和 ip_push_pending_frames；返回长度。',
  ip_append_data: '粗略模型：把数据复制进一个 skb，前面留出 IP 头的空间；超过 MTU 的数据报（分片）未建模。',
  ip_push_pending_frames: '构建 IP 头（ip_finish_skb）并发送数据报（ip_send_skb）。',
  __ip_make_skb: '粗略模型：IP 头：DF、TTL 64、套接字的协议和流的地址；标识字段来自带密钥的哈希，未建模。',
  ip_send_skb: '把数据报交给 ip_local_out。',
  ip_local_out: '__ip_local_out，然后 dst_output（这些路由为 ip_output）。',
  __ip_local_out: '设置总长度和头部校验和；场景中 LOCAL_OUT 钩子没有规则。',
  ip_output: '把 skb->dev 设为路由的设备，经 POST_ROUTING 后调用 ip_finish_output。',
  __ip_finish_output: '超过 MTU 的数据报要分片；放得下的交给 ip_finish_output2。',
  ip_finish_output2:
    '粗略模型：neigh_output 加上链路层头（lo：设备自己的地址，NUD_NOARP）并调用 dev_queue_xmit。',
  __dev_queue_xmit: '发送：场景中的设备没有排队规则（noqueue），帧直接交给 dev_hard_start_xmit。',
  dev_hard_start_xmit: '把每个帧交给 xmit_one。',
  xmit_one: '给抓包钩子一份 PACKET_OUTGOING 副本（dev_queue_xmit_nit），然后交给驱动（netdev_start_xmit）。',
  __netdev_start_xmit: '调用驱动的 ndo_start_xmit：lo 为 loopback_xmit。',
  loopback_xmit: 'lo 的发送：帧变成接收到的帧（eth_type_trans）并交给 __netif_rx。',
  __netif_rx: '粗略模型：把帧放入 backlog 队列，其软中断在发送返回之前经 __netif_receive_skb_core 处理它。',
  raw_send_hdrinc:
    'IP_HDRINCL：调用者的字节就是数据报；内核检查长度和 IHL，填入为 0 的源地址、tot_len、为 0 的标识（带 DF 时保持 0）和校验和，然后 dst_output。',
  packet_sendmsg: '没有发送环的包套接字上的 sendmsg：packet_snd。',
  packet_snd:
    '包发送：设备来自地址或绑定的设备（没有则 ENXIO），检查长度，链路层头由调用者写（SOCK_RAW）或由 dev_hard_header 写（SOCK_DGRAM），然后 dev_queue_xmit（设了 PACKET_QDISC_BYPASS 则 dev_direct_xmit）；只跟踪 lo 上内核没有处理程序的以太类型。',
  packet_xmit: 'dev_queue_xmit，或设了 PACKET_QDISC_BYPASS 时 dev_direct_xmit（场景中没有 egress 钩子）。',
  packet_direct_xmit:
    'PACKET_QDISC_BYPASS（po->xmit）：在 0 号发送队列上 dev_direct_xmit（场景中没有 egress 钩子）。',
  dev_direct_xmit: '__dev_direct_xmit；驱动没有接收的帧被释放。',
  __dev_direct_xmit:
    '旁路发送：检查设备已启用，校验帧并调用驱动，不经排队规则也不经 dev_queue_xmit_nit，因此抓包钩子得不到 PACKET_OUTGOING 副本。',
  ipv4_ping_group_range:
    'net.ipv4.ping_group_range 的 proc 处理函数：两个 0..GID_T_MAX 之内的组号（否则 EINVAL）；结束小于开始时存为 1 0，即没有组。',
  icmp_reply:
    '粗略模型：对经 lo 到来的请求的回显应答：沿用请求的 TOS，以请求的源地址为目的地址、以请求所发往的本地地址为源地址，不设 DF（因此标识是哈希出来的，未建模），经 ip_local_out 和 lo 发出。',
  ping_bind:
    'ping 套接字上的 bind：检查地址，然后以 sin_port 为标识（ping_get_port），并把 inet_sport 设为它。',
  ping_check_bind_addr:
    'AF_INET 的 sockaddr_in（或 AF_UNSPEC 加 INADDR_ANY），本地单播地址或 INADDR_ANY（EINVAL、EAFNOSUPPORT、EADDRNOTAVAIL）。',
  ping_get_port:
    '取得该标识，除非本命名空间已有套接字占用它（EADDRINUSE）；标识 0 来自所有命名空间共用的 ping_port_rover，未建模。',
  ping_close: '关闭 ping 套接字（sk_common_release，把它移出 ping_table）。',
  ping_common_sendmsg:
    '每次 ping 发送的检查：最多 65535 字节（EMSGSIZE）、完整的 ICMP 头（EINVAL）、不可用 MSG_OOB（EOPNOTSUPP）、代码为 0 的回显请求（EINVAL）。',
  ping_v4_sendmsg:
    'ping 发送：地址（EINVAL、EAFNOSUPPORT、EDESTADDRREQ）、路由，然后是调用者的 ICMP 头加上套接字的标识，经 ip_append_data；返回长度。',
  ping_v4_push_pending_frames: '写入 ICMP 头及覆盖整个消息的校验和，然后 ip_push_pending_frames。',
  ping_rcv: 'icmp_rcv 对回显应答的处理函数：绑定到应答标识的 ping 套接字得到一份克隆。',
  __ping_queue_rcv_skb:
    '把克隆放入 ping 套接字的接收队列；套接字拒收时（其过滤器、缓冲区已满）在此按原因释放它。',
  ping_lookup:
    '本命名空间中第一个具有该标识、未绑定地址或绑定到目的地址、未绑定设备或绑定到到达设备的 ping 套接字。',
  ping_recvmsg:
    'ping 套接字上的接收：ICMP 消息（含头部）、缓冲区较短时的 MSG_TRUNC、源地址以及所请求的 IP 控制消息。',
};
