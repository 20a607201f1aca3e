// What a classic filter can see besides the packet bytes: the sk_buff fields the ancillary loads
// read, and where the network and link-layer headers sit relative to skb->data.

export interface FilterDevice {
  /** skb->dev->ifindex. */
  readonly ifindex: number;
  /** skb->dev->type, the ARPHRD_* hardware type (ARPHRD_ETHER = 1, ARPHRD_LOOPBACK = 772). */
  readonly hatype: number;
}

export interface FilterVlanTag {
  /** skb->vlan_tci: the tag the device or the stack took off the packet. */
  readonly tci: number;
  /** skb->vlan_proto in host order (ETH_P_8021Q = 0x8100, ETH_P_8021AD = 0x88a8). */
  readonly tpid: number;
}

export interface FilterContext {
  /** skb->protocol in host order (ETH_P_IP = 0x0800). */
  readonly protocol: number;
  /** skb->pkt_type (PACKET_HOST = 0, PACKET_BROADCAST = 1, ..., PACKET_OUTGOING = 4). */
  readonly pktType: number;
  /** skb->dev; null makes ifindex and hatype loads end the program, returning A. */
  readonly device: FilterDevice | null;
  /** skb_network_offset: the network header relative to skb->data (0 for a raw IPv4 socket). */
  readonly networkOffset: number;
  /** skb_mac_offset, relative to skb->data (negative when the MAC header is in front of data); absent when no MAC header was set. */
  readonly linkOffset?: number;
  /** The bytes just before skb->data, e.g. the Ethernet header in front of a raw socket's IP header. */
  readonly headroom?: Uint8Array;
  /** An offloaded VLAN tag (skb_vlan_tag_present); absent when there is none. */
  readonly vlan?: FilterVlanTag;
  /** skb->mark. */
  readonly mark?: number;
  /** skb->queue_mapping. */
  readonly queueMapping?: number;
  /** skb->hash as stored in the skb (the load does not compute one). */
  readonly hash?: number;
  /** The CPU the filter runs on. */
  readonly cpu?: number;
  /** Source of bpf_user_rnd_u32's values; the default is a fixed-seed generator, so runs repeat. */
  readonly random?: () => number;
}

/** ETH_P_IP, ARPHRD_ETHER and PACKET_HOST: a packet received from an Ethernet device. */
export const ETH_P_IP = 0x0800;
export const ARPHRD_ETHER = 1;
export const PACKET_HOST = 0;

/** The context of a frame received on an Ethernet device by a packet socket (data at the MAC header). */
export function packetSocketContext(frame: Uint8Array, ifindex = 1): FilterContext {
  const etherType = frame.length >= 14 ? (frame[12] << 8) | frame[13] : 0;
  return {
    protocol: etherType,
    pktType: PACKET_HOST,
    device: { ifindex, hatype: ARPHRD_ETHER },
    networkOffset: 14,
    linkOffset: 0,
  };
}

/**
 * The context of an IPv4 packet delivered to a raw socket: data at the IP header, the link-layer
 * header (when given) just before it.
 */
export function rawIpv4SocketContext(linkHeader: Uint8Array = new Uint8Array(0), ifindex = 1): FilterContext {
  return {
    protocol: ETH_P_IP,
    pktType: PACKET_HOST,
    device: { ifindex, hatype: ARPHRD_ETHER },
    networkOffset: 0,
    linkOffset: linkHeader.length > 0 ? -linkHeader.length : undefined,
    headroom: linkHeader,
  };
}
