// Models of net/core/filter.c on the receive path: attaching a classic BPF program with
// SO_ATTACH_FILTER and running it on each packet in sk_filter_trim_cap. The program itself runs on
// the classic BPF model (./cbpf, through classic-filter.ts).
import { defineModel } from './model';
import type { Kernel } from './kernel';
import { skbTrim, type SkBuff } from './skbuff';
import type { Sock, SockFilterInsn } from './state';
import { readU16, readU32 } from './user-memory';
import { checkFilter, runFilter } from './classic-filter';

const file = 'net/core/filter.c';

const attachFilter = defineModel('sk_attach_filter', file, {
  get: 'struct bpf_prog *prog = __get_filter(fprog, sk);',
  attach: 'err = __sk_attach_prog(prog, sk);',
});
const trimCap = defineModel('sk_filter_trim_cap', file, {
  filter: 'filter = rcu_dereference(sk->sk_filter);',
  run: 'pkt_len = bpf_prog_run_save_cb(filter->prog, skb);',
  verdict: 'err = pkt_len ? pskb_trim(skb, max(cap, pkt_len)) : -EPERM;',
});

export function sk_attach_filter(k: Kernel, sk: Sock, len: number, filterAddress: number): number {
  return k.fn(attachFilter, { len }, (f) => {
    const bytes = len > 0 ? k.memory.read(filterAddress, len * 8) : [];
    if (!bytes) {
      f.at('get', { len }, 'bad filter address');
      return k.err('EFAULT');
    }
    const program: SockFilterInsn[] = [];
    for (let i = 0; i < len; i++) {
      program.push({
        code: readU16(bytes, i * 8),
        jt: bytes[i * 8 + 2],
        jf: bytes[i * 8 + 3],
        k: readU32(bytes, i * 8 + 4),
      });
    }
    const verdict = checkFilter(program, k.series);
    f.at(
      'get',
      { len },
      verdict.ok ? 'program accepted' : `rejected by ${verdict.rejectedBy}: ${verdict.reason}`,
    );
    if (!verdict.ok) return k.err(verdict.errno);
    sk.sk_filter = verdict.filter;
    f.at('attach');
    return 0;
  });
}

/** sk_filter is sk_filter_trim_cap(sk, skb, 1). Returns 0 or -errno; trims the skb in place. */
export function sk_filter_trim_cap(k: Kernel, sk: Sock, skb: SkBuff, cap: number): number {
  return k.fn(trimCap, { cap }, (f) => {
    const program = sk.sk_filter;
    f.at(
      'filter',
      { 'sk->sk_filter': program ? `${program.instructions.length} instructions` : 'NULL' },
      program ? undefined : 'no filter',
    );
    if (!program) return 0;
    const pktLen = runFilter(program, skb);
    f.at('run', { 'skb->len': skb.len, pkt_len: pktLen });
    if (pktLen === 0) {
      f.at('verdict', { pkt_len: 0 }, 'dropped: -EPERM');
      return k.err('EPERM');
    }
    const keep = Math.max(cap, pktLen);
    const trimmed = keep < skb.len;
    skbTrim(skb, keep);
    f.at('verdict', { pkt_len: pktLen, 'skb->len': skb.len }, trimmed ? 'trimmed' : 'accepted whole');
    return 0;
  });
}
