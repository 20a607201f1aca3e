// Models of net/ipv4/af_inet.c (and the ping socket's init): creating AF_INET sockets through
// inetsw, and the proto_ops functions that forward to sk->sk_prot.
// Long because it is one kernel file's models, each beside its anchors, as check-models reads them.
import { defineModel } from './model';
import { Kernel, NotModelled, registerImplementation, type ModelFrame } from './kernel';
import type { InetProtosw, MsgHdr, SendMsgHdr, Sock, Socket } from './state';
import { readU16, u16 } from './user-memory';
import { inet_sk as inet, rmemDefault } from './sock';

const file = 'net/ipv4/af_inet.c';

const inetCreate = defineModel('inet_create', file, {
  protocolRange: 'if (protocol < 0 || protocol >= IPPROTO_MAX)',
  walk: 'list_for_each_entry_rcu(answer, &inetsw[sock->type], list) {',
  exact: 'if (protocol == answer->protocol) {',
  wildProtocol: 'protocol = answer->protocol;',
  wildAnswer: 'if (IPPROTO_IP == answer->protocol)',
  noMatch: 'err = -EPROTONOSUPPORT;',
  moduleRetry: 'goto lookup_protocol;',
  ops: 'sock->ops = answer->ops;',
  prot: 'answer_prot = answer->prot;',
  inetNum: 'inet->inet_num = protocol;',
  hdrincl: { pattern: 'inet->hdrincl = 1;', only: ['6.1'] },
  hdrinclBit: { pattern: 'inet_set_bit(HDRINCL, sk);', only: ['6.12'] },
  sport: 'inet->inet_sport = htons(inet->inet_num);',
  hash: 'err = sk->sk_prot->hash(sk);',
  init: 'err = sk->sk_prot->init(sk);',
});
const inetRecvmsg = defineModel('inet_recvmsg', file, {
  protRecvmsg: '->recvmsg, tcp_recvmsg, udp_recvmsg,',
  namelen: 'msg->msg_namelen = addr_len;',
});
const inetSendmsg = defineModel('inet_sendmsg', file, {
  prepare: 'if (unlikely(inet_send_prepare(sk)))',
  protSendmsg: 'return INDIRECT_CALL_2(sk->sk_prot->sendmsg, tcp_sendmsg, udp_sendmsg,',
});
const inetBind = defineModel('inet_bind', file, {
  protBind: { pattern: 'return sk->sk_prot->bind(sk, uaddr, addr_len);', only: ['6.1'] },
  bindSk: { pattern: 'return inet_bind_sk(sock->sk, uaddr, addr_len);', only: ['6.12'] },
});
const inetBindSk = defineModel(
  'inet_bind_sk',
  file,
  { protBind: 'return sk->sk_prot->bind(sk, uaddr, addr_len);' },
  { only: ['6.12'] },
);
const inetDgramConnect = defineModel('inet_dgram_connect', file, {
  length: 'if (addr_len < sizeof(uaddr->sa_family))',
  protConnect: 'return prot->connect(sk, uaddr, addr_len);',
});
const inetRelease = defineModel('inet_release', file, {
  protClose: 'sk->sk_prot->close(sk, timeout);',
});
const sockCommonSetsockopt = defineModel('sock_common_setsockopt', 'net/core/sock.c', {
  protSetsockopt: '->setsockopt(sk, level, optname, optval, optlen);',
});
const sockCommonGetsockopt = defineModel('sock_common_getsockopt', 'net/core/sock.c', {
  protGetsockopt: '->getsockopt(sk, level, optname, optval, optlen);',
});
const inetGetname = defineModel('inet_getname', file, {
  family: 'sin->sin_family = AF_INET;',
  rcvSaddr: '__be32 addr = inet->inet_rcv_saddr;',
  saddr: 'addr = inet->inet_saddr;',
  port: 'sin->sin_port = inet->inet_sport;',
  length: { pattern: 'return sizeof(*sin);', only: ['6.1'] },
  addrLength: { pattern: 'return sin_addr_len;', only: ['6.12'] },
});
const pingInitSock = defineModel('ping_init_sock', 'net/ipv4/ping.c', {
  range: 'inet_get_ping_group_range_net(net, &low, &high);',
  egid: 'if (gid_lte(low, group) && gid_lte(group, high))',
  denied: 'ret = -EACCES;',
});

