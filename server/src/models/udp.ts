// A coarse model of net/ipv4/udp.c's receive: scenarios open no UDP sockets, so every datagram
// finds no socket and is answered with ICMP port unreachable.
import { defineModel } from './model';
import { Kernel, registerImplementation } from './kernel';
import type { SkBuff } from './skbuff';
import { icmp_send } from './icmp';

const udpLibRcv = defineModel(
  '__udp4_lib_rcv',
  'net/ipv4/udp.c',
  {
    unreachable: 'icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);',
    drop: { pattern: 'kfree_skb_reason(skb, drop_reason);', only: ['6.1'] },
    reasonDrop: { pattern: 'sk_skb_reason_drop(sk, skb, drop_reason);', only: ['6.12'] },
  },
  { coarse: true },
);

export function udp_rcv(k: Kernel, skb: SkBuff): number {
  return k.fn(udpLibRcv, {}, (f) => {
    const dport = (skb.head[skb.transport_header + 2] << 8) | skb.head[skb.transport_header + 3];
    f.at('unreachable', { dport }, 'no socket on the port');
    icmp_send(k, skb, k.c.ICMP_DEST_UNREACH, k.c.ICMP_PORT_UNREACH);
    f.free(k.since('6.12') ? 'reasonDrop' : 'drop', skb, 'NO_SOCKET');
    return 0;
  });
}

registerImplementation('udp_rcv', udp_rcv);
