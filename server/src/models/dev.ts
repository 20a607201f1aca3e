// Coarse models of the device layer the socket paths depend on: a frame arriving on a veth device,
// eth_type_trans, VLAN untagging, the receive core that feeds the taps (ptype_all) and protocol
// handlers (ptype_base), and the transmit-side tap (dev_queue_xmit_nit) for frames the kernel sends.
// Long because it is one kernel file's models (net/core/dev.c), each beside its anchors.
import { defineModel } from './model';
import { perNamespacePacketChains } from './later-kernels';
import { Kernel, NotModelled, registerImplementation } from './kernel';
import type { NetDevice, PacketType, Sock } from './state';
import { allocSkb, htons, ntohs, readBe16, skbData, skbPull, skbView, type SkBuff } from './skbuff';

const devFile = 'net/core/dev.c';

const vethXmit = defineModel(
  'veth_xmit',
  'drivers/net/veth.c',
  { forward: 'veth_forward_skb(rcv, skb, rq, use_napi)' },
  { coarse: true },
);
const ethTypeTrans = defineModel(
  'eth_type_trans',
  'net/ethernet/eth.c',
  {
    resetMac: 'skb_reset_mac_header(skb);',
    pull: { pattern: 'skb_pull_inline(skb, ETH_HLEN);', only: ['6.1'] },
    pullMac: { pattern: 'eth = eth_skb_pull_mac(skb);', only: ['6.12'] },
    pktType: 'eth_skb_pkt_type(skb, dev);',
  },
  { coarse: true },
);
const ethSkbPktType = defineModel('eth_skb_pkt_type', 'include/linux/etherdevice.h', {
  otherhost: 'skb->pkt_type = PACKET_OTHERHOST;',
  broadcast: 'skb->pkt_type = PACKET_BROADCAST;',
  multicast: 'skb->pkt_type = PACKET_MULTICAST;',
});
const receiveCore = defineModel(
  '__netif_receive_skb_core',
  devFile,
  {
    vlanType: 'if (eth_type_vlan(skb->protocol)) {',
    untag: 'skb = skb_vlan_untag(skb);',
    taps: { pattern: 'list_for_each_entry_rcu(ptype, &ptype_all, list) {', only: ['6.1'] },
    hotTaps: { pattern: 'list_for_each_entry_rcu(ptype, &net_hotdata.ptype_all, list) {', only: ['6.12'] },
    devTaps: 'list_for_each_entry_rcu(ptype, &skb->dev->ptype_all, list) {',
    vlanPresent: 'if (skb_vlan_tag_present(skb)) {',
    vlanDoReceive: 'if (vlan_do_receive(&skb))',
    otherhost: 'skb->pkt_type = PACKET_OTHERHOST;',
    clearTag: '__vlan_hwaccel_clear_tag(skb);',
    base: '&ptype_base[ntohs(type) &',
    specific: '&orig_dev->ptype_specific);',
    drop: 'kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);',
  },
  { coarse: true },
);
const deliverSkb = defineModel('deliver_skb', devFile, {
  func: 'return pt_prev->func(skb, skb->dev, pt_prev, orig_dev);',
});
const vlanUntag = defineModel(
  'skb_vlan_untag',
  'net/core/skbuff.c',
  {
    alreadyTagged: 'if (unlikely(skb_vlan_tag_present(skb))) {',
    putTag: '__vlan_hwaccel_put_tag(skb, skb->protocol, vlan_tci);',
    encap: 'vlan_set_encap_proto(skb, vhdr);',
    reorder: 'skb = skb_reorder_vlan_header(skb);',
  },
  { coarse: true },
);
const devAddPack = defineModel('dev_add_pack', devFile, { add: 'list_add_rcu(&pt->list, head);' });
const devQueueXmit = defineModel('__dev_queue_xmit', devFile, {
  qdisc: 'if (q->enqueue) {',
  hardStart: 'skb = dev_hard_start_xmit(skb, dev, txq, &rc);',
});
const devHardStartXmit = defineModel('dev_hard_start_xmit', devFile, {
  one: 'rc = xmit_one(skb, dev, txq, next != NULL);',
});
const xmitOne = defineModel('xmit_one', devFile, {
  nit: 'dev_queue_xmit_nit(skb, dev);',
  start: 'rc = netdev_start_xmit(skb, dev, txq, more);',
});
const devDirectXmitInline = defineModel('dev_direct_xmit', 'include/linux/netdevice.h', {
  direct: 'ret = __dev_direct_xmit(skb, queue_id);',
});
const devDirectXmit = defineModel('__dev_direct_xmit', devFile, {
  running: 'if (unlikely(!netif_running(dev) ||',
  validate: 'skb = validate_xmit_skb_list(skb, dev, &again);',
  start: 'ret = netdev_start_xmit(skb, dev, txq, false);',
});
const netdevStartXmit = defineModel('__netdev_start_xmit', 'include/linux/netdevice.h', {
  ndo: 'return ops->ndo_start_xmit(skb, dev);',
});
const xmitNit = defineModel(
  'dev_queue_xmit_nit',
  devFile,
  {
    ignoreOutgoing: 'if (READ_ONCE(ptype->ignore_outgoing))',
    loop: 'if (skb_loop_sk(ptype, skb))',
    outgoing: 'skb2->pkt_type = PACKET_OUTGOING;',
  },
  { coarse: true },
);

