// Models of net/ipv4/raw.c: raw IPv4 sockets from init to recvmsg, and the delivery of a received
// datagram to every matching raw socket (raw_local_deliver -> raw_v4_input -> raw_rcv).
// Long because it is one kernel file's models, each beside its anchors, as check-models reads them.
import { defineModel } from './model';
import { Kernel, NotModelled, registerImplementation } from './kernel';
import type { MsgHdr, SendMsgHdr, Sock } from './state';
import { skbClone, skbNetworkOffset, skbPush, type SkBuff } from './skbuff';
import { readU16, readU32, u16, u32 } from './user-memory';
import { skb_free_datagram, skb_recv_datagram } from './datagram';
import { copyToMsg, putOption, putSourceSockaddrIn, readOptlen } from './socket';
import { inet_sk as inet, sock_queue_rcv_skb_reason, type DropReasonOut } from './sock';
import { addressType, ipv4At, ipv4Bytes, outputRoute } from './route';
import { dst_output, ip_append_data, ip_push_pending_frames, type OutputFlow } from './ip-output';
import { internetChecksum } from '../scenario/frames';
import { allocSkb } from './skbuff';
import { ip_cmsg_recv, ip_getsockopt, ip_setsockopt, ipv4_pktinfo_prepare } from './ip-sockglue';

const file = 'net/ipv4/raw.c';

