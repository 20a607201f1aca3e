// The helper set of scenarios/include/knr_scenario.h, written once: every call a scenario may make,
// with its kind, parameters and a line for docs/scenarios.md, and the header's own constants. The
// checker, the live admission and instrumentation read this table; the interpreter's implementations
// are records keyed by its names (server/src/trace/), so an entry without one is a compile error.
// test/unit/scenario/header.test.ts checks it against the C side, helper-set-docs.test.ts the docs.

/**
 * `system call`: made on the kernel, only as a statement's outermost call; `pure function`: a libc
 * function or UAPI macro evaluated while reading arguments; `helper`: a knr_ helper of knr_scenario.h
 * (topology, frames, injection, message headers).
 */
export type CallKind = 'system call' | 'pure function' | 'helper';

export interface ScenarioCall {
  kind: CallKind;
  /** The parameters' names, as the docs show them; their number is the call's argument count. */
  parameters: readonly string[];
  /** One line of English for docs/scenarios.md. */
  description: string;
  /**
   * Builds an element of a struct initialiser (a macro of linux/filter.h): never a statement's own
   * call, so the live harness has no recording wrapper for it.
   */
  initialiserOnly?: true;
}

export const scenarioCalls = {
  socket: {
    kind: 'system call',
    parameters: ['domain', 'type', 'protocol'],
    description: 'creates a socket; every socket a scenario creates has a 100 ms receive timeout',
  },
  setsockopt: {
    kind: 'system call',
    parameters: ['fd', 'level', 'name', 'value', 'length'],
    description: 'sets a socket option',
  },
  getsockopt: {
    kind: 'system call',
    parameters: ['fd', 'level', 'name', 'value', 'length'],
    description: 'reads a socket option; the result shows the bytes and the length the kernel wrote back',
  },
  getsockname: {
    kind: 'system call',
    parameters: ['fd', 'address', 'length'],
    description: "reads the socket's own address; the result shows it decoded",
  },
  bind: {
    kind: 'system call',
    parameters: ['fd', 'address', 'length'],
    description: 'binds the socket to an address (and, for a packet socket, a device and a protocol)',
  },
  connect: {
    kind: 'system call',
    parameters: ['fd', 'address', 'length'],
    description: 'connects the socket to a peer address',
  },
  recv: {
    kind: 'system call',
    parameters: ['fd', 'buffer', 'length', 'flags'],
    description: 'receives into a buffer; the result shows the bytes received',
  },
  recvfrom: {
    kind: 'system call',
    parameters: ['fd', 'buffer', 'length', 'flags', 'source', 'source_length'],
    description: 'receives as `recv` does, and the source address',
  },
  recvmsg: {
    kind: 'system call',
    parameters: ['fd', 'message', 'flags'],
    description:
      'receives into a message header made by `knr_msghdr`; the result shows the data, flags, control messages and source',
  },
  send: {
    kind: 'system call',
    parameters: ['fd', 'buffer', 'length', 'flags'],
    description: 'sends a buffer on a connected or bound socket',
  },
  sendto: {
    kind: 'system call',
    parameters: ['fd', 'buffer', 'length', 'flags', 'destination', 'destination_length'],
    description: 'sends a buffer to a destination address',
  },
  sendmsg: {
    kind: 'system call',
    parameters: ['fd', 'message', 'flags'],
    description: 'sends a `struct msghdr` the scenario declares, over `struct iovec` entries',
  },
  write: {
    kind: 'system call',
    parameters: ['fd', 'buffer', 'length'],
    description: 'writes a buffer to the socket, as `send` with no flags',
  },
  close: {
    kind: 'system call',
    parameters: ['fd'],
    description: 'closes the socket',
  },
  htons: {
    kind: 'pure function',
    parameters: ['value'],
    description: 'a 16-bit value in network byte order',
  },
  ntohs: {
    kind: 'pure function',
    parameters: ['value'],
    description: 'a 16-bit value in host byte order',
  },
  htonl: {
    kind: 'pure function',
    parameters: ['value'],
    description: 'a 32-bit value in network byte order',
  },
  ntohl: {
    kind: 'pure function',
    parameters: ['value'],
    description: 'a 32-bit value in host byte order',
  },
  inet_addr: {
    kind: 'pure function',
    parameters: ['dotted'],
    description: 'a dotted-quad IPv4 address in network byte order; `INADDR_NONE` for anything else',
  },
  BPF_STMT: {
    kind: 'pure function',
    parameters: ['code', 'k'],
    description: 'a classic BPF instruction for a `struct sock_filter` initialiser',
    initialiserOnly: true,
  },
  BPF_JUMP: {
    kind: 'pure function',
    parameters: ['code', 'k', 'jt', 'jf'],
    description: 'a classic BPF jump for a `struct sock_filter` initialiser',
    initialiserOnly: true,
  },
  knr_loopback: {
    kind: 'helper',
    parameters: [],
    description: 'topology: only `lo` (ifindex 1, 127.0.0.1/8). The default.',
  },
  knr_veth_pair: {
    kind: 'helper',
    parameters: [],
    description:
      'topology: `lo`, plus `knr0` (ifindex 2, MAC 02:4b:4e:52:00:01, 10.0.0.1/24) whose peer `knr1` (ifindex 3, MAC 02:4b:4e:52:00:02, 10.0.0.2/24) is in a second namespace. Static neighbours, IPv6 off.',
  },
  knr_ethernet: {
    kind: 'helper',
    parameters: ['ethertype', 'n'],
    description: 'an Ethernet frame of that EtherType with n payload bytes',
  },
  knr_ipv4: {
    kind: 'helper',
    parameters: ['src', 'dst', 'protocol', 'n'],
    description: 'an IPv4 packet of any protocol number with n payload bytes',
  },
  knr_ipv4_icmp_echo: {
    kind: 'helper',
    parameters: ['src', 'dst', 'n'],
    description: 'an ICMP echo request (id 0x4b4e, sequence 1) with n payload bytes',
  },
  knr_ipv4_icmp_echo_reply: {
    kind: 'helper',
    parameters: ['src', 'dst', 'n'],
    description:
      'an ICMP echo reply (id 0x4b4e, sequence 1) with n payload bytes: what a ping socket bound to identifier 0x4b4e receives',
  },
  knr_ipv4_udp: {
    kind: 'helper',
    parameters: ['src', 'dst', 'sport', 'dport', 'n'],
    description: 'a UDP datagram with n payload bytes',
  },
  knr_vlan: {
    kind: 'helper',
    parameters: ['f', 'tpid', 'priority', 'vid'],
    description: 'inserts a VLAN tag as the new outer tag; call twice for two tags',
  },
  knr_eth_dst: {
    kind: 'helper',
    parameters: ['f', 'mac'],
    description: 'sets the destination MAC address',
  },
  knr_send: {
    kind: 'helper',
    parameters: ['ifname', 'f'],
    description:
      'transmits f on `ifname`, which must be `KNR_IF_PEER` (knr1), so it arrives on knr0; returns its length after the kernel is done with it',
  },
  knr_msghdr: {
    kind: 'helper',
    parameters: ['data_len', 'control_len'],
    description: 'a new `struct msghdr *` with one buffer, a control buffer and room for the source address',
  },
  knr_sysctl: {
    kind: 'helper',
    parameters: ['name', 'value'],
    description:
      "writes value to the scenario namespace's own `/proc/sys/<name>`; name is a string literal, `net.ipv4.ping_group_range` only (any other name is an error at its position); 0, or -1 with `errno`",
  },
} as const satisfies Readonly<Record<string, ScenarioCall>>;

export type CallName = keyof typeof scenarioCalls;
export type NamesOfKind<Kind extends CallKind> = {
  [Name in CallName]: (typeof scenarioCalls)[Name]['kind'] extends Kind ? Name : never;
}[CallName];
export type SystemCallName = NamesOfKind<'system call'>;
export type PureFunctionName = NamesOfKind<'pure function'>;
export type HelperName = NamesOfKind<'helper'>;

/** The table's entries in its order (the docs' order). */
export const scenarioCallEntries = Object.entries(scenarioCalls) as readonly [CallName, ScenarioCall][];

/** The table's entry for `name`, or undefined when a scenario may not call it. */
export function scenarioCall(name: string): ScenarioCall | undefined {
  return Object.hasOwn(scenarioCalls, name) ? scenarioCalls[name as CallName] : undefined;
}

export function isCallOfKind<Kind extends CallKind>(name: string, kind: Kind): name is NamesOfKind<Kind> {
  return scenarioCall(name)?.kind === kind;
}

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
