// The model kernel: the state of one network namespace and its process, the constants of the indexed
// tree, the ops tables read from the index, and the event log that a trace is made of. Model
// functions (one per kernel function, in the area modules) take it as their first argument.
// Long because what a run records, its events and each packet's end, is written through one frame.
import { PerGeneration } from '../index/derived-cache';
import type { IndexQueries } from '../index/queries';
import {
  dropReasonValue,
  type EndDeclaration,
  type EventValue,
  type ModelEvent,
  type OpsHop,
  type PacketEnd,
} from './events';
import type { KernelSeries, ModelDefinition } from './model';
import type { SkBuff, SkbIdentity } from './skbuff';
import type { InetProtosw, Net, NetProtocol, NetProtoFamily, Sock, Socket } from './state';
import { UserMemory } from './user-memory';

/** A problem with the model itself or with what it needs from the index; not a kernel error code. */
export class ModelError extends Error {}

/**
 * What the kernel does here is outside the models: the run stops and says so, rather than answer with
 * a value or an errno the kernel might not give.
 */
export class NotModelled extends ModelError {
  constructor(what: string) {
    super(`not modelled: ${what}`);
  }
}

/** The parts of the index the models use. */
export type ModelIndex = Pick<
  IndexQueries,
  'version' | 'generation' | 'evaluateConstant' | 'macroValue' | 'table' | 'implementations' | 'definitions'
>;

export function kernelSeries(version: string): KernelSeries {
  const [major, minor] = version.split('.').map(Number);
  if (!Number.isFinite(major) || !Number.isFinite(minor))
    throw new ModelError(`unreadable kernel version '${version}'`);
  return major > 6 || (major === 6 && minor >= 12) ? '6.12' : '6.1';
}

/** The handle a model function gets for its own steps. */
export interface ModelFrame {
  /** Records a step at one of the model's anchors. */
  at(anchor: string, values?: Record<string, EventValue>, branch?: string): void;
  /** Looks up `table.field` through the index, records the hop at `anchor`, returns the function. */
  hop(anchor: string, struct: string, table: string, field: string, fromFile?: string): string;
  /** Records a call through a pointer the running kernel set (`pt_prev->func`), naming who installed it. */
  boundHop(anchor: string, hop: OpsHop): void;
  /**
   * kfree_skb_reason at `anchor`: drops a reference to `skb`; the last one frees it with `reason` (a
   * name of the tree's `enum skb_drop_reason` without `SKB_DROP_REASON_`). `declared`: where the
   * kernel reports this end otherwise, when this is the last reference (see EndDeclaration).
   */
  free(anchor: string, skb: SkBuff, reason: string, declared?: EndDeclaration): void;
  /** consume_skb at `anchor`: drops a reference to `skb`; the last one ends it as consumed. */
  consume(anchor: string, skb: SkBuff, declared?: EndDeclaration): void;
  /** Queues `skb` to `sk`'s receive queue at `anchor` (the reference moves to the queue). */
  queue(anchor: string, skb: SkBuff, sk: Sock, values?: Record<string, EventValue>): void;
}

export type Implementation = (...args: never[]) => unknown;

/**
 * A queue sk_destruct frees after an RCU grace period (SOCK_RCU_FREE): inet_sock_destruct's
 * __skb_queue_purge frees each skb (QUEUE_PURGE from 6.12, kfree_skb before), sometimes within the
 * run, mostly after the program has exited and the trace has ended.
 */
function rcuFreedQueue(k: Kernel): EndDeclaration {
  return {
    kernel: [
      {
        how: 'freed',
        function: 'inet_sock_destruct',
        reason: k.since('6.12') ? 'QUEUE_PURGE' : 'NOT_SPECIFIED',
      },
    ],
    afterGracePeriod: true,
    why:
      'queued and never read; the socket has SOCK_RCU_FREE, so inet_sock_destruct frees its queue after an ' +
      'RCU grace period, when the run may be over',
  };
}

