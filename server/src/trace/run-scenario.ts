// Runs a parsed scenario on the models: evaluates each statement of `main`, makes the system calls
// on the model kernel, and records one result per call statement (server/src/scenario/result.ts).
// Nothing here does IO; a problem in the scenario or the models stops the run with a position.
import type { Expr, ScenarioProgram, Statement, TypeName } from '../scenario/ast';
import { outermostCall } from '../scenario/ast';
import type { ScenarioConstants } from '../scenario/constants';
import {
  ethernetFrame,
  FrameError,
  icmpEchoFrame,
  icmpEchoReplyFrame,
  ipv4Frame,
  pushVlanTag,
  setDestination,
  udpFrame,
} from '../scenario/frames';
import { helperConstants, receiveTimeoutMs, stepBound } from '../scenario/helpers';
import { typeLayouts } from '../scenario/layouts';
import type { RunStop, ScenarioRun, SourceAddress, StatementResult } from '../scenario/result';
import {
  __sys_bind,
  __sys_connect,
  __sys_recvfrom,
  __sys_recvmsg,
  __sys_setsockopt,
  __sys_getsockopt,
  __sys_getsockname,
  __sys_sendmsg,
  __sys_sendto,
  __sys_socket,
  createModelKernel,
  Kernel,
  ModelError,
  setupLoopback,
  setupVethPair,
  sock_close,
  sock_write_iter,
  sysctl_write,
  veth_xmit,
  type ModelEvent,
  type ModelIndex,
} from '../models';
import { readU32, u16, u32, u64 } from '../models/user-memory';
import { decodeReceive, decodeSource, hex, type MessageBuffers } from './decode-receive';

export interface ScenarioExecution {
  run: ScenarioRun;
  events: ModelEvent[];
  kernel: Kernel;
}

class ScenarioStop extends Error {}

/** The largest buffer a scenario may declare or ask knr_msghdr for; more would exhaust the server's memory. */
const maxBufferBytes = 1 << 20;

/** A zero-filled buffer of `size` bytes, or a stop naming the size when it is out of range. */
function zeroed(size: number): number[] {
  if (!Number.isInteger(size) || size < 0 || size > maxBufferBytes) {
    throw new ScenarioStop(`a buffer of ${size} bytes is out of range (0 to ${maxBufferBytes})`);
  }
  return new Array<number>(size).fill(0);
}

interface FrameRef {
  bytes: number[];
}

type Value =
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'pointer'; address: number }
  | { kind: 'frame'; frame: FrameRef }
  | { kind: 'insn'; fields: number[] };

interface Variable {
  type: TypeName;
  /** Where the variable lives in the scenario's memory (scalars, arrays, structs). */
  address?: number;
  size: number;
  /** Pointer variables (struct knr_frame *, struct msghdr *, char *) hold their value here. */
  value?: Value;
}

const int = (value: number): Value => ({ kind: 'int', value });

class Interpreter {
  private readonly variables = new Map<string, Variable>();
  private readonly messages = new Map<number, MessageBuffers>();
  private readonly results: StatementResult[] = [];
  private steps = 0;
  private veth = false;

  constructor(
    private readonly k: Kernel,
    private readonly constants: ScenarioConstants,
  ) {}

  run(program: ScenarioProgram): ScenarioRun {
    let stopped: RunStop | undefined;
    try {
      this.block(program.statements);
    } catch (error) {
      if (!(error instanceof StopAt)) throw error;
      stopped = {
        message: error.message,
        line: error.statement.span.line + 1,
        column: error.statement.span.column + 1,
      };
    }
    const run: ScenarioRun = {
      scenario: program.name,
      engine: 'model',
      kernel: this.k.index.version,
      results: this.results,
    };
    if (stopped) run.stopped = stopped;
    return run;
  }

  /** Returns false when a `return` ended the run. */
  private block(statements: readonly Statement[]): boolean {
    for (const statement of statements) {
      if (++this.steps > stepBound) {
        throw new StopAt(
          `the run stopped after ${stepBound} statements (the step bound); shorten the loop`,
          statement,
        );
      }
      try {
        if (!this.statement(statement)) return false;
      } catch (error) {
        if (error instanceof StopAt) throw error;
        if (error instanceof ScenarioStop || error instanceof ModelError || error instanceof FrameError) {
          throw new StopAt(error.message, statement);
        }
        throw error;
      }
    }
    return true;
  }