export type ProtRecvmsgFn = (
  k: Kernel,
  sk: Sock,
  msg: MsgHdr,
  len: number,
  flags: number,
) => { err: number; addrLen: number };
export type ProtHookFn = (k: Kernel, sk: Sock) => number;
export type ProtAddressFn = (k: Kernel, sk: Sock, address: number[], addrlen: number) => number;
export type ProtSetsockoptFn = (
  k: Kernel,
  sk: Sock,
  level: number,
  optname: number,
  optval: number,
  optlen: number,
) => number;

/** The inetsw entry that inet_create's walk settles on, with the protocol it ends with. */
function lookupProtocol(
  k: Kernel,
  f: ModelFrame,
  list: readonly InetProtosw[],
  protocol: number,
): { answer?: InetProtosw; protocol: number; err: number } {
  let err = k.err('ESOCKTNOSUPPORT');
  for (const answer of list) {
    err = 0;
    f.at('walk', { 'answer->protocol': answer.protocol, 'answer->prot': answer.prot });
    if (protocol === answer.protocol) {
      if (protocol !== k.c.IPPROTO_IP) {
        f.at('exact', { protocol }, 'exact match');
        return { answer, protocol, err };
      }
    } else {
      if (protocol === k.c.IPPROTO_IP) {
        f.at('wildProtocol', { protocol: answer.protocol }, 'protocol 0 takes the entry’s protocol');
        return { answer, protocol: answer.protocol, err };
      }
      if (answer.protocol === k.c.IPPROTO_IP) {
        f.at('wildAnswer', { protocol }, 'wildcard entry');
        return { answer, protocol, err };
      }
    }
    err = k.err('EPROTONOSUPPORT');
    f.at('noMatch', {}, 'no match');
  }
  return { protocol, err };
}

export function inet_create(k: Kernel, sock: Socket, protocol: number, kern: boolean): number {
  return k.fn(inetCreate, { protocol, 'sock->type': sock.type, kern }, (f) => {
    if (protocol < 0 || protocol >= k.c.IPPROTO_MAX) {
      f.at('protocolRange', { protocol }, 'protocol out of range: -EINVAL');
      return k.err('EINVAL');
    }
    sock.state = 'SS_UNCONNECTED';
    const list = k.inetsw.get(sock.type) ?? [];
    // The kernel retries the walk twice after asking for a module; the tree's built-in entries do not change.
    const found = lookupProtocol(k, f, list, protocol);
    if (found.err || !found.answer) {
      const err = found.err || k.err('ESOCKTNOSUPPORT');
      f.at('moduleRetry', { err: k.errnoName(err) }, 'no entry after the module retries');
      return err;
    }
    const answer = found.answer;
    protocol = found.protocol;
    sock.ops = answer.ops;
    sock.opsFile = answer.file;
    f.at('ops', { 'sock->ops': `&${answer.ops}` });
    f.at('prot', { answer_prot: `&${answer.prot}` });
    const sk: Sock = {
      sk_family: k.c.PF_INET,
      sk_type: sock.type,
      sk_protocol: protocol,
      sk_prot: answer.prot,
      sk_receive_queue: [],
      sk_rcvbuf: rmemDefault,
      sk_rmem_alloc: 0,
      sk_drops: 0,
      sk_bound_dev_if: 0,
      sk_reuse: answer.reuse,
      sk_rcvtimeo_ms: 0,
      sk_state: 'TCP_CLOSE',
      socket: sock,
      inet: {
        inet_num: 0,
        inet_rcv_saddr: '0.0.0.0',
        inet_saddr: '0.0.0.0',
        inet_daddr: '0.0.0.0',
        inet_dport: 0,
        inet_sport: 0,
        hdrincl: false,
        cmsg_flags: new Set(),
      },
    };
    sock.sk = sk;
    if (sock.type === k.c.SOCK_RAW) {
      inet(sk).inet_num = protocol;
      f.at('inetNum', { 'inet->inet_num': protocol });
      if (protocol === k.c.IPPROTO_RAW) {
        inet(sk).hdrincl = true;
        f.at(k.since('6.12') ? 'hdrinclBit' : 'hdrincl', {}, 'IPPROTO_RAW: header included');
      }
    }
    if (inet(sk).inet_num) {
      inet(sk).inet_sport = inet(sk).inet_num;
      f.at('sport', { inet_sport: inet(sk).inet_num });
      const hash = f.hop('hash', 'proto', sk.sk_prot, 'hash');
      const err = k.implementation<ProtHookFn>(hash)(k, sk);
      if (err) return err;
    }
    const initSlot = k.index.table(sk.sk_prot)?.slots.find((s) => s.field === 'init');
    if (initSlot) {
      const init = f.hop('init', 'proto', sk.sk_prot, 'init');
      const err = k.implementation<ProtHookFn>(init)(k, sk);
      if (err) {
        sock.sk = undefined;
        return err;
      }
    }
    return 0;
  });
}

