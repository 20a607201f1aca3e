// Models of net/ipv4/ping.c for IPv4 ping sockets (socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)):
// binding an identifier, sending an echo request (the caller writes the ICMP header, the kernel puts
// its identifier and the checksum in), and receiving the echo reply that icmp_rcv hands to ping_rcv.
// An identifier the kernel picks itself (bind to port 0, or a send before any bind) comes from a
// rover shared by every namespace of the machine and is not modelled.
// Long because it is one kernel file's models, each beside its anchors, as check-models reads them.
import { defineModel } from './model';
import { Kernel, NotModelled, registerImplementation } from './kernel';
import type { MsgHdr, SendMsgHdr, Sock } from './state';
import type { SkBuff } from './skbuff';
import { readU16, u16 } from './user-memory';
import { skb_free_datagram, skb_recv_datagram } from './datagram';
import { copyToMsg, putSourceSockaddrIn } from './socket';
import { inet_sk as inet, sock_queue_rcv_skb_reason, type DropReasonOut } from './sock';
import { addressType, ipv4At, outputRoute } from './route';
import { ip_append_data, ip_push_pending_frames, type PendingDatagram } from './ip-output';
import { ip_cmsg_recv } from './ip-sockglue';
import { internetChecksum } from '../scenario/frames';
import { skbClone } from './skbuff';

const file = 'net/ipv4/ping.c';

const pingBind = defineModel('ping_bind', file, {
  check: 'err = ping_check_bind_addr(sk, isk, uaddr, addr_len);',
  bound: 'if (isk->inet_num != 0)',
  port: 'if (ping_get_port(sk, snum) != 0) {',
  saddr: 'ping_set_saddr(sk, uaddr);',
  sport: 'isk->inet_sport = htons(isk->inet_num);',
});
const pingCheckBindAddr = defineModel('ping_check_bind_addr', file, {
  length: 'if (addr_len < sizeof(*addr))',
  family: 'if (addr->sin_family != AF_INET &&',
  any: 'if (addr->sin_addr.s_addr == htonl(INADDR_ANY))',
  type: 'if (chk_addr_ret == RTN_MULTICAST ||',
});
const pingGetPort = defineModel('ping_get_port', file, {
  rover: 'if (ident == 0) {',
  inUse: 'if ((isk2->inet_num == ident) &&',
  num: 'isk->inet_num = ident;',
  hash: 'sk_add_node_rcu(sk, hlist);',
  rcuFree: 'sock_set_flag(sk, SOCK_RCU_FREE);',
});
const pingClose = defineModel('ping_close', file, { release: 'sk_common_release(sk);' });
const pingCommonSendmsg = defineModel('ping_common_sendmsg', file, {
  tooLong: 'if (len > 0xFFFF)',
  short: 'if (len < icmph_len)',
  oob: 'if (msg->msg_flags & MSG_OOB)',
  header: 'if (memcpy_from_msg(user_icmph, msg, icmph_len))',
  supported: 'if (!ping_supported(family, type, code))',
});
const pingV4Sendmsg = defineModel('ping_v4_sendmsg', file, {
  common: 'err = ping_common_sendmsg(AF_INET, msg, len, &user_icmph,',
  nameLength: 'if (msg->msg_namelen < sizeof(*usin))',
  family: 'if (usin->sin_family != AF_INET)',
  notConnected: 'if (sk->sk_state != TCP_ESTABLISHED)',
  route: 'rt = ip_route_output_flow(net, &fl4, sk);',
  id: 'pfh.icmph.un.echo.id = inet->inet_sport;',
  append: 'err = ip_append_data(sk, &fl4, ping_getfrag, &pfh, len,',
  push: 'err = ping_v4_push_pending_frames(sk, &pfh, &fl4);',
  sent: 'return len;',
});
const pingV4PushPendingFrames = defineModel('ping_v4_push_pending_frames', file, {
  checksum: 'pfh->icmph.checksum = csum_fold(pfh->wcheck);',
  push: 'return ip_push_pending_frames(sk, fl4);',
});
const pingRcv = defineModel('ping_rcv', file, {
  push: 'skb_push(skb, skb->data - (u8 *)icmph);',
  lookup: 'sk = ping_lookup(net, skb, ntohs(icmph->un.echo.id));',
  queue: 'reason = __ping_queue_rcv_skb(sk, skb2);',
  dropping: 'if (reason)',
});
const pingQueueRcvSkb = defineModel('__ping_queue_rcv_skb', file, {
  queue: 'if (sock_queue_rcv_skb_reason(sk, skb, &reason) < 0) {',
  drop: { pattern: 'kfree_skb_reason(skb, reason);', only: ['6.1'] },
  reasonDrop: { pattern: 'sk_skb_reason_drop(sk, skb, reason);', only: ['6.12'] },
});
const pingLookup = defineModel('ping_lookup', file, {
  num: 'if (READ_ONCE(isk->inet_num) != ident)',
  saddr: 'if (rcv_saddr && rcv_saddr != ip_hdr(skb)->daddr)',
  dev: 'if (bound_dev_if && bound_dev_if != dif &&',
  found: 'goto exit;',
});
const pingRecvmsg = defineModel('ping_recvmsg', file, {
  oob: 'if (flags & MSG_OOB)',
  errqueue: 'if (flags & MSG_ERRQUEUE)',
  datagram: 'skb = skb_recv_datagram(sk, flags, &err);',
  truncate: 'msg->msg_flags |= MSG_TRUNC;',
  copy: 'err = skb_copy_datagram_msg(skb, 0, msg, copied);',
  address: 'sin->sin_addr.s_addr = ip_hdr(skb)->saddr;',
  cmsg: 'ip_cmsg_recv(msg, skb);',
});

