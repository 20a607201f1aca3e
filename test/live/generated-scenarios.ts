// The generated part of the conformance suite: scenario files that sweep the inputs of the seed's
// paths (socket types and protocols, recvmsg flags, VLAN tags and PACKET_AUXDATA, ICMP filters, raw
// socket matching, buffer limits, classic BPF filters, short buffers, raw sends through lo, packet
// sends with PACKET_QDISC_BYPASS, ping sockets through lo, echo replies injected for them). Each is real C for knr_scenario.h, so it runs unchanged on the
// models and on the live kernel.

export interface GeneratedScenario {
  /** File name without `.c`. */
  name: string;
  source: string;
}

function scenario(name: string, description: string, body: string[]): GeneratedScenario {
  const lines = [
    '#include <knr_scenario.h>',
    '',
    `static const char knr_description[] = ${JSON.stringify(description)};`,
    '',
    'int main(void)',
    '{',
    ...body.map((line) => (line ? `\t${line}` : '')),
    '\treturn 0;',
    '}',
    '',
  ];
  return { name, source: lines.join('\n') };
}

/**
 * An IPv4 datagram of protocol 253 for a socket of this kind. Raw sockets need it addressed to knr0;
 * packet sockets get it addressed past knr0 (10.0.0.99), which the kernel drops without a reply,
 * because an ICMP error it sends back carries an IP id that nobody can predict.
 */
function datagram(kind: 'packet' | 'raw', payloadLength: number): string {
  const destination = kind === 'raw' ? 'KNR_ADDR_VETH' : '"10.0.0.99"';
  return `knr_ipv4(KNR_ADDR_PEER, ${destination}, 253, ${payloadLength})`;
}

const socketTypes = [
  'SOCK_STREAM',
  'SOCK_DGRAM',
  'SOCK_RAW',
  'SOCK_RDM',
  'SOCK_SEQPACKET',
  'SOCK_DCCP',
  'SOCK_PACKET',
  '0',
  '11',
];

/** socket() for every type, per family and protocol; each descriptor closed again (close(-1) too). */
function socketCreation(): GeneratedScenario[] {
  const families: { family: string; protocols: string[] }[] = [
    { family: 'AF_PACKET', protocols: ['htons(ETH_P_ALL)', '0', 'htons(ETH_P_IP)'] },
    { family: 'AF_INET', protocols: ['0', 'IPPROTO_ICMP', 'IPPROTO_UDP', 'IPPROTO_RAW'] },
    { family: 'PF_INET', protocols: ['htons(ETH_P_ALL)'] },
  ];
  const out: GeneratedScenario[] = [];
  for (const { family, protocols } of families) {
    protocols.forEach((protocol, p) => {
      const body = socketTypes.flatMap((type, t) => [
        `int s${t} = socket(${family}, ${type}, ${protocol});`,
        `close(s${t});`,
      ]);
      out.push(
        scenario(
          `gen-socket-${family.toLowerCase()}-protocol-${p}`,
          `socket(${family}, every type, ${protocol})`,
          body,
        ),
      );
    });
  }
  return out;
}

/** Raw IPv4 sockets with protocol numbers at and beyond the edges. */
function rawProtocolEdges(): GeneratedScenario[] {
  const protocols = [
    '0',
    '1',
    'IPPROTO_TCP',
    'IPPROTO_UDP',
    '255',
    'IPPROTO_RAW',
    '256',
    '262',
    '263',
    '-1',
    '1000',
  ];
  const body = protocols.flatMap((protocol, i) => [
    `int s${i} = socket(AF_INET, SOCK_RAW, ${protocol});`,
    `close(s${i});`,
  ]);
  return [scenario('gen-raw-protocol-edges', 'socket(AF_INET, SOCK_RAW, protocol) at the edges', body)];
}

/** recvmsg flags by name where libc and the kernel share it; MSG_PROBE and MSG_CMSG_COMPAT by value. */
const recvmsgFlags: { name: string; flag: string }[] = [
  ...[
    'MSG_OOB',
    'MSG_PEEK',
    'MSG_DONTROUTE',
    'MSG_CTRUNC',
    'MSG_TRUNC',
    'MSG_DONTWAIT',
    'MSG_EOR',
    'MSG_WAITALL',
    'MSG_FIN',
    'MSG_SYN',
    'MSG_CONFIRM',
    'MSG_RST',
    'MSG_ERRQUEUE',
    'MSG_NOSIGNAL',
    'MSG_MORE',
    'MSG_WAITFORONE',
    'MSG_BATCH',
    'MSG_ZEROCOPY',
    'MSG_FASTOPEN',
    'MSG_CMSG_CLOEXEC',
  ].map((flag) => ({ name: flag.slice(4).toLowerCase().replace(/_/g, '-'), flag })),
  { name: 'probe', flag: '0x10' },
  { name: 'cmsg-compat', flag: '0x80000000' },
];

/** Each flag on a packet socket and on a raw socket with one datagram queued, then a drain. */
function recvmsgFlagCases(): GeneratedScenario[] {
  const sockets = [
    {
      kind: 'packet',
      open: 'int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
      frame: datagram('packet', 24),
    },
    { kind: 'raw', open: 'int s = socket(AF_INET, SOCK_RAW, 253);', frame: datagram('raw', 24) },
  ];
  return sockets.flatMap(({ kind, open, frame }) =>
    recvmsgFlags.map(({ name, flag }) =>
      scenario(
        `gen-recvmsg-${kind}-${name}`,
        `recvmsg(${flag}) on a ${kind} socket with one datagram queued`,
        [
          'knr_veth_pair();',
          open,
          `knr_send(KNR_IF_PEER, ${frame});`,
          'struct msghdr *msg = knr_msghdr(2048, 256);',
          `recvmsg(s, msg, ${flag});`,
          'struct msghdr *drain = knr_msghdr(2048, 256);',
          'recvmsg(s, drain, MSG_DONTWAIT);',
        ],
      ),
    ),
  );
}

const vlanFrames: { name: string; build: string }[] = [
  { name: 'untagged', build: datagram('packet', 32) },
  { name: '8021q', build: 'knr_vlan(knr_ipv4(KNR_ADDR_PEER, "10.0.0.99", 253, 32), ETH_P_8021Q, 3, 10)' },
  {
    name: 'priority-tagged',
    build: 'knr_vlan(knr_ipv4(KNR_ADDR_PEER, "10.0.0.99", 253, 32), ETH_P_8021Q, 5, 0)',
  },
  { name: '8021ad', build: 'knr_vlan(knr_ipv4(KNR_ADDR_PEER, "10.0.0.99", 253, 32), ETH_P_8021AD, 2, 20)' },
  {
    name: 'qinq',
    build:
      'knr_vlan(knr_vlan(knr_ipv4(KNR_ADDR_PEER, "10.0.0.99", 253, 32), ETH_P_8021Q, 1, 10), ETH_P_8021AD, 4, 20)',
  },
];

/** PACKET_AUXDATA on and off, side by side, for each tagging and each bound protocol. */
function auxdataCases(): GeneratedScenario[] {
  const protocols = [
    { name: 'all', value: 'htons(ETH_P_ALL)' },
    { name: 'ip', value: 'htons(ETH_P_IP)' },
    { name: '8021q', value: 'htons(ETH_P_8021Q)' },
    { name: '8021ad', value: 'htons(ETH_P_8021AD)' },
  ];
  const types = ['SOCK_RAW', 'SOCK_DGRAM'];
  const out: GeneratedScenario[] = [];
  for (const frame of vlanFrames) {
    for (const protocol of protocols) {
      for (const type of types) {
        out.push(
          scenario(
            `gen-auxdata-${frame.name}-${protocol.name}-${type.slice(5).toLowerCase()}`,
            `a ${frame.name} frame on ${type} packet sockets bound to ${protocol.value}, with and without PACKET_AUXDATA`,
            [
              'knr_veth_pair();',
              `int with_aux = socket(AF_PACKET, ${type}, ${protocol.value});`,
              `int without_aux = socket(AF_PACKET, ${type}, ${protocol.value});`,
              'int one = 1;',
              'setsockopt(with_aux, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));',
              `knr_send(KNR_IF_PEER, ${frame.build});`,
              'struct msghdr *a = knr_msghdr(2048, 256);',
              'recvmsg(with_aux, a, 0);',
              'struct msghdr *b = knr_msghdr(2048, 256);',
              'recvmsg(without_aux, b, 0);',
            ],
          ),
        );
      }
    }
  }
  return out;
}

