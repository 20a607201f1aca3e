// What the system calls of the helper set (server/src/scenario/helpers.ts) do on the models: each is
// made on the model kernel, and a successful one adds to its statement's result what the kernel wrote
// back to the scenario (docs/scenarios.md, "Results"). TypeScript requires one implementation per
// table entry of that kind.
import {
  __sys_bind,
  __sys_connect,
  __sys_getsockname,
  __sys_getsockopt,
  __sys_recvfrom,
  __sys_recvmsg,
  __sys_sendmsg,
  __sys_sendto,
  __sys_setsockopt,
  __sys_socket,
  sock_close,
  sock_write_iter,
  type Kernel,
} from '../models';
import { readU32 } from '../models/user-memory';
import { receiveTimeoutMs, type SystemCallName } from '../scenario/helpers';
import type { SourceAddress, StatementResult } from '../scenario/result';
import { decodeReceive, decodeSource, hex } from './decode-receive';
import { ScenarioStop, type CallContext } from './scenario-values';

/** The call's arguments, converted as each parameter needs. */
export interface SystemCallArguments {
  number(i: number): number;
  /** An address (a string literal is placed in the scenario's memory on each conversion). */
  pointer(i: number): number;
}

export interface SystemCallOutcome {
  /** What the kernel returned: a negative errno on failure. */
  returned: number;
  /** Adds what the kernel wrote back to the scenario; called only when the call succeeded. */
  onSuccess?: (result: StatementResult) => void;
}

type SystemCall = (c: CallContext, a: SystemCallArguments) => SystemCallOutcome;

/** A socklen_t the scenario passed by address, or undefined for a NULL or unreadable pointer. */
function socklen(k: Kernel, address: number): number | undefined {
  const bytes = address ? k.memory.read(address, 4) : undefined;
  return bytes ? readU32(bytes, 0) | 0 : undefined;
}

/** The address the kernel copied to `address`: min(the buffer's length before the call, `length` after it) bytes. */
function addressFields(
  k: Kernel,
  address: number,
  bufferLength: number,
  length: number,
): SourceAddress | undefined {
  const copied = Math.min(bufferLength, length);
  if (!address || copied <= 0) return undefined;
  return decodeSource(k, k.memory.read(address, copied) ?? [], copied);
}

const returned = (value: number): SystemCallOutcome => ({ returned: value });

export const systemCalls: Readonly<Record<SystemCallName, SystemCall>> = {
  socket: ({ k }, { number }) => {
    const fd = __sys_socket(k, number(0), number(1), number(2));
    const sk = fd >= 0 ? k.files.get(fd)?.sk : undefined;
    if (sk) sk.sk_rcvtimeo_ms = receiveTimeoutMs;
    return returned(fd);
  },
  setsockopt: ({ k }, { number, pointer }) =>
    returned(__sys_setsockopt(k, number(0), number(1), number(2), pointer(3), number(4))),
  getsockopt: ({ k }, { number, pointer }) => {
    // The length passed by address, before the call: the size of the buffer the kernel may fill.
    const lengthBefore = socklen(k, pointer(4));
    return {
      returned: __sys_getsockopt(k, number(0), number(1), number(2), pointer(3), pointer(4)),
      onSuccess: (result) => {
        const after = socklen(k, pointer(4));
        if (after === undefined) return;
        result.optlen = after;
        const shown = Math.max(0, Math.min(after, lengthBefore ?? 0));
        result.optval = hex(k.memory.read(pointer(3), shown) ?? []);
      },
    };
  },
  getsockname: ({ k }, { number, pointer }) => {
    const lengthBefore = socklen(k, pointer(2));
    return {
      returned: __sys_getsockname(k, number(0), pointer(1), pointer(2)),
      onSuccess: (result) => {
        const after = socklen(k, pointer(2));
        if (after === undefined) return;
        result.addressLength = after;
        const address = addressFields(k, pointer(1), lengthBefore ?? 0, after);
        if (address) result.address = address;
      },
    };
  },
  bind: ({ k }, { number, pointer }) => returned(__sys_bind(k, number(0), pointer(1), number(2))),
  connect: ({ k }, { number, pointer }) => returned(__sys_connect(k, number(0), pointer(1), number(2))),
  recv: ({ k }, { number, pointer }) => {
    const ret = __sys_recvfrom(k, number(0), pointer(1), number(2), number(3), 0, 0);
    return {
      returned: ret,
      onSuccess: (result) =>
        Object.assign(result, decodeReceive(k, ret, { buffer: pointer(1), length: number(2) })),
    };
  },
  recvfrom: ({ k }, { number, pointer }) => {
    const lengthBefore = socklen(k, pointer(5));
    const ret = __sys_recvfrom(k, number(0), pointer(1), number(2), number(3), pointer(4), pointer(5));
    return {
      returned: ret,
      onSuccess: (result) => {
        Object.assign(result, decodeReceive(k, ret, { buffer: pointer(1), length: number(2) }));
        const after = pointer(4) ? socklen(k, pointer(5)) : undefined;
        if (after === undefined || lengthBefore === undefined) return;
        result.sourceLength = after;
        const source = addressFields(k, pointer(4), lengthBefore, after);
        if (source) result.source = source;
      },
    };
  },
  recvmsg: ({ k, messages }, { number, pointer }) => {
    const ret = __sys_recvmsg(k, number(0), pointer(1), number(2));
    return {
      returned: ret,
      onSuccess: (result) => {
        const message = messages.get(pointer(1));
        if (!message) throw new ScenarioStop('recvmsg needs a message header from knr_msghdr()');
        const buffer = { buffer: message.data, length: message.dataLen };
        Object.assign(result, decodeReceive(k, ret, buffer, message));
      },
    };
  },
  send: ({ k }, { number, pointer }) =>
    returned(__sys_sendto(k, number(0), pointer(1), number(2), number(3), 0, 0)),
  sendto: ({ k }, { number, pointer }) =>
    returned(__sys_sendto(k, number(0), pointer(1), number(2), number(3), pointer(4), number(5))),
  sendmsg: ({ k }, { number, pointer }) => returned(__sys_sendmsg(k, number(0), pointer(1), number(2))),
  write: ({ k }, { number, pointer }) => returned(sock_write_iter(k, number(0), pointer(1), number(2))),
  close: ({ k }, { number }) => returned(sock_close(k, number(0))),
};
