// Models of net/core/datagram.c: taking one skb off a socket's receive queue. Scenario sockets have
// a receive timeout, so an empty queue ends in -EAGAIN after the wait instead of blocking forever.
import { defineModel } from './model';
import type { Kernel } from './kernel';
import { skbView, type SkBuff } from './skbuff';
import type { Sock } from './state';

const file = 'net/core/datagram.c';

const recvDatagram = defineModel('skb_recv_datagram', file, {
  queue: 'return __skb_recv_datagram(sk, &sk->sk_receive_queue, flags,',
});
const recvDatagramInner = defineModel('__skb_recv_datagram', file, {
  timeo: 'timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);',
  tryRecv: 'skb = __skb_try_recv_datagram(sk, sk_queue, flags, off, err,',
  wait: '!__skb_wait_for_more_packets(sk, sk_queue, err,',
});
const freeDatagram = defineModel(
  'skb_free_datagram',
  file,
  { consume: 'consume_skb(skb);' },
  { endsReportedAs: { why: 'tail-call' } },
);

/** Returns the skb, or -errno (-EAGAIN when the queue stays empty). MSG_PEEK leaves the skb queued. */
export function skb_recv_datagram(k: Kernel, sk: Sock, flags: number): SkBuff | number {
  return k.fn(recvDatagram, { flags }, (f) => {
    f.at('queue', { 'sk_receive_queue length': sk.sk_receive_queue.length });
    return k.fn(recvDatagramInner, {}, (inner) => {
      const dontwait = (flags & k.c.MSG_DONTWAIT) !== 0;
      inner.at('timeo', { timeo_ms: dontwait ? 0 : sk.sk_rcvtimeo_ms });
      const head = sk.sk_receive_queue[0];
      if (head) {
        const peek = (flags & k.c.MSG_PEEK) !== 0;
        inner.at('tryRecv', { 'skb->len': head.len }, peek ? 'peeked: the skb stays queued' : 'dequeued');
        if (peek) {
          // __skb_try_recv_from_queue takes a reference for the peeker; skb_free_datagram drops it.
          head.identity.users++;
          return skbView(head);
        }
        sk.sk_receive_queue.shift();
        return head;
      }
      inner.at('tryRecv', {}, 'queue empty');
      if (!dontwait && sk.sk_rcvtimeo_ms > 0)
        inner.at('wait', { timeo_ms: sk.sk_rcvtimeo_ms }, 'timed out: -EAGAIN');
      return k.err('EAGAIN');
    });
  });
}

/** skb_free_datagram: consume_skb; the destructor gives the memory back to the socket. */
export function skb_free_datagram(k: Kernel, sk: Sock, skb: SkBuff): void {
  k.fn(freeDatagram, {}, (f) => {
    f.consume('consume', skb);
    if (skb.identity.users === 0 && skb.sk === sk) {
      sk.sk_rmem_alloc -= skb.truesize;
      skb.sk = undefined;
    }
  });
}
