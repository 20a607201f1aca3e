// Models of net/packet/af_packet.c: creating packet sockets, their options and bind, the taps that
// receive frames (packet_rcv, packet_rcv_spkt) and packet_recvmsg.
// Long because it is one kernel file's models, each beside its anchors, as check-models reads them.
import { defineModel } from './model';
import { Kernel, NotModelled, registerImplementation, type ModelFrame } from './kernel';
import type { MsgHdr, PacketType, Sock, Socket } from './state';
import {
  htons,
  ntohs,
  readBe16,
  skbClone,
  skbData,
  skbNetworkOffset,
  skbPull,
  skbPush,
  skbShareCheck,
  skbTrim,
  skbView,
  type SkBuff,
} from './skbuff';
import { readU16, readU32, u16, u32 } from './user-memory';
import { skb_recv_datagram, skb_free_datagram } from './datagram';
import { copyToMsg, putCmsg, putOption, readOptlen } from './socket';
import { sock_queue_rcv_skb, rmemDefault } from './sock';
import { runFilter as runClassicProgram } from './classic-filter';
import { dev_add_pack, dev_remove_pack, isVlan } from './dev';

const file = 'net/packet/af_packet.c';

const packetCreate = defineModel('packet_create', file, {
  capable: 'if (!ns_capable(net->user_ns, CAP_NET_RAW))',
  typeCheck: 'if (sock->type != SOCK_DGRAM && sock->type != SOCK_RAW &&',
  opsDefault: 'sock->ops = &packet_ops;',
  opsSpkt: 'sock->ops = &packet_ops_spkt;',
  num: 'po->num = proto;',
  xmit: { pattern: 'po->xmit = dev_queue_xmit;', only: ['6.1'] },
  funcDefault: 'po->prot_hook.func = packet_rcv;',
  funcSpkt: 'po->prot_hook.func = packet_rcv_spkt;',
  hook: 'if (proto) {',
  register: '__register_prot_hook(sk);',
  sklist: 'sk_add_node_tail_rcu(sk, &net->packet.sklist);',
});
const registerProtHook = defineModel('__register_prot_hook', file, {
  addPack: 'dev_add_pack(&po->prot_hook);',
});
const packetSetsockopt = defineModel('packet_setsockopt', file, {
  level: 'if (level != SOL_PACKET)',
  auxdata: 'case PACKET_AUXDATA:',
  auxdataLen: 'if (optlen < sizeof(val))',
  auxdataSet: 'packet_sock_flag_set(po, PACKET_SOCK_AUXDATA, val);',
  origdev: 'case PACKET_ORIGDEV:',
  ignoreOutgoing: 'case PACKET_IGNORE_OUTGOING:',
  ignoreOutgoingLen: 'if (optlen != sizeof(val))',
  ignoreOutgoingRange: 'if (val < 0 || val > 1)',
  ignoreOutgoingSet: 'WRITE_ONCE(po->prot_hook.ignore_outgoing, !!val);',
  qdiscBypass: 'case PACKET_QDISC_BYPASS:',
  qdiscBypassXmit: {
    pattern: 'WRITE_ONCE(po->xmit, val ? packet_direct_xmit : dev_queue_xmit);',
    only: ['6.1'],
  },
  qdiscBypassFlag: { pattern: 'packet_sock_flag_set(po, PACKET_SOCK_QDISC_BYPASS, val);', only: ['6.12'] },
});
const packetGetsockopt = defineModel('packet_getsockopt', file, {
  level: 'if (level != SOL_PACKET)',
  len: 'if (get_user(len, optlen))',
  negative: 'if (len < 0)',
  statistics: 'case PACKET_STATISTICS:',
  drops: 'drops = atomic_xchg(&po->tp_drops, 0);',
  stats1: 'st.stats1.tp_packets += drops;',
  auxdata: 'val = packet_sock_flag(po, PACKET_SOCK_AUXDATA);',
  origdev: 'val = packet_sock_flag(po, PACKET_SOCK_ORIGDEV);',
  ignoreOutgoing: 'val = READ_ONCE(po->prot_hook.ignore_outgoing);',
  qdiscBypassXmit: { pattern: 'val = packet_use_direct_xmit(po);', only: ['6.1'] },
  qdiscBypassFlag: { pattern: 'val = packet_sock_flag(po, PACKET_SOCK_QDISC_BYPASS);', only: ['6.12'] },
  clamp: 'if (len > lv)',
  copy: 'if (copy_to_user(optval, data, len))',
});
const packetGetname = defineModel('packet_getname', file, {
  peer: 'if (peer)',
  ifindex: 'sll->sll_ifindex = ifindex;',
  protocol: 'sll->sll_protocol = READ_ONCE(po->num);',
  dev: 'dev = dev_get_by_index_rcu(sock_net(sk), ifindex);',
  hatype: 'sll->sll_hatype = dev->type;',
  noDev: 'sll->sll_halen = 0;',
  length: 'return offsetof(struct sockaddr_ll, sll_addr) + sll->sll_halen;',
});
const packetBind = defineModel('packet_bind', file, {
  length: 'if (addr_len < sizeof(struct sockaddr_ll))',
  family: 'if (sll->sll_family != AF_PACKET)',
  doBind: 'return packet_do_bind(sk, NULL, sll->sll_ifindex, sll->sll_protocol);',
});
const packetDoBind = defineModel('packet_do_bind', file, {
  proto: 'proto = po->num;',
  byIndex: 'dev = dev_get_by_index_rcu(sock_net(sk), ifindex);',
  noDev: 'ret = -ENODEV;',
  rehook: 'need_rehook = po->prot_hook.type != proto || po->prot_hook.dev != dev;',
  unregister: '__unregister_prot_hook(sk, true);',
  setDev: 'po->prot_hook.dev = dev;',
  register: 'register_prot_hook(sk);',
});
const packetRelease = defineModel('packet_release', file, {
  unregister: 'unregister_prot_hook(sk, false);',
  purge: 'skb_queue_purge(&sk->sk_receive_queue);',
});
// 6.1 frees each skb with kfree_skb (NOT_SPECIFIED) in skb_queue_purge; 6.12's skb_queue_purge is an
// inline call of skb_queue_purge_reason with QUEUE_PURGE, whose own inline loop frees them.
const skbQueuePurge = defineModel(
  'skb_queue_purge',
  'net/core/skbuff.c',
  { free: 'kfree_skb(skb);' },
  { only: ['6.1'] },
);
const skbQueuePurgeReason = defineModel(
  'skb_queue_purge_reason',
  'net/core/skbuff.c',
  { free: '__skb_queue_purge_reason(&tmp, reason);' },
  { only: ['6.12'] },
);
const runFilter = defineModel('run_filter', file, {
  run: 'res = bpf_prog_run_clear_cb(filter->prog, skb);',
});
const packetRcv = defineModel('packet_rcv', file, {
  loopback: 'if (skb->pkt_type == PACKET_LOOPBACK)',
  push: 'skb_push(skb, skb->data - skb_mac_header(skb));',
  pullOutgoing: 'skb_pull(skb, skb_network_offset(skb));',
  filter: 'res = run_filter(skb, sk, snaplen);',
  filterDrop: 'goto drop_n_restore;',
  rcvbuf: 'if (atomic_read(&sk->sk_rmem_alloc) >= sk->sk_rcvbuf)',
  clone: 'struct sk_buff *nskb = skb_clone(skb, GFP_ATOMIC);',
  sll: 'sll->sll_pkttype = skb->pkt_type;',
  origlen: 'PACKET_SKB_CB(skb)->sa.origlen = skb->len;',
  trim: 'if (pskb_trim(skb, snaplen))',
  queue: '__skb_queue_tail(&sk->sk_receive_queue, skb);',
  cloneConsume: 'consume_skb(skb);',
  dropConsume: { pattern: 'consume_skb(skb); else kfree_skb(skb);', only: ['6.1'] },
  dropFree: { pattern: 'else kfree_skb(skb);', only: ['6.1'] },
  reasonDrop: { pattern: 'sk_skb_reason_drop(sk, skb, drop_reason);', only: ['6.12'] },
});
const packetRcvSpkt = defineModel('packet_rcv_spkt', file, {
  loopback: 'if (skb->pkt_type == PACKET_LOOPBACK)',
  push: 'skb_push(skb, skb->data - skb_mac_header(skb));',
  spkt: 'spkt->spkt_protocol = skb->protocol;',
  queue: 'if (sock_queue_rcv_skb(sk, skb) == 0)',
  share: 'skb = skb_share_check(skb, GFP_ATOMIC)',
  drop: 'kfree_skb(skb);',
});
const packetRecvmsg = defineModel('packet_recvmsg', file, {
  flags: 'if (flags & ~(MSG_PEEK|MSG_DONTWAIT|MSG_TRUNC|MSG_CMSG_COMPAT|MSG_ERRQUEUE))',
  errqueue: 'err = sock_recv_errqueue(sk, msg, len,',
  datagram: 'skb = skb_recv_datagram(sk, flags, &err);',
  truncate: 'msg->msg_flags |= MSG_TRUNC;',
  copy: 'err = skb_copy_datagram_msg(skb, 0, msg, copied);',
  protocol: 'sll->sll_protocol =',
  name: 'if (msg->msg_name) {',
  auxdata: 'if (packet_sock_flag(pkt_sk(sk), PACKET_SOCK_AUXDATA)) {',
  csum: 'aux.tp_status |= TP_STATUS_CSUM_VALID;',
  vlan: 'aux.tp_status |= TP_STATUS_VLAN_VALID | TP_STATUS_VLAN_TPID_VALID;',
  dgramVlan: '} else if (unlikely(sock->type == SOCK_DGRAM && eth_type_vlan(skb->protocol))) {',
  putAux: 'put_cmsg(msg, SOL_PACKET, PACKET_AUXDATA, sizeof(aux), &aux);',
  result: 'err = vnet_hdr_len + ((flags&MSG_TRUNC) ? skb->len : copied);',
});

