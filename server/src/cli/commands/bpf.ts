// knr bpf check|run|dis: classic BPF socket filters through the model in server/src/models/cbpf.
import { readFileSync } from 'node:fs';
import type { Command, CommandOutput } from '../command';
import { booleanFlag, parseArgs, stringFlag, UsageError, type ParsedArgs } from '../args';
import {
  checkClassicFilter,
  defaultKernelVersion,
  disassemble,
  describeInstruction,
  filterVerdict,
  isKernelVersion,
  packetSocketContext,
  parseProgram,
  ProgramSyntaxError,
  rawIpv4SocketContext,
  runClassicFilter,
  type FilterContext,
  type FilterRun,
  type FilterVerdict,
  type KernelVersion,
  type ParsedProgram,
  type ProgramFormat,
} from '../../models/cbpf';

const usage = `knr bpf check PROGRAM_FILE [--json]
knr bpf run PROGRAM_FILE --packet HEX [--start mac|ip] [--link HEX] [--vlan TCI] [--trace] [--json]
knr bpf dis PROGRAM_FILE [--json]

Classic BPF socket filters (SO_ATTACH_FILTER), modelled on the kernel's checker and interpreter.
PROGRAM_FILE is the C array of \`tcpdump -dd\`, the decimal form of \`tcpdump -ddd\`, or assembler text
in bpf_asm's syntax (docs/bpf.md); the format is detected, or named with --format c-array|decimal|asm.

  check   the verdict and errno setsockopt(SO_ATTACH_FILTER) gives; exit status 1 when rejected
  run     run the program on a packet and print its result (--trace: every executed instruction)
  dis     print the program back as assembler text

Options:
  --packet HEX          the packet, from where skb->data starts
  --start mac|ip        mac (default): a packet socket's view of an Ethernet frame;
                        ip: a raw IPv4 socket's view, data at the IP header
  --link HEX            with --start ip: the link-layer header in front of the IP header
  --vlan TCI            an offloaded VLAN tag (skb->vlan_tci, TPID 0x8100)
  --kernel-version V    6.1 or 6.12 (default ${defaultKernelVersion}): the tree whose rules apply
  --optmem-max BYTES    net.core.optmem_max (default: the kernel version's default)
  --json                machine-readable output`;

