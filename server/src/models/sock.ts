// Models of net/core/sock.c and its header: socket options of SOL_SOCKET and the generic receive
// queue (the filter, then the buffer accounting, then the queue).
import { defineModel } from './model';
import { NotModelled, type Kernel } from './kernel';
import type { SkBuff } from './skbuff';
import type { Sock, Socket } from './state';
import { readU16, readU32, readU64, u32 } from './user-memory';
import { putOption, readOptlen } from './socket';
import { sk_attach_filter, sk_filter_trim_cap } from './filter';

const file = 'net/core/sock.c';

const sockSetsockopt = defineModel('sock_setsockopt', file, {
  sk: 'return sk_setsockopt(sock->sk, level, optname, optval, optlen);',
});
const skSetsockopt = defineModel('sk_setsockopt', file, {
  bindToDevice: 'return sock_setbindtodevice(sk, optval, optlen);',
  optlenInt: 'if (optlen < sizeof(int))',
  attachFilter: 'case SO_ATTACH_FILTER: {',
  copyFprog: 'ret = copy_bpf_fprog_from_user(&fprog, optval, optlen);',
  detachFilter: 'case SO_DETACH_FILTER:',
  bindToIndex: 'ret = sock_bindtoindex_locked(sk, val);',
});
const sockGetsockopt = defineModel(
  'sock_getsockopt',
  file,
  { sk: 'return sk_getsockopt(sock->sk, level, optname,' },
  { only: ['6.1'] },
);
const skGetsockopt = defineModel('sk_getsockopt', file, {
  len: 'if (copy_from_sockptr(&len, optlen, sizeof(int)))',
  negative: 'if (len < 0)',
  rcvbuf: 'v.val = READ_ONCE(sk->sk_rcvbuf);',
  type: 'v.val = sk->sk_type;',
  protocol: 'v.val = sk->sk_protocol;',
  domain: 'v.val = sk->sk_family;',
  clamp: 'if (len > lv)',
  copy: 'if (copy_to_sockptr(optval, &v, len))',
});
const sockQueueRcvSkb = defineModel('sock_queue_rcv_skb', 'include/net/sock.h', {
  reason: 'return sock_queue_rcv_skb_reason(sk, skb, NULL);',
});
const sockQueueRcvSkbReason = defineModel('sock_queue_rcv_skb_reason', file, {
  filter: 'err = sk_filter(sk, skb);',
  filterDrop: 'drop_reason = SKB_DROP_REASON_SOCKET_FILTER;',
  queue: 'err = __sock_queue_rcv_skb(sk, skb);',
});
const sockQueueRcvSkbInner = defineModel('__sock_queue_rcv_skb', file, {
  rcvbufFull: 'if (atomic_read(&sk->sk_rmem_alloc) >= READ_ONCE(sk->sk_rcvbuf)) {',
  owner: 'skb_set_owner_r(skb, sk);',
  enqueue: '__skb_queue_tail(list, skb);',
});

export function sock_setsockopt(
  k: Kernel,
  sock: Socket,
  optname: number,
  optval: number,
  optlen: number,
): number {
  return k.fn(sockSetsockopt, { optname }, (f) => {
    f.at('sk');
    const sk = sock.sk;
    if (!sk) return k.err('EINVAL');
    return sk_setsockopt(k, sk, optname, optval, optlen);
  });
}

function sk_setsockopt(k: Kernel, sk: Sock, optname: number, optval: number, optlen: number): number {
  return k.fn(skSetsockopt, { optname, optlen }, (f) => {
    if (optname === k.c.SO_BINDTODEVICE) {
      const bytes = k.memory.read(optval, Math.min(optlen, 16));
      if (!bytes) return k.err('EFAULT');
      const name = String.fromCharCode(...bytes).replace(/\0.*$/s, '');
      const dev = k.net.devices.find((d) => d.name === name);
      f.at(
        'bindToDevice',
        { name, ifindex: dev?.ifindex ?? 0 },
        name === '' ? 'unbind' : dev ? undefined : 'no such device',
      );
      if (name === '') {
        sk.sk_bound_dev_if = 0;
        return 0;
      }
      if (!dev) return k.err('ENODEV');
      sk.sk_bound_dev_if = dev.ifindex;
      return 0;
    }
    if (optlen < 4) {
      f.at('optlenInt', { optlen }, 'too short');
      return k.err('EINVAL');
    }
    if (optname === k.c.SO_ATTACH_FILTER) {
      f.at('attachFilter');
      // copy_bpf_fprog_from_user: struct sock_fprog is { unsigned short len; struct sock_filter *filter; }.
      const fprog = optlen >= 16 ? k.memory.read(optval, 16) : undefined;
      f.at('copyFprog', { optlen }, fprog ? undefined : 'bad length or address');
      if (optlen < 16) return k.err('EINVAL');
      if (!fprog) return k.err('EFAULT');
      return sk_attach_filter(k, sk, readU16(fprog, 0), readU64(fprog, 8));
    }
    if (optname === k.c.SO_DETACH_FILTER) {
      f.at('detachFilter', {}, sk.sk_filter ? 'detached' : 'no filter');
      if (!sk.sk_filter) return k.err('ENOENT');
      sk.sk_filter = undefined;
      return 0;
    }
    const value = k.memory.read(optval, 4);
    if (!value) return k.err('EFAULT');
    if (optname === k.c.SO_BINDTOIFINDEX) {
      // sock_bindtoindex_locked: any index not below 0 is taken as it is (no device lookup); root has CAP_NET_RAW.
      const ifindex = readU32(value, 0) | 0;
      f.at('bindToIndex', { ifindex }, ifindex < 0 ? 'negative index' : undefined);
      if (ifindex < 0) return k.err('EINVAL');
      sk.sk_bound_dev_if = ifindex;
      return 0;
    }
    if (optname === k.c.SO_RCVBUF) {
      // sk_setsockopt doubles the request and applies the floor SOCK_MIN_RCVBUF; the cap is net.core.rmem_max.
      const requested = Math.min(readU32(value, 0) | 0, rmemMax);
      sk.sk_rcvbuf = Math.max(requested * 2, socketMinRcvbuf);
      return 0;
    }
    throw new NotModelled(
      `setsockopt(SOL_SOCKET, ${optname}): only SO_BINDTODEVICE, SO_BINDTOIFINDEX, SO_ATTACH_FILTER, SO_DETACH_FILTER and SO_RCVBUF are`,
    );
  });
}