export function inet_recvmsg(k: Kernel, sock: Socket, msg: MsgHdr, size: number, flags: number): number {
  return k.fn(inetRecvmsg, { size, flags }, (f) => {
    const sk = sock.sk!;
    const target = f.hop('protRecvmsg', 'proto', sk.sk_prot, 'recvmsg');
    const { err, addrLen } = k.implementation<ProtRecvmsgFn>(target)(k, sk, msg, size, flags);
    if (err >= 0) {
      msg.msg_namelen = addrLen;
      f.at('namelen', { msg_namelen: addrLen });
    }
    return err;
  });
}

export type ProtSendmsgFn = (k: Kernel, sk: Sock, msg: SendMsgHdr, len: number) => number;

export function inet_sendmsg(k: Kernel, sock: Socket, msg: SendMsgHdr, size: number): number {
  return k.fn(inetSendmsg, { size }, (f) => {
    const sk = sock.sk!;
    // inet_send_prepare autobinds a socket with no local port; a raw socket has its protocol as one.
    if (!inet(sk).inet_num) throw new NotModelled('autobinding an unbound AF_INET socket before a send');
    f.at('prepare', { inet_num: inet(sk).inet_num }, 'bound: nothing to prepare');
    const target = f.hop('protSendmsg', 'proto', sk.sk_prot, 'sendmsg');
    if (!k.hasImplementation(target)) throw new NotModelled(`${target} (sending on this socket)`);
    return k.implementation<ProtSendmsgFn>(target)(k, sk, msg, size);
  });
}

export function inet_bind(k: Kernel, sock: Socket, address: number[], addrlen: number): number {
  return k.fn(inetBind, { addr_len: addrlen }, (f) => {
    const sk = sock.sk!;
    const viaProt = (frame: ModelFrame) => {
      const target = frame.hop('protBind', 'proto', sk.sk_prot, 'bind');
      return k.implementation<ProtAddressFn>(target)(k, sk, address, addrlen);
    };
    if (!k.since('6.12')) return viaProt(f);
    f.at('bindSk');
    return k.fn(inetBindSk, {}, viaProt);
  });
}

export function inet_dgram_connect(k: Kernel, sock: Socket, address: number[], addrlen: number): number {
  return k.fn(inetDgramConnect, { addr_len: addrlen }, (f) => {
    if (addrlen < 2) {
      f.at('length', { addr_len: addrlen }, 'too short: -EINVAL');
      return k.err('EINVAL');
    }
    const sk = sock.sk!;
    if (readU16(address, 0) === k.c.AF_UNSPEC) return k.err('EOPNOTSUPP');
    const target = f.hop('protConnect', 'proto', sk.sk_prot, 'connect');
    return k.implementation<ProtAddressFn>(target)(k, sk, address, addrlen);
  });
}

