// Models of net/ipv4/ip_output.c: a datagram a socket sends, from ip_append_data to the device
// (ip_push_pending_frames -> ip_local_out -> ip_output -> ip_finish_output2). Coarse where the
// kernel corks, fragments or resolves neighbours: one datagram, one skb, no fragments (a datagram
// longer than the device's MTU stops the run as not modelled), no netfilter rules in a scenario's
// namespace, and the link header the neighbour gives on the scenario topologies.
import { defineModel } from './model';
import { Kernel, NotModelled } from './kernel';
import type { NetDevice, SendMsgHdr, Sock } from './state';
import { allocSkb, htons, type SkBuff } from './skbuff';
import { internetChecksum } from '../scenario/frames';
import { __dev_queue_xmit } from './dev';

const file = 'net/ipv4/ip_output.c';

const ipAppendData = defineModel(
  'ip_append_data',
  file,
  { append: 'return __ip_append_data(sk, fl4, &sk->sk_write_queue, &inet->cork.base,' },
  { coarse: true },
);
const ipPushPendingFrames = defineModel('ip_push_pending_frames', file, {
  finish: 'skb = ip_finish_skb(sk, fl4);',
  send: 'return ip_send_skb(sock_net(sk), skb);',
});
const ipMakeSkb = defineModel(
  '__ip_make_skb',
  file,
  {
    ignoreDf: 'skb->ignore_df = ip_sk_ignore_df(sk);',
    ttl: 'iph->ttl = ttl;',
    ident: 'ip_select_ident(net, skb, sk);',
  },
  { coarse: true },
);
const ipSendSkb = defineModel('ip_send_skb', file, { localOut: 'err = ip_local_out(net, skb->sk, skb);' });
const ipLocalOut = defineModel('ip_local_out', file, {
  local: 'err = __ip_local_out(net, sk, skb);',
  dstOutput: 'err = dst_output(net, sk, skb);',
});
const ipLocalOutInner = defineModel('__ip_local_out', file, { check: 'ip_send_check(iph);' });
const ipOutput = defineModel('ip_output', file, {
  dev: 'skb->dev = dev;',
  finish: 'ip_finish_output,',
});
const ipFinishOutput = defineModel('__ip_finish_output', file, {
  mtu: 'if (skb->len > mtu || IPCB(skb)->frag_max_size)',
  output2: 'return ip_finish_output2(net, sk, skb);',
});
const ipFinishOutput2 = defineModel(
  'ip_finish_output2',
  file,
  { neigh: 'res = neigh_output(neigh, skb, is_v6gw);' },
  { coarse: true },
);

/** The route a datagram leaves by, as raw_sendmsg found it. */
export interface OutputFlow {
  saddr: string;
  daddr: string;
  dev: NetDevice;
}

/** A datagram being built: the payload the socket copied and the flow it goes by. */
export interface PendingDatagram {
  payload: number[];
  flow: OutputFlow;
}

/** The MTU of the scenario devices: lo's 65536, a veth's 1500. */
function mtu(k: Kernel, dev: NetDevice): number {
  return dev.type === k.c.ARPHRD_LOOPBACK ? 65536 : 1500;
}

const ipHeaderLength = 20;

/** The user's data copied after room for the IP header (raw_getfrag), one skb per datagram. */
export function ip_append_data(
  k: Kernel,
  _sk: Sock,
  msg: SendMsgHdr,
  len: number,
  flow: OutputFlow,
): PendingDatagram | number {
  return k.fn(ipAppendData, { len }, (f) => {
    if (ipHeaderLength + len > mtu(k, flow.dev))
      throw new NotModelled(`fragmenting a ${len}-byte datagram for ${flow.dev.name}'s MTU`);
    const payload = msg.data?.slice(0, len);
    f.at('append', { length: len }, payload ? 'one skb, no fragments' : 'the user buffer cannot be read');
    if (!payload || payload.length < len) return k.err('EFAULT');
    return { payload, flow };
  });
}

/** ip_finish_skb (__ip_make_skb) and ip_send_skb: the IP header is built and the datagram sent. */
export function ip_push_pending_frames(k: Kernel, sk: Sock, pending: PendingDatagram): number {
  return k.fn(ipPushPendingFrames, {}, (f) => {
    f.at('finish');
    const skb = ip_make_skb(k, sk, pending);
    f.at('send');
    return k.fn(ipSendSkb, {}, (g) => {
      g.at('localOut');
      return ip_local_out(k, skb, pending.flow.dev);
    });
  });
}