export type PacketHandler = (k: Kernel, skb: SkBuff, pt: PacketType) => number;

const hex = (value: number): string => `0x${value.toString(16).padStart(4, '0')}`;

export function dev_add_pack(k: Kernel, pt: PacketType): void {
  k.fn(devAddPack, {}, (f) => {
    const all = pt.type === htons(k.c.ETH_P_ALL);
    const list = all ? k.net.ptype_all : k.net.ptype_base;
    list.unshift(pt);
    f.at('add', {
      list: all ? (pt.dev ? 'dev->ptype_all' : 'ptype_all') : pt.dev ? 'dev->ptype_specific' : 'ptype_base',
    });
  });
}

export function dev_remove_pack(k: Kernel, pt: PacketType): void {
  for (const list of [k.net.ptype_all, k.net.ptype_base]) {
    const at = list.indexOf(pt);
    if (at >= 0) list.splice(at, 1);
  }
}

/** The peer knr1 transmits `frame`; veth hands it to knr0's receive path. */
export function veth_xmit(k: Kernel, frame: readonly number[], rcv: NetDevice): void {
  k.fn(vethXmit, { len: frame.length, rcv: rcv.name }, (f) => {
    const skb = allocSkb(frame, rcv);
    f.at('forward', { dev: rcv.name });
    skb.protocol = eth_type_trans(k, skb, rcv);
    __netif_receive_skb_core(k, skb);
  });
}

export function eth_type_trans(k: Kernel, skb: SkBuff, dev: NetDevice): number {
  return k.fn(ethTypeTrans, {}, (f) => {
    skb.dev = dev;
    skb.mac_header = skb.data;
    const dest = skb.head.slice(skb.data, skb.data + 6);
    f.at('resetMac');
    skbPull(skb, 14);
    skb.network_header = skb.data;
    skb.transport_header = skb.data;
    f.at(k.since('6.12') ? 'pullMac' : 'pull', { 'skb->len': skb.len });
    f.at('pktType');
    skb.pkt_type = k.c.PACKET_HOST;
    if (!dest.every((byte, i) => byte === dev.dev_addr[i])) {
      k.fn(ethSkbPktType, {}, (g) => {
        if (dest[0] & 1) {
          const broadcast = dest.every((byte) => byte === 0xff);
          skb.pkt_type = broadcast ? k.c.PACKET_BROADCAST : k.c.PACKET_MULTICAST;
          g.at(broadcast ? 'broadcast' : 'multicast', { pkt_type: skb.pkt_type });
        } else {
          skb.pkt_type = k.c.PACKET_OTHERHOST;
          g.at('otherhost', { pkt_type: skb.pkt_type }, 'not addressed to this device');
        }
      });
    }
    const ethertype = readBe16(skb.head, skb.mac_header + 12);
    return htons(ethertype >= k.c.ETH_P_802_3_MIN ? ethertype : k.c.ETH_P_802_2);
  });
}

/** eth_type_vlan() on skb->protocol (network order): 802.1Q or 802.1ad. */
export function isVlan(k: Kernel, protocol: number): boolean {
  return protocol === htons(k.c.ETH_P_8021Q) || protocol === htons(k.c.ETH_P_8021AD);
}

function skb_vlan_untag(k: Kernel, skb: SkBuff): void {
  k.fn(vlanUntag, {}, (f) => {
    if (skb.vlan_present) {
      f.at('alreadyTagged', {}, 'a tag is already offloaded: the inner tag stays in the data');
      return;
    }
    const tci = readBe16(skb.head, skb.data);
    skb.vlan_present = true;
    skb.vlan_tci = tci;
    skb.vlan_proto = skb.protocol;
    f.at('putTag', { vlan_tci: hex(tci), vlan_proto: hex(ntohs(skb.protocol)) });
    skb.protocol = htons(readBe16(skb.head, skb.data + 2));
    f.at('encap', { protocol: hex(ntohs(skb.protocol)) });
    // skb_reorder_vlan_header moves the MAC addresses over the tag; the bytes between are gone.
    // The tag sits between the source address and the inner EtherType: mac_header + 12 .. + 16.
    skb.head.splice(skb.mac_header + 12, 4);
    skb.len -= 4;
    skb.network_header = skb.data;
    skb.transport_header = skb.data;
    f.at('reorder', { 'skb->len': skb.len }, 'tag removed from the data');
  });
}

