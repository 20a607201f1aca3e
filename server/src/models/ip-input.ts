// Models of net/ipv4/ip_input.c: a received IPv4 datagram from ip_rcv to the protocol handlers, with
// raw sockets served first (ip_protocol_deliver_rcu). Routing is coarse (route.ts): local addresses
// are delivered; anything else gets a route whose input is ip_error, which drops it since forwarding
// is off.
import { defineModel } from './model';
import { Kernel, registerImplementation } from './kernel';
import type { PacketType } from './state';
import { skbPull, skbShareCheck, type SkBuff } from './skbuff';
import { raw_local_deliver } from './raw';
import { addressType, ipv4At } from './route';
import { icmp_send } from './icmp';

const file = 'net/ipv4/ip_input.c';

const ipRcv = defineModel('ip_rcv', file, {
  core: 'skb = ip_rcv_core(skb, net);',
  finish: 'ip_rcv_finish);',
});
const ipRcvCore = defineModel(
  'ip_rcv_core',
  file,
  {
    otherhost: 'if (skb->pkt_type == PACKET_OTHERHOST) {',
    share: 'skb = skb_share_check(skb, GFP_ATOMIC);',
    transport: 'skb->transport_header = skb->network_header + iph->ihl*4;',
    drop: 'kfree_skb_reason(skb, drop_reason);',
  },
  { coarse: true },
);
const ipRcvFinishCore = defineModel(
  'ip_rcv_finish_core',
  file,
  {
    route: 'err = ip_route_input_noref(skb, iph->daddr, iph->saddr,',
  },
  { coarse: true },
);
const ipError = defineModel(
  'ip_error',
  'net/ipv4/route.c',
  {
    forwarding: 'if (!IN_DEV_FORWARD(in_dev)) {',
    drop: 'kfree_skb_reason(skb, reason);',
  },
  { coarse: true },
);
const ipLocalDeliver = defineModel('ip_local_deliver', file, { finish: 'ip_local_deliver_finish);' });
const ipLocalDeliverFinish = defineModel('ip_local_deliver_finish', file, {
  pull: '__skb_pull(skb, skb_network_header_len(skb));',
  deliver: 'ip_protocol_deliver_rcu(net, skb, ip_hdr(skb)->protocol);',
});
const ipProtocolDeliver = defineModel(
  'ip_protocol_deliver_rcu',
  file,
  {
    raw: 'raw = raw_local_deliver(skb, protocol);',
    lookup: 'ipprot = rcu_dereference(inet_protos[protocol]);',
    handler: 'ret = INDIRECT_CALL_2(ipprot->handler, tcp_v4_rcv, udp_rcv,',
    noRaw: 'if (!raw) {',
    unreachable: 'icmp_send(skb, ICMP_DEST_UNREACH,',
    consumed: 'consume_skb(skb);',
    noProto: 'kfree_skb_reason(skb, SKB_DROP_REASON_IP_NOPROTO);',
  },
  { endsReportedAs: { why: 'inlined', into: 'ip_local_deliver_finish' } },
);

export type ProtocolHandler = (k: Kernel, skb: SkBuff) => number;

/**
 * ip_error, the route input of a destination this host does not forward to: with forwarding off the
 * drop reason follows the route's error, EHOSTUNREACH (a connected subnet) or ENETUNREACH (no route).
 */
function ip_error(k: Kernel, skb: SkBuff, noRoute: boolean): number {
  return k.fn(ipError, {}, (f) => {
    const error = noRoute ? 'ENETUNREACH' : 'EHOSTUNREACH';
    f.at('forwarding', { 'rt->dst.error': error }, 'forwarding is off: dropped');
    f.free('drop', skb, noRoute ? 'IP_INNOROUTES' : 'IP_INADDRERRORS');
    return 0;
  });
}

