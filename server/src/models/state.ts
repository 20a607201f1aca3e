// The kernel state these paths read and write, named after the kernel's own structures and fields.
// Only the fields the modelled functions touch exist here.
import type { SkBuff } from './skbuff';
import type { AttachedFilter } from './classic-filter';

export interface NetDevice {
  name: string;
  ifindex: number;
  /** ARPHRD_* (dev->type). */
  type: number;
  dev_addr: number[];
  /** IPv4 addresses with prefix length (in_dev->ifa_list). */
  ipv4: { address: string; prefix: number }[];
  /** True when the device has a link-layer header (dev_has_header: Ethernet yes). */
  has_header: boolean;
  /** The struct net_device_ops table of the driver (dev->netdev_ops) and the file that defines it. */
  netdev_ops: string;
  netdev_ops_file: string;
}

/** struct packet_type: a tap or protocol handler registered with dev_add_pack. */
export interface PacketType {
  /** Protocol in network byte order as stored (pt->type); ETH_P_ALL taps are on ptype_all. */
  type: number;
  /** Bound device, or undefined for all devices. */
  dev?: NetDevice;
  /** The handler's kernel name (pt->func), as installed by a binding or table. */
  func: string;
  /** Where func was installed: the table (`ip_packet_type`) or the function that assigns it (`packet_create`). */
  installedBy: string;
  /** The packet socket that owns a tap (pt->af_packet_priv). */
  af_packet_priv?: Sock;
  /** PACKET_IGNORE_OUTGOING: dev_queue_xmit_nit skips this tap. */
  ignore_outgoing?: boolean;
}

/** struct net: one network namespace. */
export interface Net {
  devices: NetDevice[];
  /** ptype_all (and dev->ptype_all): taps that see every frame. */
  ptype_all: PacketType[];
  /** ptype_base: handlers by protocol. */
  ptype_base: PacketType[];
  /** net->packet.sklist. */
  packet_sklist: Sock[];
  /** The raw socket hash (raw_v4_hashinfo), by protocol number. */
  raw_hash: Map<number, Sock[]>;
  /** The ping sockets of this namespace in ping_table (bound ones), newest first as sk_add_node_rcu puts them. */
  ping_table: Sock[];
  /** net->ipv4.ping_group_range: the groups that may open ping sockets ("1 0", none, in a new namespace). */
  ping_group_range: { low: number; high: number };
  /** net->ipv4.sysctl_icmp_echo_ignore_broadcasts: icmp_sk_init sets 1 in every namespace. */
  sysctl_icmp_echo_ignore_broadcasts: number;
}

/** Fields of struct packet_sock used here. */
export interface PacketSockFields {
  /** po->num: the protocol, as passed to socket() (network byte order). */
  num: number;
  /** po->ifindex. */
  ifindex: number;
  running: boolean;
  prot_hook: PacketType;
  /** PACKET_SOCK_AUXDATA. */
  auxdata: boolean;
  origdev: boolean;
  /** PACKET_QDISC_BYPASS: sends skip dev_queue_xmit (6.1: po->xmit is packet_direct_xmit; 6.12: PACKET_SOCK_QDISC_BYPASS). */
  qdisc_bypass: boolean;
  /** po->stats.stats1.tp_packets: frames queued since PACKET_STATISTICS last read them. */
  tp_packets: number;
  /** po->tp_drops: frames dropped at packet_rcv's drop_n_acct since PACKET_STATISTICS last read them. */
  tp_drops: number;
}

/** The IP_CMSG_* receive flags the models cover, set by IP_PKTINFO, IP_RECVTTL and IP_RECVTOS. */
export type IpCmsgFlag = 'IP_CMSG_PKTINFO' | 'IP_CMSG_TTL' | 'IP_CMSG_TOS';

