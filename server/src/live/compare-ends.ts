// Compares the models' packet ends with the live kernel's, packet by packet: the ends of each statement
// in the order they happened, then those still queued when main returned. A pair differs by how it
// ended, its function, or its drop reason. A model declares from the source where the kernel reports an
// end otherwise, and each declared end is shown as declared, never dropped:
// - endsReportedAs, on a model: the kernel names another function (a tail call names the model's
//   caller, inlining the function it is inlined into; knr check-models checks each declaration);
// - EndDeclaration, on an end: the kernel reports other ends in its place (none, or ends in other
//   functions), for every kernel or only for live kernels from a later upstream change on (by the live
//   kernel's release): on an older kernel the model's own end is compared, so a kernel that reports
//   the new ends there is a difference.
import {
  modelDefinition,
  releaseHasChange,
  type EndDeclaration,
  type EndLocationDeclaration,
  type ExpectedKernelEnd,
  type PacketEnd,
} from '../models';
import type { KernelPacketEnd } from '../scenario/result';

/** A model end, with its 1-based line in the indexed tree when the anchor resolved. */
export type ModelPacketEnd = PacketEnd & { line?: number };

export interface EndDifference {
  /** The statement's result step; absent for ends after main returned. */
  statement?: number;
  model?: ModelPacketEnd;
  /** The end the model's declaration expected of this kernel in place of the model's own. */
  expected?: ExpectedKernelEnd;
  kernel?: KernelPacketEnd;
  /** What differs: `how`, `function`, `reason`, or `missing` when one side has no such end. */
  differs: ('how' | 'function' | 'reason' | 'missing')[];
}

export interface DeclaredEndDifference {
  statement?: number;
  model: ModelPacketEnd;
  /** The end the model's declaration expected in place of (or after) its own, which the kernel reported. */
  expected?: ExpectedKernelEnd;
  /** The kernel's end; absent where the declaration is that the kernel reports none. */
  kernel?: KernelPacketEnd;
  /** The model's declaration, in words. */
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

/** What one model end leads the comparison to expect of the kernel: its own end, or a declared one. */
interface Expectation {
  model: ModelPacketEnd;
  /** Set when a declaration replaces the model's own end by this one. */
  expected?: ExpectedKernelEnd;
  /** Set for a declared end, and for a model end the kernel reports none of. */
  declaration?: string;
  /** The declaration is that the kernel reports no end for it. */
  none?: boolean;
  /** The kernel reports `expected` after an RCU grace period: at any later statement, or after the run. */
  late?: boolean;
}

function byStatement<T extends { statement?: number }>(ends: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const end of ends) {
    const key = end.statement ?? -1;
    groups.set(key, [...(groups.get(key) ?? []), end]);
  }
  return groups;
}

/** Whether the end's declaration holds for a kernel of `release` (undefined: the release is unknown). */
function declarationApplies(declared: EndDeclaration, release: string | undefined): boolean {
  if (!declared.change) return true;
  return release !== undefined && releaseHasChange(release, declared.change);
}

/** The kernel ends one model end stands for on a kernel of `release`. */
function expectationsOf(end: ModelPacketEnd, release: string | undefined): Expectation[] {
  const declared = end.declared;
  if (!declared || !declarationApplies(declared, release)) return [{ model: end }];
  const declaration = describeEndDeclaration(declared);
  const own: Expectation[] = declared.ownEndKept ? [{ model: end }] : [];
  if (declared.kernel.length === 0 && !declared.ownEndKept) return [{ model: end, declaration, none: true }];
  const late = declared.afterGracePeriod === true;
  return [...own, ...declared.kernel.map((expected) => ({ model: end, expected, declaration, late }))];
}

/**
 * `release`: the live kernel's (uname -r), which the version-range declarations are matched against;
 * without it they do not apply.
 */
export function compareEnds(
  model: readonly ModelPacketEnd[],
  kernel: readonly KernelPacketEnd[] | undefined,
  unavailable?: string,
  release?: string,
): EndsComparison {
  const comparison: EndsComparison = { compared: 0, agreed: [], differences: [], declared: [] };
  if (!kernel) {
    comparison.unavailable = unavailable ?? 'the live run recorded no packet ends';
    return comparison;
  }
  const expectations = model.flatMap((end) => expectationsOf(end, release));
  // The ends reported after a grace period are paired first, wherever they fell; the rest in order.
  const remaining = [...kernel];
  for (const late of expectations.filter((e) => e.late)) pairLate(comparison, late, remaining);
  const ended = expectations.filter((e) => e.model.how !== 'queued' && !e.late);
  for (const none of ended.filter((e) => e.none)) {
    comparison.compared++;
    comparison.declared.push({
      statement: none.model.statement,
      model: none.model,
      declaration: none.declaration!,
    });
  }
  const modelEnded = byStatement(
    ended.filter((e) => !e.none).map((e) => ({ ...e, statement: e.model.statement })),
  );
  const kernelEnded = byStatement(remaining.filter((end) => end.how !== 'queued'));
  const statements = [...new Set([...modelEnded.keys(), ...kernelEnded.keys()])].sort((a, b) => a - b);
  for (const statement of statements) {
    pairUp(comparison, statement, modelEnded.get(statement) ?? [], kernelEnded.get(statement) ?? []);
  }
  pairUp(
    comparison,
    undefined,
    expectations.filter((e) => e.model.how === 'queued' && !e.late),
    remaining.filter((end) => end.how === 'queued'),
  );
  return comparison;
}

