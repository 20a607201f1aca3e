// What a model run records: one event per step a model takes, in order. Plain data; the trace layer
// resolves each anchor to a line of the indexed tree and renders the events.
import type { LaterKernelChange } from './later-kernels';

/** A value shown next to a source line: numbers, names, short strings, booleans. */
export type EventValue = number | string | boolean;

export interface OpsHop {
  /** The struct type of the table (`proto_ops`). */
  struct: string;
  field: string;
  /**
   * The table the pointer pointed at in this run (`packet_ops`); for a pointer the kernel set at run
   * time (`po->prot_hook.func`), the function that set it (`packet_create`).
   */
  table: string;
  /** The function the slot holds (`packet_recvmsg`). */
  target: string;
}

export interface ModelEvent {
  /** The kernel function the model stands for. */
  function: string;
  /** Its file, relative to the kernel root. */
  file: string;
  /** The anchor's key in the model definition (`enter` for the function's entry). */
  anchor: string;
  /** Values read or written at this step, by the C expression's name (`sock->type`). */
  values: Record<string, EventValue>;
  /** The branch taken here, in words (`type rejected`, `tag present`). */
  branch?: string;
  /** Set when this step is an indirect call through an ops table. */
  hop?: OpsHop;
  /** Call depth, 0 for the system call entry. */
  depth: number;
  /** The scenario statement (its result step) that caused this event. */
  statement: number;
}

/** The value a model records on the line that frees a packet: its drop reason. */
export const dropReasonValue = 'drop reason';

/**
 * How one kernel sk_buff ended, as the kernel's tracepoints see it: freed (skb:kfree_skb, with the drop
 * reason), consumed (skb:consume_skb), or still queued to a socket when the run ended.
 */
export interface PacketEnd {
  /** Packets in the order they ended, from 0. */
  packet: number;
  /** The scenario statement (its result step) whose call ended it. */
  statement: number;
  how: 'freed' | 'consumed' | 'queued';
  /** The kernel function that dropped the last reference (or queued it). */
  function: string;
  file: string;
  /** The anchor of the line that frees, consumes or queues it. */
  anchor: string;
  /** freed: the drop reason, named as the tree's `enum skb_drop_reason` does without `SKB_DROP_REASON_`. */
  reason?: string;
  /** File descriptors of the sockets it was queued to before it ended (present when it was queued). */
  queuedTo?: number[];
  /** The model function that called `function` (freed and consumed ends), for ends reported as the caller. */
  caller?: string;
  /** The model's declaration that the kernel reports this end otherwise (for some versions, or all). */
  declared?: EndDeclaration;
}

/** An end as the kernel reports it: how, the function its tracepoint names, the drop reason. */
export interface ExpectedKernelEnd {
  how: 'freed' | 'consumed';
  function: string;
  reason?: string;
}

/**
 * Declared at an end's line, from the source: the kernel reports, instead of this end, the ends in
 * `kernel` (none, or ends in other functions), in that order. `change`: only kernels from that upstream
 * change on (older ones report the model's end); absent, every kernel.
 */
export interface EndDeclaration {
  change?: LaterKernelChange;
  kernel: ExpectedKernelEnd[];
  /** The kernel reports the model's own end too, before those of `kernel`. */
  ownEndKept?: boolean;
  /**
   * The kernel reports the ends of `kernel` once an RCU grace period has passed: in a later statement
   * of the run, or after the run (then the trace has none of them).
   */
  afterGracePeriod?: boolean;
  /** Why, in words, as knr compare prints it. */
  why: string;
}