const rawSkInit = defineModel('raw_sk_init', file, {
  icmp: 'if (inet_sk(sk)->inet_num == IPPROTO_ICMP)',
  clear: 'memset(&rp->filter, 0, sizeof(rp->filter));',
});
const rawHashSk = defineModel('raw_hash_sk', file, {
  bucket: 'hlist = &h->ht[raw_hashfunc(sock_net(sk), inet_sk(sk)->inet_num)];',
  add: 'sk_add_node_rcu(sk, hlist);',
  rcuFree: 'sock_set_flag(sk, SOCK_RCU_FREE);',
});
const rawClose = defineModel('raw_close', file, {
  unhash: 'sk_common_release(sk);',
});
const rawSetsockopt = defineModel('raw_setsockopt', file, {
  level: 'if (level != SOL_RAW)',
  ip: 'return ip_setsockopt(sk, level, optname, optval, optlen);',
  raw: 'return do_raw_setsockopt(sk, ',
});
const doRawSetsockopt = defineModel('do_raw_setsockopt', file, {
  icmpFilter: 'if (optname == ICMP_FILTER) {',
  notIcmp: 'if (inet_sk(sk)->inet_num != IPPROTO_ICMP)',
  set: 'return raw_seticmpfilter(sk, optval, optlen);',
  other: 'return -ENOPROTOOPT;',
});
const rawGetsockopt = defineModel('raw_getsockopt', file, {
  level: 'if (level != SOL_RAW)',
  ip: 'return ip_getsockopt(sk, level, optname, optval, optlen);',
  raw: 'return do_raw_getsockopt(sk, ',
});
const doRawGetsockopt = defineModel('do_raw_getsockopt', file, {
  icmpFilter: 'if (optname == ICMP_FILTER) {',
  notIcmp: 'if (inet_sk(sk)->inet_num != IPPROTO_ICMP)',
  get: 'return raw_geticmpfilter(sk, optval, optlen);',
  other: 'return -ENOPROTOOPT;',
});
const rawGeticmpfilter = defineModel('raw_geticmpfilter', file, {
  len: 'if (get_user(len, optlen))',
  negative: 'if (len < 0)',
  clamp: 'if (len > sizeof(struct icmp_filter))',
  copy: 'copy_to_user(optval, &raw_sk(sk)->filter, len))',
});
const rawBind = defineModel('raw_bind', file, {
  check: 'if (sk->sk_state != TCP_CLOSE || addr_len < sizeof(struct sockaddr_in))',
  type: 'chk_addr_ret = inet_addr_type_table(net, addr->sin_addr.s_addr, tb_id);',
  notAvailable: 'ret = -EADDRNOTAVAIL;',
  set: 'inet->inet_rcv_saddr = inet->inet_saddr = addr->sin_addr.s_addr;',
});
const rawRecvmsg = defineModel('raw_recvmsg', file, {
  oob: 'if (flags & MSG_OOB)',
  errqueue: 'err = ip_recv_error(sk, msg, len, addr_len);',
  datagram: 'skb = skb_recv_datagram(sk, flags, &err);',
  truncate: 'msg->msg_flags |= MSG_TRUNC;',
  copy: 'err = skb_copy_datagram_msg(skb, 0, msg, copied);',
  address: 'sin->sin_addr.s_addr = ip_hdr(skb)->saddr;',
  cmsgFlags: { pattern: 'if (inet->cmsg_flags)', only: ['6.1'] },
  cmsgFlagsBits: { pattern: 'if (inet_cmsg_flags(inet))', only: ['6.12'] },
  cmsg: 'ip_cmsg_recv(msg, skb);',
  fullLength: 'copied = skb->len;',
});
const rawLocalDeliver = defineModel('raw_local_deliver', file, {
  input: 'return raw_v4_input(net, skb, ip_hdr(skb),',
});
const rawV4Input = defineModel('raw_v4_input', file, {
  bucket: 'hlist = &raw_v4_hashinfo.ht[hash];',
  match: 'if (!raw_v4_match(net, sk, iph->protocol,',
  rcvbufFull: { pattern: 'if (atomic_read(&sk->sk_rmem_alloc) >=', only: ['6.12'] },
  delivered: 'delivered = 1;',
  filter: 'if ((iph->protocol != IPPROTO_ICMP || !icmp_filter(sk, skb)) &&',
  clone: 'struct sk_buff *clone = skb_clone(skb, GFP_ATOMIC);',
  rcv: 'raw_rcv(sk, clone);',
});
const rawV4Match = defineModel('raw_v4_match', file, {
  num: 'inet->inet_num == num',
  daddr: '!(inet->inet_daddr && inet->inet_daddr != raddr)',
  rcvSaddr: '!(inet->inet_rcv_saddr && inet->inet_rcv_saddr != laddr)',
  dev: 'raw_sk_bound_dev_eq(net, sk->sk_bound_dev_if, dif, sdif)',
});
const icmpFilter = defineModel('icmp_filter', file, {
  header: 'hdr = skb_header_pointer(skb, skb_transport_offset(skb),',
  short: 'return 1;',
  type: 'if (hdr->type < 32) {',
  data: '__u32 data = raw_sk(sk)->filter.data;',
  verdict: 'return ((1U << hdr->type) & data) != 0;',
});
const rawRcv = defineModel('raw_rcv', file, {
  push: 'skb_push(skb,',
  queue: 'raw_rcv_skb(sk, skb);',
});
const rawRcvSkb = defineModel(
  'raw_rcv_skb',
  file,
  {
    drop: { pattern: 'kfree_skb_reason(skb, reason);', only: ['6.1'] },
    reasonDrop: { pattern: 'sk_skb_reason_drop(sk, skb, reason);', only: ['6.12'] },
    pktinfo: 'ipv4_pktinfo_prepare(sk, skb, true);',
    queue: 'if (sock_queue_rcv_skb_reason(sk, skb, &reason) < 0) {',
  },
  { endsReportedAs: { why: 'inlined', into: 'raw_rcv' } },
);
const ip4DatagramConnect = defineModel('__ip4_datagram_connect', 'net/ipv4/datagram.c', {
  length: 'if (addr_len < sizeof(*usin))',
  family: 'if (usin->sin_family != AF_INET)',
  route: 'rt = ip_route_connect(fl4, usin->sin_addr.s_addr, saddr, oif,',
  daddr: 'inet->inet_daddr = fl4->daddr;',
  established: 'sk->sk_state = TCP_ESTABLISHED;',
});

