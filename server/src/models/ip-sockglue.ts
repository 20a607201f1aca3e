// Models of net/ipv4/ip_sockglue.c: the SOL_IP options that ask for control messages on receive
// (IP_PKTINFO, IP_RECVTTL, IP_RECVTOS), IP_HDRINCL, and the control messages themselves. Every other SOL_IP option
// is outside the models: the run stops with "not modelled" rather than answer for the kernel.
import { defineModel } from './model';
import { Kernel, NotModelled, registerImplementation } from './kernel';
import type { IpCmsgFlag, MsgHdr, Sock } from './state';
import type { SkBuff } from './skbuff';
import { readU32, u32 } from './user-memory';
import { putCmsg, putOption, readOptlen } from './socket';
import { addressType, ipv4At, ipv4Bytes } from './route';

const file = 'net/ipv4/ip_sockglue.c';

const ipSetsockopt = defineModel('ip_setsockopt', file, {
  level: 'if (level != SOL_IP)',
  set: 'err = do_ip_setsockopt(sk, level, optname, optval, optlen);',
});
const doIpSetsockopt = defineModel('do_ip_setsockopt', file, {
  copyInt: 'if (optlen >= sizeof(int)) {',
  copyChar: '} else if (optlen >= sizeof(char)) {',
  pktinfo: { pattern: 'inet->cmsg_flags |= IP_CMSG_PKTINFO;', only: ['6.1'] },
  ttl: { pattern: 'inet->cmsg_flags |= IP_CMSG_TTL;', only: ['6.1'] },
  tos: { pattern: 'inet->cmsg_flags |= IP_CMSG_TOS;', only: ['6.1'] },
  pktinfoBit: { pattern: 'inet_assign_bit(PKTINFO, sk, val);', only: ['6.12'] },
  ttlBit: { pattern: 'inet_assign_bit(TTL, sk, val);', only: ['6.12'] },
  tosBit: { pattern: 'inet_assign_bit(TOS, sk, val);', only: ['6.12'] },
  hdrinclType: 'if (sk->sk_type != SOCK_RAW)',
  hdrincl: { pattern: 'inet->hdrincl = val ? 1 : 0;', only: ['6.1'] },
  hdrinclBit: { pattern: 'inet_assign_bit(HDRINCL, sk, val);', only: ['6.12'] },
});
const ipGetsockopt = defineModel('ip_getsockopt', file, {
  get: 'err = do_ip_getsockopt(sk, level, optname,',
});
const doIpGetsockopt = defineModel('do_ip_getsockopt', file, {
  level: 'if (level != SOL_IP)',
  len: 'if (copy_from_sockptr(&len, optlen, sizeof(int)))',
  negative: 'if (len < 0)',
  pktinfo: { pattern: 'val = (inet->cmsg_flags & IP_CMSG_PKTINFO) != 0;', only: ['6.1'] },
  ttl: { pattern: 'val = (inet->cmsg_flags & IP_CMSG_TTL) != 0;', only: ['6.1'] },
  tos: { pattern: 'val = (inet->cmsg_flags & IP_CMSG_TOS) != 0;', only: ['6.1'] },
  pktinfoBit: { pattern: 'val = inet_test_bit(PKTINFO, sk);', only: ['6.12'] },
  ttlBit: { pattern: 'val = inet_test_bit(TTL, sk);', only: ['6.12'] },
  tosBit: { pattern: 'val = inet_test_bit(TOS, sk);', only: ['6.12'] },
  byte: 'if (len < sizeof(int) && len > 0 && val >= 0 && val <= 255) {',
  int: 'len = min_t(unsigned int, sizeof(int), len);',
});
const ipv4PktinfoPrepare = defineModel('ipv4_pktinfo_prepare', file, {
  prepare: 'if (prepare && skb_rtable(skb)) {',
  specDst: 'pktinfo->ipi_spec_dst.s_addr = fib_compute_spec_dst(skb);',
  none: 'pktinfo->ipi_ifindex = 0;',
});
const ipCmsgRecvOffset = defineModel('ip_cmsg_recv_offset', file, {
  pktinfo: 'ip_cmsg_recv_pktinfo(msg, skb);',
  ttl: 'ip_cmsg_recv_ttl(msg, skb);',
  tos: 'ip_cmsg_recv_tos(msg, skb);',
});
const ipCmsgRecv = defineModel('ip_cmsg_recv', 'include/net/ip.h', {
  offset: 'ip_cmsg_recv_offset(msg, skb->sk, skb, 0, 0);',
});
const ipCmsgRecvPktinfo = defineModel('ip_cmsg_recv_pktinfo', file, {
  addr: 'info.ipi_addr.s_addr = ip_hdr(skb)->daddr;',
  put: 'put_cmsg(msg, SOL_IP, IP_PKTINFO, sizeof(info), &info);',
});
const ipCmsgRecvTtl = defineModel('ip_cmsg_recv_ttl', file, {
  put: 'put_cmsg(msg, SOL_IP, IP_TTL, sizeof(int), &ttl);',
});
const ipCmsgRecvTos = defineModel('ip_cmsg_recv_tos', file, {
  put: 'put_cmsg(msg, SOL_IP, IP_TOS, 1, &ip_hdr(skb)->tos);',
});

