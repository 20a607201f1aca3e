// A hand-written stand-in for the kernel index: the constants and ops tables the models read, with
// the values of x86-64 Linux. Unit tests run the models on it; test/kernel/ runs them on real trees.
import { emptyFileFacts, type FileFacts, type FunctionFact } from '../../../server/src/index/facts';
import type { IndexQueries, SymbolLocation, TableSummary } from '../../../server/src/index/queries';

const constants: Record<string, number> = {
  AF_UNSPEC: 0,
  AF_INET: 2,
  PF_INET: 2,
  AF_PACKET: 17,
  PF_PACKET: 17,
  NPROTO: 46,
  SOCK_STREAM: 1,
  SOCK_DGRAM: 2,
  SOCK_RAW: 3,
  SOCK_SEQPACKET: 5,
  SOCK_PACKET: 10,
  SOCK_MAX: 11,
  SOCK_TYPE_MASK: 0xf,
  ETH_P_ALL: 0x0003,
  ETH_P_802_2: 0x0004,
  ETH_P_802_3: 0x0001,
  ETH_P_ARP: 0x0806,
  ETH_P_IPV6: 0x86dd,
  ETH_P_802_3_MIN: 0x0600,
  ETH_P_IP: 0x0800,
  ETH_P_8021Q: 0x8100,
  ETH_P_8021AD: 0x88a8,
  ARPHRD_ETHER: 1,
  ARPHRD_LOOPBACK: 772,
  IPPROTO_IP: 0,
  IPPROTO_ICMP: 1,
  IPPROTO_TCP: 6,
  IPPROTO_UDP: 17,
  IPPROTO_RAW: 255,
  IPPROTO_MAX: 263,
  ICMP_ECHOREPLY: 0,
  ICMP_DEST_UNREACH: 3,
  ICMP_ECHO: 8,
  ICMP_PROT_UNREACH: 2,
  ICMP_PORT_UNREACH: 3,
  ICMP_FILTER: 1,
  MSG_OOB: 1,
  MSG_PEEK: 2,
  MSG_CTRUNC: 8,
  MSG_TRUNC: 0x20,
  MSG_DONTWAIT: 0x40,
  MSG_EOR: 0x80,
  MSG_PROBE: 0x10,
  MSG_CONFIRM: 0x800,
  MSG_MORE: 0x8000,
  MSG_ERRQUEUE: 0x2000,
  MSG_CMSG_CLOEXEC: 0x40000000,
  MSG_CMSG_COMPAT: 0x80000000,
  MSG_SPLICE_PAGES: 0x8000000,
  MSG_INTERNAL_SENDMSG_FLAGS: 0x8000000,
  SOL_SOCKET: 1,
  SOL_RAW: 255,
  SOL_IP: 0,
  IP_TOS: 1,
  IP_TTL: 2,
  IP_PKTINFO: 8,
  IP_HDRINCL: 3,
  IP_RECVTTL: 12,
  IP_RECVTOS: 13,
  SOL_PACKET: 263,
  SO_RCVBUF: 8,
  SO_TYPE: 3,
  SO_PROTOCOL: 38,
  SO_DOMAIN: 39,
  PACKET_STATISTICS: 6,
  SO_BINDTODEVICE: 25,
  SO_BINDTOIFINDEX: 62,
  SO_ATTACH_FILTER: 26,
  SO_DETACH_FILTER: 27,
  PACKET_AUXDATA: 8,
  PACKET_ORIGDEV: 9,
  PACKET_IGNORE_OUTGOING: 23,
  PACKET_QDISC_BYPASS: 20,
  PACKET_HOST: 0,
  PACKET_BROADCAST: 1,
  PACKET_MULTICAST: 2,
  PACKET_OTHERHOST: 3,
  PACKET_OUTGOING: 4,
  PACKET_LOOPBACK: 5,
  TP_STATUS_USER: 0x1,
  TP_STATUS_LOSING: 0x4,
  TP_STATUS_CSUMNOTREADY: 0x8,
  TP_STATUS_VLAN_VALID: 0x10,
  TP_STATUS_VLAN_TPID_VALID: 0x40,
  TP_STATUS_CSUM_VALID: 0x80,
  BPF_RET: 0x06,
  BPF_K: 0x00,
  BPF_LD: 0x00,
  BPF_W: 0x00,
  BPF_LEN: 0x80,
  EPERM: 1,
  ENOENT: 2,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EINVAL: 22,
  ENOTSOCK: 88,
  EDESTADDRREQ: 89,
  EMSGSIZE: 90,
  EPROTOTYPE: 91,
  ENOPROTOOPT: 92,
  EPROTONOSUPPORT: 93,
  ESOCKTNOSUPPORT: 94,
  EOPNOTSUPP: 95,
  EAFNOSUPPORT: 97,
  EADDRINUSE: 98,
  EADDRNOTAVAIL: 99,
  ENETDOWN: 100,
  ENETUNREACH: 101,
  ENOBUFS: 105,
  EISCONN: 106,
  ENOTCONN: 107,
  ECONNREFUSED: 111,
  EHOSTUNREACH: 113,
  ENODEV: 19,
  ENXIO: 6,
};