const rawSendmsg = defineModel('raw_sendmsg', file, {
  tooLong: 'if (len > 0xFFFF)',
  oob: 'if (msg->msg_flags & MSG_OOB)',
  name: 'if (msg->msg_namelen) {',
  nameLength: 'if (msg->msg_namelen < sizeof(*usin))',
  family: 'if (usin->sin_family != AF_INET) {',
  daddr: 'daddr = usin->sin_addr.s_addr;',
  notConnected: 'if (sk->sk_state != TCP_ESTABLISHED)',
  control: 'if (msg->msg_controllen) {',
  route: 'rt = ip_route_output_flow(net, &fl4, sk);',
  broadcast: 'if (rt->rt_flags & RTCF_BROADCAST && !sock_flag(sk, SOCK_BROADCAST))',
  hdrinc: 'err = raw_send_hdrinc(sk, &fl4, msg, len,',
  append: 'err = ip_append_data(sk, &fl4, raw_getfrag,',
  push: 'err = ip_push_pending_frames(sk, &fl4);',
  sent: 'return len;',
});

const rawSendHdrinc = defineModel(
  'raw_send_hdrinc',
  file,
  {
    mtu: 'if (length > rt->dst.dev->mtu) {',
    short: 'if (length < sizeof(struct iphdr))',
    alloc: 'skb = sock_alloc_send_skb(sk,',
    copy: 'if (memcpy_from_msg(iph, msg, length))',
    ihl: 'if (iphlen > length || iphlen < sizeof(*iph))',
    saddr: 'iph->saddr = fl4->saddr;',
    totLen: 'iph->tot_len = htons(length);',
    ident: 'ip_select_ident(net, skb, NULL);',
    check: 'iph->check = ip_fast_csum((unsigned char *)iph, iph->ihl);',
    output: 'dst_output);',
    errorFree: 'kfree_skb(skb);',
  },
  { endsReportedAs: { why: 'inlined', into: 'raw_sendmsg' } },
);

/** sizeof(struct icmphdr). */
const icmpHeaderSize = 8;

export function raw_sk_init(k: Kernel, sk: Sock): number {
  return k.fn(rawSkInit, { 'inet->inet_num': inet(sk).inet_num }, (f) => {
    if (inet(sk).inet_num === k.c.IPPROTO_ICMP) {
      inet(sk).icmp_filter = 0;
      f.at('clear', { 'rp->filter.data': 0 }, 'ICMP socket: filter cleared');
    } else f.at('icmp', {}, 'not ICMP');
    return 0;
  });
}

export function raw_hash_sk(k: Kernel, sk: Sock): number {
  return k.fn(rawHashSk, {}, (f) => {
    const num = inet(sk).inet_num;
    f.at('bucket', { inet_num: num });
    const chain = k.net.raw_hash.get(num) ?? [];
    chain.unshift(sk);
    k.net.raw_hash.set(num, chain);
    f.at('add', { 'sockets in bucket': chain.length });
    sk.rcuFree = true;
    f.at('rcuFree', {}, 'the sock (and its queue) is freed after an RCU grace period');
    return 0;
  });
}

export function raw_close(k: Kernel, sk: Sock): number {
  return k.fn(rawClose, {}, (f) => {
    const chain = k.net.raw_hash.get(inet(sk).inet_num);
    if (chain?.includes(sk)) chain.splice(chain.indexOf(sk), 1);
    f.at('unhash');
    return 0;
  });
}