function readProgram(path: string, args: ParsedArgs): ParsedProgram {
  const format = stringFlag(args, 'format');
  if (format !== undefined && format !== 'c-array' && format !== 'decimal' && format !== 'asm') {
    throw new UsageError(`--format must be c-array, decimal or asm, not '${format}'`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseProgram(text, format as ProgramFormat | undefined);
}

function kernelVersion(args: ParsedArgs): KernelVersion {
  const value = stringFlag(args, 'kernel-version') ?? defaultKernelVersion;
  if (!isKernelVersion(value)) throw new UsageError(`--kernel-version must be 6.1 or 6.12, not '${value}'`);
  return value;
}

function nonNegativeInteger(args: ParsedArgs, name: string, radix = 10): number | undefined {
  const text = stringFlag(args, name);
  if (text === undefined) return undefined;
  const value = radix === 16 ? Number.parseInt(text.replace(/^0x/i, ''), 16) : Number(text);
  if (!Number.isInteger(value) || value < 0 || !/^(0x)?[0-9a-f]+$/i.test(text)) {
    throw new UsageError(`--${name} needs a non-negative integer, not '${text}'`);
  }
  return value;
}

function hexBytes(text: string, name: string): Uint8Array {
  const digits = text.replace(/[\s:]/g, '').replace(/^0x/i, '');
  if (digits.length % 2 !== 0 || /[^0-9a-f]/i.test(digits)) {
    throw new UsageError(`--${name} needs hex bytes (an even number of hex digits), not '${text}'`);
  }
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

function verdictFor(program: ParsedProgram, args: ParsedArgs): FilterVerdict {
  return checkClassicFilter(program.instructions, {
    kernel: kernelVersion(args),
    optmemMax: nonNegativeInteger(args, 'optmem-max'),
  });
}

/** `file:line:column` of the instruction a rejection names, or just the file. */
function location(path: string, program: ParsedProgram, index: number | undefined): string {
  const at = index === undefined ? undefined : program.positions[index];
  return at ? `${path}:${at.line}:${at.column}` : path;
}

function verdictJson(path: string, program: ParsedProgram, verdict: FilterVerdict, kernel: KernelVersion) {
  const base = { file: path, format: program.format, instructions: program.instructions.length, kernel };
  if (verdict.accepted) {
    return { ...base, accepted: true, ebpfLength: verdict.ebpfLength, chargedBytes: verdict.chargedBytes };
  }
  const at = verdict.index === undefined ? undefined : program.positions[verdict.index];
  const { errno, errnoValue, rejectedBy, index, reason } = verdict;
  return {
    ...base,
    accepted: false,
    errno,
    errnoValue,
    rejectedBy,
    index,
    line: at?.line,
    column: at?.column,
    reason,
  };
}

function rejectionText(
  path: string,
  program: ParsedProgram,
  verdict: FilterVerdict & { accepted: false },
): string {
  return (
    `${location(path, program, verdict.index)}: rejected: setsockopt(SO_ATTACH_FILTER) fails with ` +
    `${verdict.errno} (${verdict.errnoValue}), from ${verdict.rejectedBy}: ${verdict.reason}`
  );
}

function check(path: string, args: ParsedArgs, output: CommandOutput): number {
  const program = readProgram(path, args);
  const verdict = verdictFor(program, args);
  if (booleanFlag(args, 'json')) {
    output.out(JSON.stringify(verdictJson(path, program, verdict, kernelVersion(args)), null, 2));
  } else if (verdict.accepted) {
    output.out(
      `${path}: accepted (kernel ${kernelVersion(args)}): ${program.instructions.length} instructions, ` +
        `${verdict.ebpfLength} eBPF instructions after conversion, ${verdict.chargedBytes} bytes of option memory`,
    );
  } else {
    output.out(rejectionText(path, program, verdict));
  }
  return verdict.accepted ? 0 : 1;
}

function contextFor(packet: Uint8Array, args: ParsedArgs): FilterContext {
  const start = stringFlag(args, 'start') ?? 'mac';
  if (start !== 'mac' && start !== 'ip') throw new UsageError(`--start must be mac or ip, not '${start}'`);
  const link = stringFlag(args, 'link');
  if (link !== undefined && start !== 'ip') throw new UsageError('--link goes with --start ip');
  const base =
    start === 'mac' ? packetSocketContext(packet) : rawIpv4SocketContext(hexBytes(link ?? '', 'link'));
  const tci = nonNegativeInteger(args, 'vlan');
  if (tci === undefined) return base;
  if (tci > 0xffff) throw new UsageError(`--vlan needs a TCI from 0 to 65535, not ${tci}`);
  return { ...base, vlan: { tci, tpid: 0x8100 } };
}

const hex32 = (value: number): string => `0x${value.toString(16).padStart(8, '0')}`;

function traceLines(run: FilterRun): string[] {
  const width = Math.max(11, ...run.steps.map((s) => s.instruction.length));
  const header = `  ${'pc'.padStart(4)}  ${'instruction'.padEnd(width)}  ${'A'.padEnd(10)}  X`;
  const rows = run.steps.map((step) => {
    const jump = step.jump ? `-> ${step.jump.target}${step.jump.taken ? '' : ' (not taken)'}` : '';
    const note = step.note ? `; ${step.note}` : '';
    return `  ${String(step.pc).padStart(4)}  ${step.instruction.padEnd(width)}  ${hex32(step.a)}  ${hex32(step.x)}  ${jump || note}`.trimEnd();
  });
  return [header, ...rows];
}

function endText(run: FilterRun): string {
  const { end } = run;
  switch (end.cause) {
    case 'return':
      return `returned ${run.result} at instruction ${end.pc}`;
    case 'load-failed':
      return `returned 0: the load at instruction ${end.pc} failed (${end.detail})`;
    case 'division-by-zero':
      return `returned 0: instruction ${end.pc} divides by X = 0`;
    case 'no-device':
      return `returned A = ${run.result}: instruction ${end.pc} reads the device, and the skb has none`;
    case 'unsupported':
      return `no result: ${end.detail} (instruction ${end.pc})`;
  }
}

function run(path: string, args: ParsedArgs, output: CommandOutput): number {
  const packetHex = stringFlag(args, 'packet');
  if (packetHex === undefined) throw new UsageError('knr bpf run needs --packet HEX');
  const packet = hexBytes(packetHex, 'packet');
  const context = contextFor(packet, args);
  const program = readProgram(path, args);
  const verdict = verdictFor(program, args);
  const json = booleanFlag(args, 'json');
  if (!verdict.accepted) {
    if (json)
      output.out(
        JSON.stringify({ check: verdictJson(path, program, verdict, kernelVersion(args)) }, null, 2),
      );
    else
      output.out(
        `${rejectionText(path, program, verdict)}\nthe kernel would not attach it, so it does not run`,
      );
    return 1;
  }
  const result = runClassicFilter(verdict.program, packet, context, { trace: booleanFlag(args, 'trace') });
  const trim = result.result === null ? undefined : filterVerdict(result.result, packet.length, 1);
  if (json) {
    output.out(
      JSON.stringify({ result: result.result, end: result.end, trim, steps: result.steps }, null, 2),
    );
  } else {
    if (booleanFlag(args, 'trace')) output.out(traceLines(result).join('\n'));
    output.out(endText(result));
    if (trim?.action === 'drop') output.out('sk_filter: the packet is dropped (-EPERM)');
    else if (trim) output.out(`sk_filter: the packet is kept, ${trim.length} of ${packet.length} bytes`);
  }
  return result.result === null ? 1 : 0;
}

function dis(path: string, args: ParsedArgs, output: CommandOutput): number {
  const program = readProgram(path, args);
  if (!booleanFlag(args, 'json')) {
    output.out(disassemble(program.instructions).trimEnd());
    return 0;
  }
  const instructions = program.instructions.map((insn, index) => ({
    index,
    ...insn,
    text: describeInstruction(insn, index, program.instructions.length),
    line: program.positions[index].line,
    column: program.positions[index].column,
  }));
  output.out(JSON.stringify({ file: path, format: program.format, instructions }, null, 2));
  return 0;
}

const actions: Record<string, (path: string, args: ParsedArgs, output: CommandOutput) => number> = {
  check,
  run,
  dis,
};

export const bpfCommand: Command = {
  name: 'bpf',
  summary: 'check, run (with a trace) and disassemble classic BPF socket filters',
  usage,
  booleans: ['json', 'trace'],
  async run(argv, output) {
    const args = parseArgs(argv, this.booleans);
    const [action, path, ...extra] = args.positional;
    if (action === undefined || !(action in actions)) {
      throw new UsageError(
        action === undefined ? 'knr bpf needs check, run or dis' : `unknown action '${action}'`,
      );
    }
    if (path === undefined) throw new UsageError(`knr bpf ${action} needs a PROGRAM_FILE`);
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    try {
      return actions[action](path, args, output);
    } catch (error) {
      if (!(error instanceof ProgramSyntaxError)) throw error;
      if (booleanFlag(args, 'json')) {
        const { line, column, problem } = error;
        output.out(JSON.stringify({ file: path, error: { line, column, message: problem } }, null, 2));
      } else {
        output.err(`${path}:${error.line}:${error.column}: ${error.problem}`);
      }
      return 1;
    }
  },
};
