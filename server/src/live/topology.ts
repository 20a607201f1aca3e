// The network a scenario asks for (knr_scenario.h), built in fresh namespaces: the scenario's own
// namespace with lo, and for a veth pair knr0 there plus its peer knr1 in a second namespace, from
// which frames are injected. Fixed ifindexes, MAC addresses, permanent neighbours (no ARP) and IPv6
// off make every run see the same devices and no unsolicited frame.
import { helperConstants, peerIfindex } from '../scenario/helpers';
import type { LiveTopology } from './instrument';
import { createNamespace, type LiveNamespace } from './namespaces';
import { runCommand } from './system';

export interface LiveNetwork {
  scenario: LiveNamespace;
  peer?: LiveNamespace;
  /** Deletes every namespace of the network (and with them the veth pair). */
  delete(): void;
}

const prefixLength = 24;

function constant(name: string): string {
  return String(helperConstants[name]);
}

export function buildNetwork(topology: LiveTopology): LiveNetwork {
  const scenario = createNamespace();
  let peer: LiveNamespace | undefined;
  const network: LiveNetwork = {
    scenario,
    delete() {
      peer?.delete();
      scenario.delete();
    },
  };
  try {
    if (topology === 'veth-pair') {
      peer = createNamespace();
      network.peer = peer;
      addVethPair(scenario.name, peer.name);
    }
  } catch (error) {
    network.delete();
    throw error;
  }
  return network;
}

function addVethPair(scenarioNs: string, peerNs: string): void {
  const veth = constant('KNR_IF_VETH');
  const peer = constant('KNR_IF_PEER');
  runCommand([
    'ip',
    '-n',
    scenarioNs,
    'link',
    'add',
    veth,
    'index',
    constant('KNR_IFINDEX_VETH'),
    'address',
    constant('KNR_MAC_VETH'),
    'type',
    'veth',
    'peer',
    'name',
    peer,
    'index',
    String(peerIfindex),
    'address',
    constant('KNR_MAC_PEER'),
    'netns',
    peerNs,
  ]);
  const ends = [
    { ns: scenarioNs, dev: veth, address: constant('KNR_ADDR_VETH'), other: 'PEER' },
    { ns: peerNs, dev: peer, address: constant('KNR_ADDR_PEER'), other: 'VETH' },
  ];
  for (const end of ends) {
    runCommand(['ip', '-n', end.ns, 'addr', 'add', `${end.address}/${prefixLength}`, 'dev', end.dev]);
    runCommand(['ip', '-n', end.ns, 'link', 'set', end.dev, 'up']);
    runCommand([
      'ip',
      '-n',
      end.ns,
      'neigh',
      'replace',
      constant(`KNR_ADDR_${end.other}`),
      'lladdr',
      constant(`KNR_MAC_${end.other}`),
      'dev',
      end.dev,
      'nud',
      'permanent',
    ]);
  }
}
