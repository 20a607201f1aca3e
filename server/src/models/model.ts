// What pairs a model with its kernel function: the function's name and file, and the anchors, the
// stable source patterns in that function that the model's steps point at. Every model declares
// its anchors up front so that `knr check-models` can resolve all of them without running anything.

/** Kernel versions whose behaviour the models distinguish (the tree's VERSION.PATCHLEVEL). */
export type KernelSeries = '6.1' | '6.12';

export interface AnchorSpec {
  /**
   * Text that appears in the function body, compared with runs of whitespace folded to one space.
   * The first line that contains it (or, for a multi-line pattern, where it starts) is the anchor's line.
   */
  pattern: string;
  /** Only these series have this construct; elsewhere the anchor is a known per-version difference. */
  only?: readonly KernelSeries[];
}

export interface ModelDefinition {
  /** The kernel function's name. */
  name: string;
  /** The file that defines it, relative to the kernel root. */
  file: string;
  /** Named anchors; the key is what a model step names. */
  anchors: Readonly<Record<string, AnchorSpec>>;
  /** True for coarse models of code the seed does not walk (device receive, ICMP replies). */
  coarse?: boolean;
  /** The series where the function exists; elsewhere its absence is a known per-version difference. */
  only?: readonly KernelSeries[];
  /**
   * Declared from the source: the kernel's skb tracepoints name another function as the location of
   * the ends this one causes. `knr check-models` checks each declaration against the indexed tree, and
   * `knr compare` shows every end it applies to as declared.
   */
  endsReportedAs?: EndLocationDeclaration;
}

/**
 * `tail-call`: the body is the single call that ends the skb (`consume_skb(skb);`), compiled as a jump,
 * so the return address the tracepoint reports is in the model's caller. `inlined`: the compiler
 * inlines the function into `into`, one of its direct callers in the tree.
 */
export type EndLocationDeclaration = { why: 'tail-call' } | { why: 'inlined'; into: string };

const definitions = new Map<string, ModelDefinition>();

/** Declares a model; names are unique across the models. */
export function defineModel(
  name: string,
  file: string,
  anchors: Record<string, string | AnchorSpec>,
  options: { coarse?: boolean; only?: readonly KernelSeries[]; endsReportedAs?: EndLocationDeclaration } = {},
): ModelDefinition {
  if (definitions.has(name)) throw new Error(`model ${name} is defined twice`);
  const normalised: Record<string, AnchorSpec> = {};
  for (const [key, value] of Object.entries(anchors)) {
    normalised[key] = typeof value === 'string' ? { pattern: value } : value;
  }
  const definition: ModelDefinition = { name, file, anchors: normalised, ...options };
  definitions.set(name, definition);
  return definition;
}

/** Every declared model, in declaration order. */
export function allModelDefinitions(): ModelDefinition[] {
  return [...definitions.values()];
}

export function modelDefinition(name: string): ModelDefinition | undefined {
  return definitions.get(name);
}