  private statement(statement: Statement): boolean {
    switch (statement.kind) {
      case 'return':
        return false;
      case 'for': {
        const start = this.integer(statement.start);
        const bound = this.integer(statement.bound) + (statement.inclusive ? 1 : 0);
        const iterations = Math.max(0, bound - start);
        const bodySteps = Math.max(1, statement.body.length);
        if (this.steps + iterations * bodySteps > stepBound) {
          throw new StopAt(
            `this loop would run ${iterations} times, past the bound of ${stepBound} statements per scenario`,
            statement,
          );
        }
        this.declare(statement.variable, { base: 'int', pointer: 0 }, undefined);
        for (let i = start; i < bound; i++) {
          this.store(statement.variable, int(i));
          if (!this.block(statement.body)) return false;
        }
        return true;
      }
      case 'declaration': {
        const call = outermostCall(statement);
        const step = this.results.length;
        this.k.statement = step;
        const size =
          statement.array === undefined
            ? undefined
            : statement.array === 'unsized'
              ? 'unsized'
              : this.integer(statement.array);
        if (call && call.callee in syscallNames) {
          const ret = this.syscall(statement, call, step);
          this.declare(statement.name, statement.type, size, {
            kind: 'number',
            value: ret,
            span: statement.span,
          });
          return true;
        }
        this.declare(statement.name, statement.type, size, statement.init);
        if (call) this.recordHelper(statement, call.callee, step);
        return true;
      }
      case 'assignment': {
        const call = outermostCall(statement);
        const step = this.results.length;
        this.k.statement = step;
        if (call && call.callee in syscallNames) {
          this.store(statement.target, int(this.syscall(statement, call, step)));
          return true;
        }
        this.store(statement.target, this.evaluate(statement.value));
        if (call) this.recordHelper(statement, call.callee, step);
        return true;
      }
      case 'expression': {
        const call = outermostCall(statement);
        const step = this.results.length;
        this.k.statement = step;
        if (call && call.callee in syscallNames) {
          this.syscall(statement, call, step);
          return true;
        }
        const value = this.evaluate(statement.expr);
        if (call) this.recordHelper(statement, call.callee, step, value);
        return true;
      }
    }
  }

  private recordHelper(statement: Statement, callee: string, step: number, value?: Value): void {
    this.results.push({
      step,
      line: statement.span.line + 1,
      column: statement.span.column + 1,
      call: callee,
      return: value?.kind === 'int' ? value.value : 0,
    });
  }

  // --- variables -----------------------------------------------------------------------------

  private declare(name: string, type: TypeName, array: number | 'unsized' | undefined, init?: Expr): void {
    if (type.pointer > 0) {
      this.variables.set(name, {
        type,
        size: 8,
        value: init ? this.evaluate(init) : { kind: 'pointer', address: 0 },
      });
      return;
    }
    const layout = typeLayouts[type.base];
    if (!layout) throw new ScenarioStop(`the type '${type.base}' is not supported in a scenario`);
    let count = array === undefined ? 1 : array === 'unsized' ? 0 : array;
    if (array === 'unsized') {
      if (init?.kind === 'init-list') count = init.entries.length;
      else if (init?.kind === 'string') count = init.value.length + 1;
      else throw new ScenarioStop(`the array '${name}' needs a size or an initialiser`);
    }
    const size = layout.size * count;
    const address = this.k.memory.allocate(zeroed(size));
    const variable: Variable = { type, address, size };
    this.variables.set(name, variable);
    if (!init) return;
    if (init.kind === 'init-list') {
      if (array !== undefined)
        init.entries.forEach((entry, i) => this.writeElement(type, address + i * layout.size, entry.value));
      else this.writeInitList(type, address, init);
    } else if (init.kind === 'string' && array !== undefined) {
      this.k.memory.write(address, [...Buffer.from(init.value, 'latin1')].concat(0).slice(0, size));
    } else {
      this.writeScalar(address, layout.size, this.evaluate(init));
    }
  }

  private writeElement(type: TypeName, address: number, value: Expr): void {
    if (value.kind === 'init-list') this.writeInitList(type, address, value);
    else {
      const evaluated = this.evaluate(value);
      if (evaluated.kind === 'insn') this.writeFields(type, address, evaluated.fields);
      else this.writeScalar(address, typeLayouts[type.base].size, evaluated);
    }
  }

  private writeFields(type: TypeName, address: number, values: number[]): void {
    const layout = typeLayouts[type.base];
    layout.order.forEach((field, i) => {
      if (values[i] !== undefined)
        this.writeScalar(address + layout.fields[field].offset, layout.fields[field].size, int(values[i]));
    });
  }