/**
 * An end the kernel reports after an RCU grace period: the first kernel end like the expected one from
 * the model end's statement on (after main, released by the exit: `queued`) is its; without one, the
 * grace period ended after the run, and the kernel has no end for it in the trace.
 */
function pairLate(into: EndsComparison, late: Expectation, kernel: KernelPacketEnd[]): void {
  into.compared++;
  const expected = late.expected!;
  const at = kernel.findIndex(
    (k) =>
      (k.statement === undefined || k.statement >= late.model.statement) &&
      (k.how === 'queued' || k.how === expected.how) &&
      differsFrom({ ...expected, how: k.how === 'queued' ? 'queued' : expected.how }, k).length === 0,
  );
  const declaration = late.declaration!;
  if (at < 0) {
    into.declared.push({ model: late.model, declaration: `${declaration}: no end within the run` });
    return;
  }
  const [k] = kernel.splice(at, 1);
  const statement = k.statement === undefined ? {} : { statement: k.statement };
  into.declared.push({ ...statement, model: late.model, expected, kernel: k, declaration });
}

function pairUp(
  into: EndsComparison,
  statement: number | undefined,
  model: readonly Expectation[],
  kernel: readonly KernelPacketEnd[],
): void {
  for (let i = 0; i < Math.max(model.length, kernel.length); i++) {
    into.compared++;
    const expectation = model[i];
    const k = kernel[i];
    const at = statement === undefined ? {} : { statement };
    if (expectation?.none && !k) {
      into.declared.push({ ...at, model: expectation.model, declaration: expectation.declaration! });
      continue;
    }
    if (!expectation || !k) {
      into.differences.push({
        ...at,
        ...(expectation ? { model: expectation.model } : {}),
        ...(expectation?.expected ? { expected: expectation.expected } : {}),
        ...(k ? { kernel: k } : {}),
        differs: ['missing'],
      });
      continue;
    }
    const m = expectation.model;
    if (expectation.expected) {
      const differs = differsFrom(expectation.expected, k);
      if (differs.length > 0)
        into.differences.push({ ...at, model: m, expected: expectation.expected, kernel: k, differs });
      else
        into.declared.push({
          ...at,
          model: m,
          expected: expectation.expected,
          kernel: k,
          declaration: expectation.declaration!,
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

function differsFrom(
  expected: Omit<ExpectedKernelEnd, 'how'> & { how: KernelPacketEnd['how'] },
  k: KernelPacketEnd,
): EndDifference['differs'] {
  const differs: EndDifference['differs'] = [];
  if (expected.how !== k.how) differs.push('how');
  if (expected.function !== k.function) differs.push('function');
  if ((expected.reason ?? '') !== (k.reason ?? '')) differs.push('reason');
  return differs;
}

/** An end declaration in words: from which kernel and upstream change, and why. */
export function describeEndDeclaration(declared: EndDeclaration): string {
  const change = declared.change;
  const from = change ? `from ${change.since} on (${change.commit} "${change.subject}"): ` : '';
  return `${from}${declared.why}`;
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

function expectedSide(expected: ExpectedKernelEnd): string {
  const reason = expected.reason ? ` (${expected.reason})` : '';
  return `${expected.how} in ${expected.function}${reason}`;
}

export function describeEndDifference(difference: EndDifference): string {
  const declared = difference.expected
    ? `, declared to be reported as ${expectedSide(difference.expected)}`
    : '';
  const model = difference.model ? `${modelSide(difference.model)}${declared}` : 'no end';
  const kernel = difference.kernel ? kernelSide(difference.kernel) : 'no end';
  return `${statementLabel(difference.statement)}: model ${model}; kernel ${kernel} (differs: ${difference.differs.join(', ')})`;
}

export function describeDeclaredDifference(declared: DeclaredEndDifference): string {
  return (
    `${statementLabel(declared.statement)}: model ${modelSide(declared.model)}` +
    `${declared.expected ? `, declared to be reported as ${expectedSide(declared.expected)}` : ''}; ` +
    `kernel ${declared.kernel ? kernelSide(declared.kernel) : 'no end'}` +
    ` (declared: ${declared.declaration})`
  );
}