/** Several raw ICMP sockets with different ICMP_FILTER masks, and one raw socket of another protocol. */
function icmpFanout(): GeneratedScenario[] {
  const masks = [
    { name: 'none', mask: undefined },
    { name: 'block-echo', mask: '1 << ICMP_ECHO' },
    { name: 'only-echo', mask: '~(1 << ICMP_ECHO)' },
    { name: 'block-all', mask: '0xffffffff' },
    { name: 'block-echoreply', mask: '1 << ICMP_ECHOREPLY' },
  ];
  const frames = [
    { name: 'echo', build: 'knr_ipv4_icmp_echo(KNR_ADDR_PEER, KNR_ADDR_VETH, 16)' },
    // The payload pattern starts 00 01: an ICMP message of type 0 (echo reply), code 1.
    { name: 'type0', build: 'knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, IPPROTO_ICMP, 12)' },
    {
      name: 'broadcast-echo',
      build: 'knr_eth_dst(knr_ipv4_icmp_echo(KNR_ADDR_PEER, "10.0.0.255", 16), "ff:ff:ff:ff:ff:ff")',
    },
  ];
  return frames.map((frame) => {
    const body = ['knr_veth_pair();'];
    masks.forEach(({ mask }, i) => {
      body.push(`int s${i} = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);`);
      if (mask) {
        body.push(`struct icmp_filter filter${i} = { .data = ${mask} };`);
        body.push(`setsockopt(s${i}, SOL_RAW, ICMP_FILTER, &filter${i}, sizeof(filter${i}));`);
      }
    });
    body.push('int other = socket(AF_INET, SOCK_RAW, 253);');
    body.push('struct icmp_filter not_icmp = { .data = 0 };');
    body.push('setsockopt(other, SOL_RAW, ICMP_FILTER, &not_icmp, sizeof(not_icmp));');
    body.push(`knr_send(KNR_IF_PEER, ${frame.build});`);
    masks.forEach((_mask, i) => {
      body.push(`struct msghdr *m${i} = knr_msghdr(2048, 0);`);
      body.push(`recvmsg(s${i}, m${i}, 0);`);
    });
    body.push('struct msghdr *mo = knr_msghdr(2048, 0);');
    body.push('recvmsg(other, mo, 0);');
    return scenario(
      `gen-icmp-fanout-${frame.name}`,
      `${frame.name} to raw ICMP sockets with ICMP_FILTER masks ${masks.map((m) => m.name).join(', ')}`,
      body,
    );
  });
}

/** Raw sockets bound to an address, connected to one, bound to a device: which of them match. */
function rawMatching(): GeneratedScenario[] {
  const setups: { name: string; lines: string[] }[] = [
    {
      name: 'bound-local',
      lines: [
        'struct sockaddr_in local = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(KNR_ADDR_VETH) };',
        'bind(s, (struct sockaddr *)&local, sizeof(local));',
      ],
    },
    {
      name: 'bound-loopback',
      lines: [
        'struct sockaddr_in local = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(KNR_ADDR_LO) };',
        'bind(s, (struct sockaddr *)&local, sizeof(local));',
      ],
    },
    {
      name: 'bound-foreign',
      lines: [
        'struct sockaddr_in local = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("10.0.0.77") };',
        'bind(s, (struct sockaddr *)&local, sizeof(local));',
      ],
    },
    {
      name: 'connected-peer',
      lines: [
        'struct sockaddr_in peer = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(KNR_ADDR_PEER) };',
        'connect(s, (struct sockaddr *)&peer, sizeof(peer));',
      ],
    },
    {
      name: 'connected-other',
      lines: [
        'struct sockaddr_in peer = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("10.0.0.3") };',
        'connect(s, (struct sockaddr *)&peer, sizeof(peer));',
      ],
    },
    {
      name: 'device-veth',
      lines: [
        'int ifindex = KNR_IFINDEX_VETH;',
        'setsockopt(s, SOL_SOCKET, SO_BINDTOIFINDEX, &ifindex, sizeof(ifindex));',
      ],
    },
    {
      name: 'device-name-veth',
      lines: ['setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, KNR_IF_VETH, 5);'],
    },
    {
      name: 'device-lo',
      lines: [
        'int ifindex = KNR_IFINDEX_LO;',
        'setsockopt(s, SOL_SOCKET, SO_BINDTOIFINDEX, &ifindex, sizeof(ifindex));',
      ],
    },
  ];
  const destinations = [
    { name: 'unicast', build: 'knr_ipv4(KNR_ADDR_PEER, KNR_ADDR_VETH, 253, 20)' },
    {
      name: 'broadcast',
      build: 'knr_eth_dst(knr_ipv4(KNR_ADDR_PEER, "10.0.0.255", 253, 20), "ff:ff:ff:ff:ff:ff")',
    },
  ];
  return setups.flatMap((setup) =>
    destinations.map((destination) =>
      scenario(
        `gen-raw-match-${setup.name}-${destination.name}`,
        `a ${destination.name} datagram of protocol 253 and a raw socket ${setup.name.replace('-', ' ')}`,
        [
          'knr_veth_pair();',
          'int s = socket(AF_INET, SOCK_RAW, 253);',
          'int plain = socket(AF_INET, SOCK_RAW, 253);',
          ...setup.lines,
          `knr_send(KNR_IF_PEER, ${destination.build});`,
          'struct msghdr *msg = knr_msghdr(2048, 0);',
          'recvmsg(s, msg, 0);',
          'struct msghdr *other = knr_msghdr(2048, 0);',
          'recvmsg(plain, other, 0);',
        ],
      ),
    ),
  );
}

/** A small receive buffer, many datagrams, then receives until the queue is empty. */
function fullReceiveBuffer(): GeneratedScenario[] {
  const sockets = [
    { kind: 'packet' as const, open: 'int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IP));' },
    { kind: 'raw' as const, open: 'int s = socket(AF_INET, SOCK_RAW, 253);' },
  ];
  return sockets.map(({ kind, open }) =>
    scenario(
      `gen-rcvbuf-full-${kind}`,
      `a ${kind} socket with the smallest receive buffer and 12 datagrams`,
      [
        'knr_veth_pair();',
        open,
        'int size = 1;',
        'setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));',
        'for (int i = 0; i < 12; i++) {',
        `\tknr_send(KNR_IF_PEER, ${datagram(kind, 200)});`,
        '}',
        'char buf[2048];',
        'for (int i = 0; i < 14; i++) {',
        '\trecv(s, buf, sizeof(buf), MSG_DONTWAIT);',
        '}',
        'socklen_t len = sizeof(size);',
        'getsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, &len);',
        ...(kind === 'packet'
          ? [
              // Packets and drops since the last read, then zeros: PACKET_STATISTICS resets them.
              'unsigned int stats[2];',
              'socklen_t stats_len = sizeof(stats);',
              'getsockopt(s, SOL_PACKET, PACKET_STATISTICS, stats, &stats_len);',
              'getsockopt(s, SOL_PACKET, PACKET_STATISTICS, stats, &stats_len);',
            ]
          : []),
      ],
    ),
  );
}

/** The sockets whose options and names the read-back cases sweep, each opened by one statement. */
const readBackSockets = [
  { kind: 'raw-icmp', open: 'int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);' },
  { kind: 'raw-253', open: 'int s = socket(AF_INET, SOCK_RAW, 253);' },
  { kind: 'raw-ipproto-raw', open: 'int s = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);' },
  { kind: 'packet-raw', open: 'int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));' },
  { kind: 'packet-dgram-0', open: 'int s = socket(AF_PACKET, SOCK_DGRAM, 0);' },
];