export const pkt = (sk: Sock) => {
  if (!sk.packet) throw new Error('not a packet socket');
  return sk.packet;
};

export function packet_create(k: Kernel, sock: Socket, protocol: number, kern: boolean): number {
  return k.fn(
    packetCreate,
    { protocol: `0x${protocol.toString(16)}`, 'sock->type': sock.type, kern },
    (f) => {
      f.at('capable', { CAP_NET_RAW: true });
      if (sock.type !== k.c.SOCK_DGRAM && sock.type !== k.c.SOCK_RAW && sock.type !== k.c.SOCK_PACKET) {
        f.at('typeCheck', { 'sock->type': sock.type }, 'type rejected: -ESOCKTNOSUPPORT');
        return k.err('ESOCKTNOSUPPORT');
      }
      f.at('typeCheck', { 'sock->type': sock.type }, 'type accepted');
      sock.state = 'SS_UNCONNECTED';
      const spkt = sock.type === k.c.SOCK_PACKET;
      sock.ops = spkt ? 'packet_ops_spkt' : 'packet_ops';
      sock.opsFile = file;
      f.at(spkt ? 'opsSpkt' : 'opsDefault', { 'sock->ops': `&${sock.ops}` });
      const sk: Sock = {
        sk_family: k.c.PF_PACKET,
        sk_type: sock.type,
        // packet_create never sets sk_protocol (the protocol lives in po->num): SO_PROTOCOL reads 0.
        sk_protocol: 0,
        sk_prot: 'packet_proto',
        sk_receive_queue: [],
        sk_rcvbuf: rmemDefault,
        sk_rmem_alloc: 0,
        sk_drops: 0,
        sk_bound_dev_if: 0,
        sk_rcvtimeo_ms: 0,
        sk_state: 'TCP_CLOSE',
        socket: sock,
      };
      const hook: PacketType = {
        type: 0,
        func: spkt ? 'packet_rcv_spkt' : 'packet_rcv',
        installedBy: 'packet_create',
        af_packet_priv: sk,
      };
      sk.packet = {
        num: protocol,
        ifindex: 0,
        running: false,
        prot_hook: hook,
        auxdata: false,
        tp_packets: 0,
        tp_drops: 0,
        origdev: false,
        qdisc_bypass: false,
      };
      sock.sk = sk;
      f.at('num', { 'po->num': `0x${protocol.toString(16)}` });
      if (!k.since('6.12')) f.at('xmit', { 'po->xmit': 'dev_queue_xmit' });
      f.at(spkt ? 'funcSpkt' : 'funcDefault', { 'po->prot_hook.func': hook.func });
      if (protocol) {
        hook.type = protocol;
        f.at('hook', { proto: `0x${protocol.toString(16)}` }, 'protocol set: the hook is registered');
        f.at('register');
        register_prot_hook(k, sk);
      } else {
        f.at('hook', { proto: 0 }, 'protocol 0: no hook until bind');
      }
      k.net.packet_sklist.push(sk);
      f.at('sklist', { 'net->packet.sklist': k.net.packet_sklist.length });
      return 0;
    },
  );
}

