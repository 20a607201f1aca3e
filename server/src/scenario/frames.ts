// The frame builders of knr_scenario.h: Ethernet, VLAN tags, IPv4 with ICMP echo, UDP or any
// protocol. Byte-exact, so the models and the live kernel see the same frames.
import { echoIdentifier, echoSequence, helperConstants } from './helpers';

export class FrameError extends Error {}

export function parseMac(text: string): number[] {
  const parts = text.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) {
    throw new FrameError(`'${text}' is not a MAC address (six hex bytes separated by ':')`);
  }
  return parts.map((p) => parseInt(p, 16));
}

export function parseIpv4(text: string): number[] {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new FrameError(`'${text}' is not a dotted-quad IPv4 address`);
  }
  return parts.map(Number);
}

/** The largest payload a frame builder accepts: an IPv4 packet's 16-bit total length bounds any frame. */
export const maxPayloadLength = 65535;

export function payload(length: number): number[] {
  // A huge length would build a frame of gigabytes (and hang the run); a negative one is 4 GB in C.
  if (!Number.isInteger(length) || length < 0 || length > maxPayloadLength) {
    throw new FrameError(`a payload length of ${length} is out of range (0 to ${maxPayloadLength})`);
  }
  return Array.from({ length }, (_, i) => i % 256);
}

/** The Internet checksum (RFC 1071) of `bytes`. */
export function internetChecksum(bytes: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const be16 = (value: number): number[] => [(value >>> 8) & 0xff, value & 0xff];

function ethernetHeader(ethertype: number): number[] {
  return [
    ...parseMac(helperConstants.KNR_MAC_VETH as string),
    ...parseMac(helperConstants.KNR_MAC_PEER as string),
    ...be16(ethertype),
  ];
}

export const ethertypeIpv4 = 0x0800;

export function ethernetFrame(ethertype: number, payloadLength: number): number[] {
  return [...ethernetHeader(ethertype), ...payload(payloadLength)];
}

function ipv4Packet(
  src: string,
  dst: string,
  protocol: number,
  body: number[],
  checksumBody?: (h: number[]) => void,
): number[] {
  const header = [
    0x45,
    0,
    ...be16(20 + body.length),
    ...be16(1),
    0x40,
    0,
    64,
    protocol & 0xff,
    0,
    0,
    ...parseIpv4(src),
    ...parseIpv4(dst),
  ];
  const checksum = internetChecksum(header);
  header[10] = checksum >>> 8;
  header[11] = checksum & 0xff;
  checksumBody?.(header);
  return [...ethernetHeader(ethertypeIpv4), ...header, ...body];
}

export function ipv4Frame(src: string, dst: string, protocol: number, payloadLength: number): number[] {
  return ipv4Packet(src, dst, protocol, payload(payloadLength));
}

export function icmpEchoFrame(src: string, dst: string, payloadLength: number): number[] {
  return icmpEchoMessageFrame(8, src, dst, payloadLength);
}

/** An echo reply of the same identifier and sequence, as a peer answering a ping would send it. */
export function icmpEchoReplyFrame(src: string, dst: string, payloadLength: number): number[] {
  return icmpEchoMessageFrame(0, src, dst, payloadLength);
}

function icmpEchoMessageFrame(type: number, src: string, dst: string, payloadLength: number): number[] {
  const icmp = [type, 0, 0, 0, ...be16(echoIdentifier), ...be16(echoSequence), ...payload(payloadLength)];
  const checksum = internetChecksum(icmp);
  icmp[2] = checksum >>> 8;
  icmp[3] = checksum & 0xff;
  return ipv4Packet(src, dst, 1, icmp);
}

export function udpFrame(
  src: string,
  dst: string,
  sport: number,
  dport: number,
  payloadLength: number,
): number[] {
  const udp = [...be16(sport), ...be16(dport), ...be16(8 + payloadLength), 0, 0, ...payload(payloadLength)];
  const pseudo = [...parseIpv4(src), ...parseIpv4(dst), 0, 17, ...be16(udp.length), ...udp];
  const checksum = internetChecksum(pseudo) || 0xffff;
  udp[6] = checksum >>> 8;
  udp[7] = checksum & 0xff;
  return ipv4Packet(src, dst, 17, udp);
}

/** Inserts a tag after the MAC addresses, so it becomes the outer tag. */
export function pushVlanTag(frame: number[], tpid: number, priority: number, vid: number): number[] {
  if (priority > 7 || vid > 0xfff)
    throw new FrameError(`VLAN priority ${priority} / id ${vid} out of range (0-7 / 0-4095)`);
  return [...frame.slice(0, 12), ...be16(tpid), ...be16((priority << 13) | vid), ...frame.slice(12)];
}

export function setDestination(frame: number[], mac: string): number[] {
  return [...parseMac(mac), ...frame.slice(6)];
}
