// Coarse models of net/ipv4/icmp.c: answering an echo request and sending an ICMP error. The reply
// leaves on the device the request came in on, through the transmit tap.
import { defineModel } from './model';
import { Kernel, NotModelled, registerImplementation } from './kernel';
import { internetChecksum } from '../scenario/frames';
import { dev_queue_xmit_nit } from './dev';
import type { SkBuff } from './skbuff';

const file = 'net/ipv4/icmp.c';

const icmpRcv = defineModel(
  'icmp_rcv',
  file,
  {
    handler: 'reason = icmp_pointers[icmph->type].handler(skb);',
    consume: 'consume_skb(skb);',
  },
  { coarse: true },
);
const icmpEcho = defineModel('icmp_echo', file, { reply: 'icmp_reply(&icmp_param, skb);' }, { coarse: true });
const icmpSend = defineModel(
  '__icmp_send',
  file,
  { send: 'icmp_push_reply(sk, &icmp_param, &fl4, &ipc, &rt);' },
  { coarse: true },
);

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

export function icmp_rcv(k: Kernel, skb: SkBuff): number {
  return k.fn(icmpRcv, {}, (f) => {
    const type = skb.head[skb.transport_header];
    f.at('handler', { type });
    // Other types' handlers (and the checks before them) are not modelled: their skb has no end here.
    if (type !== k.c.ICMP_ECHO) return 0;
    k.fn(icmpEcho, {}, (g) => {
      const request = skb.head.slice(skb.data, skb.data + skb.len);
      const icmp = withChecksum([k.c.ICMP_ECHOREPLY, 0, 0, 0, ...request.slice(4)]);
      g.at('reply', { type: 'ICMP_ECHOREPLY', len: icmp.length });
      transmitReply(k, skb, icmp);
    });
    f.consume('consume', skb);
    return 0;
  });
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