function register_prot_hook(k: Kernel, sk: Sock): void {
  k.fn(registerProtHook, {}, (f) => {
    const po = pkt(sk);
    if (po.running) return;
    f.at('addPack', {
      type: `0x${ntohs(po.prot_hook.type).toString(16)}`,
      dev: po.prot_hook.dev?.name ?? 'any',
    });
    dev_add_pack(k, po.prot_hook);
    po.running = true;
  });
}

function unregister_prot_hook(k: Kernel, sk: Sock): void {
  const po = pkt(sk);
  if (!po.running) return;
  dev_remove_pack(k, po.prot_hook);
  po.running = false;
}

export function packet_setsockopt(
  k: Kernel,
  sock: Socket,
  level: number,
  optname: number,
  optval: number,
  optlen: number,
): number {
  return k.fn(packetSetsockopt, { level, optname, optlen }, (f) => {
    const po = pkt(sock.sk!);
    if (level !== k.c.SOL_PACKET) {
      f.at('level', { level }, 'not SOL_PACKET: -ENOPROTOOPT');
      return k.err('ENOPROTOOPT');
    }
    if (optname === k.c.PACKET_IGNORE_OUTGOING) {
      f.at('ignoreOutgoing');
      if (optlen !== 4) {
        f.at('ignoreOutgoingLen', { optlen }, 'not sizeof(int): -EINVAL');
        return k.err('EINVAL');
      }
      const bytes = k.memory.read(optval, 4);
      if (!bytes) return k.err('EFAULT');
      const val = readU32(bytes, 0) | 0;
      if (val < 0 || val > 1) {
        f.at('ignoreOutgoingRange', { val }, 'not 0 or 1: -EINVAL');
        return k.err('EINVAL');
      }
      po.prot_hook.ignore_outgoing = val === 1;
      f.at('ignoreOutgoingSet', { ignore_outgoing: val === 1 });
      return 0;
    }
    if (optname === k.c.PACKET_QDISC_BYPASS) {
      if (optlen !== 4) {
        f.at('qdiscBypass', { optlen }, 'optlen not sizeof(int): -EINVAL');
        return k.err('EINVAL');
      }
      f.at('qdiscBypass');
      const bytes = k.memory.read(optval, 4);
      if (!bytes) return k.err('EFAULT');
      po.qdisc_bypass = readU32(bytes, 0) !== 0;
      if (k.since('6.12')) f.at('qdiscBypassFlag', { PACKET_SOCK_QDISC_BYPASS: po.qdisc_bypass });
      else f.at('qdiscBypassXmit', { 'po->xmit': po.qdisc_bypass ? 'packet_direct_xmit' : 'dev_queue_xmit' });
      return 0;
    }
    const flagOption =
      optname === k.c.PACKET_AUXDATA ? 'auxdata' : optname === k.c.PACKET_ORIGDEV ? 'origdev' : undefined;
    if (!flagOption)
      throw new NotModelled(
        `setsockopt(SOL_PACKET, ${optname}): only PACKET_AUXDATA, PACKET_ORIGDEV, PACKET_IGNORE_OUTGOING and PACKET_QDISC_BYPASS are`,
      );
    f.at(flagOption);
    if (optlen < 4) {
      f.at('auxdataLen', { optlen }, 'too short: -EINVAL');
      return k.err('EINVAL');
    }
    const bytes = k.memory.read(optval, 4);
    if (!bytes) return k.err('EFAULT');
    const val = readU32(bytes, 0) !== 0;
    po[flagOption] = val;
    if (flagOption === 'auxdata') f.at('auxdataSet', { PACKET_SOCK_AUXDATA: val });
    return 0;
  });
}