/** getsockopt of every modelled option at every level, with option lengths from -1 to 8, on each socket. */
function getsockoptCases(): GeneratedScenario[] {
  const lengths = ['-1', '0', '1', '2', '4', '8'];
  const options = [
    'SOL_SOCKET, SO_DOMAIN',
    'SOL_SOCKET, SO_TYPE',
    'SOL_SOCKET, SO_PROTOCOL',
    'SOL_SOCKET, SO_RCVBUF',
    'SOL_RAW, ICMP_FILTER',
    'IPPROTO_IP, IP_PKTINFO',
    'IPPROTO_IP, IP_RECVTTL',
    'IPPROTO_IP, IP_RECVTOS',
    'SOL_PACKET, PACKET_AUXDATA',
    'SOL_PACKET, PACKET_ORIGDEV',
    'SOL_PACKET, PACKET_STATISTICS',
  ];
  return readBackSockets.map(({ kind, open }) => {
    const isPacket = kind.startsWith('packet');
    const usable = options.filter((o) =>
      isPacket ? !o.startsWith('SOL_RAW') && !o.startsWith('IPPROTO_IP') : !o.startsWith('SOL_PACKET'),
    );
    return scenario(
      `gen-getsockopt-${kind}`,
      `getsockopt of the modelled options on ${kind}, lengths -1 to 8`,
      [
        open,
        'unsigned char value[8];',
        'socklen_t len = 0;',
        ...usable.flatMap((option) =>
          lengths.flatMap((length) => [`len = ${length};`, `getsockopt(s, ${option}, value, &len);`]),
        ),
        // A level the socket does not have: EOPNOTSUPP or ENOPROTOOPT, as each getsockopt answers.
        'len = 4;',
        `getsockopt(s, ${isPacket ? 'IPPROTO_IP, IP_RECVTTL' : 'SOL_PACKET, PACKET_AUXDATA'}, value, &len);`,
      ],
    );
  });
}

/** Options set, then read back: the receive flags at SOL_IP, ICMP_FILTER, PACKET_AUXDATA and ORIGDEV. */
function setThenGetCases(): GeneratedScenario[] {
  const values = ['0', '1', '2', '-1', '256'];
  const raw = ['IP_PKTINFO', 'IP_RECVTTL', 'IP_RECVTOS'].map((option) =>
    scenario(
      `gen-set-get-${option.toLowerCase().replace(/_/g, '-')}`,
      `${option} set to several values and read back`,
      [
        'int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);',
        'int value = 0;',
        'socklen_t len = sizeof(value);',
        'unsigned char byte = 0;',
        ...values.flatMap((v) => [
          `value = ${v};`,
          `setsockopt(s, IPPROTO_IP, ${option}, &value, sizeof(value));`,
          'len = sizeof(value);',
          `getsockopt(s, IPPROTO_IP, ${option}, &value, &len);`,
        ]),
        // One byte of option: the kernel reads an unsigned char.
        'byte = 1;',
        `setsockopt(s, IPPROTO_IP, ${option}, &byte, 1);`,
        'len = sizeof(value);',
        `getsockopt(s, IPPROTO_IP, ${option}, &value, &len);`,
        `setsockopt(s, IPPROTO_IP, ${option}, &byte, 0);`,
        `getsockopt(s, IPPROTO_IP, ${option}, &value, &len);`,
      ],
    ),
  );
  const filter = scenario('gen-set-get-icmp-filter', 'ICMP_FILTER set with 1 to 8 bytes and read back', [
    'int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);',
    'unsigned char set[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };',
    'unsigned char back[8];',
    'socklen_t len = 0;',
    ...['1', '2', '3', '4', '8'].flatMap((n) => [
      `setsockopt(s, SOL_RAW, ICMP_FILTER, set, ${n});`,
      'len = sizeof(back);',
      'getsockopt(s, SOL_RAW, ICMP_FILTER, back, &len);',
    ]),
  ]);
  const packet = ['PACKET_AUXDATA', 'PACKET_ORIGDEV'].map((option) =>
    scenario(`gen-set-get-${option.toLowerCase().replace(/_/g, '-')}`, `${option} set and read back`, [
      'int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
      'int value = 0;',
      'socklen_t len = sizeof(value);',
      ...['1', '0', '7'].flatMap((v) => [
        `value = ${v};`,
        `setsockopt(s, SOL_PACKET, ${option}, &value, sizeof(value));`,
        'len = sizeof(value);',
        `getsockopt(s, SOL_PACKET, ${option}, &value, &len);`,
      ]),
    ]),
  );
  return [...raw, filter, ...packet];
}

/** getsockname on each socket, unbound and bound, with address lengths from -1 to 128. */
function getsocknameCases(): GeneratedScenario[] {
  const lengths = ['-1', '0', '2', '8', '12', '14', '16', '20', '128'];
  const binds: Record<string, string[]> = {
    raw: [
      'struct sockaddr_in here = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(KNR_ADDR_VETH) };',
      'bind(s, (struct sockaddr *)&here, sizeof(here));',
    ],
    packet: [
      'struct sockaddr_ll here = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP), .sll_ifindex = KNR_IFINDEX_LO };',
      'bind(s, (struct sockaddr *)&here, sizeof(here));',
    ],
  };
  return readBackSockets.map(({ kind, open }) => {
    const names = () =>
      lengths.flatMap((length) => [`len = ${length};`, 'getsockname(s, (struct sockaddr *)&name, &len);']);
    return scenario(`gen-getsockname-${kind}`, `getsockname on ${kind}, unbound then bound`, [
      'knr_veth_pair();',
      open,
      'struct sockaddr_storage name;',
      'socklen_t len = 0;',
      ...names(),
      ...binds[kind.startsWith('packet') ? 'packet' : 'raw'],
      ...names(),
    ]);
  });
}

/** recvfrom with address buffers from NULL to 128 bytes, on a raw and a packet socket. */
function recvfromSourceCases(): GeneratedScenario[] {
  const lengths = ['0', '2', '4', '8', '16', '18', '20', '128'];
  const sockets = [
    { kind: 'raw' as const, open: 'int s = socket(AF_INET, SOCK_RAW, 253);' },
    { kind: 'packet' as const, open: 'int s = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));' },
  ];
  return sockets.map(({ kind, open }) =>
    scenario(
      `gen-recvfrom-source-${kind}`,
      `recvfrom's source address on a ${kind} socket, buffers of 0 to 128 bytes`,
      [
        'knr_veth_pair();',
        open,
        'char buf[64];',
        'struct sockaddr_storage from;',
        'socklen_t len = 0;',
        'for (int i = 0; i < 9; i++) {',
        `	knr_send(KNR_IF_PEER, ${datagram(kind, 8)});`,
        '}',
        'recvfrom(s, buf, sizeof(buf), 0, NULL, NULL);',
        ...lengths.flatMap((length) => [
          `len = ${length};`,
          'recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);',
        ]),
      ],
    ),
  );
}