/**
 * Calls the handler. The receive paths hold back the last handler (pt_prev) and call it with their own
 * reference (`takesReference`); every other handler gets one of its own (deliver_skb's refcount_inc).
 */
function deliver_skb(k: Kernel, skb: SkBuff, pt: PacketType, list: string, takesReference: boolean): void {
  if (!takesReference) skb.identity.users++;
  k.fn(deliverSkb, { list }, (f) => {
    f.boundHop('func', { struct: 'packet_type', field: 'func', table: pt.installedBy, target: pt.func });
    k.implementation<PacketHandler>(pt.func)(k, skb, pt);
  });
}

export function __netif_receive_skb_core(k: Kernel, skb: SkBuff): void {
  k.fn(
    receiveCore,
    { dev: skb.dev?.name ?? '', protocol: hex(ntohs(skb.protocol)), pkt_type: skb.pkt_type },
    (f) => {
      const dev = skb.dev!;
      if (isVlan(k, skb.protocol)) {
        f.at('vlanType', { protocol: hex(ntohs(skb.protocol)) }, 'VLAN-tagged frame');
        f.at('untag');
        skb_vlan_untag(k, skb);
      }
      const taps = k.net.ptype_all.filter((pt) => !pt.dev);
      const devTaps = k.net.ptype_all.filter((pt) => pt.dev === dev);
      // The protocol is settled once the tag is out of the data: the handlers are known here.
      const handlers = k.net.ptype_base.filter((pt) => pt.type === skb.protocol && !pt.dev);
      const specific = k.net.ptype_base.filter((pt) => pt.type === skb.protocol && pt.dev === dev);
      // The handler held back as pt_prev takes the core's reference: the last of all, unless a VLAN
      // tag makes the core deliver the pending tap before vlan_do_receive.
      const all = skb.vlan_present
        ? [...handlers, ...specific]
        : [...taps, ...devTaps, ...handlers, ...specific];
      const last = all.at(-1);
      noteLaterLastHolder(skb, all, handlers, last);
      const deliver = (pt: PacketType, list: string) => deliver_skb(k, skb, pt, list, pt === last);
      f.at(k.since('6.12') ? 'hotTaps' : 'taps', { taps: taps.length });
      for (const pt of taps) deliver(pt, 'ptype_all');
      if (devTaps.length > 0) {
        f.at('devTaps', { taps: devTaps.length });
        for (const pt of devTaps) deliver(pt, 'dev->ptype_all');
      }
      if (skb.vlan_present) {
        f.at('vlanPresent', { vlan_tci: hex(skb.vlan_tci) });
        f.at('vlanDoReceive', {}, 'no VLAN device on this link');
        if ((skb.vlan_tci & 0xfff) !== 0) {
          skb.pkt_type = k.c.PACKET_OTHERHOST;
          f.at('otherhost', { vid: skb.vlan_tci & 0xfff }, 'tagged for a VLAN nobody handles');
        }
        skb.vlan_present = false;
        skb.vlan_tci = 0;
        skb.vlan_proto = 0;
        f.at('clearTag');
      }
      f.at('base', { protocol: hex(ntohs(skb.protocol)), handlers: handlers.length });
      for (const pt of handlers) deliver(pt, 'ptype_base');
      if (specific.length > 0) {
        f.at('specific', { handlers: specific.length });
        for (const pt of specific) deliver(pt, 'dev->ptype_specific');
      }
      if (!last) f.free('drop', skb, 'UNHANDLED_PROTO');
    },
  );
}

/**
 * From perNamespacePacketChains on, a packet socket's hook not bound to a device is on its namespace's
 * list, walked after ptype_base (and before dev->ptype_specific): when that moves the last reference to
 * another handler, the skb says so, for the ends the models declare.
 */
function noteLaterLastHolder(
  skb: SkBuff,
  all: readonly PacketType[],
  handlers: readonly PacketType[],
  last: PacketType | undefined,
): void {
  const namespaceHooks = handlers.filter((pt) => pt.af_packet_priv !== undefined);
  // ptype_base's handlers stay where they are among the others; the namespace's hooks follow them.
  const later = all.flatMap((pt) => {
    if (!handlers.includes(pt)) return [pt];
    if (pt !== handlers.at(-1)) return [];
    return [...handlers.filter((h) => !namespaceHooks.includes(h)), ...namespaceHooks];
  });
  const laterLast = later.at(-1);
  if (laterLast && laterLast !== last)
    skb.identity.laterLastHolder = { change: perNamespacePacketChains, holder: laterLast };
}

