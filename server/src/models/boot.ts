// What the kernel sets up before a scenario runs: the address families, inetsw, inet_protos and the
// IPv4 packet handler, all read from the indexed tree's tables (as packet_init and inet_init register
// them), and the scenario's topology (knr_scenario.h's knr_loopback / knr_veth_pair).
import { Kernel, ModelError } from './kernel';
import type { InetProtosw, NetDevice } from './state';
import type { KernelSeries } from './model';
import { htons } from './skbuff';
import { parseMac } from '../scenario/frames';
import { helperConstants } from '../scenario/helpers';

/** The families and protocols the modelled init functions register, with the file of each table. */
const families = [
  { table: 'packet_family_ops', file: 'net/packet/af_packet.c' },
  { table: 'inet_family_ops', file: 'net/ipv4/af_inet.c' },
];
const inetProtocols: {
  table: string;
  protocol: string;
  runtime?: { series: KernelSeries; table: string; handler: string };
}[] = [
  { table: 'icmp_protocol', protocol: 'IPPROTO_ICMP' },
  // 6.12's inet_init fills net_hotdata.udp_protocol with a compound literal, which the index does not
  // record as a table; the handler is the one that assignment names.
  {
    table: 'udp_protocol',
    protocol: 'IPPROTO_UDP',
    runtime: { series: '6.12', table: 'net_hotdata.udp_protocol', handler: 'udp_rcv' },
  },
  { table: 'tcp_protocol', protocol: 'IPPROTO_TCP' },
];

function tableOrThrow(k: Kernel, name: string, file?: string) {
  const table = k.index.table(name, file);
  if (!table) throw new ModelError(`the index has no table ${name}${file ? ` in ${file}` : ''}`);
  return table;
}

function slotValue(k: Kernel, table: string, field: string, file?: string, element?: number): string {
  const slot = tableOrThrow(k, table, file).slots.find((s) => s.field === field && s.element === element);
  if (!slot)
    throw new ModelError(
      `${table}${element === undefined ? '' : `[${element}]`}.${field} is not set in the indexed tree`,
    );
  return slot.value.replace(/^&/, '');
}

/** sock_register(&packet_family_ops), sock_register(&inet_family_ops), inet_register_protosw, inet_add_protocol, dev_add_pack(&ip_packet_type). */
export function bootKernel(k: Kernel): void {
  for (const { table, file } of families) {
    const family = k.constant(slotValue(k, table, 'family', file));
    k.net_families.set(family, { family, table, file });
  }
  const array = tableOrThrow(k, 'inetsw_array', 'net/ipv4/af_inet.c');
  const elements = new Set(array.slots.map((s) => s.element).filter((e): e is number => e !== undefined));
  for (const element of [...elements].sort((a, b) => a - b)) {
    const value = (field: string) => slotValue(k, 'inetsw_array', field, 'net/ipv4/af_inet.c', element);
    const entry: InetProtosw = {
      type: k.constant(value('type')),
      protocol: k.constant(value('protocol')),
      prot: value('prot'),
      ops: value('ops'),
      file: 'net/ipv4/af_inet.c',
      reuse: array.slots.some(
        (s) => s.field === 'flags' && s.element === element && s.value.includes('INET_PROTOSW_REUSE'),
      ),
    };
    k.inetsw.set(entry.type, [...(k.inetsw.get(entry.type) ?? []), entry]);
  }
  for (const { table, protocol, runtime } of inetProtocols) {
    const number = k.constant(protocol);
    if (k.index.table(table)) {
      k.inet_protos.set(number, {
        protocol: number,
        table,
        handler: slotValue(k, table, 'handler'),
        indexed: true,
      });
    } else if (runtime && k.series === runtime.series) {
      k.inet_protos.set(number, {
        protocol: number,
        table: runtime.table,
        handler: runtime.handler,
        indexed: false,
      });
    }
  }
  k.net.ptype_base.push({
    type: htons(k.c.ETH_P_IP),
    func: slotValue(k, 'ip_packet_type', 'func'),
    installedBy: 'ip_packet_type',
  });
}

function loopback(k: Kernel): NetDevice {
  return {
    name: helperConstants.KNR_IF_LO as string,
    ifindex: helperConstants.KNR_IFINDEX_LO as number,
    type: k.c.ARPHRD_LOOPBACK,
    dev_addr: [0, 0, 0, 0, 0, 0],
    ipv4: [{ address: helperConstants.KNR_ADDR_LO as string, prefix: 8 }],
    has_header: true,
    netdev_ops: 'loopback_ops',
    netdev_ops_file: 'drivers/net/loopback.c',
  };
}

/** knr_loopback(): only lo. */
export function setupLoopback(k: Kernel): void {
  k.net.devices.splice(0, k.net.devices.length, loopback(k));
}

/** knr_veth_pair(): lo and knr0; knr1 is in the peer namespace, outside the model. */
export function setupVethPair(k: Kernel): void {
  setupLoopback(k);
  k.net.devices.push({
    name: helperConstants.KNR_IF_VETH as string,
    ifindex: helperConstants.KNR_IFINDEX_VETH as number,
    type: k.c.ARPHRD_ETHER,
    dev_addr: parseMac(helperConstants.KNR_MAC_VETH as string),
    ipv4: [{ address: helperConstants.KNR_ADDR_VETH as string, prefix: 24 }],
    has_header: true,
    netdev_ops: 'veth_netdev_ops',
    netdev_ops_file: 'drivers/net/veth.c',
  });
}