  private writeInitList(type: TypeName, address: number, list: Extract<Expr, { kind: 'init-list' }>): void {
    const layout = typeLayouts[type.base];
    list.entries.forEach((entry, i) => {
      const field = entry.designator ? entry.designator.join('.') : layout.order[i];
      const place = field === undefined ? undefined : layout.fields[field];
      if (!place) throw new ScenarioStop(`${type.base} has no field '${field ?? i}' the models know`);
      this.writeScalar(address + place.offset, place.size, this.evaluate(entry.value));
    });
  }

  private writeScalar(address: number, size: number, value: Value): void {
    const number = this.asNumber(value);
    const bytes =
      size === 1 ? [number & 0xff] : size === 2 ? u16(number) : size === 4 ? u32(number >>> 0) : u64(number);
    this.k.memory.write(address, bytes);
  }

  private store(name: string, value: Value): void {
    const variable = this.variables.get(name);
    if (!variable) throw new ScenarioStop(`'${name}' is not declared`);
    if (variable.address === undefined) variable.value = value;
    else this.writeScalar(variable.address, Math.min(variable.size, 8), value);
  }

  private load(name: string): Value {
    const variable = this.variables.get(name)!;
    if (variable.value) return variable.value;
    const layout = typeLayouts[variable.type.base];
    const scalar = layout.order.length === 1 && layout.order[0] === '' && variable.size === layout.size;
    if (!scalar) return { kind: 'pointer', address: variable.address! };
    const bytes = this.k.memory.read(variable.address!, layout.size)!;
    let value = 0;
    for (let i = bytes.length - 1; i >= 0; i--) value = value * 256 + bytes[i];
    const signed = !variable.type.base.startsWith('unsigned') && layout.size === 4 && value >= 2 ** 31;
    return int(signed ? value - 2 ** 32 : value);
  }

  // --- expressions ---------------------------------------------------------------------------

  private integer(expr: Expr): number {
    return this.asNumber(this.evaluate(expr));
  }

  private asNumber(value: Value): number {
    if (value.kind === 'int') return value.value;
    if (value.kind === 'pointer') return value.address;
    throw new ScenarioStop(`a ${value.kind} where a number is needed`);
  }

  private asPointer(value: Value): number {
    if (value.kind === 'pointer') return value.address;
    if (value.kind === 'string') return this.k.memory.allocate([...Buffer.from(value.value, 'latin1'), 0]);
    if (value.kind === 'int' && value.value === 0) return 0;
    throw new ScenarioStop(`a ${value.kind} where an address is needed`);
  }

  private asString(value: Value): string {
    if (value.kind === 'string') return value.value;
    throw new ScenarioStop(`a ${value.kind} where a string is needed`);
  }

  private asFrame(value: Value): FrameRef {
    if (value.kind === 'frame') return value.frame;
    throw new ScenarioStop('a frame built by a knr_ helper is needed here');
  }

  private evaluate(expr: Expr): Value {
    switch (expr.kind) {
      case 'number':
        return int(expr.value);
      case 'string':
        return { kind: 'string', value: expr.value };
      case 'null':
        return { kind: 'pointer', address: 0 };
      case 'name': {
        if (this.variables.has(expr.name)) return this.load(expr.name);
        const constant = this.constants.lookup(expr.name);
        if (constant === undefined) throw new ScenarioStop(`unknown constant '${expr.name}'`);
        return typeof constant === 'number' ? int(constant) : { kind: 'string', value: constant };
      }
      case 'unary': {
        if (expr.operator === '&') {
          if (expr.operand.kind !== 'name' || !this.variables.has(expr.operand.name)) {
            throw new ScenarioStop('& applies to a declared variable only');
          }
          const variable = this.variables.get(expr.operand.name)!;
          if (variable.address === undefined)
            throw new ScenarioStop(`'${expr.operand.name}' has no address the models track`);
          return { kind: 'pointer', address: variable.address };
        }
        if (expr.operator === '*') throw new ScenarioStop('dereferencing is not supported in a scenario');
        const operand = this.integer(expr.operand);
        return int(
          expr.operator === '-'
            ? -operand
            : expr.operator === '~'
              ? ~operand
              : expr.operator === '!'
                ? Number(!operand)
                : operand,
        );
      }
      case 'binary':
        return int(binary(expr.operator, this.integer(expr.left), this.integer(expr.right)));
      case 'conditional':
        return this.integer(expr.condition)
          ? this.evaluate(expr.consequence)
          : this.evaluate(expr.alternative);
      case 'sizeof-expr': {
        if (expr.operand.kind === 'name' && this.variables.has(expr.operand.name))
          return int(this.variables.get(expr.operand.name)!.size);
        throw new ScenarioStop('sizeof applies to a declared variable or a type');
      }
      case 'sizeof-type':
        return int(
          expr.type.pointer > 0 ? 8 : (typeLayouts[expr.type.base]?.size ?? unsupportedType(expr.type)),
        );
      case 'cast': {
        const value = this.evaluate(expr.operand);
        if (expr.type.pointer > 0 || value.kind !== 'int') return value;
        const size = typeLayouts[expr.type.base]?.size ?? unsupportedType(expr.type);
        const masked = size >= 8 ? value.value : value.value & (2 ** (size * 8) - 1);
        return int(expr.type.base.startsWith('unsigned') || size < 4 ? masked >>> 0 : masked | 0);
      }
      case 'init-list':
        throw new ScenarioStop('an initialiser list is only allowed in a declaration');
      case 'field':
        throw new ScenarioStop('reading struct fields is not supported in a scenario');
      case 'call':
        return this.call(expr);
    }
  }