/** SO_ATTACH_FILTER programs on packet and raw sockets: drop, trim, accept, match, and invalid ones. */
function socketFilters(): GeneratedScenario[] {
  const programs: { name: string; code: string[]; len?: number }[] = [
    { name: 'drop', code: ['BPF_STMT(BPF_RET | BPF_K, 0)'] },
    { name: 'trim', code: ['BPF_STMT(BPF_RET | BPF_K, 20)'] },
    { name: 'accept', code: ['BPF_STMT(BPF_RET | BPF_K, 0xffff)'] },
    {
      name: 'match-protocol',
      code: [
        'BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9)',
        'BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 253, 0, 1)',
        'BPF_STMT(BPF_RET | BPF_K, 0xffff)',
        'BPF_STMT(BPF_RET | BPF_K, 0)',
      ],
    },
    { name: 'invalid-no-return', code: ['BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0)'] },
    { name: 'invalid-empty', code: ['BPF_STMT(BPF_RET | BPF_K, 0)'], len: 0 },
    { name: 'invalid-jump', code: ['BPF_JUMP(BPF_JMP | BPF_JA, 5, 0, 0)', 'BPF_STMT(BPF_RET | BPF_K, 0)'] },
  ];
  const sockets = [
    { kind: 'packet' as const, open: 'int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IP));' },
    { kind: 'raw' as const, open: 'int s = socket(AF_INET, SOCK_RAW, 253);' },
  ];
  return sockets.flatMap(({ kind, open }) =>
    programs.map((program) =>
      scenario(`gen-filter-${kind}-${program.name}`, `SO_ATTACH_FILTER ${program.name} on a ${kind} socket`, [
        'knr_veth_pair();',
        open,
        `struct sock_filter code[] = { ${program.code.join(', ')} };`,
        `struct sock_fprog prog = { .len = ${program.len ?? program.code.length}, .filter = code };`,
        'setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));',
        `knr_send(KNR_IF_PEER, ${datagram(kind, 40)});`,
        'struct msghdr *msg = knr_msghdr(2048, 0);',
        'recvmsg(s, msg, 0);',
      ]),
    ),
  );
}

/** raw_recvmsg (and packet_recvmsg) with buffers shorter than the datagram, with and without MSG_TRUNC. */
function shortBuffers(): GeneratedScenario[] {
  const sizes = [0, 1, 20, 51, 52, 100];
  const sockets = [
    { kind: 'raw' as const, open: 'int s = socket(AF_INET, SOCK_RAW, 253);' },
    { kind: 'packet' as const, open: 'int s = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));' },
  ];
  return sockets.flatMap(({ kind, open }) =>
    ['0', 'MSG_TRUNC'].map((flags) => {
      const body = ['knr_veth_pair();', open];
      sizes.forEach((size, i) => {
        body.push(`knr_send(KNR_IF_PEER, ${datagram(kind, 32)});`);
        body.push(`struct msghdr *m${i} = knr_msghdr(${size}, 0);`);
        body.push(`recvmsg(s, m${i}, ${flags});`);
      });
      body.push('char small[8];');
      body.push(`knr_send(KNR_IF_PEER, ${datagram(kind, 32)});`);
      body.push('struct sockaddr_storage from;');
      body.push('socklen_t fromlen = sizeof(from);');
      body.push(`recvfrom(s, small, sizeof(small), ${flags}, (struct sockaddr *)&from, &fromlen);`);
      body.push(`knr_send(KNR_IF_PEER, ${datagram(kind, 32)});`);
      body.push(`recv(s, small, sizeof(small), ${flags});`);
      return scenario(
        `gen-short-buffer-${kind}-${flags === '0' ? 'plain' : 'msg-trunc'}`,
        `a 52-byte datagram into ${kind} socket buffers of ${sizes.join(', ')} bytes, flags ${flags}`,
        body,
      );
    }),
  );
}

/**
 * Raw sends (send, sendto, sendmsg, write) that leave through lo and come back in: to each local
 * destination, from unbound, bound and connected sockets, to receivers bound, connected or of
 * another protocol. Receives take 4 bytes with MSG_TRUNC: the length the kernel queued and the
 * start of the header it built, not the identification that __ip_select_ident draws from a keyed hash.
 */
function rawSends(): GeneratedScenario[] {
  const receive = [
    'char head[4];',
    'recv(tx, head, sizeof(head), MSG_TRUNC);',
    'recv(bound, head, sizeof(head), MSG_TRUNC);',
    'recv(connected, head, sizeof(head), MSG_TRUNC);',
    'recv(other, head, sizeof(head), MSG_TRUNC);',
  ];
  const sockets = (protocol: string) => [
    `int tx = socket(AF_INET, SOCK_RAW, ${protocol});`,
    `int bound = socket(AF_INET, SOCK_RAW, ${protocol});`,
    'struct sockaddr_in local = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("127.0.0.1") };',
    'bind(bound, (struct sockaddr *)&local, sizeof(local));',
    `int connected = socket(AF_INET, SOCK_RAW, ${protocol});`,
    'connect(connected, (struct sockaddr *)&local, sizeof(local));',
    'int other = socket(AF_INET, SOCK_RAW, 254);',
    'char payload[20] = "knr";',
  ];
  const destinations = [
    { name: 'lo', topology: 'knr_loopback();', address: 'KNR_ADDR_LO' },
    { name: 'lo-other', topology: 'knr_loopback();', address: '"127.0.0.9"' },
    { name: 'veth-own', topology: 'knr_veth_pair();', address: 'KNR_ADDR_VETH' },
    { name: 'no-route', topology: 'knr_loopback();', address: '"10.0.0.1"' },
    { name: 'unreachable', topology: 'knr_loopback();', address: '"192.0.2.1"' },
  ];
  const calls = [
    {
      name: 'sendto',
      send: ['sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to));'],
    },
    {
      name: 'sendmsg',
      send: [
        'struct iovec iov[2] = { { .iov_base = payload, .iov_len = 5 }, { .iov_base = payload, .iov_len = 7 } };',
        'struct msghdr message = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = iov, .msg_iovlen = 2 };',
        'sendmsg(tx, &message, MSG_DONTWAIT);',
      ],
    },
    {
      name: 'connected-send',
      send: ['connect(tx, (struct sockaddr *)&to, sizeof(to));', 'send(tx, payload, sizeof(payload), 0);'],
    },
    {
      name: 'connected-write',
      send: ['connect(tx, (struct sockaddr *)&to, sizeof(to));', 'write(tx, payload, 9);'],
    },
  ];
  const out: GeneratedScenario[] = [];
  for (const destination of destinations)
    for (const call of calls) {
      // Connected to 127.0.0.9, the sender is no raw match for its own datagram (from 127.0.0.1), so
      // the kernel answers protocol unreachable through lo, which the models do not follow.
      if (call.name.startsWith('connected') && destination.name === 'lo-other') continue;
      out.push(
        scenario(
          `gen-send-raw-${call.name}-${destination.name}`,
          `${call.name} on a raw socket to ${destination.address}, received by raw sockets bound, connected and of another protocol`,
          [
            destination.topology,
            ...sockets('253'),
            `struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(${destination.address}) };`,
            ...call.send,
            ...receive,
          ],
        ),
      );
    }
  out.push(
    scenario('gen-send-raw-lengths', 'raw sends of 0, 1, 65515 (the most lo takes whole) and 65536 bytes', [
      ...sockets('253'),
      'struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(KNR_ADDR_LO) };',
      'char big[65536];',
      ...[0, 1, 65515, 65536].flatMap((length) => [
        `sendto(tx, big, ${length}, 0, (struct sockaddr *)&to, sizeof(to));`,
        'char head' + length + '[4];',
        `recv(bound, head${length}, sizeof(head${length}), MSG_TRUNC);`,
      ]),
    ]),
    scenario(
      'gen-send-raw-addresses',
      'raw sends with no address, a short one, AF_UNSPEC, AF_INET6 and MSG_OOB',
      [
        ...sockets('253'),
        'send(tx, payload, sizeof(payload), 0);',
        'write(tx, payload, sizeof(payload));',
        'struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(KNR_ADDR_LO) };',
        'sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&to, 15);',
        'sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&to, 0);',
        'struct sockaddr_in unspec = { .sin_family = AF_UNSPEC, .sin_addr.s_addr = inet_addr(KNR_ADDR_LO) };',
        'sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&unspec, sizeof(unspec));',
        'struct sockaddr_in six = { .sin_family = AF_INET6, .sin_addr.s_addr = inet_addr(KNR_ADDR_LO) };',
        'sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&six, sizeof(six));',
        'sendto(tx, payload, sizeof(payload), MSG_OOB, (struct sockaddr *)&to, sizeof(to));',
        'sendto(99, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to));',
        ...receive,
      ],
    ),
    scenario(
      'gen-send-raw-icmp-filtered',
      'an ICMP echo reply sent on a raw ICMP socket, one receiver filtering it',
      [
        'int tx = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);',
        'int plain = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);',
        'int filtered = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);',
        'struct icmp_filter filter = { .data = 1 << ICMP_ECHOREPLY };',
        'setsockopt(filtered, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter));',
        'char reply[8];',
        'struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(KNR_ADDR_LO) };',
        'sendto(tx, reply, sizeof(reply), 0, (struct sockaddr *)&to, sizeof(to));',
        'char head[4];',
        'recv(plain, head, sizeof(head), MSG_TRUNC);',
        'recv(filtered, head, sizeof(head), MSG_TRUNC);',
        'recv(tx, head, sizeof(head), MSG_TRUNC);',
      ],
    ),
  );
  return out;
}

