// Models of net/packet/af_packet.c's send side: packet_sendmsg without a TX ring, packet_snd for
// SOCK_RAW (the caller writes the link header) and SOCK_DGRAM (dev_hard_header writes it from
// sll_addr), through dev_queue_xmit, or with PACKET_QDISC_BYPASS through dev_direct_xmit (6.1 by
// the po->xmit pointer, 6.12 by packet_xmit). Only lo's transmit is followed back in, and only for
// EtherTypes no protocol handler of the kernel takes (an IPv4, ARP, IPv6 or VLAN frame injected on lo
// meets input checks the models do not have): those stop as not modelled.
import { defineModel } from './model';
import { Kernel, NotModelled, registerImplementation, type ModelFrame } from './kernel';
import type { PacketSockFields, SendMsgHdr, Socket } from './state';
import { allocSkb, ntohs, type SkBuff } from './skbuff';
import { readU16, readU32 } from './user-memory';
import { pkt } from './af-packet';
import { __dev_queue_xmit, dev_direct_xmit } from './dev';

const file = 'net/packet/af_packet.c';

const packetSendmsg = defineModel('packet_sendmsg', file, { snd: 'return packet_snd(sock, msg, len);' });
const packetSnd = defineModel(
  'packet_snd',
  file,
  {
    cached: 'dev = packet_cached_dev_get(po);',
    nameLength: 'if (msg->msg_namelen < sizeof(struct sockaddr_ll))',
    halen: 'if (msg->msg_namelen < (saddr->sll_halen + offsetof(struct sockaddr_ll, sll_addr)))',
    byIndex: 'dev = dev_get_by_index(sock_net(sk), saddr->sll_ifindex);',
    noDev: 'if (unlikely(dev == NULL))',
    reserve: 'reserve = hard_header_len;',
    tooLong: '(len > dev->mtu + reserve + VLAN_HLEN + extra_len))',
    hardHeader: 'offset = dev_hard_header(skb, dev, ntohs(proto), addr, NULL, len);',
    validate: '!dev_validate_header(dev, skb->data, len)) || !skb->len) {',
    outFree: 'kfree_skb(skb);',
    protocol: 'skb->protocol = proto;',
    xmitPointer: { pattern: 'err = READ_ONCE(po->xmit)(skb);', only: ['6.1'] },
    xmit: { pattern: 'err = packet_xmit(po, skb);', only: ['6.12'] },
    sent: 'return len;',
  },
  { endsReportedAs: { why: 'inlined', into: 'packet_sendmsg' } },
);
const packetXmit = defineModel(
  'packet_xmit',
  file,
  {
    bypass: 'if (!packet_sock_flag(po, PACKET_SOCK_QDISC_BYPASS))',
    queue: 'return dev_queue_xmit(skb);',
    direct: 'return dev_direct_xmit(skb, packet_pick_tx_queue(skb));',
  },
  { only: ['6.12'] },
);
const packetDirectXmit = defineModel(
  'packet_direct_xmit',
  file,
  { direct: 'return dev_direct_xmit(skb, packet_pick_tx_queue(skb));' },
  { only: ['6.1'] },
);

/** The link header's length and MTU of the scenario devices (Ethernet framing on both). */
const ethHeaderLength = 14;
const vlanHeaderLength = 4;

/** EtherTypes whose frames the kernel's own handlers (or 802.3 length rules) take on receive. */
function handledOnReceive(k: Kernel, ethertype: number): boolean {
  return (
    ethertype < k.c.ETH_P_802_3_MIN ||
    [k.c.ETH_P_IP, k.c.ETH_P_ARP, k.c.ETH_P_IPV6, k.c.ETH_P_8021Q, k.c.ETH_P_8021AD].includes(ethertype)
  );
}

export function packet_sendmsg(k: Kernel, sock: Socket, msg: SendMsgHdr, len: number): number {
  return k.fn(packetSendmsg, { len }, (f) => {
    f.at('snd', {}, 'no TX ring');
    return packet_snd(k, sock, msg, len);
  });
}