/** The options of do_ip_setsockopt the models cover, with the flag each sets and its anchors. */
const receiveFlagOptions: readonly {
  option: string;
  flag: IpCmsgFlag;
  anchor: 'pktinfo' | 'ttl' | 'tos';
}[] = [
  { option: 'IP_PKTINFO', flag: 'IP_CMSG_PKTINFO', anchor: 'pktinfo' },
  { option: 'IP_RECVTTL', flag: 'IP_CMSG_TTL', anchor: 'ttl' },
  { option: 'IP_RECVTOS', flag: 'IP_CMSG_TOS', anchor: 'tos' },
];

const inetOf = (sk: Sock) => {
  if (!sk.inet) throw new Error('not an inet socket');
  return sk.inet;
};

export function ip_setsockopt(
  k: Kernel,
  sk: Sock,
  level: number,
  optname: number,
  optval: number,
  optlen: number,
): number {
  return k.fn(ipSetsockopt, { level, optname }, (f) => {
    if (level !== k.c.SOL_IP) {
      f.at('level', { level }, 'not SOL_IP: -ENOPROTOOPT');
      return k.err('ENOPROTOOPT');
    }
    f.at('set');
    return do_ip_setsockopt(k, sk, optname, optval, optlen);
  });
}

function do_ip_setsockopt(k: Kernel, sk: Sock, optname: number, optval: number, optlen: number): number {
  return k.fn(doIpSetsockopt, { optname, optlen }, (f) => {
    const option = receiveFlagOptions.find((o) => k.c[o.option] === optname);
    const hdrincl = optname === k.c.IP_HDRINCL;
    if (!option && !hdrincl)
      throw new NotModelled(
        `setsockopt(SOL_IP, ${optname}): only IP_PKTINFO, IP_RECVTTL, IP_RECVTOS and IP_HDRINCL are`,
      );
    // optlen is unsigned in the kernel: a negative int from user space is a huge length.
    const length = optlen >>> 0;
    let val = 0;
    if (length >= 4) {
      const bytes = k.memory.read(optval, 4);
      f.at('copyInt', { optlen }, bytes ? undefined : '-EFAULT');
      if (!bytes) return k.err('EFAULT');
      val = readU32(bytes, 0) | 0;
    } else if (length >= 1) {
      const bytes = k.memory.read(optval, 1);
      f.at('copyChar', { optlen }, bytes ? undefined : '-EFAULT');
      if (!bytes) return k.err('EFAULT');
      val = bytes[0];
    }
    if (!option) {
      if (sk.sk_type !== k.c.SOCK_RAW) {
        f.at('hdrinclType', { sk_type: sk.sk_type }, 'not a raw socket: -ENOPROTOOPT');
        return k.err('ENOPROTOOPT');
      }
      inetOf(sk).hdrincl = val !== 0;
      f.at(k.since('6.12') ? 'hdrinclBit' : 'hdrincl', { val }, val ? 'set' : 'cleared');
      return 0;
    }
    const flags = inetOf(sk).cmsg_flags;
    if (val) flags.add(option.flag);
    else flags.delete(option.flag);
    f.at(k.since('6.12') ? `${option.anchor}Bit` : option.anchor, { val }, val ? 'set' : 'cleared');
    return 0;
  });
}

