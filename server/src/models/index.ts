// The models' public face: a booted model kernel and the system calls a scenario makes. Importing
// this module registers every model (the area modules register their functions as they load).
import './af-packet';
import './af-inet';
import './raw';
import './ping';
import './ip-input';
import './icmp';
import './loopback';
import './packet-send';
import './udp';
import './transport-sockets';
import { Kernel, type ModelIndex } from './kernel';
import { bootKernel, setupLoopback } from './boot';

export { Kernel, ModelError, NotModelled, kernelSeries, type ModelIndex } from './kernel';
export {
  allModelDefinitions,
  modelDefinition,
  type ModelDefinition,
  type AnchorSpec,
  type KernelSeries,
  type EndLocationDeclaration,
} from './model';
export type { ModelEvent, EventValue, OpsHop, PacketEnd, EndDeclaration, ExpectedKernelEnd } from './events';
export {
  laterKernelChanges,
  releaseHasChange,
  releaseVersion,
  type LaterKernelChange,
} from './later-kernels';
export { dropReasonValue } from './events';
export { setupLoopback, setupVethPair } from './boot';
export {
  __sys_socket,
  __sys_setsockopt,
  __sys_getsockopt,
  __sys_getsockname,
  __sys_bind,
  __sys_connect,
  __sys_recvfrom,
  __sys_recvmsg,
  __sys_sendto,
  __sys_sendmsg,
  sock_write_iter,
  sock_close,
} from './socket';
export { veth_xmit } from './dev';
export { sysctl_write } from './sysctl';

/** A model kernel for the indexed tree, booted, with the default (loopback) topology. */
export function createModelKernel(index: ModelIndex): Kernel {
  const kernel = new Kernel(index);
  bootKernel(kernel);
  setupLoopback(kernel);
  return kernel;
}