/** A frame the kernel transmits on `dev` (an ICMP reply or error): the taps see it as PACKET_OUTGOING. */
export function dev_queue_xmit_nit(
  k: Kernel,
  frame: readonly number[],
  dev: NetDevice,
  reason = 'reply',
  unmodelled?: SkBuff['unmodelled'],
  sender?: Sock,
): void {
  k.transmitted.push({ dev: dev.name, bytes: [...frame], reason });
  const taps = k.net.ptype_all.filter((pt) => !pt.dev || pt.dev === dev);
  if (taps.length === 0) return;
  k.fn(xmitNit, { dev: dev.name, len: frame.length }, (f) => {
    const receivers = taps.filter((pt) => !pt.ignore_outgoing && !(sender && pt.af_packet_priv === sender));
    // One clone (skb2) for every tap; the last one is held back as pt_prev and takes its reference.
    const skb2 = allocSkb(frame, dev);
    for (const pt of taps) {
      if (pt.ignore_outgoing) {
        f.at('ignoreOutgoing', {}, 'PACKET_IGNORE_OUTGOING: skipped');
        continue;
      }
      if (sender && pt.af_packet_priv === sender) {
        f.at('loop', {}, 'the packet socket that sent it: skipped');
        continue;
      }
      skb2.protocol = htons(readBe16(frame, 12));
      skb2.network_header = 14;
      skb2.transport_header = 14 + 20;
      skb2.pkt_type = k.c.PACKET_OUTGOING;
      skb2.unmodelled = unmodelled;
      f.at('outgoing', { pkt_type: skb2.pkt_type });
      deliver_skb(k, skbView(skb2), pt, 'ptype_all', pt === receivers.at(-1));
    }
  });
}

/** ndo_start_xmit: a model of the driver's transmit, reached through the device's net_device_ops. */
export type StartXmitFn = (k: Kernel, skb: SkBuff, dev: NetDevice) => number;

/** dev_queue_xmit on the scenario devices: both have no qdisc (noqueue), so the frame goes straight to the driver. */
export function __dev_queue_xmit(k: Kernel, skb: SkBuff): number {
  const dev = skb.dev!;
  return k.fn(devQueueXmit, { dev: dev.name, 'skb->len': skb.len }, (f) => {
    f.at('qdisc', {}, 'noqueue: no enqueue');
    f.at('hardStart');
    return k.fn(devHardStartXmit, {}, (g) => {
      g.at('one');
      return k.fn(xmitOne, {}, (h) => {
        const taps = k.net.ptype_all.some((pt) => !pt.dev || pt.dev === dev);
        if (taps) {
          h.at('nit', {}, 'taps on ptype_all get a copy');
          dev_queue_xmit_nit(k, skbData(skb), dev, 'sent', skb.unmodelled, skb.sk);
        }
        h.at('start');
        return netdev_start_xmit(k, skb, dev);
      });
    });
  });
}

/** netdev_start_xmit: the driver's ndo_start_xmit, read from the device's net_device_ops. */
function netdev_start_xmit(k: Kernel, skb: SkBuff, dev: NetDevice): number {
  return k.fn(netdevStartXmit, {}, (f) => {
    const target = f.hop('ndo', 'net_device_ops', dev.netdev_ops, 'ndo_start_xmit', dev.netdev_ops_file);
    if (target === 'veth_xmit')
      throw new NotModelled(`the frame leaving ${dev.name} for its peer in the other namespace`);
    return k.implementation<StartXmitFn>(target)(k, skb, dev);
  });
}

/**
 * dev_direct_xmit (PACKET_QDISC_BYPASS): straight to the driver, without the qdisc layer and without
 * dev_queue_xmit_nit, so no tap gets a PACKET_OUTGOING copy.
 */
export function dev_direct_xmit(k: Kernel, skb: SkBuff): number {
  const dev = skb.dev!;
  return k.fn(devDirectXmitInline, { dev: dev.name }, (f) => {
    f.at('direct', {}, 'queue 0: the scenario devices have one TX queue');
    return k.fn(devDirectXmit, { 'skb->len': skb.len }, (g) => {
      g.at('running', {}, 'up, carrier on');
      g.at('validate', {}, 'nothing to segment or checksum');
      g.at('start', {}, 'no dev_queue_xmit_nit: the taps get no PACKET_OUTGOING copy');
      return netdev_start_xmit(k, skb, dev);
    });
  });
}

registerImplementation('veth_xmit', veth_xmit);