const icmpHeaderLength = 8;

export function ping_bind(k: Kernel, sk: Sock, address: number[], addrlen: number): number {
  return k.fn(pingBind, { addr_len: addrlen }, (f) => {
    const i = inet(sk);
    f.at('check');
    const err = ping_check_bind_addr(k, address, addrlen);
    if (err) return err;
    if (i.inet_num !== 0) {
      f.at('bound', { inet_num: i.inet_num }, 'already bound: -EINVAL');
      return k.err('EINVAL');
    }
    const snum = readU16(address, 2);
    const ident = ((snum & 0xff) << 8) | (snum >>> 8);
    f.at('port', { snum: ident });
    if (ping_get_port(k, sk, ident)) return k.err('EADDRINUSE');
    const saddr = ipv4At(address, 4);
    i.inet_saddr = saddr;
    i.inet_rcv_saddr = saddr;
    f.at('saddr', { inet_rcv_saddr: saddr });
    i.inet_sport = i.inet_num;
    i.inet_daddr = '0.0.0.0';
    i.inet_dport = 0;
    f.at('sport', { inet_sport: i.inet_sport });
    return 0;
  });
}

function ping_check_bind_addr(k: Kernel, address: number[], addrlen: number): number {
  return k.fn(pingCheckBindAddr, {}, (f) => {
    if (addrlen < 16) {
      f.at('length', { addr_len: addrlen }, 'shorter than struct sockaddr_in: -EINVAL');
      return k.err('EINVAL');
    }
    const family = readU16(address, 0);
    const addr = ipv4At(address, 4);
    if (family !== k.c.AF_INET && !(family === k.c.AF_UNSPEC && addr === '0.0.0.0')) {
      f.at('family', { sin_family: family }, '-EAFNOSUPPORT');
      return k.err('EAFNOSUPPORT');
    }
    if (addr === '0.0.0.0') {
      f.at('any', {}, 'INADDR_ANY');
      return 0;
    }
    const type = addressType(k, addr);
    const refused = type !== 'RTN_LOCAL';
    f.at('type', { addr, type }, refused ? 'not a local unicast address: -EADDRNOTAVAIL' : 'local');
    return refused ? k.err('EADDRNOTAVAIL') : 0;
  });
}

/** ping_table is the machine's: only the sockets of this namespace are compared with the identifier. */
function ping_get_port(k: Kernel, sk: Sock, ident: number): number {
  return k.fn(pingGetPort, { ident }, (f) => {
    if (ident === 0) {
      f.at('rover');
      throw new NotModelled('an identifier from ping_port_rover, which every namespace of the machine moves');
    }
    const holder = k.net.ping_table.find((other) => other !== sk && inet(other).inet_num === ident);
    if (holder && (!holder.sk_reuse || !sk.sk_reuse)) {
      f.at('inUse', { ident }, 'taken in this namespace, not both sk_reuse: -EADDRINUSE');
      return -1;
    }
    if (holder) f.at('inUse', { ident }, 'taken, but both sockets have sk_reuse: shared');
    inet(sk).inet_num = ident;
    f.at('num', { inet_num: ident });
    k.net.ping_table.unshift(sk);
    f.at('hash');
    sk.rcuFree = true;
    f.at('rcuFree', {}, 'the sock (and its queue) is freed after an RCU grace period');
    return 0;
  });
}

export function ping_close(k: Kernel, sk: Sock): number {
  return k.fn(pingClose, {}, (f) => {
    f.at('release', {}, 'ping_unhash takes it out of ping_table');
    k.net.ping_table = k.net.ping_table.filter((other) => other !== sk);
    return 0;
  });
}