export function ip_getsockopt(
  k: Kernel,
  sk: Sock,
  level: number,
  optname: number,
  optval: number,
  optlen: number,
): number {
  return k.fn(ipGetsockopt, { level, optname }, (f) => {
    f.at('get');
    return k.fn(doIpGetsockopt, { level, optname }, (g) => {
      if (level !== k.c.SOL_IP) {
        g.at('level', { level }, 'not SOL_IP: -EOPNOTSUPP');
        return k.err('EOPNOTSUPP');
      }
      const option = receiveFlagOptions.find((o) => k.c[o.option] === optname);
      if (!option)
        throw new NotModelled(
          `getsockopt(SOL_IP, ${optname}): only IP_PKTINFO, IP_RECVTTL and IP_RECVTOS are`,
        );
      const len = readOptlen(k, optlen);
      g.at('len', typeof len === 'number' ? { len } : {}, typeof len === 'number' ? undefined : '-EFAULT');
      if (typeof len !== 'number') return len.err;
      if (len < 0) {
        g.at('negative', { len }, '-EINVAL');
        return k.err('EINVAL');
      }
      const val = inetOf(sk).cmsg_flags.has(option.flag) ? 1 : 0;
      g.at(k.since('6.12') ? `${option.anchor}Bit` : option.anchor, { val });
      // A buffer shorter than an int gets one byte, as unsigned char.
      if (len < 4 && len > 0) {
        g.at('byte', { len: 1 });
        return putOption(k, optval, optlen, 1, [val]);
      }
      g.at('int', { len: Math.min(4, len) });
      return putOption(k, optval, optlen, len, u32(val));
    });
  });
}

/** ipv4_pktinfo_prepare, as raw_rcv_skb calls it: fills PKTINFO_SKB_CB when the socket wants IP_PKTINFO. */
export function ipv4_pktinfo_prepare(k: Kernel, sk: Sock, skb: SkBuff): void {
  k.fn(ipv4PktinfoPrepare, {}, (f) => {
    if (!inetOf(sk).cmsg_flags.has('IP_CMSG_PKTINFO')) {
      skb.cb.pktinfo = { ipi_ifindex: 0, ipi_spec_dst: '0.0.0.0' };
      f.at('none', {}, 'IP_PKTINFO off: index and spec_dst 0');
      return;
    }
    const ifindex = skb.dev?.ifindex ?? 0;
    f.at('prepare', { ipi_ifindex: ifindex });
    if (skb.dev?.type === k.c.ARPHRD_LOOPBACK)
      throw new NotModelled('IP_PKTINFO for a datagram received on the loopback device (inet_iif)');
    const daddr = ipv4At(skb.head, skb.network_header + 16);
    // fib_compute_spec_dst: a local unicast route answers the destination itself; broadcast and
    // multicast go through a route lookup back to the source, which the models do not make.
    if (addressType(k, daddr) !== 'RTN_LOCAL')
      throw new NotModelled(
        `IP_PKTINFO's ipi_spec_dst for a datagram to ${daddr} (not a local unicast address)`,
      );
    skb.cb.pktinfo = { ipi_ifindex: ifindex, ipi_spec_dst: daddr };
    f.at('specDst', { ipi_spec_dst: daddr });
  });
}

/** ip_cmsg_recv: the IP control messages the socket asked for, in ip_cmsg_recv_offset's order. */
export function ip_cmsg_recv(k: Kernel, sk: Sock, msg: MsgHdr, skb: SkBuff): void {
  k.fn(ipCmsgRecv, {}, (f) => {
    f.at('offset');
    k.fn(ipCmsgRecvOffset, {}, (g) => {
      const flags = inetOf(sk).cmsg_flags;
      const iph = skb.head.slice(skb.network_header, skb.network_header + 20);
      if (flags.has('IP_CMSG_PKTINFO')) {
        g.at('pktinfo');
        k.fn(ipCmsgRecvPktinfo, {}, (h) => {
          const info = skb.cb.pktinfo ?? { ipi_ifindex: 0, ipi_spec_dst: '0.0.0.0' };
          const addr = ipv4At(iph, 16);
          h.at('addr', { ipi_ifindex: info.ipi_ifindex, ipi_spec_dst: info.ipi_spec_dst, ipi_addr: addr });
          const bytes = [...u32(info.ipi_ifindex), ...ipv4Bytes(info.ipi_spec_dst), ...ipv4Bytes(addr)];
          putCmsg(k, msg, k.c.SOL_IP, k.c.IP_PKTINFO, bytes);
          h.at('put');
        });
      }
      if (flags.has('IP_CMSG_TTL')) {
        g.at('ttl');
        k.fn(ipCmsgRecvTtl, {}, (h) => {
          putCmsg(k, msg, k.c.SOL_IP, k.c.IP_TTL, u32(iph[8]));
          h.at('put', { ttl: iph[8] });
        });
      }
      if (flags.has('IP_CMSG_TOS')) {
        g.at('tos');
        k.fn(ipCmsgRecvTos, {}, (h) => {
          putCmsg(k, msg, k.c.SOL_IP, k.c.IP_TOS, [iph[1]]);
          h.at('put', { tos: iph[1] });
        });
      }
    });
  });
}

// ping_prot's setsockopt and getsockopt slots hold these directly.
registerImplementation('ip_setsockopt', ip_setsockopt);
registerImplementation('ip_getsockopt', ip_getsockopt);
