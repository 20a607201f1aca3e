// Coarse models of net/ipv4/icmp.c: answering an echo request and sending an ICMP error. The reply
// leaves on the device the request came in on, through the transmit tap.
import { defineModel } from './model';
import { Kernel, NotModelled, registerImplementation, type ModelFrame } from './kernel';
import type { EndDeclaration } from './events';
import { pingRcvWithoutClone } from './later-kernels';
import { addressType, ipv4At } from './route';
import { internetChecksum } from '../scenario/frames';
import { dev_queue_xmit_nit } from './dev';
import { allocSkb, type SkBuff } from './skbuff';
import { ip_local_out } from './ip-output';
import { ping_rcv } from './ping';

const file = 'net/ipv4/icmp.c';

const icmpRcv = defineModel(
  'icmp_rcv',
  file,
  {
    csum: 'if (skb_checksum_simple_validate(skb))',
    pull: 'if (!pskb_pull(skb, sizeof(*icmph)))',
    broadcast: 'if (rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)) {',
    ignoreBroadcasts: 'READ_ONCE(net->ipv4.sysctl_icmp_echo_ignore_broadcasts)) {',
    broadcastTypes: 'icmph->type != ICMP_ADDRESSREPLY) {',
    handler: 'reason = icmp_pointers[icmph->type].handler(skb);',
    consume: 'consume_skb(skb);',
    drop: 'kfree_skb_reason(skb, reason);',
  },
  { coarse: true },
);
const icmpEcho = defineModel('icmp_echo', file, { reply: 'icmp_reply(&icmp_param, skb);' }, { coarse: true });
const icmpReply = defineModel(
  'icmp_reply',
  file,
  {
    tos: 'inet->tos = ip_hdr(skb)->tos;',
    daddr: 'daddr = ipc.addr = ip_hdr(skb)->saddr;',
    saddr: 'saddr = fib_compute_spec_dst(skb);',
    push: 'icmp_push_reply(sk, icmp_param, &fl4, &ipc, &rt);',
  },
  { coarse: true },
);
const icmpSend = defineModel(
  '__icmp_send',
  file,
  { send: 'icmp_push_reply(sk, &icmp_param, &fl4, &ipc, &rt);' },
  { coarse: true },
);

/** sizeof(struct icmphdr). */
const icmpHeaderLength = 8;

const be16 = (value: number): number[] => [(value >>> 8) & 0xff, value & 0xff];

/** An IPv4 datagram from `src` to `dst` carrying `icmp`, framed for the device it leaves on. */
function replyFrame(skb: SkBuff, icmp: number[]): number[] {
  const request = skb.head;
  const nh = skb.network_header;
  const ip = [
    0x45,
    0,
    ...be16(20 + icmp.length),
    0,
    0,
    0,
    0,
    64,
    1,
    0,
    0,
    ...request.slice(nh + 16, nh + 20),
    ...request.slice(nh + 12, nh + 16),
  ];
  const sum = internetChecksum(ip);
  ip[10] = sum >>> 8;
  ip[11] = sum & 0xff;
  const mac = skb.mac_header;
  return [...request.slice(mac + 6, mac + 12), ...request.slice(mac, mac + 6), 0x08, 0x00, ...ip, ...icmp];
}

function withChecksum(icmp: number[]): number[] {
  const sum = internetChecksum(icmp);
  icmp[2] = sum >>> 8;
  icmp[3] = sum & 0xff;
  return icmp;
}

/** The reply leaves on the device the offending datagram came in on; through lo it would come back in. */
function transmitReply(k: Kernel, skb: SkBuff, icmp: number[]): void {
  if (!skb.dev) return;
  if (skb.dev.type === k.c.ARPHRD_LOOPBACK)
    throw new NotModelled('an ICMP message the kernel sends back through lo (its way out and in again)');
  dev_queue_xmit_nit(k, replyFrame(skb, icmp), skb.dev);
}

/**
 * icmp_reply to a request that came in through lo: the datagram goes back out through ip_local_out and
 * lo, and in again. Coarse: icmp_push_reply's ip_append_data and ip_push_pending_frames are one step.
 * The ICMP socket sends without DF (IP_PMTUDISC_DONT), so the identification is hashed: not modelled.
 */
function icmp_reply_loopback(k: Kernel, skb: SkBuff, icmp: number[]): void {
  k.fn(icmpReply, {}, (f) => {
    const nh = skb.network_header;
    const tos = skb.head[nh + 1];
    f.at('tos', { tos });
    const daddr = skb.head.slice(nh + 12, nh + 16);
    const saddr = skb.head.slice(nh + 16, nh + 20);
    f.at('daddr', { daddr: daddr.join('.') });
    f.at('saddr', { saddr: saddr.join('.') }, 'the local address the request was sent to');
    const header = [
      0x45,
      tos,
      ...be16(20 + icmp.length),
      0,
      0,
      0,
      0,
      64,
      k.c.IPPROTO_ICMP,
      0,
      0,
      ...saddr,
      ...daddr,
    ];
    const reply = allocSkb([...header, ...icmp], skb.dev);
    reply.unmodelled = [
      { start: 4, end: 6, what: "the IP identification of an ICMP reply (__ip_select_ident's keyed hash)" },
      { start: 10, end: 12, what: 'the IP header checksum of an ICMP reply (over the identification)' },
    ];
    f.at('push', { len: icmp.length }, 'no DF: the identification is hashed');
    ip_local_out(k, reply, skb.dev!);
  });
}