/** The ICMP header the caller wrote (the first 8 bytes), or -errno. */
function ping_common_sendmsg(k: Kernel, msg: SendMsgHdr, len: number): number[] | number {
  return k.fn(pingCommonSendmsg, { len }, (f) => {
    if (len > 0xffff) {
      f.at('tooLong', { len }, '-EMSGSIZE');
      return k.err('EMSGSIZE');
    }
    if (len < icmpHeaderLength) {
      f.at('short', { len }, 'shorter than struct icmphdr: -EINVAL');
      return k.err('EINVAL');
    }
    if (msg.msg_flags & k.c.MSG_OOB) {
      f.at('oob', {}, 'MSG_OOB: -EOPNOTSUPP');
      return k.err('EOPNOTSUPP');
    }
    const header = msg.data?.slice(0, icmpHeaderLength);
    f.at('header', {}, header && header.length === icmpHeaderLength ? undefined : '-EFAULT');
    if (!header || header.length < icmpHeaderLength) return k.err('EFAULT');
    const [type, code] = header;
    const supported = type === k.c.ICMP_ECHO && code === 0;
    f.at('supported', { type, code }, supported ? 'an echo request' : 'not an echo request: -EINVAL');
    return supported ? header : k.err('EINVAL');
  });
}

export function ping_v4_sendmsg(k: Kernel, sk: Sock, msg: SendMsgHdr, len: number): number {
  return k.fn(pingV4Sendmsg, { len, msg_flags: msg.msg_flags }, (f) => {
    const i = inet(sk);
    f.at('common');
    const user = ping_common_sendmsg(k, msg, len);
    if (typeof user === 'number') return user;
    let daddr: string;
    if (msg.msg_name) {
      if (msg.msg_namelen < 16) {
        f.at('nameLength', { msg_namelen: msg.msg_namelen }, 'shorter than struct sockaddr_in: -EINVAL');
        return k.err('EINVAL');
      }
      const family = readU16(msg.msg_name, 0);
      if (family !== k.c.AF_INET) {
        f.at('family', { sin_family: family }, '-EAFNOSUPPORT');
        return k.err('EAFNOSUPPORT');
      }
      daddr = ipv4At(msg.msg_name, 4);
    } else {
      if (sk.sk_state !== 'TCP_ESTABLISHED') {
        f.at('notConnected', { sk_state: sk.sk_state }, 'no address and not connected: -EDESTADDRREQ');
        return k.err('EDESTADDRREQ');
      }
      daddr = i.inet_daddr;
    }
    if (msg.msg_controllen) throw new NotModelled('control messages on send (ip_cmsg_send)');
    for (const flag of ['MSG_MORE', 'MSG_CONFIRM', 'MSG_PROBE'] as const)
      if (msg.msg_flags & k.c[flag]) throw new NotModelled(`${flag} on a ping send`);
    if (sk.sk_bound_dev_if) throw new NotModelled('a send from a ping socket bound to a device');
    const type = addressType(k, daddr);
    if (daddr === '0.0.0.0' || type === 'RTN_BROADCAST' || type === 'RTN_MULTICAST')
      throw new NotModelled(`a ping to ${daddr}`);
    const rt = outputRoute(k, daddr);
    f.at('route', { daddr, dev: rt?.dev.name ?? 'none' }, rt ? undefined : 'no route: -ENETUNREACH');
    if (!rt) return k.err('ENETUNREACH');
    if (rt.dev.type !== k.c.ARPHRD_LOOPBACK)
      throw new NotModelled(`what the peer namespace does with an echo request sent through ${rt.dev.name}`);
    const saddr = i.inet_saddr !== '0.0.0.0' ? i.inet_saddr : rt.saddr;
    const id = u16(((i.inet_sport & 0xff) << 8) | (i.inet_sport >>> 8));
    f.at('id', { id: i.inet_sport });
    // ip_append_data copies the data after the ICMP header; the header goes in when the frames are pushed.
    const data = msg.data?.slice(0, len);
    const body: SendMsgHdr = {
      ...msg,
      data: data && [0, 0, 0, 0, 0, 0, 0, 0, ...data.slice(icmpHeaderLength)],
    };
    f.at('append', { saddr, daddr });
    const pending = ip_append_data(k, sk, body, len, { saddr, daddr, dev: rt.dev });
    if (typeof pending === 'number') return pending;
    f.at('push');
    const err = ping_v4_push_pending_frames(k, sk, pending, [
      user[0],
      user[1],
      0,
      0,
      ...id,
      user[6],
      user[7],
    ]);
    if (err < 0) return err;
    f.at('sent', { len });
    return len;
  });
}

function ping_v4_push_pending_frames(k: Kernel, sk: Sock, pending: PendingDatagram, icmph: number[]): number {
  return k.fn(pingV4PushPendingFrames, {}, (f) => {
    const message = [...icmph, ...pending.payload.slice(icmpHeaderLength)];
    const sum = internetChecksum(message);
    message[2] = sum >>> 8;
    message[3] = sum & 0xff;
    pending.payload.splice(0, icmpHeaderLength, ...message.slice(0, icmpHeaderLength));
    f.at('checksum', { checksum: `0x${sum.toString(16).padStart(4, '0')}` });
    f.at('push');
    return ip_push_pending_frames(k, sk, pending);
  });
}