export function packet_getsockopt(
  k: Kernel,
  sock: Socket,
  level: number,
  optname: number,
  optval: number,
  optlen: number,
): number {
  return k.fn(packetGetsockopt, { level, optname }, (f) => {
    const po = pkt(sock.sk!);
    if (level !== k.c.SOL_PACKET) {
      f.at('level', { level }, 'not SOL_PACKET: -ENOPROTOOPT');
      return k.err('ENOPROTOOPT');
    }
    const len = readOptlen(k, optlen);
    f.at('len', typeof len === 'number' ? { len } : {}, typeof len === 'number' ? undefined : '-EFAULT');
    if (typeof len !== 'number') return len.err;
    if (len < 0) {
      f.at('negative', { len }, '-EINVAL');
      return k.err('EINVAL');
    }
    let data: number[];
    if (optname === k.c.PACKET_STATISTICS) {
      f.at('statistics');
      // The counters are read and reset; the drops are added to the packets (struct tpacket_stats, TPACKET_V1).
      const drops = po.tp_drops;
      const packets = po.tp_packets + drops;
      po.tp_drops = 0;
      po.tp_packets = 0;
      f.at('drops', { drops });
      f.at('stats1', { tp_packets: packets, tp_drops: drops });
      data = [...u32(packets), ...u32(drops)];
    } else if (optname === k.c.PACKET_AUXDATA || optname === k.c.PACKET_ORIGDEV) {
      const auxdata = optname === k.c.PACKET_AUXDATA;
      const val = (auxdata ? po.auxdata : po.origdev) ? 1 : 0;
      f.at(auxdata ? 'auxdata' : 'origdev', { val });
      data = u32(val);
    } else if (optname === k.c.PACKET_IGNORE_OUTGOING) {
      const val = po.prot_hook.ignore_outgoing ? 1 : 0;
      f.at('ignoreOutgoing', { val });
      data = u32(val);
    } else if (optname === k.c.PACKET_QDISC_BYPASS) {
      const val = po.qdisc_bypass ? 1 : 0;
      f.at(k.since('6.12') ? 'qdiscBypassFlag' : 'qdiscBypassXmit', { val });
      data = u32(val);
    } else {
      throw new NotModelled(
        `getsockopt(SOL_PACKET, ${optname}): only PACKET_STATISTICS, PACKET_AUXDATA, PACKET_ORIGDEV, PACKET_IGNORE_OUTGOING and PACKET_QDISC_BYPASS are`,
      );
    }
    f.at('clamp', { len, lv: data.length });
    f.at('copy', { len: Math.min(len, data.length) });
    return putOption(k, optval, optlen, len, data);
  });
}