export function raw_setsockopt(
  k: Kernel,
  sk: Sock,
  level: number,
  optname: number,
  optval: number,
  optlen: number,
): number {
  return k.fn(rawSetsockopt, { level, optname }, (f) => {
    if (level !== k.c.SOL_RAW) {
      f.at('level', { level }, 'not SOL_RAW: to the IP level');
      f.at('ip');
      return ip_setsockopt(k, sk, level, optname, optval, optlen);
    }
    f.at('raw');
    return k.fn(doRawSetsockopt, { optname, optlen }, (g) => {
      if (optname !== k.c.ICMP_FILTER) {
        g.at('other', { optname }, '-ENOPROTOOPT');
        return k.err('ENOPROTOOPT');
      }
      g.at('icmpFilter');
      if (inet(sk).inet_num !== k.c.IPPROTO_ICMP) {
        g.at('notIcmp', { inet_num: inet(sk).inet_num }, 'not an ICMP socket: -EOPNOTSUPP');
        return k.err('EOPNOTSUPP');
      }
      const length = Math.min(optlen, 4);
      const bytes = k.memory.read(optval, length);
      if (!bytes) return k.err('EFAULT');
      // raw_seticmpfilter copies at most sizeof(struct icmp_filter) bytes over the current filter.
      const current = u16(inet(sk).icmp_filter ?? 0).concat(u16((inet(sk).icmp_filter ?? 0) >>> 16));
      current.splice(0, length, ...bytes);
      const data = readU32(current, 0);
      inet(sk).icmp_filter = data;
      g.at('set', { 'filter.data': `0x${data.toString(16)}` });
      return 0;
    });
  });
}

export function raw_getsockopt(
  k: Kernel,
  sk: Sock,
  level: number,
  optname: number,
  optval: number,
  optlen: number,
): number {
  return k.fn(rawGetsockopt, { level, optname }, (f) => {
    if (level !== k.c.SOL_RAW) {
      f.at('level', { level }, 'not SOL_RAW: to the IP level');
      f.at('ip');
      return ip_getsockopt(k, sk, level, optname, optval, optlen);
    }
    f.at('raw');
    return k.fn(doRawGetsockopt, { optname }, (g) => {
      if (optname !== k.c.ICMP_FILTER) {
        g.at('other', { optname }, '-ENOPROTOOPT');
        return k.err('ENOPROTOOPT');
      }
      g.at('icmpFilter');
      if (inet(sk).inet_num !== k.c.IPPROTO_ICMP) {
        g.at('notIcmp', { inet_num: inet(sk).inet_num }, 'not an ICMP socket: -EOPNOTSUPP');
        return k.err('EOPNOTSUPP');
      }
      g.at('get');
      return k.fn(rawGeticmpfilter, {}, (h) => {
        const len = readOptlen(k, optlen);
        h.at('len', typeof len === 'number' ? { len } : {}, typeof len === 'number' ? undefined : '-EFAULT');
        if (typeof len !== 'number') return len.err;
        if (len < 0) {
          h.at('negative', { len }, '-EINVAL');
          return k.err('EINVAL');
        }
        h.at('clamp', { len, 'sizeof(struct icmp_filter)': 4 });
        const data = inet(sk).icmp_filter ?? 0;
        h.at('copy', { 'filter.data': `0x${data.toString(16)}` });
        return putOption(k, optval, optlen, len, u32(data >>> 0));
      });
    });
  });
}

export function raw_bind(k: Kernel, sk: Sock, address: number[], addrlen: number): number {
  return k.fn(rawBind, { addr_len: addrlen }, (f) => {
    if (sk.sk_state !== 'TCP_CLOSE' || addrlen < 16) {
      f.at('check', { addr_len: addrlen, sk_state: sk.sk_state }, '-EINVAL');
      return k.err('EINVAL');
    }
    const addr = ipv4At(address, 4);
    const type = addressType(k, addr);
    f.at('type', { sin_addr: addr, chk_addr_ret: type });
    if (addr !== '0.0.0.0' && type !== 'RTN_LOCAL' && type !== 'RTN_MULTICAST' && type !== 'RTN_BROADCAST') {
      f.at('notAvailable', {}, 'not a local address: -EADDRNOTAVAIL');
      return k.err('EADDRNOTAVAIL');
    }
    inet(sk).inet_rcv_saddr = addr;
    inet(sk).inet_saddr = type === 'RTN_MULTICAST' || type === 'RTN_BROADCAST' ? '0.0.0.0' : addr;
    f.at('set', { inet_rcv_saddr: addr });
    return 0;
  });
}