const be16 = (value: number): number[] => [(value >>> 8) & 0xff, value & 0xff];
const ipv4Bytes = (address: string): number[] => address.split('.').map(Number);

function ip_make_skb(k: Kernel, sk: Sock, pending: PendingDatagram): SkBuff {
  return k.fn(ipMakeSkb, {}, (f) => {
    const { payload, flow } = pending;
    // A fresh socket's pmtudisc is IP_PMTUDISC_WANT: DF is set when the datagram fits the route's
    // MTU, and ignore_df too (pmtudisc < IP_PMTUDISC_DO), so ip_select_ident draws the
    // identification from __ip_select_ident's keyed hash (a connected socket counts its own).
    f.at('ignoreDf', { ignore_df: true, DF: true });
    const ttl = 64;
    f.at('ttl', { ttl }, 'sysctl_ip_default_ttl');
    const header = [
      0x45,
      0,
      ...be16(ipHeaderLength + payload.length),
      0,
      0,
      0x40,
      0,
      ttl,
      sk.sk_protocol,
      0,
      0,
      ...ipv4Bytes(flow.saddr),
      ...ipv4Bytes(flow.daddr),
    ];
    const skb = allocSkb([...header, ...payload], flow.dev);
    skb.sk = sk;
    skb.unmodelled = [
      { start: 4, end: 6, what: "the IP identification (__ip_select_ident's keyed hash)" },
      { start: 10, end: 12, what: 'the IP header checksum (over the identification)' },
    ];
    f.at('ident', {}, 'identification not modelled: a keyed hash');
    return skb;
  });
}

export function ip_local_out(k: Kernel, skb: SkBuff, dev: NetDevice): number {
  return k.fn(ipLocalOut, {}, (f) => {
    f.at('local');
    k.fn(ipLocalOutInner, {}, (g) => {
      const sum = internetChecksum(skb.head.slice(0, ipHeaderLength));
      skb.head[10] = sum >>> 8;
      skb.head[11] = sum & 0xff;
      skb.protocol = htons(k.c.ETH_P_IP);
      g.at('check', { tot_len: skb.len }, 'no netfilter rules in the namespace: on to dst_output');
    });
    f.at('dstOutput', {}, 'dst_output: the route says ip_output');
    return ip_output(k, skb, dev);
  });
}

/** dst_output for the routes the models know: ip_output. */
export function dst_output(k: Kernel, skb: SkBuff, dev: NetDevice): number {
  skb.protocol = htons(k.c.ETH_P_IP);
  return ip_output(k, skb, dev);
}

function ip_output(k: Kernel, skb: SkBuff, dev: NetDevice): number {
  return k.fn(ipOutput, {}, (f) => {
    skb.dev = dev;
    f.at('dev', { dev: dev.name });
    f.at('finish');
    return k.fn(ipFinishOutput, {}, (g) => {
      g.at('mtu', { 'skb->len': skb.len, mtu: mtu(k, dev) }, 'fits: no fragments');
      g.at('output2');
      return ip_finish_output2(k, skb, dev);
    });
  });
}

/** neigh_output: the link header from the neighbour; on lo (NUD_NOARP) the device's own address twice. */
function ip_finish_output2(k: Kernel, skb: SkBuff, dev: NetDevice): number {
  return k.fn(ipFinishOutput2, {}, (f) => {
    if (dev.type !== k.c.ARPHRD_LOOPBACK)
      throw new NotModelled(`the neighbour of a datagram leaving through ${dev.name}`);
    const link = [...dev.dev_addr, ...dev.dev_addr, 0x08, 0x00];
    const frame: SkBuff = {
      ...skb,
      head: [...link, ...skb.head],
      len: skb.len + link.length,
      mac_header: 0,
      network_header: link.length,
      transport_header: link.length + ipHeaderLength,
      unmodelled: skb.unmodelled?.map((r) => ({
        ...r,
        start: r.start + link.length,
        end: r.end + link.length,
      })),
    };
    f.at('neigh', { 'skb->len': frame.len }, 'NUD_NOARP: the link header of the device');
    return __dev_queue_xmit(k, frame);
  });
}