/** getsockname on a SOCK_RAW or SOCK_DGRAM packet socket: a sockaddr_ll of the bound device. */
export function packet_getname(k: Kernel, sock: Socket, address: number[], peer: number): number {
  return k.fn(packetGetname, { peer }, (f) => {
    if (peer) {
      f.at('peer', {}, '-EOPNOTSUPP');
      return k.err('EOPNOTSUPP');
    }
    const po = pkt(sock.sk!);
    f.at('ifindex', { sll_ifindex: po.ifindex });
    f.at('protocol', { sll_protocol: `0x${ntohs(po.num).toString(16)}` });
    const dev = k.net.devices.find((d) => d.ifindex === po.ifindex);
    f.at('dev', { dev: dev?.name ?? 'NULL' });
    const halen = dev ? dev.dev_addr.length : 0;
    const head = [...u16(k.c.AF_PACKET), po.num & 0xff, (po.num >>> 8) & 0xff, ...u32(po.ifindex >>> 0)];
    head.push(...u16(dev?.type ?? 0), 0, halen, ...(dev?.dev_addr ?? []));
    if (dev) f.at('hatype', { sll_hatype: dev.type, sll_halen: halen });
    else f.at('noDev', {}, 'no such device: hatype and halen 0');
    address.splice(0, head.length, ...head);
    f.at('length', { len: 12 + halen });
    return 12 + halen;
  });
}

export function packet_bind(k: Kernel, sock: Socket, address: number[], addrlen: number): number {
  return k.fn(packetBind, { addr_len: addrlen }, (f) => {
    if (addrlen < 20) {
      f.at('length', { addr_len: addrlen }, 'shorter than sockaddr_ll: -EINVAL');
      return k.err('EINVAL');
    }
    const family = readU16(address, 0);
    if (family !== k.c.AF_PACKET) {
      f.at('family', { sll_family: family }, 'not AF_PACKET: -EINVAL');
      return k.err('EINVAL');
    }
    const ifindex = readU32(address, 4) | 0;
    const protocol = readU16(address, 2);
    f.at('doBind', { sll_ifindex: ifindex, sll_protocol: `0x${ntohs(protocol).toString(16)}` });
    return packet_do_bind(k, sock.sk!, ifindex, protocol);
  });
}

function packet_do_bind(k: Kernel, sk: Sock, ifindex: number, proto: number): number {
  return k.fn(packetDoBind, { ifindex }, (f) => {
    const po = pkt(sk);
    if (!proto) {
      proto = po.num;
      f.at('proto', { 'po->num': `0x${proto.toString(16)}` });
    }
    let dev;
    if (ifindex) {
      dev = k.net.devices.find((d) => d.ifindex === ifindex);
      f.at('byIndex', { ifindex, dev: dev?.name ?? 'NULL' });
      if (!dev) {
        f.at('noDev', {}, 'no such device: -ENODEV');
        return k.err('ENODEV');
      }
    }
    const needRehook = po.prot_hook.type !== proto || po.prot_hook.dev !== dev;
    f.at('rehook', { need_rehook: needRehook });
    if (needRehook) {
      if (po.running) {
        f.at('unregister');
        unregister_prot_hook(k, sk);
      }
      po.num = proto;
      po.prot_hook.type = proto;
      po.prot_hook.dev = dev;
      po.ifindex = dev?.ifindex ?? 0;
      f.at('setDev', { 'po->prot_hook.dev': dev?.name ?? 'NULL' });
    }
    if (proto !== 0 && needRehook) {
      f.at('register');
      register_prot_hook(k, sk);
    }
    return 0;
  });
}