/** The bytes of an IPv4 header (IHL 5) as a C initialiser, tot_len and checksum 0 for the kernel to fill. */
function ipHeader(fields: {
  tos?: number;
  id?: number;
  df?: boolean;
  ttl?: number;
  protocol?: number;
  saddr: string;
  daddr: string;
}): string {
  const bytes = [
    0x45,
    fields.tos ?? 0,
    0,
    0,
    ((fields.id ?? 0) >> 8) & 0xff,
    (fields.id ?? 0) & 0xff,
    fields.df ? 0x40 : 0,
    0,
    fields.ttl ?? 64,
    fields.protocol ?? 253,
    0,
    0,
    ...fields.saddr.split('.').map(Number),
    ...fields.daddr.split('.').map(Number),
  ];
  return bytes.join(', ');
}

/**
 * IP_HDRINCL sends through lo (raw_send_hdrinc): the caller's header with its id, DF, TTL, TOS and
 * source kept or filled in, read back whole by a raw socket of the header's protocol, except where the
 * id is 0 without DF (then __ip_select_ident hashes one, and only 4 bytes are read).
 */
function hdrinclSends(): GeneratedScenario[] {
  const headers = [
    { name: 'id-kept', header: { id: 0x4b4e, saddr: '127.0.0.1', daddr: '127.0.0.1' }, whole: true },
    { name: 'source-filled', header: { id: 7, saddr: '0.0.0.0', daddr: '127.0.0.1' }, whole: true },
    { name: 'foreign-source', header: { id: 9, saddr: '192.0.2.7', daddr: '127.0.0.1' }, whole: true },
    { name: 'zero-id-df', header: { df: true, saddr: '127.0.0.1', daddr: '127.0.0.1' }, whole: true },
    { name: 'zero-id-no-df', header: { saddr: '127.0.0.1', daddr: '127.0.0.1' }, whole: false },
    {
      name: 'ttl-tos',
      header: { id: 1, ttl: 1, tos: 0xfc, saddr: '127.0.0.1', daddr: '127.0.0.1' },
      whole: true,
    },
    {
      name: 'other-protocol',
      header: { id: 2, protocol: 254, saddr: '127.0.0.1', daddr: '127.0.0.1' },
      whole: true,
    },
    {
      name: 'lo-other',
      header: { id: 3, saddr: '0.0.0.0', daddr: '127.0.0.9' },
      whole: true,
      to: '"127.0.0.9"',
    },
  ];
  return headers
    .map(({ name, header, whole, to }) =>
      scenario(`gen-hdrincl-${name}`, `an IP_HDRINCL datagram through lo: ${name}`, [
        'int s = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);',
        'int rx = socket(AF_INET, SOCK_RAW, 253);',
        'int other = socket(AF_INET, SOCK_RAW, 254);',
        `unsigned char datagram[28] = { ${ipHeader(header)}, 1, 2, 3, 4, 5, 6, 7, 8 };`,
        `struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(${to ?? 'KNR_ADDR_LO'}) };`,
        'sendto(s, datagram, sizeof(datagram), 0, (struct sockaddr *)&to, sizeof(to));',
        'char buf[64];',
        ...['rx', 'other', 's'].map((fd) =>
          whole ? `recv(${fd}, buf, sizeof(buf), 0);` : `recv(${fd}, buf, 4, MSG_TRUNC);`,
        ),
      ]),
    )
    .concat(
      scenario('gen-hdrincl-lengths', 'IP_HDRINCL lengths: 0, 19, 20, IHL past the data, IHL 4, 65535', [
        'int s = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);',
        'int rx = socket(AF_INET, SOCK_RAW, 253);',
        'struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(KNR_ADDR_LO) };',
        `unsigned char big[65535] = { ${ipHeader({ id: 5, saddr: '127.0.0.1', daddr: '127.0.0.1' })} };`,
        'sendto(s, big, 0, 0, (struct sockaddr *)&to, sizeof(to));',
        'sendto(s, big, 19, 0, (struct sockaddr *)&to, sizeof(to));',
        'sendto(s, big, 20, 0, (struct sockaddr *)&to, sizeof(to));',
        'char buf[64];',
        'recv(rx, buf, sizeof(buf), 0);',
        'sendto(s, big, 65535, 0, (struct sockaddr *)&to, sizeof(to));',
        'recv(rx, buf, sizeof(buf), MSG_TRUNC);',
        `unsigned char long_ihl[24] = { 0x47, ${ipHeader({ id: 6, saddr: '127.0.0.1', daddr: '127.0.0.1' }).split(', ').slice(1).join(', ')} };`,
        'sendto(s, long_ihl, sizeof(long_ihl), 0, (struct sockaddr *)&to, sizeof(to));',
        `unsigned char short_ihl[24] = { 0x44, ${ipHeader({ id: 6, saddr: '127.0.0.1', daddr: '127.0.0.1' }).split(', ').slice(1).join(', ')} };`,
        'sendto(s, short_ihl, sizeof(short_ihl), 0, (struct sockaddr *)&to, sizeof(to));',
        'recv(rx, buf, sizeof(buf), 0);',
      ]),
      scenario('gen-hdrincl-setsockopt', 'IP_HDRINCL set and cleared on a protocol-253 socket', [
        'int s = socket(AF_INET, SOCK_RAW, 253);',
        'int one = 1;',
        'int zero = 0;',
        'setsockopt(s, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one));',
        `unsigned char datagram[24] = { ${ipHeader({ id: 8, saddr: '127.0.0.1', daddr: '127.0.0.1' })}, 9, 9, 9, 9 };`,
        'struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(KNR_ADDR_LO) };',
        'sendto(s, datagram, sizeof(datagram), 0, (struct sockaddr *)&to, sizeof(to));',
        'char buf[64];',
        'recv(s, buf, sizeof(buf), 0);',
        'setsockopt(s, IPPROTO_IP, IP_HDRINCL, &zero, 1);',
        'sendto(s, datagram, sizeof(datagram), 0, (struct sockaddr *)&to, sizeof(to));',
        'recv(s, buf, 4, MSG_TRUNC);',
      ]),
    );
}

/**
 * Packet taps while a raw socket sends through lo: dev_queue_xmit_nit's PACKET_OUTGOING copy, then
 * the PACKET_HOST one, for taps on every device, on lo, on knr0 and with PACKET_IGNORE_OUTGOING;
 * and PACKET_IGNORE_OUTGOING's own checks. Receives stop before the IP identification.
 */
