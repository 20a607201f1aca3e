// Classic BPF socket filters (SO_ATTACH_FILTER): the kernel's checker and interpreter as a pure model.
//
//   parseProgram(text)                  -> { instructions, positions, format }   (throws ProgramSyntaxError)
//   checkClassicFilter(instructions, o) -> { accepted: true, program, ... }
//                                        | { accepted: false, errno, index?, reason, rejectedBy }
//   runClassicFilter(program, packet, context, { trace })  -> { result, end, steps }
//   filterVerdict(result, packetLength, cap)  -> what sk_filter_trim_cap does with the result
//   disassemble(instructions)           -> assembler text that parseProgram reads back
//
// runClassicFilter takes only the CheckedProgram an accepting verdict carries, so nothing runs a
// program the kernel would have refused. The packet starts where skb->data does (MAC header for a
// packet socket, IP header for a raw IPv4 socket); packetSocketContext and rawIpv4SocketContext
// build the matching FilterContext. Kernel differences (6.1 / 6.12) are in kernel-profile.ts.
export { parseProgram, detectFormat } from './parse';
export type { ParsedProgram, ProgramFormat } from './parsed-program';
export { ProgramSyntaxError, type SourcePosition } from './syntax-error';
export {
  checkClassicFilter,
  errnoValues,
  type CheckedProgram,
  type CheckOptions,
  type FilterAccepted,
  type FilterErrno,
  type FilterRejected,
  type FilterVerdict,
  type RejectingFunction,
} from './checker';
export {
  runClassicFilter,
  type FilterEnd,
  type FilterRun,
  type FilterStep,
  type RunOptions,
} from './interpreter';
export { filterVerdict, type TrimVerdict } from './trim';
export { disassemble, describeInstruction } from './disassembler';
export {
  packetSocketContext,
  rawIpv4SocketContext,
  type FilterContext,
  type FilterDevice,
  type FilterVlanTag,
} from './context';
export { kernelProfiles, defaultKernelVersion, isKernelVersion, type KernelVersion } from './kernel-profile';
export { instruction, type ClassicInstruction, type ClassicProgram } from './opcodes';
