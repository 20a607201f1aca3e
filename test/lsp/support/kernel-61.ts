// Places in the real 6.1 tree that the tests and the benchmark ask about, found by searching the
// tree's own text (never hand-counted), and the index cache they share so the tree is indexed once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheFolder } from '../../../server/src/index/persist';
import { kernelTree } from '../../support/prerequisites';
import { positionOf, type Position } from './markers';

export const tree61 = kernelTree('6.1');

/** The persisted index of the real trees: KNR_CACHE, else the default cache folder. */
export function sharedCache(): string {
  return defaultCacheFolder();
}

export interface Places61 {
  socketC: string;
  packetC: string;
  /** `recvmsg` in `INDIRECT_CALL_INET(sock->ops->recvmsg, ...)` in sock_recvmsg_nosec. */
  indirectRecvmsg: Position;
  /** The name in packet_recvmsg's definition. */
  packetRecvmsg: Position;
  /** `packet_recvmsg` as the value of `.recvmsg =` in packet_ops. */
  packetOpsSlotValue: Position;
  /** The name of the recvmsg field in struct proto_ops. */
  protoOpsRecvmsgField: Position;
  /** The name in sock_recvmsg_nosec's definition. */
  sockRecvmsgNosec: Position;
}

export function places61(root: string): Places61 {
  const socketC = readFileSync(join(root, 'net/socket.c'), 'utf8');
  const packetC = readFileSync(join(root, 'net/packet/af_packet.c'), 'utf8');
  const netH = readFileSync(join(root, 'include/linux/net.h'), 'utf8');
  const callText = 'sock->ops->recvmsg';
  return {
    socketC,
    packetC,
    indirectRecvmsg: positionOf(socketC, callText, {
      after: 'static inline int sock_recvmsg_nosec(',
      offset: callText.indexOf('recvmsg'),
    }),
    packetRecvmsg: positionOf(packetC, 'packet_recvmsg', { after: 'static int packet_recvmsg(' }),
    packetOpsSlotValue: positionOf(packetC, 'packet_recvmsg', {
      after: 'const struct proto_ops packet_ops = {',
    }),
    protoOpsRecvmsgField: positionOf(netH, 'recvmsg)', { after: 'struct proto_ops {' }),
    sockRecvmsgNosec: positionOf(socketC, 'sock_recvmsg_nosec', { after: 'static inline int ' }),
  };
}
