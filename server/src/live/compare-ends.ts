// Compares the models' packet ends with the live kernel's, packet by packet: the ends of each statement
// in the order they happened, then those still queued when main returned. A pair differs by how it
// ended, its function, or its drop reason. Where a model declares from the source that the kernel names
// another function (endsReportedAs: a tail call names the model's caller, inlining the function it is
// inlined into; knr check-models checks each declaration), a kernel end there is a declared difference:
// shown as declared, never dropped.
import { modelDefinition, type EndLocationDeclaration, type PacketEnd } from '../models';
import type { KernelPacketEnd } from '../scenario/result';

/** A model end, with its 1-based line in the indexed tree when the anchor resolved. */
export type ModelPacketEnd = PacketEnd & { line?: number };

export interface EndDifference {
  /** The statement's result step; absent for ends after main returned. */
  statement?: number;
  model?: ModelPacketEnd;
  kernel?: KernelPacketEnd;
  /** What differs: `how`, `function`, `reason`, or `missing` when one side has no such end. */
  differs: ('how' | 'function' | 'reason' | 'missing')[];
}

export interface DeclaredEndDifference {
  statement?: number;
  model: ModelPacketEnd;
  kernel: KernelPacketEnd;
  /** The model's declaration, from its definition. */
  declaration: string;
}

/** A pair of ends that agree by how, function and reason. */
export interface AgreedEnd {
  statement?: number;
  model: ModelPacketEnd;
  kernel: KernelPacketEnd;
}

export interface EndsComparison {
  /** Pairs compared (and ends without a partner). */
  compared: number;
  agreed: AgreedEnd[];
  differences: EndDifference[];
  declared: DeclaredEndDifference[];
  /** Why the kernel's ends were not recorded; then nothing was compared. */
  unavailable?: string;
}

function byStatement<T extends { statement?: number }>(ends: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const end of ends) {
    const key = end.statement ?? -1;
    groups.set(key, [...(groups.get(key) ?? []), end]);
  }
  return groups;
}

export function compareEnds(
  model: readonly ModelPacketEnd[],
  kernel: readonly KernelPacketEnd[] | undefined,
  unavailable?: string,
): EndsComparison {
  const comparison: EndsComparison = { compared: 0, agreed: [], differences: [], declared: [] };
  if (!kernel) {
    comparison.unavailable = unavailable ?? 'the live run recorded no packet ends';
    return comparison;
  }
  const modelEnded = byStatement(model.filter((end) => end.how !== 'queued'));
  const kernelEnded = byStatement(kernel.filter((end) => end.how !== 'queued'));
  const statements = [...new Set([...modelEnded.keys(), ...kernelEnded.keys()])].sort((a, b) => a - b);
  for (const statement of statements) {
    pairUp(comparison, statement, modelEnded.get(statement) ?? [], kernelEnded.get(statement) ?? []);
  }
  pairUp(
    comparison,
    undefined,
    model.filter((end) => end.how === 'queued'),
    kernel.filter((end) => end.how === 'queued'),
  );
  return comparison;
}

function pairUp(
  into: EndsComparison,
  statement: number | undefined,
  model: readonly ModelPacketEnd[],
  kernel: readonly KernelPacketEnd[],
): void {
  for (let i = 0; i < Math.max(model.length, kernel.length); i++) {
    into.compared++;
    const m = model[i];
    const k = kernel[i];
    const at = statement === undefined ? {} : { statement };
    if (!m || !k) {
      into.differences.push({
        ...at,
        ...(m ? { model: m } : {}),
        ...(k ? { kernel: k } : {}),
        differs: ['missing'],
      });
      continue;
    }
    const differs: EndDifference['differs'] = [];
    if (m.how !== k.how) differs.push('how');
    if ((m.reason ?? '') !== (k.reason ?? '') && m.how !== 'queued') differs.push('reason');
    // A queued end's kernel function is where the program's exit released it, the model's where it
    // was queued: they name different moments, so only `how` is compared.
    let declaration: string | undefined;
    if (m.how !== 'queued' && m.function !== k.function) {
      const declared = modelDefinition(m.function)?.endsReportedAs;
      if (declared && declaredFunction(declared, m) === k.function) {
        declaration = describeDeclaration(m.function, declared);
      } else differs.push('function');
    }
    if (differs.length > 0) into.differences.push({ ...at, model: m, kernel: k, differs });
    else if (declaration !== undefined) into.declared.push({ ...at, model: m, kernel: k, declaration });
    else into.agreed.push({ ...at, model: m, kernel: k });
  }
}

function declaredFunction(declared: EndLocationDeclaration, end: ModelPacketEnd): string | undefined {
  return declared.why === 'tail-call' ? end.caller : declared.into;
}

/** The declaration in words, as compare and check-models print it. */
export function describeDeclaration(fn: string, declared: EndLocationDeclaration): string {
  return declared.why === 'tail-call'
    ? `${fn} ends with a tail call to the freeing function: the kernel reports its caller`
    : `${fn} is inlined into ${declared.into}: the kernel reports ${declared.into}`;
}

function modelSide(end: ModelPacketEnd): string {
  const where = end.line ? `${end.file}:${end.line}` : `${end.file} (${end.anchor})`;
  const reason = end.reason ? ` (${end.reason})` : '';
  return `${end.how} in ${end.function}${reason} at ${where}`;
}

function kernelSide(end: KernelPacketEnd): string {
  const reason = end.reason ? ` (${end.reason})` : '';
  const when = end.how === 'queued' ? 'queued, released at exit by' : `${end.how} at`;
  return `${when} ${end.location}${reason}`;
}

function statementLabel(statement: number | undefined): string {
  return statement === undefined ? 'after main' : `statement #${statement}`;
}

export function describeEndDifference(difference: EndDifference): string {
  const model = difference.model ? modelSide(difference.model) : 'no end';
  const kernel = difference.kernel ? kernelSide(difference.kernel) : 'no end';
  return `${statementLabel(difference.statement)}: model ${model}; kernel ${kernel} (differs: ${difference.differs.join(', ')})`;
}

export function describeDeclaredDifference(declared: DeclaredEndDifference): string {
  return (
    `${statementLabel(declared.statement)}: model ${modelSide(declared.model)}; kernel ${kernelSide(declared.kernel)}` +
    ` (declared: ${declared.declaration})`
  );
}