function packet_snd(k: Kernel, sock: Socket, msg: SendMsgHdr, len: number): number {
  return k.fn(packetSnd, { len, 'sock->type': sock.type }, (f) => {
    const sk = sock.sk!;
    const po = pkt(sk);
    let ifindex: number;
    let proto: number;
    let addr: number[] | undefined;
    if (!msg.msg_name) {
      ifindex = po.ifindex;
      proto = po.num;
      f.at('cached', { ifindex });
    } else {
      const name = msg.msg_name;
      if (msg.msg_namelen < 20) {
        f.at('nameLength', { msg_namelen: msg.msg_namelen }, 'shorter than struct sockaddr_ll: -EINVAL');
        return k.err('EINVAL');
      }
      const halen = name[11];
      if (msg.msg_namelen < halen + 12) {
        f.at('halen', { sll_halen: halen }, 'sll_halen past the address: -EINVAL');
        return k.err('EINVAL');
      }
      proto = readU16(name, 2);
      ifindex = readU32(name, 4) | 0;
      f.at('byIndex', { sll_ifindex: ifindex });
      if (sock.type === k.c.SOCK_DGRAM) addr = name.slice(12, 12 + 6);
    }
    const dev = ifindex ? k.net.devices.find((d) => d.ifindex === ifindex) : undefined;
    if (!dev) {
      f.at('noDev', { ifindex }, 'no device: -ENXIO');
      return k.err('ENXIO');
    }
    if (msg.msg_controllen) throw new NotModelled('control messages on a packet send (sock_cmsg_send)');
    const reserve = sock.type === k.c.SOCK_RAW ? ethHeaderLength : 0;
    if (reserve) f.at('reserve', { reserve });
    const mtu = dev.type === k.c.ARPHRD_LOOPBACK ? 65536 : 1500;
    if (len > mtu + reserve + vlanHeaderLength) {
      f.at('tooLong', { len, mtu }, '-EMSGSIZE');
      return k.err('EMSGSIZE');
    }
    const data = msg.data?.slice(0, len);
    if (!data || data.length < len) return k.err('EFAULT');
    let frame: number[];
    if (sock.type === k.c.SOCK_DGRAM) {
      // eth_header: the source is the device's address; the destination sll_addr, or zeros on lo without one.
      const type = ntohs(proto);
      const destination = addr ?? (dev.type === k.c.ARPHRD_LOOPBACK ? [0, 0, 0, 0, 0, 0] : undefined);
      if (!destination)
        throw new NotModelled(`a SOCK_DGRAM send on ${dev.name} without a destination address`);
      const typeField = type === k.c.ETH_P_802_3 || type === k.c.ETH_P_802_2 ? len : type;
      frame = [...destination, ...dev.dev_addr, (typeField >>> 8) & 0xff, typeField & 0xff, ...data];
      f.at('hardHeader', { type: `0x${type.toString(16).padStart(4, '0')}` }, 'eth_header');
    } else {
      frame = data;
      if (len < ethHeaderLength || len === 0) {
        // The skb is allocated and the data copied before the check: out_free frees it.
        f.at('validate', { len }, 'shorter than the link header: -EINVAL');
        f.free('outFree', allocSkb(frame, dev), 'NOT_SPECIFIED');
        return k.err('EINVAL');
      }
    }
    if (len > mtu + reserve)
      throw new NotModelled('a frame longer than the MTU (packet_extra_vlan_len_allowed)');
    const ethertype = (frame[12] << 8) | frame[13];
    if (dev.type !== k.c.ARPHRD_LOOPBACK)
      throw new NotModelled(`the frame leaving ${dev.name} for its peer in the other namespace`);
    if (handledOnReceive(k, ethertype))
      throw new NotModelled(
        `receiving a frame of EtherType 0x${ethertype.toString(16).padStart(4, '0')} that a packet socket sent on lo`,
      );
    const skb = allocSkb(frame, dev);
    skb.sk = sk;
    skb.protocol = proto;
    skb.network_header = ethHeaderLength;
    f.at('protocol', { protocol: `0x${ntohs(proto).toString(16).padStart(4, '0')}` });
    let err: number;
    if (k.since('6.12')) {
      f.at('xmit');
      err = packet_xmit(k, po, skb);
    } else err = xmitPointer(k, f, po, skb);
    if (err < 0) return err;
    f.at('sent', { len });
    return len;
  });
}

/** 6.1: `po->xmit`, set by packet_create (dev_queue_xmit) or PACKET_QDISC_BYPASS (packet_direct_xmit). */
function xmitPointer(k: Kernel, f: ModelFrame, po: PacketSockFields, skb: SkBuff): number {
  if (!po.qdisc_bypass) {
    f.boundHop('xmitPointer', {
      struct: 'packet_sock',
      field: 'xmit',
      table: 'packet_create',
      target: 'dev_queue_xmit',
    });
    return __dev_queue_xmit(k, skb);
  }
  f.boundHop('xmitPointer', {
    struct: 'packet_sock',
    field: 'xmit',
    table: 'packet_setsockopt',
    target: 'packet_direct_xmit',
  });
  return k.fn(packetDirectXmit, {}, (g) => {
    g.at('direct', {}, 'no egress hook: dev_direct_xmit');
    return dev_direct_xmit(k, skb);
  });
}

/** 6.12: PACKET_SOCK_QDISC_BYPASS chooses between dev_queue_xmit and dev_direct_xmit. */
function packet_xmit(k: Kernel, po: PacketSockFields, skb: SkBuff): number {
  return k.fn(packetXmit, { PACKET_SOCK_QDISC_BYPASS: po.qdisc_bypass }, (f) => {
    if (!po.qdisc_bypass) {
      f.at('bypass', {}, 'no PACKET_QDISC_BYPASS');
      f.at('queue');
      return __dev_queue_xmit(k, skb);
    }
    f.at('direct', {}, 'PACKET_QDISC_BYPASS, no egress hook');
    return dev_direct_xmit(k, skb);
  });
}

registerImplementation('packet_sendmsg', packet_sendmsg);