export function sock_getsockopt(
  k: Kernel,
  sock: Socket,
  optname: number,
  optval: number,
  optlen: number,
): number {
  return k.fn(sockGetsockopt, { optname }, (f) => {
    f.at('sk');
    return sk_getsockopt(k, sock.sk!, optname, optval, optlen);
  });
}

/** The SOL_SOCKET options read back as an int: the anchor and the field each reads. */
const intOptions: readonly { option: string; anchor: string; read: (sk: Sock) => number }[] = [
  { option: 'SO_RCVBUF', anchor: 'rcvbuf', read: (sk) => sk.sk_rcvbuf },
  { option: 'SO_TYPE', anchor: 'type', read: (sk) => sk.sk_type },
  { option: 'SO_PROTOCOL', anchor: 'protocol', read: (sk) => sk.sk_protocol },
  { option: 'SO_DOMAIN', anchor: 'domain', read: (sk) => sk.sk_family },
];

export function sk_getsockopt(k: Kernel, sk: Sock, optname: number, optval: number, optlen: number): number {
  return k.fn(skGetsockopt, { optname }, (f) => {
    const len = readOptlen(k, optlen);
    f.at('len', typeof len === 'number' ? { len } : {}, typeof len === 'number' ? undefined : '-EFAULT');
    if (typeof len !== 'number') return len.err;
    if (len < 0) {
      f.at('negative', { len }, '-EINVAL');
      return k.err('EINVAL');
    }
    const option = intOptions.find((o) => k.lookupConstant(o.option) === optname);
    if (!option)
      throw new NotModelled(
        `getsockopt(SOL_SOCKET, ${optname}): only ${intOptions.map((o) => o.option).join(', ')} are`,
      );
    const val = option.read(sk);
    f.at(option.anchor, { 'v.val': val });
    f.at('clamp', { len, lv: 4 });
    f.at('copy', { len: Math.min(len, 4) });
    return putOption(k, optval, optlen, len, u32(val >>> 0));
  });
}

/** net.core.rmem_max and rmem_default on a fresh namespace; SOCK_MIN_RCVBUF for x86-64. */
/** inet_sk(): the inet part of a socket of the inet family. */
export function inet_sk(sk: Sock): NonNullable<Sock['inet']> {
  if (!sk.inet) throw new Error('not an inet socket');
  return sk.inet;
}

export const rmemMax = 212992;
export const rmemDefault = 212992;
const socketMinRcvbuf = 2304;

export function sock_queue_rcv_skb(k: Kernel, sk: Sock, skb: SkBuff): number {
  return k.fn(sockQueueRcvSkb, {}, (f) => {
    f.at('reason');
    return sock_queue_rcv_skb_reason(k, sk, skb);
  });
}

/** The drop reason sock_queue_rcv_skb_reason gives a failed queueing, as the name `enum skb_drop_reason` has. */
export interface DropReasonOut {
  reason?: string;
}

export function sock_queue_rcv_skb_reason(k: Kernel, sk: Sock, skb: SkBuff, out: DropReasonOut = {}): number {
  return k.fn(sockQueueRcvSkbReason, {}, (f) => {
    f.at('filter', {
      'sk->sk_filter': sk.sk_filter ? `${sk.sk_filter.instructions.length} instructions` : 'NULL',
    });
    const err = sk_filter_trim_cap(k, sk, skb, 1);
    if (err) {
      f.at('filterDrop', { err: k.errnoName(err) }, 'dropped by the socket filter');
      out.reason = 'SOCKET_FILTER';
      return err;
    }
    f.at('queue');
    const queued = __sock_queue_rcv_skb(k, sk, skb);
    if (queued === k.err('ENOMEM')) out.reason = 'SOCKET_RCVBUFF';
    return queued;
  });
}

export function __sock_queue_rcv_skb(k: Kernel, sk: Sock, skb: SkBuff): number {
  return k.fn(sockQueueRcvSkbInner, {}, (f) => {
    if (sk.sk_rmem_alloc >= sk.sk_rcvbuf) {
      f.at('rcvbufFull', { sk_rmem_alloc: sk.sk_rmem_alloc, sk_rcvbuf: sk.sk_rcvbuf }, 'receive buffer full');
      sk.sk_drops++;
      return k.err('ENOMEM');
    }
    skb.dev = undefined;
    skb.sk = sk;
    sk.sk_rmem_alloc += skb.truesize;
    f.at('owner', { truesize: skb.truesize, sk_rmem_alloc: sk.sk_rmem_alloc });
    sk.sk_receive_queue.push(skb);
    f.queue('enqueue', skb, sk, { 'queue length': sk.sk_receive_queue.length, len: skb.len });
    return 0;
  });
}