function outgoingTaps(): GeneratedScenario[] {
  const taps = [
    { name: 'any', bind: [] as string[] },
    {
      name: 'bound-lo',
      bind: [
        'struct sockaddr_ll at = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = KNR_IFINDEX_LO };',
        'bind(p, (struct sockaddr *)&at, sizeof(at));',
      ],
    },
    {
      name: 'bound-veth',
      bind: [
        'struct sockaddr_ll at = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = KNR_IFINDEX_VETH };',
        'bind(p, (struct sockaddr *)&at, sizeof(at));',
      ],
    },
    {
      name: 'ignore-outgoing',
      bind: ['int one = 1;', 'setsockopt(p, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));'],
    },
  ];
  const cases = taps.flatMap(({ name, bind }) =>
    ['SOCK_RAW', 'SOCK_DGRAM'].map((type) =>
      scenario(
        `gen-outgoing-tap-${name}-${type === 'SOCK_RAW' ? 'raw' : 'dgram'}`,
        `a ${type} packet tap (${name}) while a raw socket sends through lo`,
        [
          'knr_veth_pair();',
          `int p = socket(AF_PACKET, ${type}, htons(ETH_P_ALL));`,
          ...bind,
          'int tx = socket(AF_INET, SOCK_RAW, 253);',
          'char payload[12];',
          'struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(KNR_ADDR_VETH) };',
          'sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to));',
          'char head[4];',
          'struct sockaddr_ll from;',
          'socklen_t length = sizeof(from);',
          'recvfrom(p, head, sizeof(head), MSG_TRUNC, (struct sockaddr *)&from, &length);',
          'recvfrom(p, head, sizeof(head), MSG_TRUNC, (struct sockaddr *)&from, &length);',
          'recvfrom(p, head, sizeof(head), MSG_TRUNC, (struct sockaddr *)&from, &length);',
        ],
      ),
    ),
  );
  cases.push(
    scenario(
      'gen-ignore-outgoing-checks',
      'PACKET_IGNORE_OUTGOING: lengths other than an int, values other than 0 and 1, read back',
      [
        'int p = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));',
        'int two = 2;',
        'int minus = -1;',
        'int one = 1;',
        'int zero = 0;',
        'long wide = 1;',
        'setsockopt(p, SOL_PACKET, PACKET_IGNORE_OUTGOING, &two, sizeof(two));',
        'setsockopt(p, SOL_PACKET, PACKET_IGNORE_OUTGOING, &minus, sizeof(minus));',
        'setsockopt(p, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, 1);',
        'setsockopt(p, SOL_PACKET, PACKET_IGNORE_OUTGOING, &wide, sizeof(wide));',
        'int value = 7;',
        'socklen_t length = sizeof(value);',
        'getsockopt(p, SOL_PACKET, PACKET_IGNORE_OUTGOING, &value, &length);',
        'setsockopt(p, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));',
        'length = 2;',
        'getsockopt(p, SOL_PACKET, PACKET_IGNORE_OUTGOING, &value, &length);',
        'setsockopt(p, SOL_PACKET, PACKET_IGNORE_OUTGOING, &zero, sizeof(zero));',
        'length = sizeof(value);',
        'getsockopt(p, SOL_PACKET, PACKET_IGNORE_OUTGOING, &value, &length);',
      ],
    ),
  );
  return cases;
}

/** packet_snd on lo with an EtherType no kernel handler takes (0x88b5): lengths, and the address checks. */
function packetSends(): GeneratedScenario[] {
  const open = [
    'int tap = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));',
    'int raw = socket(AF_PACKET, SOCK_RAW, htons(0x88b5));',
    'int dgram = socket(AF_PACKET, SOCK_DGRAM, htons(0x88b5));',
    'struct sockaddr_ll lo = { .sll_family = AF_PACKET, .sll_protocol = htons(0x88b5), .sll_ifindex = KNR_IFINDEX_LO, .sll_halen = 6 };',
    'char frame[65560] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0xb5, 7 };',
    'char buf[32];',
  ];
  const drain = (fd: string, times: number) =>
    Array.from({ length: times }, () => `recv(${fd}, buf, sizeof(buf), MSG_TRUNC);`);
  return [
    scenario(
      'gen-packet-send-raw-lengths',
      'SOCK_RAW packet sends on lo of 0, 13, 14, 15, 1500 and 65555 bytes',
      [
        ...open,
        ...[0, 13, 14, 15, 1500, 65555].map(
          (n) => `sendto(raw, frame, ${n}, 0, (struct sockaddr *)&lo, sizeof(lo));`,
        ),
        ...drain('tap', 7),
        ...drain('raw', 4),
      ],
    ),
    scenario(
      'gen-packet-send-dgram-lengths',
      'SOCK_DGRAM packet sends on lo of 0, 1, 46 and 65536 bytes: eth_header from a zero sll_addr',
      [
        ...open,
        ...[0, 1, 46, 65536].map((n) => `sendto(dgram, frame, ${n}, 0, (struct sockaddr *)&lo, sizeof(lo));`),
        ...drain('tap', 9),
        ...drain('dgram', 5),
      ],
    ),
    scenario(
      'gen-packet-send-address-checks',
      'packet_snd: a short address, sll_halen past it, no device, unbound sends, then bound',
      [
        ...open,
        'sendto(raw, frame, 20, 0, (struct sockaddr *)&lo, 19);',
        'struct sockaddr_ll wide = { .sll_family = AF_PACKET, .sll_protocol = htons(0x88b5), .sll_ifindex = KNR_IFINDEX_LO, .sll_halen = 9 };',
        'sendto(raw, frame, 20, 0, (struct sockaddr *)&wide, sizeof(wide));',
        'struct sockaddr_ll nowhere = { .sll_family = AF_PACKET, .sll_protocol = htons(0x88b5), .sll_ifindex = 99 };',
        'sendto(raw, frame, 20, 0, (struct sockaddr *)&nowhere, sizeof(nowhere));',
        'send(raw, frame, 20, 0);',
        'write(dgram, frame, 20);',
        'bind(dgram, (struct sockaddr *)&lo, sizeof(lo));',
        'write(dgram, frame, 20);',
        'send(dgram, frame, 20, MSG_DONTWAIT);',
        ...drain('tap', 5),
        ...drain('dgram', 3),
      ],
    ),
  ];
}

/**
 * PACKET_QDISC_BYPASS: its length check and values read back, and sends of both packet socket types
 * with it set, which reach the driver through dev_direct_xmit, past dev_queue_xmit_nit: taps on every
 * device, on lo and with PACKET_IGNORE_OUTGOING see the frame once, as it comes back in.
 */
function qdiscBypass(): GeneratedScenario[] {
  const checks = scenario(
    'gen-qdisc-bypass-checks',
    'PACKET_QDISC_BYPASS: lengths other than an int, values 2, -1 and 0, read back in full and short',
    [
      'int p = socket(AF_PACKET, SOCK_DGRAM, 0);',
      'int two = 2;',
      'int minus = -1;',
      'int zero = 0;',
      'long wide = 1;',
      'int value = 7;',
      'socklen_t length = sizeof(value);',
      'setsockopt(p, SOL_PACKET, PACKET_QDISC_BYPASS, &two, 1);',
      'setsockopt(p, SOL_PACKET, PACKET_QDISC_BYPASS, &wide, sizeof(wide));',
      'setsockopt(p, SOL_PACKET, PACKET_QDISC_BYPASS, &two, sizeof(two));',
      'getsockopt(p, SOL_PACKET, PACKET_QDISC_BYPASS, &value, &length);',
      'setsockopt(p, SOL_PACKET, PACKET_QDISC_BYPASS, &zero, sizeof(zero));',
      'getsockopt(p, SOL_PACKET, PACKET_QDISC_BYPASS, &value, &length);',
      'setsockopt(p, SOL_PACKET, PACKET_QDISC_BYPASS, &minus, sizeof(minus));',
      'length = 1;',
      'getsockopt(p, SOL_PACKET, PACKET_QDISC_BYPASS, &value, &length);',
      'length = 0;',
      'getsockopt(p, SOL_PACKET, PACKET_QDISC_BYPASS, &value, &length);',
      'setsockopt(p, SOL_IP, PACKET_QDISC_BYPASS, &zero, sizeof(zero));',
    ],
  );
  const taps = [
    { name: 'any', setup: [] as string[] },
    {
      name: 'bound-lo',
      setup: [
        'struct sockaddr_ll at = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = KNR_IFINDEX_LO };',
        'bind(tap, (struct sockaddr *)&at, sizeof(at));',
      ],
    },
    {
      name: 'ignore-outgoing',
      setup: ['setsockopt(tap, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));'],
    },
  ];
  const sends = taps.flatMap(({ name, setup }) =>
    ['SOCK_RAW', 'SOCK_DGRAM'].map((type) =>
      scenario(
        `gen-qdisc-bypass-send-${type === 'SOCK_RAW' ? 'raw' : 'dgram'}-tap-${name}`,
        `a ${type} packet send on lo with PACKET_QDISC_BYPASS, a tap (${name}) and a socket of the EtherType`,
        [
          'int one = 1;',
          'int tap = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));',
          ...setup,
          `int tx = socket(AF_PACKET, ${type}, htons(0x88b5));`,
          'setsockopt(tx, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));',
          'struct sockaddr_ll lo = { .sll_family = AF_PACKET, .sll_protocol = htons(0x88b5), .sll_ifindex = KNR_IFINDEX_LO, .sll_halen = 6 };',
          'char frame[30] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0xb5, 9, 8, 7 };',
          'sendto(tx, frame, sizeof(frame), 0, (struct sockaddr *)&lo, sizeof(lo));',
          'sendto(tx, frame, 14, 0, (struct sockaddr *)&lo, sizeof(lo));',
          'char buf[40];',
          'struct sockaddr_ll from;',
          'socklen_t length = sizeof(from);',
          'recvfrom(tap, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &length);',
          'recvfrom(tap, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &length);',
          'recvfrom(tap, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &length);',
          'recvfrom(tx, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &length);',
          'recvfrom(tx, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &length);',
          'recvfrom(tx, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &length);',
        ],
      ),
    ),
  );
  return [checks, ...sends];
}

