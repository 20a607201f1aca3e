// Runs a parsed scenario on the models: evaluates each statement of `main`, dispatches each call to
// its implementation (system-calls.ts, helper-calls.ts, pure-functions.ts, keyed by the helper table
// of server/src/scenario/helpers.ts), and records one result per call statement
// (server/src/scenario/result.ts). Nothing here does IO; a problem in the scenario or the models stops
// the run with a position. The file stays long because it is one interpreter: statements, variables in
// the scenario's memory and expressions share the Interpreter's state and call each other recursively.
import type { Expr, ScenarioProgram, Statement, TypeName } from '../scenario/ast';
import { outermostCall } from '../scenario/ast';
import type { ScenarioConstants } from '../scenario/constants';
import { FrameError } from '../scenario/frames';
import { isCallOfKind, stepBound, type SystemCallName } from '../scenario/helpers';
import { typeLayouts } from '../scenario/layouts';
import type { RunStop, ScenarioRun, StatementResult } from '../scenario/result';
import {
  createModelKernel,
  Kernel,
  ModelError,
  type ModelEvent,
  type ModelIndex,
  type PacketEnd,
} from '../models';
import { helperCalls } from './helper-calls';
import { pureFunctions } from './pure-functions';
import {
  asNumber,
  asPointer,
  int,
  scalarBytes,
  ScenarioStop,
  zeroed,
  type CallContext,
  type Value,
} from './scenario-values';
import { systemCalls } from './system-calls';

export interface ScenarioExecution {
  run: ScenarioRun;
  events: ModelEvent[];
  /** How each packet ended: freed, consumed, or still queued when the run ended. */
  ends: PacketEnd[];
  kernel: Kernel;
}

interface Variable {
  type: TypeName;
  /** Where the variable lives in the scenario's memory (scalars, arrays, structs). */
  address?: number;
  size: number;
  /** Pointer variables (struct knr_frame *, struct msghdr *, char *) hold their value here. */
  value?: Value;
}

class Interpreter {
  private readonly variables = new Map<string, Variable>();
  private readonly results: StatementResult[] = [];
  private readonly context: CallContext;
  private steps = 0;

  constructor(
    private readonly k: Kernel,
    private readonly constants: ScenarioConstants,
  ) {
    this.context = { k, messages: new Map(), veth: false };
  }

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
        if (call && isCallOfKind(call.callee, 'system call')) {
          const ret = this.systemCall(statement, call.callee, call.args, step);
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
        if (call && isCallOfKind(call.callee, 'system call')) {
          this.store(statement.target, int(this.systemCall(statement, call.callee, call.args, step)));
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
        if (call && isCallOfKind(call.callee, 'system call')) {
          this.systemCall(statement, call.callee, call.args, step);
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
      ...(value?.kind === 'int' && value.errno ? { errno: value.errno } : {}),
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
    this.k.memory.write(address, scalarBytes(size, asNumber(value)));
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
    return asNumber(this.evaluate(expr));
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
    const callee = expr.callee;
    if (isCallOfKind(callee, 'pure function')) return pureFunctions[callee](this.values(expr.args));
    if (isCallOfKind(callee, 'helper')) return helperCalls[callee](this.context, this.values(expr.args));
    if (isCallOfKind(callee, 'system call'))
      throw new ScenarioStop(`${callee}() must be the outermost call of its statement`);
    throw new ScenarioStop(`unknown call '${callee}'`);
  }

  private values(args: readonly Expr[]): Value[] {
    return args.map((a) => this.evaluate(a));
  }

  /** Makes a statement's outermost system call and records its result; returns what the scenario sees. */
  private systemCall(
    statement: Statement,
    callee: SystemCallName,
    args: readonly Expr[],
    step: number,
  ): number {
    const values = this.values(args);
    const { returned, onSuccess } = systemCalls[callee](this.context, {
      number: (i) => asNumber(values[i]),
      pointer: (i) => asPointer(this.k, values[i]),
    });
    const result: StatementResult = {
      step,
      line: statement.span.line + 1,
      column: statement.span.column + 1,
      call: callee,
      return: returned < 0 ? -1 : returned,
    };
    if (returned < 0) result.errno = this.k.errnoName(returned);
    else onSuccess?.(result);
    this.results.push(result);
    return returned < 0 ? -1 : returned;
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
  return { run, events: kernel.events, ends: [...kernel.ends, ...kernel.queuedEnds()], kernel };
}