  private call(expr: Extract<Expr, { kind: 'call' }>): Value {
    const args = () => expr.args.map((a) => this.evaluate(a));
    switch (expr.callee) {
      case 'htons':
      case 'ntohs': {
        const v = this.integer(expr.args[0]) & 0xffff;
        return int(((v & 0xff) << 8) | (v >>> 8));
      }
      case 'htonl':
      case 'ntohl': {
        const v = this.integer(expr.args[0]) >>> 0;
        return int((((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0);
      }
      case 'inet_addr': {
        const text = this.asString(this.evaluate(expr.args[0]));
        const parts = text.split('.').map(Number);
        if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return int(0xffffffff);
        return int((parts[0] | (parts[1] << 8) | (parts[2] << 16) | (parts[3] << 24)) >>> 0);
      }
      case 'BPF_STMT': {
        const [code, k] = args().map((v) => this.asNumber(v));
        return { kind: 'insn', fields: [code & 0xffff, 0, 0, k >>> 0] };
      }
      case 'BPF_JUMP': {
        const [code, k, jt, jf] = args().map((v) => this.asNumber(v));
        return { kind: 'insn', fields: [code & 0xffff, jt & 0xff, jf & 0xff, k >>> 0] };
      }
      case 'knr_loopback':
        setupLoopback(this.k);
        this.veth = false;
        return int(0);
      case 'knr_veth_pair':
        setupVethPair(this.k);
        this.veth = true;
        return int(0);
      case 'knr_ethernet': {
        const [ethertype, n] = args().map((v) => this.asNumber(v));
        return { kind: 'frame', frame: { bytes: ethernetFrame(ethertype, n) } };
      }
      case 'knr_ipv4': {
        const [src, dst, protocol, n] = args();
        return {
          kind: 'frame',
          frame: {
            bytes: ipv4Frame(
              this.asString(src),
              this.asString(dst),
              this.asNumber(protocol),
              this.asNumber(n),
            ),
          },
        };
      }
      case 'knr_ipv4_icmp_echo': {
        const [src, dst, n] = args();
        return {
          kind: 'frame',
          frame: { bytes: icmpEchoFrame(this.asString(src), this.asString(dst), this.asNumber(n)) },
        };
      }
      case 'knr_ipv4_icmp_echo_reply': {
        const [src, dst, n] = args();
        return {
          kind: 'frame',
          frame: { bytes: icmpEchoReplyFrame(this.asString(src), this.asString(dst), this.asNumber(n)) },
        };
      }
      case 'knr_ipv4_udp': {
        const [src, dst, sport, dport, n] = args();
        const frame = udpFrame(
          this.asString(src),
          this.asString(dst),
          this.asNumber(sport),
          this.asNumber(dport),
          this.asNumber(n),
        );
        return { kind: 'frame', frame: { bytes: frame } };
      }
      case 'knr_vlan': {
        const [f, tpid, priority, vid] = args();
        const frame = this.asFrame(f);
        frame.bytes = pushVlanTag(
          frame.bytes,
          this.asNumber(tpid),
          this.asNumber(priority),
          this.asNumber(vid),
        );
        return f;
      }
      case 'knr_eth_dst': {
        const [f, mac] = args();
        const frame = this.asFrame(f);
        frame.bytes = setDestination(frame.bytes, this.asString(mac));
        return f;
      }
      case 'knr_send': {
        const [ifname, f] = args();
        const name = this.asString(ifname);
        if (name !== helperConstants.KNR_IF_PEER)
          throw new ScenarioStop(
            `knr_send transmits on ${String(helperConstants.KNR_IF_PEER)} only, not '${name}'`,
          );
        if (!this.veth)
          throw new ScenarioStop('knr_send needs the veth topology: call knr_veth_pair() first');
        const frame = this.asFrame(f);
        const knr0 = this.k.net.devices.find((d) => d.name === helperConstants.KNR_IF_VETH)!;
        veth_xmit(this.k, frame.bytes, knr0);
        return int(frame.bytes.length);
      }
      case 'knr_msghdr': {
        const [dataLen, controlLen] = args().map((v) => this.asNumber(v));
        const data = this.k.memory.allocate(zeroed(dataLen));
        const control = this.k.memory.allocate(zeroed(controlLen));
        const name = this.k.memory.allocate(new Array<number>(128).fill(0));
        const iov = this.k.memory.allocate([...u64(data), ...u64(dataLen)]);
        const header = [
          ...u64(name),
          ...u32(128),
          0,
          0,
          0,
          0,
          ...u64(iov),
          ...u64(1),
          ...u64(control),
          ...u64(controlLen),
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
        ];
        const address = this.k.memory.allocate(header);
        this.messages.set(address, { header: address, data, dataLen, control, name });
        return { kind: 'pointer', address };
      }
      default:
        if (expr.callee in syscallNames)
          throw new ScenarioStop(`${expr.callee}() must be the outermost call of its statement`);
        throw new ScenarioStop(`unknown call '${expr.callee}'`);
    }
  }

  // --- system calls --------------------------------------------------------------------------

  /** A socklen_t the scenario passed by address, or undefined for a NULL or unreadable pointer. */
  private socklen(address: number): number | undefined {
    const bytes = address ? this.k.memory.read(address, 4) : undefined;
    return bytes ? readU32(bytes, 0) | 0 : undefined;
  }

  /** The address the kernel copied to `address`: min(the buffer's length before the call, `length` after it) bytes. */
  private addressFields(address: number, bufferLength: number, length: number): SourceAddress | undefined {
    const copied = Math.min(bufferLength, length);
    if (!address || copied <= 0) return undefined;
    return decodeSource(this.k, this.k.memory.read(address, copied) ?? [], copied);
  }

  private syscall(statement: Statement, call: Extract<Expr, { kind: 'call' }>, step: number): number {
    const values = call.args.map((a) => this.evaluate(a));
    const n = (i: number) => this.asNumber(values[i]);
    const p = (i: number) => this.asPointer(values[i]);
    const k = this.k;
    // The lengths passed by address, before the call: the buffer sizes the kernel may fill.
    const lengthBefore =
      call.callee === 'getsockopt'
        ? this.socklen(p(4))
        : call.callee === 'getsockname'
          ? this.socklen(p(2))
          : call.callee === 'recvfrom'
            ? this.socklen(p(5))
            : undefined;
    let ret: number;
    switch (call.callee) {
      case 'socket':
        ret = __sys_socket(k, n(0), n(1), n(2));
        if (ret >= 0) {
          const sk = k.files.get(ret)?.sk;
          if (sk) sk.sk_rcvtimeo_ms = receiveTimeoutMs;
        }
        break;
      case 'setsockopt':
        ret = __sys_setsockopt(k, n(0), n(1), n(2), p(3), n(4));
        break;
      case 'getsockopt':
        ret = __sys_getsockopt(k, n(0), n(1), n(2), p(3), p(4));
        break;
      case 'getsockname':
        ret = __sys_getsockname(k, n(0), p(1), p(2));
        break;
      case 'bind':
        ret = __sys_bind(k, n(0), p(1), n(2));
        break;
      case 'connect':
        ret = __sys_connect(k, n(0), p(1), n(2));
        break;
      case 'recv':
        ret = __sys_recvfrom(k, n(0), p(1), n(2), n(3), 0, 0);
        break;
      case 'recvfrom':
        ret = __sys_recvfrom(k, n(0), p(1), n(2), n(3), p(4), p(5));
        break;
      case 'recvmsg':
        ret = __sys_recvmsg(k, n(0), p(1), n(2));
        break;
      case 'send':
        ret = __sys_sendto(k, n(0), p(1), n(2), n(3), 0, 0);
        break;
      case 'sendto':
        ret = __sys_sendto(k, n(0), p(1), n(2), n(3), p(4), n(5));
        break;
      case 'sendmsg':
        ret = __sys_sendmsg(k, n(0), p(1), n(2));
        break;
      case 'write':
        ret = sock_write_iter(k, n(0), p(1), n(2));
        break;
      case 'close':
        ret = sock_close(k, n(0));
        break;
      case 'knr_sysctl':
        ret = sysctl_write(k, this.asString(values[0]), this.asString(values[1]));
        break;
      default:
        throw new ScenarioStop(`unknown call '${call.callee}'`);
    }
    const result: StatementResult = {
      step,
      line: statement.span.line + 1,
      column: statement.span.column + 1,
      call: call.callee,
      return: ret < 0 ? -1 : ret,
    };
    if (ret < 0) result.errno = k.errnoName(ret);
    else if (call.callee === 'recv' || call.callee === 'recvfrom') {
      Object.assign(result, decodeReceive(k, ret, { buffer: p(1), length: n(2) }));
      const after = call.callee === 'recvfrom' && p(4) ? this.socklen(p(5)) : undefined;
      if (after !== undefined && lengthBefore !== undefined) {
        result.sourceLength = after;
        const source = this.addressFields(p(4), lengthBefore, after);
        if (source) result.source = source;
      }
    } else if (call.callee === 'getsockopt') {
      const after = this.socklen(p(4));
      if (after !== undefined) {
        result.optlen = after;
        const shown = Math.max(0, Math.min(after, lengthBefore ?? 0));
        result.optval = hex(k.memory.read(p(3), shown) ?? []);
      }
    } else if (call.callee === 'getsockname') {
      const after = this.socklen(p(2));
      if (after !== undefined) {
        result.addressLength = after;
        const address = this.addressFields(p(1), lengthBefore ?? 0, after);
        if (address) result.address = address;
      }
    } else if (call.callee === 'recvmsg') {
      const message = this.messages.get(p(1));
      if (!message) throw new ScenarioStop('recvmsg needs a message header from knr_msghdr()');
      Object.assign(
        result,
        decodeReceive(k, ret, { buffer: message.data, length: message.dataLen }, message),
      );
    }
    this.results.push(result);
    return ret < 0 ? -1 : ret;
  }
}

class StopAt extends Error {
  constructor(
    message: string,
    readonly statement: Statement,
  ) {
    super(message);
  }
}

const syscallNames: Readonly<Record<string, true>> = {
  socket: true,
  setsockopt: true,
  getsockopt: true,
  getsockname: true,
  bind: true,
  connect: true,
  recv: true,
  recvfrom: true,
  recvmsg: true,
  send: true,
  sendto: true,
  sendmsg: true,
  write: true,
  close: true,
  // Not a system call but recorded as one: the write to /proc/sys can fail with an errno.
  knr_sysctl: true,
};

function unsupportedType(type: TypeName): never {
  throw new ScenarioStop(`the type '${type.base}' is not supported in a scenario`);
}

function binary(operator: string, a: number, b: number): number {
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new ScenarioStop('division by zero');
      return Math.trunc(a / b);
    case '%':
      if (b === 0) throw new ScenarioStop('division by zero');
      return a % b;
    case '|':
      return (a | b) >>> 0;
    case '&':
      return (a & b) >>> 0;
    case '^':
      return (a ^ b) >>> 0;
    case '<<':
      return (a << b) >>> 0;
    case '>>':
      return a >>> b;
    case '<':
      return Number(a < b);
    case '<=':
      return Number(a <= b);
    case '>':
      return Number(a > b);
    case '>=':
      return Number(a >= b);
    case '==':
      return Number(a === b);
    case '!=':
      return Number(a !== b);
    case '&&':
      return Number(Boolean(a) && Boolean(b));
    case '||':
      return Number(Boolean(a) || Boolean(b));
    default:
      throw new ScenarioStop(`the operator ${operator} is not supported`);
  }
}

/** Runs a checked scenario on a fresh model kernel of the indexed tree. */
export function runScenarioOnModels(
  program: ScenarioProgram,
  index: ModelIndex,
  constants: ScenarioConstants,
): ScenarioExecution {
  const kernel = createModelKernel(index);
  const run = new Interpreter(kernel, constants).run(program);
  return { run, events: kernel.events, kernel };
}