export function ip4_datagram_connect(k: Kernel, sk: Sock, address: number[], addrlen: number): number {
  return k.fn(ip4DatagramConnect, { addr_len: addrlen }, (f) => {
    if (addrlen < 16) {
      f.at('length', {}, '-EINVAL');
      return k.err('EINVAL');
    }
    if (readU16(address, 0) !== k.c.AF_INET) {
      f.at('family', {}, '-EAFNOSUPPORT');
      return k.err('EAFNOSUPPORT');
    }
    const daddr = ipv4At(address, 4);
    const found = outputRoute(k, daddr);
    f.at('route', { daddr, dev: found?.dev.name ?? 'none' }, found ? undefined : 'no route: -ENETUNREACH');
    if (!found) return k.err('ENETUNREACH');
    const i = inet(sk);
    if (i.inet_saddr === '0.0.0.0') i.inet_saddr = found.saddr;
    if (i.inet_rcv_saddr === '0.0.0.0') i.inet_rcv_saddr = found.saddr;
    i.inet_daddr = daddr;
    i.inet_dport = (address[2] << 8) | address[3];
    f.at('daddr', { inet_daddr: daddr, inet_rcv_saddr: i.inet_rcv_saddr });
    sk.sk_state = 'TCP_ESTABLISHED';
    f.at('established');
    return 0;
  });
}

