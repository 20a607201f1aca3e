// Models of the per-namespace sysctls a scenario may set (scenario/sysctls.ts): the proc handler of
// each, which parses the written text and stores the value in the namespace's state.
import { defineModel } from './model';
import { Kernel, ModelError, NotModelled } from './kernel';

const pingGroupRange = defineModel('ipv4_ping_group_range', 'net/ipv4/sysctl_net_ipv4.c', {
  read: 'inet_get_ping_group_range_table(table, &low, &high);',
  parse: 'ret = proc_doulongvec_minmax(&tmp, write, buffer, lenp, ppos);',
  empty: 'if (urange[1] < urange[0] || gid_lt(high, low)) {',
  set: 'set_ping_group_range(table, low, high);',
});

/** GID_T_MAX, the bound ip_ping_group_range_max gives proc_doulongvec_minmax: ((gid_t)~0U) - 1. */
const gidMax = 2 ** 32 - 2;

/** net.ipv4.ping_group_range: two group ids; a range whose end is below its start becomes "1 0". */
function ipv4_ping_group_range(k: Kernel, value: string): number {
  return k.fn(pingGroupRange, { value }, (f) => {
    const range = k.net.ping_group_range;
    f.at('read', { low: range.low, high: range.high });
    // proc_doulongvec_minmax's parsing has more cases (one value, a sign, trailing text) than scenarios need.
    const match = /^[ \t\n]*(-?)(\d+)[ \t\n]+(-?)(\d+)[ \t\n]*$/.exec(value);
    if (!match)
      throw new NotModelled(`proc_doulongvec_minmax parsing '${value}' (two decimal group ids are modelled)`);
    const [low, high] = [Number(match[2]), Number(match[4])];
    if (match[1] || match[3] || low > gidMax || high > gidMax) {
      f.at(
        'parse',
        { low: `${match[1]}${low}`, high: `${match[3]}${high}` },
        'negative or past GID_T_MAX: -EINVAL',
      );
      return k.err('EINVAL');
    }
    f.at('parse', { low, high });
    if (high < low) {
      f.at('empty', {}, 'the end is below the start: stored as 1 0, no group');
      k.net.ping_group_range = { low: 1, high: 0 };
    } else k.net.ping_group_range = { low, high };
    f.at('set', { low: k.net.ping_group_range.low, high: k.net.ping_group_range.high });
    return 0;
  });
}

const handlers: Readonly<Record<string, (k: Kernel, value: string) => number>> = {
  'net.ipv4.ping_group_range': ipv4_ping_group_range,
};

/** A write of `value` to the namespace's /proc/sys/<name>: 0, or -errno when the handler refuses it. */
export function sysctl_write(k: Kernel, name: string, value: string): number {
  const handler = handlers[name];
  if (!handler) throw new ModelError(`the models have no handler for the sysctl ${name}`);
  return handler(k, value);
}