/**
 * net.ipv4.ping_group_range through knr_sysctl: in-range, inverted, negative and too large values, each
 * followed by a ping socket when the range decides for root alone (a range that holds other groups
 * but not 0 depends on the runner's supplementary groups, which the models do not know).
 */
function pingGroupRanges(): GeneratedScenario[] {
  const values: { value: string; open: boolean }[] = [
    { value: '0 0', open: true },
    { value: '0 4294967294', open: true },
    { value: '4294967294 0', open: true },
    { value: '1 0', open: true },
    { value: '0 -5', open: true },
    { value: '4294967295 4294967295', open: true },
    { value: '7\t9 ', open: false },
    { value: ' 0 10\n', open: true },
  ];
  return [
    scenario(
      'gen-ping-group-range-values',
      'knr_sysctl of net.ipv4.ping_group_range with in-range, inverted, negative and too large values, and socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) after them',
      values.flatMap(({ value, open }, i) => [
        `knr_sysctl("net.ipv4.ping_group_range", ${JSON.stringify(value)});`,
        ...(open ? [`int s${i} = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);`] : []),
      ]),
    ),
  ];
}

/** A ping socket bound to identifier 0x4b4e (knr_sysctl lets root's group open it), as `p`. */
const pingSocket = [
  'knr_sysctl("net.ipv4.ping_group_range", "0 0");',
  'int p = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);',
  'struct sockaddr_in at = { .sin_family = AF_INET, .sin_port = htons(0x4b4e) };',
];

/**
 * Ping sockets: ping_bind's and ping_v4_sendmsg's refusals, echo requests of several lengths and
 * sources through lo with the kernel's reply back to the ping socket, a connected ping socket, and a
 * raw ICMP socket filtering the requests out. Raw receives stop before the IP identification.
 */
function pingSockets(): GeneratedScenario[] {
  /** A dotted quad as a string literal, a KNR_ADDR_ constant as itself. */
  const address = (value: string) => (value.startsWith('KNR_') ? value : JSON.stringify(value));
  const to = (address: string) =>
    `struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("${address}") };`;
  const drain = (times: number, size = 'sizeof(reply)') => [
    'char reply[70000];',
    'struct sockaddr_in from;',
    'socklen_t length = sizeof(from);',
    ...Array.from(
      { length: times },
      () => `recvfrom(p, reply, ${size}, 0, (struct sockaddr *)&from, &length);`,
    ),
  ];
  const cases = [
    scenario(
      'gen-ping-send-checks',
      "ping_v4_sendmsg's refusals: lengths, ICMP types and codes, MSG_OOB, addresses",
      [
        ...pingSocket,
        'bind(p, (struct sockaddr *)&at, sizeof(at));',
        'char echo[70000] = { 8, 0, 0, 0, 0, 0, 0, 1 };',
        'char timestamp[20] = { 13, 0 };',
        'char coded[8] = { 8, 1 };',
        to('127.0.0.1'),
        'sendto(p, echo, 0, 0, (struct sockaddr *)&to, sizeof(to));',
        'sendto(p, echo, 7, 0, (struct sockaddr *)&to, sizeof(to));',
        'sendto(p, echo, 65536, 0, (struct sockaddr *)&to, sizeof(to));',
        'sendto(p, timestamp, sizeof(timestamp), 0, (struct sockaddr *)&to, sizeof(to));',
        'sendto(p, coded, sizeof(coded), 0, (struct sockaddr *)&to, sizeof(to));',
        'sendto(p, echo, 8, MSG_OOB, (struct sockaddr *)&to, sizeof(to));',
        'sendto(p, echo, 8, 0, (struct sockaddr *)&to, 15);',
        'struct sockaddr_in unspec = { .sin_family = AF_UNSPEC, .sin_addr.s_addr = inet_addr("127.0.0.1") };',
        'sendto(p, echo, 8, 0, (struct sockaddr *)&unspec, sizeof(unspec));',
        'send(p, echo, 8, 0);',
        'struct sockaddr_in away = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr("10.9.9.9") };',
        'sendto(p, echo, 8, 0, (struct sockaddr *)&away, sizeof(away));',
        ...drain(1),
      ],
    ),
    scenario(
      'gen-ping-bind-checks',
      "ping_bind's refusals: length, family, non-local and multicast addresses, a second bind, an identifier in use",
      [
        'knr_veth_pair();',
        ...pingSocket,
        'int q = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);',
        'bind(p, (struct sockaddr *)&at, 15);',
        'struct sockaddr_in six = { .sin_family = 10, .sin_port = htons(7) };',
        'bind(p, (struct sockaddr *)&six, sizeof(six));',
        'struct sockaddr_in away = { .sin_family = AF_INET, .sin_port = htons(7), .sin_addr.s_addr = inet_addr("10.0.0.99") };',
        'bind(p, (struct sockaddr *)&away, sizeof(away));',
        'struct sockaddr_in group = { .sin_family = AF_INET, .sin_port = htons(7), .sin_addr.s_addr = inet_addr("224.0.0.1") };',
        'bind(p, (struct sockaddr *)&group, sizeof(group));',
        'struct sockaddr_in veth = { .sin_family = AF_INET, .sin_port = htons(7), .sin_addr.s_addr = inet_addr(KNR_ADDR_VETH) };',
        'bind(p, (struct sockaddr *)&veth, sizeof(veth));',
        'bind(p, (struct sockaddr *)&at, sizeof(at));',
        'struct sockaddr_in unspec = { .sin_family = AF_UNSPEC, .sin_port = htons(7) };',
        'bind(q, (struct sockaddr *)&unspec, sizeof(unspec));',
        'bind(q, (struct sockaddr *)&at, sizeof(at));',
        'struct sockaddr_in name;',
        'socklen_t name_length = sizeof(name);',
        'getsockname(p, (struct sockaddr *)&name, &name_length);',
        'getsockname(q, (struct sockaddr *)&name, &name_length);',
        'close(p);',
        'close(q);',
      ],
    ),
    ...[8, 9, 100, 1472, 60000].map((n) =>
      scenario(`gen-ping-send-length-${n}`, `a ${n}-byte echo request to 127.0.0.1 and the kernel's reply`, [
        ...pingSocket,
        'bind(p, (struct sockaddr *)&at, sizeof(at));',
        `char echo[${n}] = { 8, 0, 0, 0, 0, 0, 1, 2, 3 };`,
        to('127.0.0.1'),
        'sendto(p, echo, sizeof(echo), 0, (struct sockaddr *)&to, sizeof(to));',
        ...drain(2, n > 64 ? '64' : 'sizeof(reply)'),
      ]),
    ),
    ...[
      { name: 'bound-127-0-0-2', bound: '127.0.0.2', destination: '127.0.0.1' },
      { name: 'unbound-to-127-0-0-5', bound: undefined, destination: '127.0.0.5' },
      { name: 'bound-veth', bound: 'KNR_ADDR_VETH', destination: 'KNR_ADDR_VETH' },
    ].map(({ name, bound, destination }) =>
      scenario(
        `gen-ping-source-${name}`,
        `an echo request to ${destination} from a ping socket bound to ${bound ?? 'no address'}`,
        [
          'knr_veth_pair();',
          ...pingSocket,
          `struct sockaddr_in local = { .sin_family = AF_INET, .sin_port = htons(0x4b4e), .sin_addr.s_addr = inet_addr(${address(bound ?? '0.0.0.0')}) };`,
          'bind(p, (struct sockaddr *)&local, sizeof(local));',
          'char echo[16] = { 8, 0, 0, 0, 0, 0, 0, 9 };',
          `struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = inet_addr(${address(destination)}) };`,
          'sendto(p, echo, sizeof(echo), 0, (struct sockaddr *)&to, sizeof(to));',
          ...drain(2),
        ],
      ),
    ),
    scenario(
      'gen-ping-connected',
      'a connected ping socket sends with send() and write(); a second socket with another identifier gets nothing',
      [
        ...pingSocket,
        'int other = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);',
        'struct sockaddr_in at2 = { .sin_family = AF_INET, .sin_port = htons(0x1234) };',
        'bind(other, (struct sockaddr *)&at2, sizeof(at2));',
        'bind(p, (struct sockaddr *)&at, sizeof(at));',
        to('127.0.0.1'),
        'connect(p, (struct sockaddr *)&to, sizeof(to));',
        'char echo[10] = { 8, 0, 0, 0, 0, 0, 0, 3, 4, 5 };',
        'send(p, echo, sizeof(echo), 0);',
        'write(p, echo, sizeof(echo));',
        ...drain(3),
        'recv(other, reply, sizeof(reply), 0);',
      ],
    ),
    scenario(
      'gen-ping-raw-filter',
      'a raw ICMP socket with ICMP_FILTER dropping echo requests sees only the reply to a ping',
      [
        ...pingSocket,
        'bind(p, (struct sockaddr *)&at, sizeof(at));',
        'int raw = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);',
        'int all = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);',
        'unsigned int mask = 1 << ICMP_ECHO;',
        'setsockopt(raw, SOL_RAW, ICMP_FILTER, &mask, sizeof(mask));',
        'char echo[20] = { 8, 0, 0, 0, 0, 0, 0, 1 };',
        to('127.0.0.1'),
        'sendto(p, echo, sizeof(echo), 0, (struct sockaddr *)&to, sizeof(to));',
        'char head[4];',
        'recv(raw, head, sizeof(head), MSG_TRUNC);',
        'recv(raw, head, sizeof(head), MSG_TRUNC);',
        'recv(all, head, sizeof(head), MSG_TRUNC);',
        'recv(all, head, sizeof(head), MSG_TRUNC);',
        'recv(all, head, sizeof(head), MSG_TRUNC);',
        ...drain(2),
      ],
    ),
  ];
  return cases;
}