export function raw_recvmsg(
  k: Kernel,
  sk: Sock,
  msg: MsgHdr,
  len: number,
  flags: number,
): { err: number; addrLen: number } {
  return k.fn(rawRecvmsg, { len, flags }, (f) => {
    if (flags & k.c.MSG_OOB) {
      f.at('oob', {}, 'MSG_OOB: -EOPNOTSUPP');
      return { err: k.err('EOPNOTSUPP'), addrLen: 0 };
    }
    if (flags & k.c.MSG_ERRQUEUE) {
      f.at('errqueue', {}, 'error queue empty: -EAGAIN');
      return { err: k.err('EAGAIN'), addrLen: 0 };
    }
    f.at('datagram');
    const skb = skb_recv_datagram(k, sk, flags);
    if (typeof skb === 'number') return { err: skb, addrLen: 0 };
    let copied = skb.len;
    if (len < copied) {
      msg.msg_flags |= k.c.MSG_TRUNC;
      copied = len;
      f.at('truncate', { 'skb->len': skb.len, len }, 'buffer shorter than the datagram');
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
    const wantsCmsg = inet(sk).cmsg_flags.size > 0;
    f.at(
      k.since('6.12') ? 'cmsgFlagsBits' : 'cmsgFlags',
      {},
      wantsCmsg ? 'IP control messages asked for' : 'none asked for',
    );
    if (wantsCmsg) {
      f.at('cmsg');
      ip_cmsg_recv(k, sk, msg, skb);
    }
    if (flags & k.c.MSG_TRUNC) {
      copied = skb.len;
      f.at('fullLength', { copied }, 'MSG_TRUNC: the full length is returned');
    }
    skb_free_datagram(k, sk, skb);
    return { err: copied, addrLen };
  });
}

export function raw_sendmsg(k: Kernel, sk: Sock, msg: SendMsgHdr, len: number): number {
  return k.fn(rawSendmsg, { len, msg_flags: msg.msg_flags }, (f) => {
    const i = inet(sk);
    if (len > 0xffff) {
      f.at('tooLong', { len }, '-EMSGSIZE');
      return k.err('EMSGSIZE');
    }
    if (msg.msg_flags & k.c.MSG_OOB) {
      f.at('oob', {}, 'MSG_OOB: -EOPNOTSUPP');
      return k.err('EOPNOTSUPP');
    }
    let daddr: string;
    if (msg.msg_namelen) {
      f.at('name', { msg_namelen: msg.msg_namelen });
      const name = msg.msg_name ?? [];
      if (msg.msg_namelen < 16) {
        f.at('nameLength', { msg_namelen: msg.msg_namelen }, 'shorter than struct sockaddr_in: -EINVAL');
        return k.err('EINVAL');
      }
      const family = readU16(name, 0);
      if (family !== k.c.AF_INET) {
        f.at('family', { sin_family: family }, family ? '-EAFNOSUPPORT' : 'AF_UNSPEC taken as AF_INET');
        if (family) return k.err('EAFNOSUPPORT');
      }
      daddr = ipv4At(name, 4);
      f.at('daddr', { daddr });
    } else {
      if (sk.sk_state !== 'TCP_ESTABLISHED') {
        f.at('notConnected', { sk_state: sk.sk_state }, 'no address and not connected: -EDESTADDRREQ');
        return k.err('EDESTADDRREQ');
      }
      daddr = i.inet_daddr;
    }
    if (msg.msg_controllen) throw new NotModelled('control messages on send (ip_cmsg_send)');
    for (const flag of ['MSG_MORE', 'MSG_CONFIRM', 'MSG_PROBE'] as const)
      if (msg.msg_flags & k.c[flag]) throw new NotModelled(`${flag} on a raw send`);
    if (sk.sk_bound_dev_if) throw new NotModelled('a send from a raw socket bound to a device');
    const type = addressType(k, daddr);
    if (daddr === '0.0.0.0' || type === 'RTN_BROADCAST' || type === 'RTN_MULTICAST')
      throw new NotModelled(`a send to ${daddr} (${type === 'RTN_UNREACHABLE' ? 'the any address' : type})`);
    const rt = outputRoute(k, daddr);
    f.at('route', { daddr, dev: rt?.dev.name ?? 'none' }, rt ? undefined : 'no route: -ENETUNREACH');
    if (!rt) return k.err('ENETUNREACH');
    if (rt.dev.type !== k.c.ARPHRD_LOOPBACK)
      throw new NotModelled(
        `what the peer namespace does with a datagram sent to ${daddr} through ${rt.dev.name}`,
      );
    f.at('broadcast', {}, 'not a broadcast route');
    const saddr = i.inet_saddr !== '0.0.0.0' ? i.inet_saddr : rt.saddr;
    if (i.hdrincl) {
      f.at('hdrinc', {}, 'IP_HDRINCL: the caller wrote the header');
      const err = raw_send_hdrinc(k, sk, msg, len, { saddr, daddr, dev: rt.dev });
      if (err < 0) return err;
      f.at('sent', { len });
      return len;
    }
    f.at('append', { saddr, daddr });
    const skb = ip_append_data(k, sk, msg, len, { saddr, daddr, dev: rt.dev });
    if (typeof skb === 'number') return skb;
    f.at('push');
    const err = ip_push_pending_frames(k, sk, skb);
    if (err < 0) return err;
    f.at('sent', { len });
    return len;
  });
}

/** The MTU of the scenario devices: lo's 65536, a veth's 1500. */
const deviceMtu = (k: Kernel, flow: OutputFlow): number =>
  flow.dev.type === k.c.ARPHRD_LOOPBACK ? 65536 : 1500;

/** IP_HDRINCL: the caller's bytes are the datagram; the kernel fills saddr (when 0), tot_len, the id (when 0) and the checksum. */
function raw_send_hdrinc(k: Kernel, sk: Sock, msg: SendMsgHdr, length: number, flow: OutputFlow): number {
  return k.fn(rawSendHdrinc, { length }, (f) => {
    const mtu = deviceMtu(k, flow);
    if (length > mtu) {
      f.at('mtu', { length, mtu }, 'longer than the MTU: -EMSGSIZE');
      return k.err('EMSGSIZE');
    }
    if (length < 20) {
      f.at('short', { length }, 'shorter than struct iphdr: -EINVAL');
      return k.err('EINVAL');
    }
    // The skb is allocated before the header is copied in: a failed copy or check frees it (error_free).
    const skb = allocSkb(new Array<number>(length).fill(0), flow.dev);
    skb.sk = sk;
    f.at('alloc', { length });
    const iph = msg.data?.slice(0, length);
    f.at('copy', { length }, iph && iph.length === length ? undefined : '-EFAULT');
    if (!iph || iph.length < length) {
      f.free('errorFree', skb, 'NOT_SPECIFIED');
      return k.err('EFAULT');
    }
    const iphlen = (iph[0] & 0x0f) * 4;
    if (iphlen > length || iphlen < 20) {
      f.at('ihl', { iphlen, length }, 'header length outside the datagram: -EINVAL');
      f.free('errorFree', skb, 'NOT_SPECIFIED');
      return k.err('EINVAL');
    }
    f.at('ihl', { iphlen });
    // The receive models read a plain IPv4 header addressed where the route sent it.
    if (iph[0] >> 4 !== 4 || iphlen !== 20)
      throw new NotModelled(`receiving an IP_HDRINCL header of version ${iph[0] >> 4} and ${iphlen} bytes`);
    if ((iph[6] & 0x3f) !== 0 || iph[7] !== 0)
      throw new NotModelled('an IP_HDRINCL fragment (MF or a fragment offset): reassembly');
    if (ipv4At(iph, 16) !== flow.daddr)
      throw new NotModelled(`an IP_HDRINCL header to ${ipv4At(iph, 16)} sent by the route to ${flow.daddr}`);
    if (ipv4At(iph, 12) === '0.0.0.0') {
      iph.splice(12, 4, ...ipv4Bytes(flow.saddr));
      f.at('saddr', { saddr: flow.saddr }, "saddr 0: the route's source");
    }
    iph[2] = (length >>> 8) & 0xff;
    iph[3] = length & 0xff;
    f.at('totLen', { tot_len: length });
    skb.head = [...iph];
    const dontFragment = (iph[6] & 0x40) !== 0;
    if (iph[4] === 0 && iph[5] === 0) {
      // With sk NULL, ip_select_ident keeps 0 for DF (this skb does not ignore DF), else hashes one.
      f.at('ident', { DF: dontFragment }, dontFragment ? 'DF: the id stays 0' : 'a keyed hash: not modelled');
      if (!dontFragment)
        skb.unmodelled = [
          { start: 4, end: 6, what: "the IP identification (__ip_select_ident's keyed hash)" },
          { start: 10, end: 12, what: 'the IP header checksum (over the identification)' },
        ];
    }
    iph[10] = 0;
    iph[11] = 0;
    const sum = internetChecksum(skb.head.slice(0, 20));
    skb.head[10] = sum >>> 8;
    skb.head[11] = sum & 0xff;
    f.at('check');
    f.at('output', {}, 'no netfilter rules in the namespace: dst_output');
    const err = dst_output(k, skb, flow.dev);
    return err < 0 ? err : 0;
  });
}

export function raw_local_deliver(k: Kernel, skb: SkBuff, protocol: number): number {
  return k.fn(rawLocalDeliver, { protocol }, (f) => {
    f.at('input', { hash: protocol });
    return raw_v4_input(k, skb, protocol);
  });
}

function raw_v4_input(k: Kernel, skb: SkBuff, hash: number): number {
  return k.fn(rawV4Input, { hash }, (f) => {
    const iph = skb.head.slice(skb.network_header, skb.network_header + 20);
    const protocol = iph[9];
    const saddr = ipv4At(iph, 12);
    const daddr = ipv4At(iph, 16);
    const chain = [...(k.net.raw_hash.get(hash) ?? [])];
    f.at('bucket', { sockets: chain.length });
    let delivered = 0;
    for (const sk of chain) {
      const matched = raw_v4_match(k, sk, protocol, saddr, daddr, skb.dev?.ifindex ?? 0);
      f.at('match', { match: matched }, matched ? 'socket matches' : 'skipped');
      if (!matched) continue;
      if (k.since('6.12') && sk.sk_rmem_alloc >= sk.sk_rcvbuf) {
        sk.sk_drops++;
        f.at('rcvbufFull', { sk_rmem_alloc: sk.sk_rmem_alloc }, 'receive buffer full: skipped, not counted');
        continue;
      }
      delivered = 1;
      f.at('delivered', { delivered });
      const filtered = protocol === k.c.IPPROTO_ICMP && icmp_filter(k, sk, skb);
      f.at('filter', { protocol }, filtered ? 'blocked by ICMP_FILTER' : 'passes');
      if (filtered) continue;
      const clone = skbClone(skb);
      f.at('clone');
      f.at('rcv');
      raw_rcv(k, sk, clone);
    }
    return delivered;
  });
}

export function raw_v4_match(
  k: Kernel,
  sk: Sock,
  num: number,
  raddr: string,
  laddr: string,
  dif: number,
): boolean {
  return k.fn(rawV4Match, { num, raddr, laddr, dif }, (f) => {
    const i = inet(sk);
    if (i.inet_num !== num) {
      f.at('num', { inet_num: i.inet_num }, 'protocol differs');
      return false;
    }
    if (i.inet_daddr !== '0.0.0.0' && i.inet_daddr !== raddr) {
      f.at('daddr', { inet_daddr: i.inet_daddr }, 'connected to another address');
      return false;
    }
    if (i.inet_rcv_saddr !== '0.0.0.0' && i.inet_rcv_saddr !== laddr) {
      f.at('rcvSaddr', { inet_rcv_saddr: i.inet_rcv_saddr }, 'bound to another address');
      return false;
    }
    const devMatches = !sk.sk_bound_dev_if || sk.sk_bound_dev_if === dif;
    f.at(
      'dev',
      { sk_bound_dev_if: sk.sk_bound_dev_if, dif },
      devMatches ? 'match' : 'bound to another device',
    );
    return devMatches;
  });
}

/** Returns true when the socket's ICMP_FILTER blocks the message type. */
export function icmp_filter(k: Kernel, sk: Sock, skb: SkBuff): boolean {
  return k.fn(icmpFilter, {}, (f) => {
    // skb_header_pointer finds no struct icmphdr (8 bytes) in a shorter message: filtered out, whatever the filter.
    const available = skb.len - (skb.transport_header - skb.data);
    f.at('header', { 'skb->len': skb.len, 'sizeof(struct icmphdr)': icmpHeaderSize });
    if (available < icmpHeaderSize) {
      f.at('short', {}, 'shorter than struct icmphdr: blocked');
      return true;
    }
    const type = skb.head[skb.transport_header];
    const data = inet(sk).icmp_filter ?? 0;
    if (type < 32) {
      f.at('type', { 'hdr->type': type });
      f.at('data', { data: `0x${data.toString(16)}` });
      const blocked = ((1 << type) & data) !== 0;
      f.at('verdict', { blocked }, blocked ? 'type blocked' : 'type allowed');
      return blocked;
    }
    return false;
  });
}

function raw_rcv(k: Kernel, sk: Sock, skb: SkBuff): number {
  return k.fn(rawRcv, {}, (f) => {
    skbPush(skb, -skbNetworkOffset(skb));
    f.at('push', { 'skb->len': skb.len }, 'data back at the IP header');
    f.at('queue');
    raw_rcv_skb(k, sk, skb);
    return 0;
  });
}

function raw_rcv_skb(k: Kernel, sk: Sock, skb: SkBuff): number {
  return k.fn(rawRcvSkb, {}, (f) => {
    f.at('pktinfo');
    ipv4_pktinfo_prepare(k, sk, skb);
    const out: DropReasonOut = {};
    const err = sock_queue_rcv_skb_reason(k, sk, skb, out);
    f.at('queue', { err: err < 0 ? k.errnoName(err) : 0 }, err < 0 ? 'dropped' : 'queued');
    if (err < 0) f.free(k.since('6.12') ? 'reasonDrop' : 'drop', skb, out.reason ?? 'NOT_SPECIFIED');
    return err < 0 ? 1 : 0;
  });
}

registerImplementation('raw_sk_init', raw_sk_init);
registerImplementation('raw_hash_sk', raw_hash_sk);
registerImplementation('raw_close', raw_close);
registerImplementation('raw_setsockopt', raw_setsockopt);
registerImplementation('raw_getsockopt', raw_getsockopt);
registerImplementation('raw_bind', raw_bind);
registerImplementation('ip4_datagram_connect', ip4_datagram_connect);
registerImplementation('raw_recvmsg', raw_recvmsg);
registerImplementation('raw_sendmsg', raw_sendmsg);