export function ip_rcv(k: Kernel, received: SkBuff, _pt: PacketType): number {
  let skb = received;
  return k.fn(ipRcv, { 'skb->len': skb.len }, (f) => {
    f.at('core');
    const kept = k.fn(ipRcvCore, { pkt_type: skb.pkt_type }, (g) => {
      if (skb.pkt_type === k.c.PACKET_OTHERHOST) {
        g.at('otherhost', {}, 'not for this host: dropped');
        const later = skb.identity.laterLastHolder;
        // Before skb_share_check: where a packet socket gets the frame after IPv4, this is not its end.
        g.free(
          'drop',
          skb,
          'OTHERHOST',
          later && {
            change: later.change,
            kernel: [],
            why: 'ip_rcv_core drops a reference the packet socket still shares: not the last',
          },
        );
        return false;
      }
      // deliver_skb shares the skb with the handlers after this one (a packet socket bound to the
      // device comes later): IP then works on its own clone and leaves theirs at the network header.
      const shared = received.identity.users > 1;
      skb = skbShareCheck(g, 'share', received);
      g.at('share', {}, shared ? 'a clone of its own for IP' : 'not shared: IP keeps the skb');
      const ihl = (skb.head[skb.network_header] & 0x0f) * 4;
      const totalLength = (skb.head[skb.network_header + 2] << 8) | skb.head[skb.network_header + 3];
      if (totalLength < skb.len) skb.len = totalLength;
      skb.transport_header = skb.network_header + ihl;
      g.at('transport', { ihl, tot_len: totalLength });
      return true;
    });
    if (!kept) return 0;
    f.at('finish');
    const daddr = ipv4At(skb.head, skb.network_header + 16);
    const local = k.fn(ipRcvFinishCore, { daddr }, (g) => {
      const type = addressType(k, daddr);
      const localish = type === 'RTN_LOCAL' || type === 'RTN_BROADCAST' || type === 'RTN_MULTICAST';
      g.at(
        'route',
        { daddr, type },
        localish ? 'local delivery' : 'not local: the route input is ip_error (forwarding is off)',
      );
      return localish;
    });
    if (!local) return ip_error(k, skb, addressType(k, daddr) === 'RTN_UNREACHABLE');
    return ip_local_deliver(k, skb);
  });
}

function ip_local_deliver(k: Kernel, skb: SkBuff): number {
  return k.fn(ipLocalDeliver, {}, (f) => {
    f.at('finish');
    return ip_local_deliver_finish(k, skb);
  });
}

export function ip_local_deliver_finish(k: Kernel, skb: SkBuff): number {
  return k.fn(ipLocalDeliverFinish, {}, (f) => {
    skbPull(skb, skb.transport_header - skb.data);
    f.at('pull', { 'skb->len': skb.len });
    const protocol = skb.head[skb.network_header + 9];
    f.at('deliver', { protocol });
    ip_protocol_deliver_rcu(k, skb, protocol);
    return 0;
  });
}

export function ip_protocol_deliver_rcu(k: Kernel, skb: SkBuff, protocol: number): void {
  k.fn(ipProtocolDeliver, { protocol }, (f) => {
    f.at('raw');
    const raw = raw_local_deliver(k, skb, protocol);
    const ipprot = k.inet_protos.get(protocol);
    f.at('lookup', { raw, 'inet_protos[protocol]': ipprot?.table ?? 'NULL' });
    if (ipprot) {
      const handler = ipprot.indexed
        ? f.hop('handler', 'net_protocol', ipprot.table, 'handler')
        : ipprot.handler;
      if (!ipprot.indexed) {
        f.boundHop('handler', {
          struct: 'net_protocol',
          field: 'handler',
          table: ipprot.table,
          target: handler,
        });
      }
      k.implementation<ProtocolHandler>(handler)(k, skb);
      return;
    }
    if (!raw) {
      f.at('noRaw', {}, 'no handler and no raw socket');
      f.at('unreachable', { code: 'ICMP_PROT_UNREACH' });
      icmp_send(k, skb, k.c.ICMP_DEST_UNREACH, k.c.ICMP_PROT_UNREACH);
      f.free('noProto', skb, 'IP_NOPROTO');
      return;
    }
    f.consume('consumed', skb);
  });
}

registerImplementation('ip_rcv', ip_rcv);