type Slots = Record<string, string>;

const zero = { line: 0, column: 0, endLine: 0, endColumn: 0 };

function table(name: string, struct: string, file: string, slots: Slots | Slots[]): TableSummary {
  const list = Array.isArray(slots) ? slots : [slots];
  return {
    name,
    struct,
    location: { kind: 'table', name, file, span: zero, detail: '' },
    slots: list.flatMap((entry, element) =>
      Object.entries(entry).map(([field, value]) => ({
        field,
        value,
        element: Array.isArray(slots) ? element : undefined,
        span: zero,
        recovered: false,
      })),
    ),
    uses: [],
  };
}

const tables: TableSummary[] = [
  table('packet_family_ops', 'net_proto_family', 'net/packet/af_packet.c', {
    family: 'PF_PACKET',
    create: 'packet_create',
  }),
  table('inet_family_ops', 'net_proto_family', 'net/ipv4/af_inet.c', {
    family: 'PF_INET',
    create: 'inet_create',
  }),
  table('inetsw_array', 'inet_protosw', 'net/ipv4/af_inet.c', [
    { type: 'SOCK_STREAM', protocol: 'IPPROTO_TCP', prot: '&tcp_prot', ops: '&inet_stream_ops' },
    { type: 'SOCK_DGRAM', protocol: 'IPPROTO_UDP', prot: '&udp_prot', ops: '&inet_dgram_ops' },
    {
      type: 'SOCK_DGRAM',
      protocol: 'IPPROTO_ICMP',
      prot: '&ping_prot',
      ops: '&inet_sockraw_ops',
      flags: 'INET_PROTOSW_REUSE',
    },
    { type: 'SOCK_RAW', protocol: 'IPPROTO_IP', prot: '&raw_prot', ops: '&inet_sockraw_ops' },
  ]),
  table('packet_ops', 'proto_ops', 'net/packet/af_packet.c', {
    release: 'packet_release',
    bind: 'packet_bind',
    recvmsg: 'packet_recvmsg',
    sendmsg: 'packet_sendmsg',
    setsockopt: 'packet_setsockopt',
    getsockopt: 'packet_getsockopt',
    getname: 'packet_getname',
  }),
  table('packet_ops_spkt', 'proto_ops', 'net/packet/af_packet.c', {
    release: 'packet_release',
    recvmsg: 'packet_recvmsg',
  }),
  table('inet_sockraw_ops', 'proto_ops', 'net/ipv4/af_inet.c', {
    release: 'inet_release',
    bind: 'inet_bind',
    connect: 'inet_dgram_connect',
    recvmsg: 'inet_recvmsg',
    sendmsg: 'inet_sendmsg',
    setsockopt: 'sock_common_setsockopt',
    getsockopt: 'sock_common_getsockopt',
    getname: 'inet_getname',
  }),
  table('raw_prot', 'proto', 'net/ipv4/raw.c', {
    close: 'raw_close',
    connect: 'ip4_datagram_connect',
    init: 'raw_sk_init',
    setsockopt: 'raw_setsockopt',
    getsockopt: 'raw_getsockopt',
    recvmsg: 'raw_recvmsg',
    sendmsg: 'raw_sendmsg',
    bind: 'raw_bind',
    hash: 'raw_hash_sk',
  }),
  table('ping_prot', 'proto', 'net/ipv4/ping.c', {
    init: 'ping_init_sock',
    hash: 'ping_hash',
    close: 'ping_close',
    bind: 'ping_bind',
    connect: 'ip4_datagram_connect',
    sendmsg: 'ping_v4_sendmsg',
    recvmsg: 'ping_recvmsg',
    setsockopt: 'ip_setsockopt',
    getsockopt: 'ip_getsockopt',
  }),
  table('icmp_protocol', 'net_protocol', 'net/ipv4/af_inet.c', { handler: 'icmp_rcv' }),
  table('udp_protocol', 'net_protocol', 'net/ipv4/af_inet.c', { handler: 'udp_rcv' }),
  table('ip_packet_type', 'packet_type', 'net/ipv4/af_inet.c', { func: 'ip_rcv' }),
  table('loopback_ops', 'net_device_ops', 'drivers/net/loopback.c', { ndo_start_xmit: 'loopback_xmit' }),
  table('veth_netdev_ops', 'net_device_ops', 'drivers/net/veth.c', { ndo_start_xmit: 'veth_xmit' }),
];