export function icmp_rcv(k: Kernel, skb: SkBuff): number {
  return k.fn(icmpRcv, {}, (f) => {
    // The models' skbs are CHECKSUM_NONE: the kernel sums the message; a valid one sums to 0.
    const checksum = internetChecksum(skb.head.slice(skb.data, skb.data + skb.len));
    if (checksum !== 0) {
      f.at('csum', { 'skb->len': skb.len }, 'the ICMP checksum does not verify: ICMP_CSUM');
      f.free('drop', skb, 'ICMP_CSUM');
      return 0;
    }
    if (skb.len < icmpHeaderLength) {
      f.at('pull', { 'skb->len': skb.len }, 'shorter than struct icmphdr');
      f.free('drop', skb, 'NOT_SPECIFIED');
      return 0;
    }
    const type = skb.head[skb.transport_header];
    const reason = broadcastDrop(k, f, skb, type);
    if (reason) {
      f.free('drop', skb, reason);
      return 0;
    }
    if (type === k.c.ICMP_ECHOREPLY) {
      f.boundHop('handler', {
        struct: 'icmp_control',
        field: 'handler',
        table: 'icmp_pointers',
        target: 'ping_rcv',
      });
      const dropped = ping_rcv(k, skb);
      if (dropped === undefined) f.consume('consume', skb, pingReplyEnd('queued'));
      else f.free('drop', skb, dropped, pingReplyEnd(dropped === 'NO_SOCKET' ? 'no socket' : 'refused'));
      return 0;
    }
    f.at('handler', { type });
    // Other types' handlers (and the checks before them) are not modelled: their skb has no end here.
    if (type !== k.c.ICMP_ECHO) return 0;
    k.fn(icmpEcho, {}, (g) => {
      const request = skb.head.slice(skb.data, skb.data + skb.len);
      const icmp = withChecksum([k.c.ICMP_ECHOREPLY, 0, 0, 0, ...request.slice(4)]);
      g.at('reply', { type: 'ICMP_ECHOREPLY', len: icmp.length });
      if (skb.dev?.type === k.c.ARPHRD_LOOPBACK) icmp_reply_loopback(k, skb, icmp);
      else transmitReply(k, skb, icmp);
    });
    f.consume('consume', skb);
    return 0;
  });
}

/**
 * The checks for a message to a broadcast or multicast address (the route's type, RTCF_BROADCAST or
 * RTCF_MULTICAST): an echo or timestamp request is dropped while the namespace ignores broadcasts
 * (the default), and so is every type but those and the address mask messages. The drop reason, or
 * undefined when the message goes on to its handler.
 */
function broadcastDrop(k: Kernel, f: ModelFrame, skb: SkBuff, type: number): string | undefined {
  const daddr = ipv4At(skb.head, skb.network_header + 16);
  const route = addressType(k, daddr);
  if (route !== 'RTN_BROADCAST' && route !== 'RTN_MULTICAST') return undefined;
  f.at('broadcast', { daddr, type: route });
  const ignore = k.net.sysctl_icmp_echo_ignore_broadcasts;
  if ((type === k.c.ICMP_ECHO || type === k.c.ICMP_TIMESTAMP) && ignore) {
    f.at('ignoreBroadcasts', { icmp_echo_ignore_broadcasts: ignore }, 'an echo to a broadcast: ignored');
    return 'INVALID_PROTO';
  }
  const allowed = [k.c.ICMP_ECHO, k.c.ICMP_TIMESTAMP, k.c.ICMP_ADDRESS, k.c.ICMP_ADDRESSREPLY];
  if (allowed.includes(type)) return undefined;
  f.at('broadcastTypes', { type }, 'not a type a broadcast may carry');
  return 'INVALID_PROTO';
}

/**
 * From pingRcvWithoutClone on, icmp_rcv returns after ping_rcv, which ends the reply itself: queued to
 * the socket (no clone), freed in __ping_queue_rcv_skb when the socket refuses it, or freed in ping_rcv
 * with NO_SOCKET. The end the model records here is the tree's.
 */
function pingReplyEnd(outcome: 'queued' | 'refused' | 'no socket'): EndDeclaration {
  const change = pingRcvWithoutClone;
  if (outcome === 'no socket')
    return {
      change,
      kernel: [{ how: 'freed', function: 'ping_rcv', reason: 'NO_SOCKET' }],
      why: 'ping_rcv frees the reply no ping socket takes, and icmp_rcv returns',
    };
  return {
    change,
    kernel: [],
    why:
      outcome === 'queued'
        ? 'ping_rcv queues the reply itself (no clone), and icmp_rcv returns'
        : '__ping_queue_rcv_skb frees the reply itself (no clone), and icmp_rcv returns',
  };
}

/** icmp_send: an error quoting the offending IP header and the first 8 bytes after it. */
export function icmp_send(k: Kernel, skb: SkBuff, type: number, code: number): void {
  k.fn(icmpSend, { type, code }, (f) => {
    const ihl = (skb.head[skb.network_header] & 0x0f) * 4;
    const quoted = skb.head.slice(skb.network_header, skb.network_header + ihl + 8);
    const icmp = withChecksum([type, code, 0, 0, 0, 0, 0, 0, ...quoted]);
    f.at('send', { type, code, len: icmp.length });
    transmitReply(k, skb, icmp);
  });
}

registerImplementation('icmp_rcv', icmp_rcv);