/**
 * The declaration of an skb's last end: the one made at its line, followed by the ends a later kernel
 * reports for it elsewhere (SkbIdentity.laterEnds); the model's own end stays first when only those
 * are declared. Both must name the same change.
 */
function withLaterEnds(
  declared: EndDeclaration | undefined,
  later: SkbIdentity['laterEnds'],
): EndDeclaration | undefined {
  if (!later) return declared;
  if (declared && declared.change !== later.change)
    throw new ModelError('an skb end declared for two different kernel changes');
  return {
    change: later.change,
    kernel: [...(declared?.kernel ?? []), ...later.ends],
    why: declared ? `${declared.why}; ${later.why}` : later.why,
    ...(declared ? {} : { ownEndKept: true }),
  };
}

const implementations = new Map<string, Implementation>();

/**
 * Constants by index generation: every run on the same tree reads the same values, and a lookup in a
 * whole tree is not free.
 */
const constantCaches = new PerGeneration((_: ModelIndex) => new Map<string, number | undefined>());

/** Makes a model function reachable through ops tables by its kernel name. */
export function registerImplementation(name: string, fn: Implementation): void {
  implementations.set(name, fn);
}

export class Kernel {
  readonly series: KernelSeries;
  readonly events: ModelEvent[] = [];
  readonly net: Net = {
    devices: [],
    ptype_all: [],
    ptype_base: [],
    packet_sklist: [],
    raw_hash: new Map(),
    ping_table: [],
    ping_group_range: { low: 1, high: 0 },
    sysctl_icmp_echo_ignore_broadcasts: 1,
  };
  readonly memory = new UserMemory();
  readonly files = new Map<number, Socket>();
  net_families = new Map<number, NetProtoFamily>();
  inetsw = new Map<number, InetProtosw[]>();
  inet_protos = new Map<number, NetProtocol>();
  /** The scenario statement whose system call is running. */
  statement = 0;
  /**
   * Closed sockets whose receive queue the release left (a raw socket's is purged by
   * inet_sock_destruct after an RCU grace period, outside the run): their skbs count as still queued.
   */
  readonly closedWithQueue: Sock[] = [];
  /**
   * The backlog (softnet_data's input_pkt_queue) while the receive softirq drains it: a frame lo
   * sends meanwhile (an ICMP reply) waits behind the one being received. Undefined outside it.
   */
  backlog: SkBuff[] | undefined;
  /** How each sk_buff ended, in order; skbs still queued are added by `queuedEnds`. */
  readonly ends: PacketEnd[] = [];
  /** Frames sent by the kernel (ICMP replies and errors), for fan-out scenarios to inspect. */
  readonly transmitted: { dev: string; bytes: number[]; reason: string }[] = [];
  private depth = 0;
  /** The model functions running now, outermost first: an end names its function's caller. */
  private readonly running: string[] = [];
  private readonly constants: Map<string, number | undefined>;
  /** Constants of the indexed tree by name: `k.c.SOCK_RAW`. Unknown names throw a ModelError. */
  readonly c: Readonly<Record<string, number>>;

  constructor(readonly index: ModelIndex) {
    this.series = kernelSeries(index.version);
    this.constants = constantCaches.get(index);
    this.c = new Proxy({} as Record<string, number>, { get: (_target, name) => this.constant(String(name)) });
  }

  constant(name: string): number {
    const value = this.lookupConstant(name);
    if (value === undefined) throw new ModelError(`the indexed tree does not define the constant ${name}`);
    return value;
  }

  /** The constant's value from the tree, or undefined when the tree does not define it. */
  lookupConstant(name: string): number | undefined {
    if (!this.constants.has(name)) this.constants.set(name, this.index.evaluateConstant(name));
    return this.constants.get(name);
  }

  /** -errno for an errno name, with the value from the tree's headers. */
  err(name: string): number {
    return -this.constant(name);
  }

  /** The errno name for a negative return value, among the names the models use. */
  errnoName(negative: number): string {
    for (const name of errnoNames) if (this.lookupConstant(name) === -negative) return name;
    return `E${-negative}`;
  }

