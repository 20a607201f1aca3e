// What each modelled kernel function does on the socket paths, for a reader (English).
export const en: Readonly<Record<string, string>> = {
  __sys_socket:
    'Entry of socket(2): creates the socket through __sock_create, then gives it a file descriptor.',
  __sock_create:
    'Checks the family and type ranges, rewrites PF_INET + SOCK_PACKET to PF_PACKET, then calls the family’s create function from net_families[family].',
  __sys_setsockopt:
    'Entry of setsockopt(2): SOL_SOCKET options go to sock_setsockopt, every other level to sock->ops->setsockopt.',
  do_sock_setsockopt:
    'Since 6.x the body of setsockopt(2): the same SOL_SOCKET or sock->ops->setsockopt dispatch.',
  __sys_bind: 'Entry of bind(2): copies the address from user space and calls sock->ops->bind.',
  __sys_connect: 'Entry of connect(2): copies the address from user space, then __sys_connect_file.',
  __sys_connect_file: 'Calls sock->ops->connect with the kernel copy of the address.',
  __sys_recvfrom:
    'Entry of recvfrom(2) and recv(2): builds a msghdr over the user buffer and calls sock_recvmsg.',
  ____sys_recvmsg:
    'The body of recvmsg(2): calls sock_recvmsg, then copies the source address, msg_flags and the control length back.',
  sock_recvmsg: 'Runs the security hook, then sock_recvmsg_nosec.',
  sock_recvmsg_nosec:
    'Calls sock->ops->recvmsg: packet_recvmsg for packet sockets, inet_recvmsg for AF_INET ones.',
  __sock_release: 'close(2) on a socket: calls sock->ops->release.',
  packet_create:
    'Creates a packet socket: accepts only SOCK_DGRAM, SOCK_RAW and SOCK_PACKET, picks packet_ops or packet_ops_spkt and packet_rcv or packet_rcv_spkt, and registers the receive hook when the protocol is non-zero.',
  __register_prot_hook: 'Adds the socket’s packet_type hook with dev_add_pack, so frames start arriving.',
  packet_setsockopt:
    'SOL_PACKET options; PACKET_AUXDATA turns on the tpacket_auxdata control message, PACKET_QDISC_BYPASS sends through dev_direct_xmit.',
  packet_bind: 'bind(2) on a packet socket: checks the sockaddr_ll, then packet_do_bind.',
  packet_do_bind:
    'Moves the receive hook to the requested device and protocol, re-registering it when either changed.',
  packet_release: 'close(2) on a packet socket: unregisters the hook and leaves net->packet.sklist.',
  run_filter: 'Runs the socket’s classic BPF filter on a frame; the result is the snap length (0 drops).',
  packet_rcv:
    'The hook of SOCK_RAW and SOCK_DGRAM packet sockets: keeps or strips the link-layer header, runs the filter, records the sockaddr_ll and the original length, and queues a clone.',
  packet_rcv_spkt:
    'The hook of SOCK_PACKET sockets: the whole frame, with a struct sockaddr_pkt, through sock_queue_rcv_skb.',
  packet_recvmsg:
    'recvmsg on a packet socket: rejects flags other than MSG_PEEK, MSG_DONTWAIT, MSG_TRUNC, MSG_CMSG_COMPAT and MSG_ERRQUEUE with EINVAL, takes one skb, copies it (MSG_TRUNC when the buffer is short), fills the address and, with PACKET_AUXDATA, the tpacket_auxdata message (VLAN tag included).',
  skb_recv_datagram:
    'Takes the first skb of sk->sk_receive_queue (MSG_PEEK leaves it there), waiting up to the receive timeout.',
  skb_queue_purge: 'Frees every skb left on a queue with kfree_skb (no drop reason: NOT_SPECIFIED).',
  skb_queue_purge_reason:
    'Moves a queue’s skbs to a private list and frees each with the given drop reason (QUEUE_PURGE when closing).',
  skb_free_datagram:
    'Drops the receiver’s reference to a datagram it has read with consume_skb; the last reference ends the skb as consumed.',
  __skb_recv_datagram:
    'The wait loop of skb_recv_datagram: try the queue, then sleep until data, timeout or error.',
  inet_create:
    'Creates an AF_INET socket: walks inetsw[type] for the protocol (IPPROTO_IP is a wildcard on either side), installs the entry’s ops and proto, hashes raw sockets and runs the proto’s init.',
  inet_recvmsg:
    'recvmsg on an AF_INET socket: calls sk->sk_prot->recvmsg (raw_recvmsg for raw sockets) and sets msg_namelen.',
  inet_bind: 'bind(2) on AF_INET: raw sockets have their own sk->sk_prot->bind (raw_bind).',
  inet_dgram_connect: 'connect(2) on datagram and raw sockets: calls sk->sk_prot->connect.',
  inet_release: 'close(2) on AF_INET: calls sk->sk_prot->close.',
  sock_common_setsockopt: 'Non-SOL_SOCKET options of AF_INET sockets: calls sk->sk_prot->setsockopt.',
  ping_init_sock:
    'Init of ICMP datagram (ping) sockets: allowed only for groups in net.ipv4.ping_group_range, empty by default.',
  raw_sk_init: 'Init of raw sockets (raw_prot.init): clears the ICMP filter of IPPROTO_ICMP sockets.',
  raw_hash_sk: 'Adds the raw socket to the raw hash bucket of its protocol, where raw_v4_input finds it.',
  raw_close: 'Closes a raw socket and takes it out of the raw hash.',
  raw_setsockopt: 'SOL_RAW options go to do_raw_setsockopt; every other level to ip_setsockopt.',
  do_raw_setsockopt: 'ICMP_FILTER (only on IPPROTO_ICMP sockets): a bit mask of ICMP types to drop.',
  raw_bind:
    'bind(2) on a raw socket: accepts local, multicast, broadcast or any address and sets the local address to match.',
  __ip4_datagram_connect:
    'connect(2) for raw and UDP sockets: finds a route, sets the peer address and the local one.',
  raw_recvmsg:
    'recvmsg on a raw socket: MSG_OOB fails with EOPNOTSUPP; copies the datagram from the IP header, sets MSG_TRUNC when the buffer is short and returns the full length with MSG_TRUNC in flags.',
  raw_local_deliver: 'Offers a received datagram to the raw sockets of its protocol’s hash bucket.',
  raw_v4_input:
    'For each raw socket that matches: checks the ICMP filter and queues a clone through raw_rcv; reports whether any matched.',
  raw_v4_match:
    'A raw socket matches on protocol, connected peer address, bound local address and bound device.',
  icmp_filter:
    'Whether the raw socket’s ICMP_FILTER blocks this ICMP type; a message shorter than struct icmphdr is always blocked.',
  raw_rcv: 'Puts skb->data back at the IP header and hands the clone to raw_rcv_skb.',
  raw_rcv_skb:
    'Queues the datagram with sock_queue_rcv_skb_reason, dropping it on a filter verdict or a full buffer.',
  sock_setsockopt: 'SOL_SOCKET options: calls sk_setsockopt.',
  sk_setsockopt:
    'SOL_SOCKET options: SO_BINDTODEVICE, SO_ATTACH_FILTER, SO_DETACH_FILTER, SO_RCVBUF, among others.',
  sock_queue_rcv_skb: 'Inline wrapper: sock_queue_rcv_skb_reason without a drop reason.',
  sock_queue_rcv_skb_reason: 'Runs the socket filter (sk_filter), then queues with __sock_queue_rcv_skb.',
  __sock_queue_rcv_skb:
    'Refuses the skb with ENOMEM when sk_rmem_alloc has reached sk_rcvbuf, else charges it and queues it.',
  sk_attach_filter: 'SO_ATTACH_FILTER: checks the classic BPF program and attaches it to the socket.',
  sk_filter_trim_cap: 'Runs the attached filter: 0 drops the packet with EPERM, a smaller length trims it.',
  veth_xmit: 'The veth peer transmits: the frame is handed to the other end’s receive path.',
  eth_type_trans:
    'Sets pkt_type from the destination MAC, pulls the Ethernet header and returns the EtherType.',
  __netif_receive_skb_core:
    'Device receive: untags a VLAN frame, delivers to every tap (ptype_all), marks frames of unhandled VLANs PACKET_OTHERHOST, then the protocol handlers (ptype_base).',
  eth_skb_pkt_type:
    'Marks a frame PACKET_BROADCAST, PACKET_MULTICAST or PACKET_OTHERHOST when it is not addressed to the device.',
  inet_bind_sk: 'The body of inet_bind since 6.x: raw sockets use their own sk->sk_prot->bind (raw_bind).',
  deliver_skb: 'Calls a packet_type handler: packet_rcv for a packet socket, ip_rcv for IPv4.',
  skb_vlan_untag: 'Moves the outer VLAN tag from the data into skb->vlan_tci and skb->vlan_proto.',
  dev_add_pack: 'Registers a packet_type: ETH_P_ALL taps on ptype_all, other protocols on ptype_base.',
  dev_queue_xmit_nit: 'Gives every tap a copy of a transmitted frame, marked PACKET_OUTGOING.',
  ip_rcv: 'IPv4 receive: header checks in ip_rcv_core, then routing and local delivery.',
  ip_rcv_core: 'Drops frames not addressed to this host (PACKET_OTHERHOST) and sets the transport header.',
  ip_rcv_finish_core:
    'The route lookup: local addresses are delivered; others get ip_error as their input, since forwarding is off.',
  ip_error:
    'The route input for a destination this host does not forward to: with forwarding off it drops the datagram, naming the route error as the reason.',
  ip_local_deliver: 'Local delivery after the LOCAL_IN hook.',
  ip_local_deliver_finish: 'Pulls the IP header and calls ip_protocol_deliver_rcu with the protocol number.',
  ip_protocol_deliver_rcu:
    'Offers the datagram to raw sockets first, then calls inet_protos[protocol]->handler; with neither, answers ICMP protocol unreachable.',
  icmp_rcv: 'ICMP receive: dispatches on the type; an echo request is answered.',
  icmp_echo: 'Answers an echo request with an echo reply.',
  __icmp_send: 'Sends an ICMP error quoting the offending header.',
  __udp4_lib_rcv: 'UDP receive: with no socket on the port, answers ICMP port unreachable.',
  tcp_v4_init_sock:
    "Coarse: TCP's sk_prot->init for a new AF_INET stream socket; socket() succeeds (no TCP traffic is modelled).",
  tcp_close:
    "Coarse: TCP's sk_prot->close when the socket is closed; it is freed (no connection state is modelled).",
  udp_init_sock:
    "Coarse: UDP's sk_prot->init for a new AF_INET datagram socket; socket() succeeds (no UDP socket receives in the models).",
  udp_lib_close: "Coarse: UDP's sk_prot->close when the socket is closed; sk_common_release frees it.",
  ip_setsockopt:
    'IP-level options: any level other than SOL_IP is ENOPROTOOPT, SOL_IP goes to do_ip_setsockopt.',
  do_ip_setsockopt:
    'Reads an int (or one byte when optlen is shorter) and sets or clears the receive flags of IP_PKTINFO, IP_RECVTTL and IP_RECVTOS; other SOL_IP options are not modelled.',
  ipv4_pktinfo_prepare:
    'On raw receive, when IP_PKTINFO is on: records the arrival interface and the specific destination (the local address itself for unicast) in the skb control block.',
  ip_cmsg_recv: 'Calls ip_cmsg_recv_offset for the socket that received the skb.',
  ip_cmsg_recv_offset:
    'Adds the IP control messages the socket asked for, in this order: IP_PKTINFO, IP_TTL, IP_TOS.',
  ip_cmsg_recv_pktinfo:
    'The IP_PKTINFO message: struct in_pktinfo (interface, specific destination, header destination).',
  ip_cmsg_recv_ttl: 'The IP_TTL message: the received header’s TTL as an int.',
  ip_cmsg_recv_tos: 'The IP_TOS message: the received header’s TOS byte.',
  __sys_getsockopt:
    'Entry of getsockopt(2): SOL_SOCKET options go to sock_getsockopt, other levels to sock->ops->getsockopt (EOPNOTSUPP when the ops have none); since 6.x through do_sock_getsockopt.',
  do_sock_getsockopt:
    'Since 6.x the body of getsockopt(2): the same SOL_SOCKET or sock->ops->getsockopt dispatch.',
  __sys_getsockname:
    'Entry of getsockname(2): sock->ops->getname fills a sockaddr_storage, move_addr_to_user copies what fits and stores the full length.',
  sock_getsockopt: 'SOL_SOCKET getsockopt before 6.x: calls sk_getsockopt.',
  sk_getsockopt:
    'Reads SOL_SOCKET options back as an int (SO_DOMAIN, SO_TYPE, SO_PROTOCOL, SO_RCVBUF are modelled): len is cut to sizeof(int), then the value and len are copied out.',
  sock_common_getsockopt:
    'getsockopt of AF_INET sockets: calls sk->sk_prot->getsockopt (raw_getsockopt for raw sockets).',
  inet_getname:
    'getsockname on an AF_INET socket: the bound address (else the source address) and inet_sport, which a raw socket sets to its protocol.',
  raw_getsockopt: 'SOL_RAW options go to do_raw_getsockopt; every other level to ip_getsockopt.',
  do_raw_getsockopt:
    'ICMP_FILTER only, and only on IPPROTO_ICMP sockets (else EOPNOTSUPP); anything else is ENOPROTOOPT.',
  raw_geticmpfilter:
    'Copies at most sizeof(struct icmp_filter) bytes of the filter, and that length, back to the caller.',
  ip_getsockopt:
    'getsockopt at the IP level: do_ip_getsockopt (netfilter gets the options it does not know).',
  do_ip_getsockopt:
    'Any level other than SOL_IP is EOPNOTSUPP; IP_PKTINFO, IP_RECVTTL and IP_RECVTOS read their flag, as one byte when the buffer is shorter than an int.',
  packet_getsockopt:
    'SOL_PACKET options read back: PACKET_STATISTICS (packets and drops since the last read, then reset; drops are counted when the receive buffer is full), PACKET_AUXDATA, PACKET_ORIGDEV.',
  packet_getname:
    'getsockname on a packet socket: a sockaddr_ll with the bound ifindex and protocol and that device’s type and address (none when unbound).',
  __sys_sendto:
    'sendto(2) and send(2): copies the destination address in, clears the internal flags, and sends through __sock_sendmsg.',
  __sys_sendmsg: 'sendmsg(2): refuses MSG_CMSG_COMPAT on the native entry, then ___sys_sendmsg.',
  ___sys_sendmsg:
    "Copies the user's msghdr and iovecs into the kernel (sendmsg_copy_msghdr), then ____sys_sendmsg.",
  ____sys_sendmsg:
    "Sets msg_flags from sendmsg's flags and sends through __sock_sendmsg (control messages on send are not modelled).",
  sock_write_iter: 'write(2) on a socket: a send with no address and no flags (MSG_EOR for SOCK_SEQPACKET).',
  __sock_sendmsg: 'The security hook, then sock_sendmsg_nosec.',
  sock_sendmsg_nosec: 'Calls sock->ops->sendmsg: inet_sendmsg for AF_INET sockets.',
  inet_sendmsg: 'sendmsg on an AF_INET socket: calls sk->sk_prot->sendmsg (raw_sendmsg for raw sockets).',
  raw_sendmsg:
    'Raw send with a kernel-built IP header: checks the length, flags and address, routes, then ip_append_data and ip_push_pending_frames; returns the length.',
  ip_append_data:
    'Coarse: copies the data into one skb after room for the IP header; a datagram longer than the MTU (fragments) is not modelled.',
  ip_push_pending_frames: 'Builds the IP header (ip_finish_skb) and sends the datagram (ip_send_skb).',
  __ip_make_skb:
    "Coarse: the IP header: DF, TTL 64, the socket's protocol and the flow's addresses; the identification comes from a keyed hash and is not modelled.",
  ip_send_skb: 'Hands the datagram to ip_local_out.',
  ip_local_out: '__ip_local_out, then dst_output (ip_output for these routes).',
  __ip_local_out:
    'Sets the total length and the header checksum; the LOCAL_OUT hook has no rules in a scenario.',
  ip_output: "Sets skb->dev to the route's device, then ip_finish_output after POST_ROUTING.",
  __ip_finish_output: 'Fragments a datagram longer than the MTU; one that fits goes to ip_finish_output2.',
  ip_finish_output2:
    "Coarse: neigh_output puts the link header on (lo: the device's own address, NUD_NOARP) and calls dev_queue_xmit.",
  __dev_queue_xmit:
    'Transmit: the scenario devices have no qdisc (noqueue), so the frame goes to dev_hard_start_xmit.',
  dev_hard_start_xmit: 'Hands each frame to xmit_one.',
  xmit_one:
    'Gives the taps a PACKET_OUTGOING copy (dev_queue_xmit_nit), then the driver (netdev_start_xmit).',
  __netdev_start_xmit: "Calls the driver's ndo_start_xmit: loopback_xmit for lo.",
  loopback_xmit: "lo's transmit: the frame becomes a received one (eth_type_trans) and goes to __netif_rx.",
  __netif_rx:
    'Coarse: queues the frame to the backlog, whose softirq runs it through __netif_receive_skb_core before the send returns.',
  raw_send_hdrinc:
    "IP_HDRINCL: the caller's bytes are the datagram; the kernel checks the length and IHL, fills a zero source, tot_len, a zero id (kept 0 with DF) and the checksum, then dst_output.",
  packet_sendmsg: 'sendmsg on a packet socket without a TX ring: packet_snd.',
  packet_snd:
    "Packet send: the device from the address or the bound one (ENXIO without), the length checks, the link header from the caller (SOCK_RAW) or dev_hard_header (SOCK_DGRAM), then dev_queue_xmit (dev_direct_xmit with PACKET_QDISC_BYPASS); only lo's transmit, for EtherTypes no kernel handler takes, is followed.",
  packet_xmit: 'dev_queue_xmit, or with PACKET_QDISC_BYPASS dev_direct_xmit (no egress hook in a scenario).',
  packet_direct_xmit:
    'PACKET_QDISC_BYPASS (po->xmit): dev_direct_xmit on TX queue 0 (no egress hook in a scenario).',
  dev_direct_xmit: '__dev_direct_xmit; a frame the driver did not take is freed.',
  __dev_direct_xmit:
    'Bypass transmit: checks the device is up, validates the frame and calls the driver, without the qdisc and without dev_queue_xmit_nit, so taps get no PACKET_OUTGOING copy.',
  ipv4_ping_group_range:
    'The proc handler of net.ipv4.ping_group_range: two group ids within 0..GID_T_MAX (EINVAL otherwise); an end below the start stores 1 0, no group.',
  icmp_reply:
    "Coarse: the echo reply to a request that came through lo: the request's TOS, its source as destination and the local address it was sent to as source, no DF (so a hashed, unmodelled identification), out through ip_local_out and lo.",
  ping_bind:
    'bind on a ping socket: checks the address, then takes the identifier from sin_port (ping_get_port) and sets inet_sport to it.',
  ping_check_bind_addr:
    'A sockaddr_in of AF_INET (or AF_UNSPEC with INADDR_ANY), and a local unicast address or INADDR_ANY (EINVAL, EAFNOSUPPORT, EADDRNOTAVAIL).',
  ping_get_port:
    'Takes the identifier unless a socket of this namespace holds it (EADDRINUSE); identifier 0 comes from ping_port_rover, shared by every namespace, and is not modelled.',
  ping_close: 'Closes a ping socket (sk_common_release, which takes it out of ping_table).',
  ping_common_sendmsg:
    'The checks every ping send makes: at most 65535 bytes (EMSGSIZE), a whole ICMP header (EINVAL), no MSG_OOB (EOPNOTSUPP), and an echo request of code 0 (EINVAL).',
  ping_v4_sendmsg:
    "Ping send: the address (EINVAL, EAFNOSUPPORT, EDESTADDRREQ), the route, then the caller's ICMP header with the socket's identifier, through ip_append_data; returns the length.",
  ping_v4_push_pending_frames:
    'Writes the ICMP header with its checksum over the whole message, then ip_push_pending_frames.',
  ping_rcv:
    "icmp_rcv's handler for echo replies: the ping socket bound to the reply's identifier gets a clone.",
  __ping_queue_rcv_skb:
    "Queues the clone on the ping socket's receive queue; a socket that refuses it (its filter, a full buffer) frees it here with the reason.",
  ping_lookup:
    'The first ping socket of the namespace with the identifier, bound to no address or the destination, and to no device or the arrival one.',
  ping_recvmsg:
    'Receive on a ping socket: the ICMP message (header included), MSG_TRUNC when the buffer is shorter, the source address and the IP control messages asked for.',
};
