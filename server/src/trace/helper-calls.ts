// What the knr_ helpers of the helper set (server/src/scenario/helpers.ts) do on the models: choose
// the topology, build frames (server/src/scenario/frames.ts), inject them from the veth peer, and make
// message headers for recvmsg. TypeScript requires one implementation per table entry of that kind.
import {
  ethernetFrame,
  icmpEchoFrame,
  icmpEchoReplyFrame,
  ipv4Frame,
  pushVlanTag,
  setDestination,
  udpFrame,
} from '../scenario/frames';
import { helperConstants, type HelperName } from '../scenario/helpers';
import { typeLayouts } from '../scenario/layouts';
import { setupLoopback, setupVethPair, sysctl_write, veth_xmit } from '../models';
import {
  asFrame,
  asNumber,
  asString,
  int,
  scalarBytes,
  ScenarioStop,
  zeroed,
  type CallContext,
  type Value,
} from './scenario-values';

type HelperCall = (c: CallContext, args: readonly Value[]) => Value;

const frame = (bytes: number[]): Value => ({ kind: 'frame', frame: { bytes } });

/** The bytes of a `type` (a struct of layouts.ts) whose named fields hold `values` and the rest zero. */
function structBytes(type: string, values: Readonly<Record<string, number>>): number[] {
  const layout = typeLayouts[type];
  const bytes = new Array<number>(layout.size).fill(0);
  for (const [field, value] of Object.entries(values)) {
    const place = layout.fields[field];
    bytes.splice(place.offset, place.size, ...scalarBytes(place.size, value));
  }
  return bytes;
}

export const helperCalls: Readonly<Record<HelperName, HelperCall>> = {
  knr_loopback: (c) => {
    setupLoopback(c.k);
    c.veth = false;
    return int(0);
  },
  knr_veth_pair: (c) => {
    setupVethPair(c.k);
    c.veth = true;
    return int(0);
  },
  knr_ethernet: (_c, [ethertype, n]) => frame(ethernetFrame(asNumber(ethertype), asNumber(n))),
  knr_ipv4: (_c, [src, dst, protocol, n]) =>
    frame(ipv4Frame(asString(src), asString(dst), asNumber(protocol), asNumber(n))),
  knr_ipv4_icmp_echo: (_c, [src, dst, n]) => frame(icmpEchoFrame(asString(src), asString(dst), asNumber(n))),
  knr_ipv4_icmp_echo_reply: (_c, [src, dst, n]) =>
    frame(icmpEchoReplyFrame(asString(src), asString(dst), asNumber(n))),
  knr_ipv4_udp: (_c, [src, dst, sport, dport, n]) =>
    frame(udpFrame(asString(src), asString(dst), asNumber(sport), asNumber(dport), asNumber(n))),
  knr_vlan: (_c, [f, tpid, priority, vid]) => {
    const tagged = asFrame(f);
    tagged.bytes = pushVlanTag(tagged.bytes, asNumber(tpid), asNumber(priority), asNumber(vid));
    return f;
  },
  knr_eth_dst: (_c, [f, mac]) => {
    const addressed = asFrame(f);
    addressed.bytes = setDestination(addressed.bytes, asString(mac));
    return f;
  },
  knr_send: (c, [ifname, f]) => {
    const name = asString(ifname);
    if (name !== helperConstants.KNR_IF_PEER)
      throw new ScenarioStop(
        `knr_send transmits on ${String(helperConstants.KNR_IF_PEER)} only, not '${name}'`,
      );
    if (!c.veth) throw new ScenarioStop('knr_send needs the veth topology: call knr_veth_pair() first');
    const sent = asFrame(f);
    const knr0 = c.k.net.devices.find((d) => d.name === helperConstants.KNR_IF_VETH)!;
    veth_xmit(c.k, sent.bytes, knr0);
    return int(sent.bytes.length);
  },
  knr_msghdr: (c, [dataLength, controlLength]) => {
    const dataLen = asNumber(dataLength);
    const controlLen = asNumber(controlLength);
    const memory = c.k.memory;
    const data = memory.allocate(zeroed(dataLen));
    const control = memory.allocate(zeroed(controlLen));
    const nameLength = typeLayouts['struct sockaddr_storage'].size;
    const name = memory.allocate(zeroed(nameLength));
    const iov = memory.allocate(structBytes('struct iovec', { iov_base: data, iov_len: dataLen }));
    const header = memory.allocate(
      structBytes('struct msghdr', {
        msg_name: name,
        msg_namelen: nameLength,
        msg_iov: iov,
        msg_iovlen: 1,
        msg_control: control,
        msg_controllen: controlLen,
      }),
    );
    c.messages.set(header, { header, data, dataLen, control, name });
    return { kind: 'pointer', address: header };
  },
  knr_sysctl: (c, [name, value]) => {
    const err = sysctl_write(c.k, asString(name), asString(value));
    return err < 0 ? { kind: 'int', value: -1, errno: c.k.errnoName(err) } : int(0);
  },
};
