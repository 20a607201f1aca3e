// The helper set of scenarios/include/knr_scenario.h as the models see it: which calls a scenario may
// make and the header's own constants. test/unit/scenario/header.test.ts checks this against the header.

/** System calls and libc functions a scenario may call, with their argument counts. */
export const systemCalls: Readonly<Record<string, number>> = {
  socket: 3,
  setsockopt: 5,
  getsockopt: 5,
  getsockname: 3,
  bind: 3,
  connect: 3,
  recv: 4,
  recvfrom: 6,
  recvmsg: 3,
  send: 4,
  sendto: 6,
  sendmsg: 3,
  write: 3,
  close: 1,
};

/** Pure functions evaluated while reading arguments. */
export const pureFunctions: Readonly<Record<string, number>> = {
  htons: 1,
  ntohs: 1,
  htonl: 1,
  ntohl: 1,
  inet_addr: 1,
  BPF_STMT: 2,
  BPF_JUMP: 4,
};

/** The knr_ helpers and their argument counts. */
export const helperCalls: Readonly<Record<string, number>> = {
  knr_loopback: 0,
  knr_veth_pair: 0,
  knr_ethernet: 2,
  knr_ipv4: 4,
  knr_ipv4_icmp_echo: 3,
  knr_ipv4_icmp_echo_reply: 3,
  knr_ipv4_udp: 5,
  knr_vlan: 4,
  knr_eth_dst: 2,
  knr_send: 2,
  knr_msghdr: 2,
  knr_sysctl: 2,
};

/** The header's `#define`s. */
export const helperConstants: Readonly<Record<string, number | string>> = {
  KNR_IF_LO: 'lo',
  KNR_IF_VETH: 'knr0',
  KNR_IF_PEER: 'knr1',
  KNR_IFINDEX_LO: 1,
  KNR_IFINDEX_VETH: 2,
  KNR_ADDR_LO: '127.0.0.1',
  KNR_ADDR_VETH: '10.0.0.1',
  KNR_ADDR_PEER: '10.0.0.2',
  KNR_MAC_VETH: '02:4b:4e:52:00:01',
  KNR_MAC_PEER: '02:4b:4e:52:00:02',
};

/** The peer end's fixed facts (knr_veth_pair), which the header documents in its comment. */
export const peerIfindex = 3;

/** ICMP echo identifier and sequence the frame builders use. */
export const echoIdentifier = 0x4b4e;
export const echoSequence = 1;

/** How many statements one run may execute before it stops (loops included). */
export const stepBound = 10_000;

/** The receive timeout every scenario socket has, in milliseconds. */
export const receiveTimeoutMs = 100;