/** Members of enum skb_drop_reason the models name (values made up: the models only need them defined). */
const dropReasons: Record<string, number> = {
  SKB_DROP_REASON_NOT_SPECIFIED: 2,
  SKB_DROP_REASON_NO_SOCKET: 3,
  SKB_DROP_REASON_SOCKET_FILTER: 5,
  SKB_DROP_REASON_OTHERHOST: 7,
  SKB_DROP_REASON_SOCKET_RCVBUFF: 13,
  SKB_DROP_REASON_UNHANDLED_PROTO: 41,
  SKB_DROP_REASON_IP_NOPROTO: 48,
  SKB_DROP_REASON_ICMP_CSUM: 49,
  SKB_DROP_REASON_PACKET_SOCK_ERROR: 50,
  SKB_DROP_REASON_QUEUE_PURGE: 51,
  SKB_DROP_REASON_IP_INADDRERRORS: 52,
  SKB_DROP_REASON_IP_INNOROUTES: 53,
};

function dropReasonDefinition(name: string): SymbolLocation[] {
  if (dropReasons[name] === undefined) return [];
  const span = { line: 80, column: 1, endLine: 80, endColumn: 1 + name.length };
  return [
    {
      kind: 'enum-constant',
      name,
      file: 'include/net/dropreason.h',
      span,
      container: 'skb_drop_reason',
      detail: `${name} = ${dropReasons[name]}`,
    },
  ];
}

/** One synthetic source file: a function with the given body lines, for anchor tests. */
export interface FakeSourceFile {
  file: string;
  lines: string[];
  functions: { name: string; first: number; last: number }[];
}

export function fakeKernelIndex(version = '6.1.192', sources: FakeSourceFile[] = []): IndexQueries {
  const evaluate = (expression: string): number | undefined => {
    const trimmed = expression.trim();
    if (/^(0x[0-9a-f]+|\d+)$/i.test(trimmed)) return Number(trimmed);
    return constants[trimmed] ?? dropReasons[trimmed];
  };
  const factsOf = (file: string): FileFacts | undefined => {
    const source = sources.find((s) => s.file === file);
    if (!source) return undefined;
    const functions: FunctionFact[] = source.functions.map((f) => ({
      name: f.name,
      span: { line: f.first, column: 0, endLine: f.last, endColumn: 1 },
      nameSpan: { line: f.first, column: 4, endLine: f.first, endColumn: 4 + f.name.length },
      isStatic: true,
      isDefinition: true,
      signature: `int ${f.name}(void)`,
    }));
    return { ...emptyFileFacts(file), functions };
  };
  return {
    root: '/fake/kernel',
    version,
    generation: 0,
    files: () => sources.map((s) => s.file),
    facts: factsOf,
    definitions: (name) => dropReasonDefinition(name),
    functionAt: () => undefined,
    struct: () => undefined,
    implementations: () => [],
    installationsOf: () => [],
    tablesOfStruct: () => [],
    table: (name) => tables.find((t) => t.name === name),
    callAt: () => undefined,
    callers: () => [],
    callees: () => [],
    macroValue: (name) => (constants[name] === undefined ? undefined : String(constants[name])),
    evaluateConstant: evaluate,
    setPreferredArch: () => undefined,
    searchSymbols: () => [],
  };
}