/** Fields of struct inet_sock and raw_sock used here. */
export interface InetSockFields {
  /** inet_num: the protocol for raw sockets. */
  inet_num: number;
  inet_rcv_saddr: string;
  inet_saddr: string;
  inet_daddr: string;
  inet_dport: number;
  /** inet_sport in host order: a raw socket's protocol number, set when inet_create hashes it. */
  inet_sport: number;
  hdrincl: boolean;
  /** inet->cmsg_flags (6.12: the inet flags bits) the models know: which IP control messages recvmsg adds. */
  cmsg_flags: Set<IpCmsgFlag>;
  /** raw_sk(sk)->filter.data (ICMP_FILTER), only for raw ICMP sockets. */
  icmp_filter?: number;
}

/** A classic BPF instruction as struct sock_filter. */
export interface SockFilterInsn {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** struct sock with its protocol-specific extension. */
export interface Sock {
  sk_family: number;
  sk_type: number;
  sk_protocol: number;
  /** The struct proto table's name (sk->sk_prot). */
  sk_prot: string;
  sk_receive_queue: SkBuff[];
  sk_rcvbuf: number;
  sk_rmem_alloc: number;
  sk_drops: number;
  sk_bound_dev_if: number;
  /** SK_CAN_REUSE: from inetsw's INET_PROTOSW_REUSE (ping sockets); SO_REUSEADDR is not modelled. */
  sk_reuse?: boolean;
  /** The classic BPF program attached with SO_ATTACH_FILTER (sk->sk_filter). */
  sk_filter?: AttachedFilter;
  sk_rcvtimeo_ms: number;
  /** TCP_ESTABLISHED after connect on a raw socket, TCP_CLOSE before. */
  sk_state: 'TCP_CLOSE' | 'TCP_ESTABLISHED';
  packet?: PacketSockFields;
  inet?: InetSockFields;
  /** The owning struct socket. */
  socket: Socket;
  /** SOCK_RCU_FREE (raw and ping sockets): sk_destruct frees the sock and its queue after an RCU grace period. */
  rcuFree?: boolean;
}

/** struct socket. */
export interface Socket {
  type: number;
  state: 'SS_FREE' | 'SS_UNCONNECTED' | 'SS_CONNECTED';
  /** The struct proto_ops table's name (sock->ops). */
  ops?: string;
  /** The file that defines the ops table, for static tables that share a name. */
  opsFile?: string;
  sk?: Sock;
}

/** A registered address family (net_families[family]). */
export interface NetProtoFamily {
  family: number;
  /** The struct net_proto_family table. */
  table: string;
  file: string;
}

/** One entry of inetsw: struct inet_protosw. */
export interface InetProtosw {
  type: number;
  protocol: number;
  /** struct proto table. */
  prot: string;
  /** struct proto_ops table. */
  ops: string;
  file: string;
  /** INET_PROTOSW_REUSE in its flags: inet_create sets sk_reuse on the socket. */
  reuse: boolean;
}

/** inet_protos[protocol]: struct net_protocol. */
export interface NetProtocol {
  protocol: number;
  table: string;
  handler: string;
  /** False when the structure is filled at run time where the index does not see it as a table. */
  indexed: boolean;
}

/** The kernel's struct msghdr for one receive. */
export interface MsgHdr {
  /** The kernel's sockaddr_storage (msg_name), undefined when the caller passed no address. */
  msg_name?: number[];
  msg_namelen: number;
  /** The user buffer the data goes to (msg_iter), and its length. */
  iov_base: number;
  iov_len: number;
  /** The user control buffer, its size and how much put_cmsg has used. */
  msg_control?: number;
  msg_controllen: number;
  control_used: number;
  msg_flags: number;
}

/** The kernel's struct msghdr for one send. */
export interface SendMsgHdr {
  /** The destination copied into the kernel (msg_name), undefined when the caller passed none. */
  msg_name?: number[];
  msg_namelen: number;
  /** The bytes msg_iter holds, or undefined when the user's buffer cannot be read (EFAULT at the copy). */
  data?: number[];
  msg_controllen: number;
  msg_flags: number;
}