  since(series: KernelSeries): boolean {
    return this.series === series || (series === '6.1' && this.series === '6.12');
  }

  /** Runs a model function body between its entry and exit events. */
  fn<T>(definition: ModelDefinition, values: Record<string, EventValue>, body: (frame: ModelFrame) => T): T {
    const depth = this.depth;
    this.record(definition, 'enter', values, undefined, undefined, depth);
    this.depth++;
    this.running.push(definition.name);
    const frame: ModelFrame = {
      at: (anchor, stepValues = {}, branch) =>
        this.record(definition, anchor, stepValues, branch, undefined, depth),
      boundHop: (anchor, hop) => this.record(definition, anchor, {}, undefined, hop, depth),
      hop: (anchor, struct, table, fieldName, fromFile) => {
        const target = this.slot(struct, table, fieldName, fromFile);
        const hop: OpsHop = { struct, field: fieldName, table, target };
        this.record(definition, anchor, {}, undefined, hop, depth);
        return target;
      },
      free: (anchor, skb, reason, declared) => {
        this.checkDropReason(reason);
        const last = this.unref(definition, anchor, skb, 'freed', reason, declared);
        this.record(
          definition,
          anchor,
          { [dropReasonValue]: reason },
          last ? `freed: ${reason}` : 'a reference dropped',
          undefined,
          depth,
        );
      },
      consume: (anchor, skb, declared) => {
        const last = this.unref(definition, anchor, skb, 'consumed', undefined, declared);
        this.record(definition, anchor, {}, last ? 'consumed' : 'a reference dropped', undefined, depth);
      },
      queue: (anchor, skb, sk, queueValues = {}) => {
        skb.identity.queuedTo.push(this.fdOf(sk));
        skb.identity.queuedAt = {
          function: definition.name,
          file: definition.file,
          anchor,
          statement: this.statement,
        };
        this.record(definition, anchor, queueValues, 'queued', undefined, depth);
      },
    };
    try {
      return body(frame);
    } finally {
      this.depth = depth;
      this.running.pop();
    }
  }

  private record(
    definition: ModelDefinition,
    anchor: string,
    values: Record<string, EventValue>,
    branch: string | undefined,
    hop: OpsHop | undefined,
    depth: number,
  ): void {
    if (anchor !== 'enter' && !definition.anchors[anchor]) {
      throw new ModelError(`model ${definition.name} has no anchor '${anchor}'`);
    }
    const event: ModelEvent = {
      function: definition.name,
      file: definition.file,
      anchor,
      values,
      depth,
      statement: this.statement,
    };
    if (branch !== undefined) event.branch = branch;
    if (hop) event.hop = hop;
    this.events.push(event);
  }

  /** Checks that the tree's `enum skb_drop_reason` has SKB_DROP_REASON_`reason`; a reason it lacks is a model error. */
  checkDropReason(reason: string): void {
    const name = `SKB_DROP_REASON_${reason}`;
    const defined = this.index
      .definitions(name)
      .some((d) => d.kind === 'enum-constant' && d.container === 'skb_drop_reason');
    if (!defined) throw new ModelError(`the indexed tree's enum skb_drop_reason does not define ${name}`);
  }

  /** Drops one reference; the last one records the packet's end. Returns whether it was the last. */
  private unref(
    definition: ModelDefinition,
    anchor: string,
    skb: SkBuff,
    how: 'freed' | 'consumed',
    reason?: string,
    declared?: EndDeclaration,
  ): boolean {
    const identity = skb.identity;
    if (identity.ended) throw new ModelError(`${definition.name} frees an skb that has already ended`);
    identity.users--;
    if (identity.users > 0) return false;
    identity.ended = true;
    const end: PacketEnd = {
      packet: this.ends.length,
      statement: this.statement,
      how,
      function: definition.name,
      file: definition.file,
      anchor,
    };
    if (reason !== undefined) end.reason = reason;
    if (identity.queuedTo.length > 0) end.queuedTo = [...identity.queuedTo];
    const caller = this.running.at(-2);
    if (caller !== undefined) end.caller = caller;
    const declaration = withLaterEnds(declared, identity.laterEnds);
    if (declaration) end.declared = declaration;
    this.ends.push(end);
    return true;
  }