export function packet_release(k: Kernel, sock: Socket): number {
  return k.fn(packetRelease, {}, (f) => {
    const sk = sock.sk;
    if (!sk) return 0;
    f.at('unregister');
    unregister_prot_hook(k, sk);
    f.at('purge', { 'queue length': sk.sk_receive_queue.length });
    skb_queue_purge(k, sk);
    k.net.packet_sklist.splice(k.net.packet_sklist.indexOf(sk), 1);
    sock.sk = undefined;
    return 0;
  });
}

function skb_queue_purge(k: Kernel, sk: Sock): void {
  const purge = k.since('6.12') ? skbQueuePurgeReason : skbQueuePurge;
  const reason = k.since('6.12') ? 'QUEUE_PURGE' : 'NOT_SPECIFIED';
  k.fn(purge, {}, (f) => {
    for (const skb of sk.sk_receive_queue.splice(0)) f.free('free', skb, reason);
  });
}

function run_filter(k: Kernel, skb: SkBuff, sk: Sock, res: number): number {
  return k.fn(runFilter, {}, (f) => {
    if (!sk.sk_filter) return res;
    const verdict = runClassicProgram(sk.sk_filter, skb);
    f.at('run', { res: verdict });
    return verdict;
  });
}

/** The handler of a packet socket's hook: queues a copy of the frame for the socket. */
export function packet_rcv(k: Kernel, skb: SkBuff, pt: PacketType): number {
  const sk = pt.af_packet_priv!;
  return k.fn(packetRcv, { 'skb->len': skb.len, 'skb->pkt_type': skb.pkt_type }, (f) => {
    if (skb.pkt_type === k.c.PACKET_LOOPBACK) {
      f.at('loopback', {}, 'looped-back frame: dropped');
      packetRcvDrop(k, f, skb, pt, 'consumed');
      return 0;
    }
    const dev = skb.dev!;
    skb = skbView(skb);
    if (dev.has_header) {
      if (sk.sk_type !== k.c.SOCK_DGRAM) {
        skbPush(skb, skb.data - skb.mac_header);
        f.at('push', { 'skb->len': skb.len }, 'link-layer header kept');
      } else if (skb.pkt_type === k.c.PACKET_OUTGOING) {
        skbPull(skb, skbNetworkOffset(skb));
        f.at('pullOutgoing', { 'skb->len': skb.len });
      }
    }
    let snaplen = skb.len;
    f.at('filter', { snaplen });
    const res = run_filter(k, skb, sk, snaplen);
    if (!res) {
      f.at('filterDrop', { res }, 'filter returned 0: dropped');
      packetRcvDrop(k, f, skb, pt, 'consumed');
      return 0;
    }
    if (snaplen > res) snaplen = res;
    if (sk.sk_rmem_alloc >= sk.sk_rcvbuf) {
      f.at(
        'rcvbuf',
        { sk_rmem_alloc: sk.sk_rmem_alloc, sk_rcvbuf: sk.sk_rcvbuf },
        'receive buffer full: dropped',
      );
      sk.sk_drops++;
      pkt(sk).tp_drops++;
      packetRcvDrop(k, f, skb, pt, 'accounted');
      return 0;
    }
    f.at('clone');
    if (skb.identity.users > 1) {
      const shared = skb;
      skb = skbClone(shared);
      f.consume('cloneConsume', shared);
    }
    skb.cb.sll_hatype = dev.type;
    skb.cb.sll_pkttype = skb.pkt_type;
    skb.cb.sll_ifindex = dev.ifindex;
    skb.cb.sll_addr = dev.has_header ? skb.head.slice(skb.mac_header + 6, skb.mac_header + 12) : [];
    f.at('sll', { sll_ifindex: dev.ifindex, sll_pkttype: skb.pkt_type, sll_hatype: dev.type });
    skb.cb.origlen = skb.len;
    f.at('origlen', { origlen: skb.len });
    skbTrim(skb, snaplen);
    f.at('trim', { snaplen });
    skb.sk = sk;
    skb.dev = undefined;
    sk.sk_rmem_alloc += skb.truesize;
    sk.sk_receive_queue.push(skb);
    pkt(sk).tp_packets++;
    f.queue('queue', skb, sk, { 'queue length': sk.sk_receive_queue.length, 'skb->len': skb.len });
    return 0;
  });
}

/**
 * packet_rcv's `drop:` label. 6.1 consumes the skb or, after drop_n_acct, frees it with kfree_skb (no
 * reason: NOT_SPECIFIED); 6.12 passes drop_reason to sk_skb_reason_drop: SKB_CONSUMED, or
 * PACKET_SOCK_ERROR after drop_n_acct.
 */