/**
 * icmp_rcv's handler for ICMP_ECHOREPLY: a clone of the reply goes to the ping socket bound to its
 * identifier. Returns the drop reason icmp_rcv frees the reply with (undefined: it consumes it).
 */
export function ping_rcv(k: Kernel, skb: SkBuff): string | undefined {
  return k.fn(pingRcv, {}, (f) => {
    f.at('push', {}, 'skb->data at the ICMP header');
    const ident = (skb.head[skb.transport_header + 4] << 8) | skb.head[skb.transport_header + 5];
    f.at('lookup', { ident });
    const sk = ping_lookup(k, skb, ident);
    if (!sk) {
      f.at('dropping', { reason: 'NO_SOCKET' }, 'no ping socket has the identifier');
      return 'NO_SOCKET';
    }
    f.at('queue');
    return __ping_queue_rcv_skb(k, sk, skbClone(skb));
  });
}

/** Queues the clone; a socket that refuses it (filter, full buffer) frees it here with the reason. */
function __ping_queue_rcv_skb(k: Kernel, sk: Sock, skb: SkBuff): string | undefined {
  return k.fn(pingQueueRcvSkb, {}, (f) => {
    const out: DropReasonOut = {};
    const err = sock_queue_rcv_skb_reason(k, sk, skb, out);
    f.at('queue', { err: err < 0 ? k.errnoName(err) : 0 }, err < 0 ? 'dropped' : 'queued');
    if (err >= 0) return undefined;
    const reason = out.reason ?? 'NOT_SPECIFIED';
    f.free(k.since('6.12') ? 'reasonDrop' : 'drop', skb, reason);
    return reason;
  });
}

function ping_lookup(k: Kernel, skb: SkBuff, ident: number): Sock | undefined {
  return k.fn(pingLookup, { ident }, (f) => {
    const daddr = ipv4At(skb.head, skb.network_header + 16);
    const dif = skb.dev?.ifindex ?? 0;
    for (const sk of k.net.ping_table) {
      const i = inet(sk);
      if (i.inet_num !== ident) continue;
      f.at('num', { inet_num: i.inet_num });
      if (i.inet_rcv_saddr !== '0.0.0.0' && i.inet_rcv_saddr !== daddr) {
        f.at('saddr', { rcv_saddr: i.inet_rcv_saddr, daddr }, 'bound to another address');
        continue;
      }
      if (sk.sk_bound_dev_if && sk.sk_bound_dev_if !== dif) {
        f.at('dev', { bound_dev_if: sk.sk_bound_dev_if, dif }, 'bound to another device');
        continue;
      }
      f.at('found');
      return sk;
    }
    return undefined;
  });
}

export function ping_recvmsg(
  k: Kernel,
  sk: Sock,
  msg: MsgHdr,
  len: number,
  flags: number,
): { err: number; addrLen: number } {
  return k.fn(pingRecvmsg, { len, flags }, (f) => {
    if (flags & k.c.MSG_OOB) {
      f.at('oob', {}, 'MSG_OOB: -EOPNOTSUPP');
      return { err: k.err('EOPNOTSUPP'), addrLen: 0 };
    }
    if (flags & k.c.MSG_ERRQUEUE) throw new NotModelled('the error queue of a ping socket (inet_recv_error)');
    f.at('datagram');
    const skb = skb_recv_datagram(k, sk, flags);
    if (typeof skb === 'number') return { err: skb, addrLen: 0 };
    let copied = skb.len;
    if (copied > len) {
      msg.msg_flags |= k.c.MSG_TRUNC;
      copied = len;
      f.at('truncate', { 'skb->len': skb.len, len });
    }
    const err = copyToMsg(k, msg, skb, copied);
    f.at('copy', { copied });
    if (err) {
      skb_free_datagram(k, sk, skb);
      return { err, addrLen: 0 };
    }
    let addrLen = 0;
    if (msg.msg_name) {
      const { sin_addr, addrLen: written } = putSourceSockaddrIn(k, msg.msg_name, skb);
      addrLen = written;
      f.at('address', { sin_addr });
    }
    if (inet(sk).cmsg_flags.size > 0) {
      f.at('cmsg');
      ip_cmsg_recv(k, sk, msg, skb);
    }
    skb_free_datagram(k, sk, skb);
    return { err: copied, addrLen };
  });
}

registerImplementation('ping_bind', ping_bind);
registerImplementation('ping_close', ping_close);
registerImplementation('ping_v4_sendmsg', ping_v4_sendmsg);
registerImplementation('ping_recvmsg', ping_recvmsg);
