// Models of drivers/net/loopback.c and the receive entry it uses: a frame sent on lo is handed
// back to the receive path of the same namespace. The backlog is coarse: the softirq that drains
// it (process_backlog -> __netif_receive_skb) runs before the send returns, as it does when the
// sender re-enables bottom halves, so the model goes straight on to __netif_receive_skb_core. A
// frame sent while that softirq runs (icmp_echo's reply) waits in the backlog until the frame
// being received is done, as in the kernel: the request ends before its reply is received.
import { defineModel } from './model';
import { Kernel, registerImplementation } from './kernel';
import type { NetDevice } from './state';
import type { SkBuff } from './skbuff';
import { __netif_receive_skb_core, eth_type_trans } from './dev';

const loopbackXmit = defineModel('loopback_xmit', 'drivers/net/loopback.c', {
  orphan: 'skb_orphan(skb);',
  protocol: 'skb->protocol = eth_type_trans(skb, dev);',
  rx: 'if (likely(__netif_rx(skb) == NET_RX_SUCCESS))',
});
const netifRx = defineModel(
  '__netif_rx',
  'net/core/dev.c',
  { internal: 'ret = netif_rx_internal(skb);' },
  { coarse: true },
);

export function loopback_xmit(k: Kernel, sent: SkBuff, dev: NetDevice): number {
  return k.fn(loopbackXmit, { 'skb->len': sent.len }, (f) => {
    const skb: SkBuff = { ...sent, head: [...sent.head], cb: {}, sk: undefined };
    f.at('orphan', {}, 'the skb no longer belongs to the sender');
    skb.protocol = eth_type_trans(k, skb, dev);
    f.at('protocol', { pkt_type: skb.pkt_type });
    f.at('rx');
    k.fn(netifRx, {}, (g) => {
      if (k.backlog) {
        g.at('internal', {}, 'queued to the backlog behind the frame being received');
        k.backlog.push(skb);
        return;
      }
      g.at('internal', {}, 'queued to the backlog; its softirq runs before the send returns');
      k.backlog = [skb];
      try {
        for (let next = k.backlog.shift(); next; next = k.backlog.shift()) __netif_receive_skb_core(k, next);
      } finally {
        k.backlog = undefined;
      }
    });
    return 0;
  });
}

registerImplementation('loopback_xmit', loopback_xmit);