function packetRcvDrop(
  k: Kernel,
  f: ModelFrame,
  skb: SkBuff,
  pt: PacketType,
  how: 'consumed' | 'accounted',
): void {
  noteLaterLastDrop(skb, pt, how);
  if (k.since('6.12')) {
    if (how === 'consumed') f.consume('reasonDrop', skb);
    else f.free('reasonDrop', skb, 'PACKET_SOCK_ERROR');
  } else if (how === 'consumed') f.consume('dropConsume', skb);
  else f.free('dropFree', skb, 'NOT_SPECIFIED');
}

/**
 * A drop that is not the last reference here, but is in a kernel that delivers to this hook last
 * (SkbIdentity.laterLastHolder): there it is the skb's end, which the model's end of the skb declares.
 */
function noteLaterLastDrop(skb: SkBuff, pt: PacketType, how: 'consumed' | 'accounted'): void {
  const later = skb.identity.laterLastHolder;
  if (!later || later.holder !== pt || skb.identity.users <= 1) return;
  // Those kernels are newer than 6.12: drop_n_acct's reason is PACKET_SOCK_ERROR, as in 6.12.
  const reason = 'PACKET_SOCK_ERROR';
  skb.identity.laterEnds = {
    change: later.change,
    ends: [
      how === 'consumed'
        ? { how: 'consumed', function: 'packet_rcv' }
        : { how: 'freed', function: 'packet_rcv', reason },
    ],
    why: "the namespace's packet socket gets the frame after IPv4 and drops its last reference in packet_rcv",
  };
}

/** The handler of a SOCK_PACKET socket: the whole frame, with a struct sockaddr_pkt. */
export function packet_rcv_spkt(k: Kernel, skb: SkBuff, pt: PacketType): number {
  const sk = pt.af_packet_priv!;
  return k.fn(packetRcvSpkt, { 'skb->len': skb.len }, (f) => {
    if (skb.pkt_type === k.c.PACKET_LOOPBACK) {
      f.at('loopback', {}, 'looped-back frame: dropped');
      f.free('drop', skb, 'NOT_SPECIFIED');
      return 0;
    }
    const dev = skb.dev!;
    skb = skbShareCheck(f, 'share', skb);
    if (dev.has_header) {
      skbPush(skb, skb.data - skb.mac_header);
      f.at('push', { 'skb->len': skb.len });
    }
    skb.cb.sll_hatype = dev.type;
    skb.cb.sll_addr = [...dev.name].map((c) => c.charCodeAt(0));
    f.at('spkt', {
      spkt_family: dev.type,
      spkt_device: dev.name,
      spkt_protocol: `0x${ntohs(skb.protocol).toString(16)}`,
    });
    const err = sock_queue_rcv_skb(k, sk, skb);
    f.at('queue', { err: err === 0 ? 0 : k.errnoName(err) }, err === 0 ? 'queued' : 'dropped');
    if (err !== 0) f.free('drop', skb, 'NOT_SPECIFIED');
    return 0;
  });
}

const sockaddrLlSize = 20;
/** struct sockaddr_pkt: spkt_family, spkt_device[14], spkt_protocol. */
const sockaddrPktSize = 18;

/** dev->hard_header_len of the Ethernet devices the topology has (veth, loopback). */
const ethernetHeaderLength = 14;