export function inet_release(k: Kernel, sock: Socket): number {
  return k.fn(inetRelease, {}, (f) => {
    const sk = sock.sk;
    if (!sk) return 0;
    const target = f.hop('protClose', 'proto', sk.sk_prot, 'close');
    k.implementation<ProtHookFn>(target)(k, sk);
    sock.sk = undefined;
    return 0;
  });
}

export function sock_common_setsockopt(
  k: Kernel,
  sock: Socket,
  level: number,
  optname: number,
  optval: number,
  optlen: number,
): number {
  return k.fn(sockCommonSetsockopt, { level, optname }, (f) => {
    const sk = sock.sk!;
    const target = f.hop('protSetsockopt', 'proto', sk.sk_prot, 'setsockopt');
    return k.implementation<ProtSetsockoptFn>(target)(k, sk, level, optname, optval, optlen);
  });
}

export function sock_common_getsockopt(
  k: Kernel,
  sock: Socket,
  level: number,
  optname: number,
  optval: number,
  optlen: number,
): number {
  return k.fn(sockCommonGetsockopt, { level, optname }, (f) => {
    const sk = sock.sk!;
    const target = f.hop('protGetsockopt', 'proto', sk.sk_prot, 'getsockopt');
    return k.implementation<ProtSetsockoptFn>(target)(k, sk, level, optname, optval, optlen);
  });
}

/** getsockname on an AF_INET socket: the bound (or else the source) address and inet_sport. */
export function inet_getname(k: Kernel, sock: Socket, address: number[], peer: number): number {
  return k.fn(inetGetname, { peer }, (f) => {
    if (peer) throw new NotModelled('getpeername on an AF_INET socket');
    const i = inet(sock.sk!);
    f.at('family');
    f.at('rcvSaddr', { inet_rcv_saddr: i.inet_rcv_saddr });
    let addr = i.inet_rcv_saddr;
    if (addr === '0.0.0.0') {
      addr = i.inet_saddr;
      f.at('saddr', { inet_saddr: addr });
    }
    f.at('port', { inet_sport: i.inet_sport });
    const bytes = [...u16(k.c.AF_INET), (i.inet_sport >>> 8) & 0xff, i.inet_sport & 0xff];
    bytes.push(...addr.split('.').map(Number), 0, 0, 0, 0, 0, 0, 0, 0);
    address.splice(0, bytes.length, ...bytes);
    f.at(k.since('6.12') ? 'addrLength' : 'length', { 'sizeof(*sin)': 16 });
    return 16;
  });
}

/**
 * The namespace's net.ipv4.ping_group_range ("1 0", no group, until knr_sysctl sets it) against the
 * scenario's effective group, root's 0. Its supplementary groups are the runner's and unknown to the
 * models: a range that holds some groups but not 0 is not modelled.
 */
export function ping_init_sock(k: Kernel): number {
  return k.fn(pingInitSock, {}, (f) => {
    const { low, high } = k.net.ping_group_range;
    f.at('range', { low, high });
    if (low <= 0 && 0 <= high) {
      f.at('egid', { group: 0 }, 'the effective group is in the range');
      return 0;
    }
    if (low <= high)
      throw new NotModelled(`ping_group_range ${low} ${high} against the caller's supplementary groups`);
    f.at('denied', { gid: 0 }, 'an empty range holds no group: -EACCES');
    return k.err('EACCES');
  });
}

registerImplementation('inet_create', inet_create);
registerImplementation('inet_recvmsg', inet_recvmsg);
registerImplementation('inet_sendmsg', inet_sendmsg);
registerImplementation('inet_bind', inet_bind);
registerImplementation('inet_dgram_connect', inet_dgram_connect);
registerImplementation('inet_release', inet_release);
registerImplementation('sock_common_setsockopt', sock_common_setsockopt);
registerImplementation('ping_init_sock', ping_init_sock);
registerImplementation('sock_common_getsockopt', sock_common_getsockopt);
registerImplementation('inet_getname', inet_getname);