/**
 * Echo replies injected on knr0 (knr_ipv4_icmp_echo_reply, identifier 0x4b4e): ping sockets bound to
 * each address, replies of several lengths, and two sockets sharing the identifier (the newest wins).
 */
function injectedEchoReplies(): GeneratedScenario[] {
  const receive = (fd: string, times: number) => [
    'char buf[2048];',
    'struct sockaddr_in from;',
    'socklen_t length = sizeof(from);',
    ...Array.from(
      { length: times },
      () => `recvfrom(${fd}, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &length);`,
    ),
  ];
  const bound = [
    { name: 'any', address: '"0.0.0.0"' },
    { name: 'veth', address: 'KNR_ADDR_VETH' },
    { name: 'lo', address: 'KNR_ADDR_LO' },
  ].map(({ name, address }) =>
    scenario(
      `gen-ping-echo-reply-bound-${name}`,
      `an echo reply to knr0 for a ping socket bound to ${name}`,
      [
        'knr_veth_pair();',
        ...pingSocket,
        `struct sockaddr_in local = { .sin_family = AF_INET, .sin_port = htons(0x4b4e), .sin_addr.s_addr = inet_addr(${address}) };`,
        'bind(p, (struct sockaddr *)&local, sizeof(local));',
        'knr_send(KNR_IF_PEER, knr_ipv4_icmp_echo_reply(KNR_ADDR_PEER, KNR_ADDR_VETH, 6));',
        ...receive('p', 2),
      ],
    ),
  );
  const lengths = scenario(
    'gen-ping-echo-reply-lengths',
    'echo replies of 0, 1, 56 and 1400 payload bytes to a ping socket, read with MSG_TRUNC',
    [
      'knr_veth_pair();',
      ...pingSocket,
      'bind(p, (struct sockaddr *)&at, sizeof(at));',
      ...[0, 1, 56, 1400].map(
        (n) => `knr_send(KNR_IF_PEER, knr_ipv4_icmp_echo_reply(KNR_ADDR_PEER, KNR_ADDR_VETH, ${n}));`,
      ),
      ...receive('p', 5),
    ],
  );
  const shared = scenario(
    'gen-ping-echo-reply-shared-identifier',
    'two ping sockets bound to the same identifier (sk_reuse): ping_lookup finds the newest one',
    [
      'knr_veth_pair();',
      ...pingSocket,
      'int q = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);',
      'bind(p, (struct sockaddr *)&at, sizeof(at));',
      'bind(q, (struct sockaddr *)&at, sizeof(at));',
      'knr_send(KNR_IF_PEER, knr_ipv4_icmp_echo_reply(KNR_ADDR_PEER, KNR_ADDR_VETH, 4));',
      'close(q);',
      'knr_send(KNR_IF_PEER, knr_ipv4_icmp_echo_reply(KNR_ADDR_PEER, KNR_ADDR_VETH, 5));',
      ...receive('p', 2),
    ],
  );
  return [...bound, lengths, shared];
}

/** Runs that reach the bound of 10,000 statements: a loop refused up front, and nested loops that run into it. */
function stepBounds(): GeneratedScenario[] {
  return [
    scenario('gen-step-bound-loop', 'a loop of 20,000 iterations is refused before it starts', [
      'int s = socket(AF_INET, SOCK_RAW, 253);',
      'for (int i = 0; i < 20000; i++) {',
      '	int x = i;',
      '}',
    ]),
    scenario('gen-step-bound-nested', 'nested loops run until the 10,000th statement', [
      'int s = socket(AF_INET, SOCK_RAW, 253);',
      'for (int i = 0; i < 200; i++) {',
      '	for (int j = 0; j < 100; j++) {',
      '		int x = j;',
      '	}',
      '	close(99);',
      '}',
    ]),
  ];
}

export function generatedScenarios(): GeneratedScenario[] {
  return [
    ...socketCreation(),
    ...rawProtocolEdges(),
    ...recvmsgFlagCases(),
    ...auxdataCases(),
    ...icmpFanout(),
    ...rawMatching(),
    ...fullReceiveBuffer(),
    ...getsockoptCases(),
    ...setThenGetCases(),
    ...getsocknameCases(),
    ...recvfromSourceCases(),
    ...socketFilters(),
    ...shortBuffers(),
    ...rawSends(),
    ...hdrinclSends(),
    ...outgoingTaps(),
    ...packetSends(),
    ...qdiscBypass(),
    ...pingGroupRanges(),
    ...pingSockets(),
    ...injectedEchoReplies(),
    ...stepBounds(),
  ];
}