export function packet_recvmsg(k: Kernel, sock: Socket, msg: MsgHdr, len: number, flags: number): number {
  const sk = sock.sk!;
  return k.fn(packetRecvmsg, { len, flags }, (f) => {
    const accepted = k.c.MSG_PEEK | k.c.MSG_DONTWAIT | k.c.MSG_TRUNC | k.c.MSG_CMSG_COMPAT | k.c.MSG_ERRQUEUE;
    if (flags & ~accepted) {
      f.at(
        'flags',
        { flags: `0x${flags.toString(16)}`, rejected: `0x${(flags & ~accepted).toString(16)}` },
        'flag not accepted: -EINVAL',
      );
      return k.err('EINVAL');
    }
    f.at('flags', { flags: `0x${flags.toString(16)}` }, 'flags accepted');
    if (flags & k.c.MSG_ERRQUEUE) {
      f.at('errqueue', {}, 'error queue empty: -EAGAIN');
      return k.err('EAGAIN');
    }
    f.at('datagram');
    const received = skb_recv_datagram(k, sk, flags);
    if (typeof received === 'number') return received;
    const skb = received;
    let copied = skb.len;
    if (copied > len) {
      copied = len;
      msg.msg_flags |= k.c.MSG_TRUNC;
      f.at('truncate', { 'skb->len': skb.len, len }, 'buffer shorter than the frame');
    }
    const err = copyToMsg(k, msg, skb, copied);
    f.at('copy', { copied });
    if (err) {
      skb_free_datagram(k, sk, skb);
      return err;
    }
    const spkt = sock.type === k.c.SOCK_PACKET;
    let sllProtocol = skb.protocol;
    if (!spkt) {
      if (sock.type === k.c.SOCK_DGRAM && isVlan(k, skb.protocol))
        sllProtocol = htons(readBe16(skbData(skb), 2));
      f.at('protocol', { sll_protocol: `0x${ntohs(sllProtocol).toString(16)}` });
    }
    if (msg.msg_name) {
      let name: number[];
      if (spkt) {
        const device = [...(skb.cb.sll_addr ?? [])].concat(new Array(14).fill(0)).slice(0, 14);
        name = [...u16(skb.cb.sll_hatype ?? 0), ...device, ...u16(skb.protocol)];
      } else {
        const halen = skb.cb.sll_addr?.length ?? 0;
        name = [
          ...u16(k.c.AF_PACKET),
          ...u16(sllProtocol),
          ...u32(skb.cb.sll_ifindex ?? 0),
          ...u16(skb.cb.sll_hatype ?? 0),
          skb.cb.sll_pkttype ?? 0,
          halen,
          ...[...(skb.cb.sll_addr ?? []), 0, 0, 0, 0, 0, 0, 0, 0].slice(0, 8),
        ];
      }
      msg.msg_namelen = spkt
        ? sockaddrPktSize
        : Math.max(12 + (skb.cb.sll_addr?.length ?? 0), sockaddrLlSize);
      msg.msg_name.splice(0, name.length, ...name);
      f.at('name', { msg_namelen: msg.msg_namelen });
    }
    if (pkt(sk).auxdata) {
      let status = k.c.TP_STATUS_USER;
      f.at('auxdata', { 'skb->ip_summed': skb.ip_summed });
      if (skb.ip_summed === 'CHECKSUM_PARTIAL') status |= k.c.TP_STATUS_CSUMNOTREADY;
      else if (skb.pkt_type !== k.c.PACKET_OUTGOING && skb.ip_summed === 'CHECKSUM_UNNECESSARY') {
        status |= k.c.TP_STATUS_CSUM_VALID;
        f.at('csum', {}, 'checksum verified');
      }
      let tci = 0;
      let tpid = 0;
      if (skb.vlan_present) {
        tci = skb.vlan_tci;
        tpid = ntohs(skb.vlan_proto);
        status |= k.c.TP_STATUS_VLAN_VALID | k.c.TP_STATUS_VLAN_TPID_VALID;
        f.at(
          'vlan',
          { tp_vlan_tci: `0x${tci.toString(16)}`, tp_vlan_tpid: `0x${tpid.toString(16)}` },
          'tag present',
        );
      } else if (sock.type === k.c.SOCK_DGRAM && isVlan(k, skb.protocol)) {
        // vlan_get_tci: the tag the device left in the frame, right after the Ethernet header.
        const at = skb.mac_header + ethernetHeaderLength;
        tci = (skb.head[at] << 8) | skb.head[at + 1];
        tpid = ntohs(skb.protocol);
        status |= k.c.TP_STATUS_VLAN_VALID | k.c.TP_STATUS_VLAN_TPID_VALID;
        f.at(
          'dgramVlan',
          { tp_vlan_tci: `0x${tci.toString(16)}`, tp_vlan_tpid: `0x${tpid.toString(16)}` },
          'tag still in the frame (SOCK_DGRAM)',
        );
      }
      const aux = [
        ...u32(status),
        ...u32(skb.cb.origlen ?? 0),
        ...u32(skb.len),
        ...u16(0),
        ...u16(skbNetworkOffset(skb)),
        ...u16(tci),
        ...u16(tpid),
      ];
      putCmsg(k, msg, k.c.SOL_PACKET, k.c.PACKET_AUXDATA, aux);
      f.at('putAux', {
        tp_status: `0x${status.toString(16)}`,
        tp_len: skb.cb.origlen ?? 0,
        tp_snaplen: skb.len,
        tp_net: skbNetworkOffset(skb),
      });
    }
    const result = flags & k.c.MSG_TRUNC ? skb.len : copied;
    f.at('result', { return: result });
    skb_free_datagram(k, sk, skb);
    return result;
  });
}

registerImplementation('packet_create', packet_create);
registerImplementation('packet_setsockopt', packet_setsockopt);
registerImplementation('packet_bind', packet_bind);
registerImplementation('packet_getsockopt', packet_getsockopt);
registerImplementation('packet_getname', packet_getname);
registerImplementation('packet_release', packet_release);
registerImplementation('packet_recvmsg', packet_recvmsg);
registerImplementation('packet_rcv', packet_rcv);
registerImplementation('packet_rcv_spkt', packet_rcv_spkt);