  /** The ends of the skbs still on receive queues: the open sockets' by file descriptor, then the closed ones'. */
  queuedEnds(): PacketEnd[] {
    const ends: PacketEnd[] = [];
    const open = [...this.files.entries()].sort(([a], [b]) => a - b).map(([, socket]) => socket.sk);
    for (const sk of [...open, ...this.closedWithQueue]) {
      for (const skb of sk?.sk_receive_queue ?? []) {
        const at = skb.identity.queuedAt;
        if (!at) throw new ModelError('an skb on a receive queue was queued by no model');
        const end: PacketEnd = {
          packet: this.ends.length + ends.length,
          statement: at.statement,
          how: 'queued',
          function: at.function,
          file: at.file,
          anchor: at.anchor,
          queuedTo: [...skb.identity.queuedTo],
        };
        if (sk?.rcuFree) end.declared = rcuFreedQueue(this);
        ends.push(end);
      }
    }
    return ends;
  }

  /** The file descriptor of the socket `sk` belongs to (-1 for a socket no descriptor holds). */
  fdOf(sk: Sock): number {
    for (const [fd, socket] of this.files) if (socket.sk === sk) return fd;
    return -1;
  }

  /** The function a table's slot holds, from the index. */
  slot(struct: string, table: string, fieldName: string, fromFile?: string): string {
    const summary = this.index.table(table, fromFile);
    if (!summary) throw new ModelError(`the index has no table ${table} (struct ${struct})`);
    const found = summary.slots.find((s) => s.field === fieldName && s.element === undefined);
    if (!found) throw new ModelError(`${table}.${fieldName} is not set in the indexed tree`);
    return found.value.replace(/^&/, '');
  }

  /** Whether the index's table sets `fieldName` (a NULL slot is a path of its own: `!sock->ops->getsockopt`). */
  hasSlot(table: string, fieldName: string, fromFile?: string): boolean {
    const summary = this.index.table(table, fromFile);
    if (!summary) throw new ModelError(`the index has no table ${table}`);
    return summary.slots.some((s) => s.field === fieldName && s.element === undefined);
  }

  /** Whether a model is registered under the kernel function's name. */
  hasImplementation(name: string): boolean {
    return implementations.has(name);
  }

  /** The model of a kernel function reached through a table. */
  implementation<F extends Implementation>(name: string): F {
    const fn = implementations.get(name);
    if (!fn) throw new ModelError(`no model for ${name}, reached through an ops table`);
    return fn as F;
  }

  /** A new file descriptor: the lowest free number from 3. */
  installFd(socket: Socket): number {
    let fd = 3;
    while (this.files.has(fd)) fd++;
    this.files.set(fd, socket);
    return fd;
  }
}

/** The errno names the models return, for turning values back into names. */
export const errnoNames = [
  'EPERM',
  'ENOENT',
  'EBADF',
  'EAGAIN',
  'ENOMEM',
  'EFAULT',
  'EINVAL',
  'ENOTSOCK',
  'EDESTADDRREQ',
  'EPROTOTYPE',
  'ENOPROTOOPT',
  'EPROTONOSUPPORT',
  'ESOCKTNOSUPPORT',
  'EOPNOTSUPP',
  'EAFNOSUPPORT',
  'EADDRINUSE',
  'EADDRNOTAVAIL',
  'ENETDOWN',
  'ENODEV',
  'ENXIO',
  'ENOBUFS',
  'ENOTCONN',
  'EISCONN',
  'EHOSTUNREACH',
  'ECONNREFUSED',
  'EMSGSIZE',
  'EACCES',
  'ENETUNREACH',
] as const;
