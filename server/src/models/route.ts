// A coarse IPv4 routing table derived from the devices' addresses: what fib lookups answer on the
// scenario topologies (local addresses, connected subnets, no default route, forwarding off).
import type { Kernel } from './kernel';
import type { NetDevice } from './state';

export type AddressType = 'RTN_LOCAL' | 'RTN_BROADCAST' | 'RTN_MULTICAST' | 'RTN_UNICAST' | 'RTN_UNREACHABLE';

export const ipv4ToNumber = (address: string): number =>
  address.split('.').reduce((value, part) => value * 256 + Number(part), 0);

/** The dotted IPv4 address in the four bytes at `offset`. */
export const ipv4At = (bytes: readonly number[], offset: number): string =>
  bytes.slice(offset, offset + 4).join('.');

/** The four bytes of a dotted IPv4 address, in network order. */
export const ipv4Bytes = (address: string): number[] => address.split('.').map(Number);

const mask = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** inet_addr_type_table: what kind of address `address` is in this namespace. */
export function addressType(k: Kernel, address: string): AddressType {
  const value = ipv4ToNumber(address);
  if (value >>> 28 === 0xe) return 'RTN_MULTICAST';
  if (value === 0xffffffff) return 'RTN_BROADCAST';
  for (const dev of k.net.devices) {
    for (const a of dev.ipv4) {
      const m = mask(a.prefix);
      if (dev.type === k.c.ARPHRD_LOOPBACK && (value & m) === (ipv4ToNumber(a.address) & m))
        return 'RTN_LOCAL';
      if (value === ipv4ToNumber(a.address)) return 'RTN_LOCAL';
      if (a.prefix < 31 && value === ((ipv4ToNumber(a.address) & m) | (~m >>> 0)) >>> 0)
        return 'RTN_BROADCAST';
    }
  }
  return route(k, address) ? 'RTN_UNICAST' : 'RTN_UNREACHABLE';
}

/** The output route to `address`: the device and the source address, or undefined (ENETUNREACH). */
export function route(k: Kernel, address: string): { dev: NetDevice; saddr: string } | undefined {
  const value = ipv4ToNumber(address);
  for (const dev of k.net.devices) {
    for (const a of dev.ipv4) {
      const m = mask(a.prefix);
      if ((value & m) === (ipv4ToNumber(a.address) & m))
        return { dev, saddr: dev.type === k.c.ARPHRD_LOOPBACK ? address : a.address };
    }
  }
  return undefined;
}

/**
 * The output route ip_route_output_flow finds for a unicast destination on the scenario topologies:
 * a local address leaves through lo with its local route's source (127.0.0.5 -> 127.0.0.1), a
 * connected subnet through its device; undefined when no route matches (-ENETUNREACH).
 */
export function outputRoute(k: Kernel, daddr: string): { dev: NetDevice; saddr: string } | undefined {
  const value = ipv4ToNumber(daddr);
  const lo = k.net.devices.find((d) => d.type === k.c.ARPHRD_LOOPBACK);
  for (const dev of k.net.devices) {
    for (const a of dev.ipv4) {
      const local =
        value === ipv4ToNumber(a.address) ||
        (dev.type === k.c.ARPHRD_LOOPBACK &&
          (value & mask(a.prefix)) === (ipv4ToNumber(a.address) & mask(a.prefix)));
      if (local && lo) return { dev: lo, saddr: a.address };
    }
  }
  return route(k, daddr);
}
