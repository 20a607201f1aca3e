// What one C file contributes to the index. Produced by the extractor (in a parser worker), stored
// per file, persisted, and linked across files by KernelIndex. Plain data: no tree-sitter objects,
// no LSP types. Lines and columns are 0-based here; front ends convert.

export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface FunctionFact {
  name: string;
  span: Span;
  /** The span of the name identifier, for navigation. */
  nameSpan: Span;
  isStatic: boolean;
  /** `true` for a definition with a body, `false` for a prototype. */
  isDefinition: boolean;
  /** The declaration text up to the body, whitespace folded: `int packet_recvmsg(struct socket *sock, ...)`. */
  signature: string;
  /** Raw kernel-doc or plain comment right above, if any. */
  doc?: string;
}

export interface FieldFact {
  name: string;
  nameSpan: Span;
  /** The field's type text, e.g. `const struct proto_ops *`. */
  type: string;
  /** The struct/union tag the type names, if any (`proto_ops` for `const struct proto_ops *`). */
  typeTag?: string;
  /** Set for function-pointer fields. */
  isFunctionPointer: boolean;
}

export interface StructFact {
  /** The tag (`proto_ops`), or the typedef name for an anonymous typedef'd struct. */
  name: string;
  kind: 'struct' | 'union';
  span: Span;
  nameSpan: Span;
  fields: FieldFact[];
  doc?: string;
}

export interface TypedefFact {
  name: string;
  nameSpan: Span;
  /** The aliased type's text. */
  type: string;
  /** The struct/union tag it aliases, if any. */
  typeTag?: string;
}

/** A named enum, `enum skb_drop_reason { ... }`: a definition of its tag. */
export interface EnumFact {
  name: string;
  nameSpan: Span;
  /** From `enum` to the closing brace. */
  span: Span;
}

export interface EnumConstantFact {
  name: string;
  nameSpan: Span;
  /** The initialiser text, if written. */
  valueText?: string;
  /** The enum's tag, when it has one. */
  enumName?: string;
  /** Position in its enum, for constants without an initialiser. */
  index: number;
}

export interface MacroFact {
  name: string;
  nameSpan: Span;
  /** Object-like macros only: the replacement text, comments removed, whitespace folded. */
  value: string;
}

/**
 * A function-like macro, `#define max_t(type, x, y) ...`. Kept apart from object-like ones, whose
 * values the constant evaluator reads, and read from the text in every file (not from the syntax
 * tree: tree-sitter-c loses a #define with a comment inside a continued body).
 */
export interface FunctionMacroFact {
  name: string;
  nameSpan: Span;
  /** The parameter list as written, blanks folded: `type, x, y`, `fmt, ...`, or empty. */
  parameters: string;
  /**
   * The replacement text: comments removed, one line per continued line (trailing blanks dropped,
   * blank lines left out), shortened to `macroBodyLimits` with a last line `...`.
   */
  body: string;
}

export interface VariableFact {
  name: string;
  nameSpan: Span;
  isStatic: boolean;
  /** `extern` or tentative declaration without initialiser. */
  isDeclarationOnly: boolean;
  type: string;
  typeTag?: string;
  isArray: boolean;
}

/** How strong a link is, strongest first. */
export type Evidence = 'initializer' | 'assignment' | 'type-matched-call' | 'name-only';

export const evidenceStrength: Record<Evidence, number> = {
  initializer: 4,
  assignment: 3,
  'type-matched-call': 1,
  'name-only': 0,
};

/**
 * One `.field = value` in a table's initialiser. For arrays of tables (`inetsw_array[]`), `element`
 * is the element index; nested initialisers give dotted paths (`prot_hook.func`).
 */
export interface SlotFact {
  table: string;
  /** The table's struct tag (of the element, for arrays). */
  struct: string;
  element?: number;
  /** Field path inside the struct: `recvmsg`, or `ops.recvmsg` for a nested initialiser. */
  field: string;
  /** The identifier assigned, without `&`. */
  value: string;
  /** `true` when written `&value`. */
  addressOf: boolean;
  span: Span;
  /** Recovered from an `#ifdef` block that tree-sitter turned into an ERROR node. */
  recovered: boolean;
}

export interface TableFact {
  name: string;
  struct: string;
  nameSpan: Span;
  span: Span;
  isStatic: boolean;
  isArray: boolean;
  /** Number of elements for an array of tables. */
  elements: number;
}

/** A run-time assignment in a function body: `sock->ops = &packet_ops_spkt;`, `po->prot_hook.func = packet_rcv;`. */
export interface BindingFact {
  /** The enclosing function. */
  function: string;
  /** The receiver's type chain, resolved at link time (see TypePath). */
  target: TypePath;
  /** The assigned field. */
  field: string;
  value: string;
  addressOf: boolean;
  span: Span;
}

/** A call that makes a table reachable: `sock_register(&packet_family_ops)`. */
export interface RegistrationFact {
  function: string;
  registrar: string;
  /** The table (or function) passed. */
  value: string;
  span: Span;
}

/**
 * A run-time copy of one field from another: `sch->dequeue = ops->dequeue;` (the `Qdisc`'s field takes
 * whatever the `Qdisc_ops` field holds). Resolved at query time: every implementation of the source
 * field is one of the target field.
 */
export interface CopyFact {
  /** The enclosing function. */
  function: string;
  target: TypePath;
  field: string;
  /** The receiver the value is read from, and its field. */
  source: TypePath;
  sourceField: string;
  span: Span;
}

/**
 * A name passed as an argument of a call, which may be a function handed on to be called:
 * `NF_HOOK(..., ip_local_deliver_finish)`. Names of locals, parameters and the file's own variables
 * are never recorded; whether the name is a function is decided at query time.
 */
export interface ArgumentFact {
  /** The enclosing function. */
  function: string;
  /** The name passed. */
  name: string;
  /** The function or macro called with it. */
  passedTo: string;
  line: number;
  column: number;
}

/**
 * A receiver's static type, as far as one file can tell: the root type (a struct tag, from a
 * parameter, local, global, cast or container_of) and the fields walked from it. The struct field
 * types that complete the walk live in headers, so KernelIndex resolves it after all files are read.
 */
export interface TypePath {
  /** Struct tag or typedef name of the root expression, when this file knows it. */
  root?: string;
  /** Otherwise: a global variable, typed in another file. */
  global?: string;
  /** Otherwise: a function whose return type is the root (`pkt_sk(sk)->...`). */
  returnedBy?: string;
  fields: string[];
}

/** A call site, kept small: a whole tree has millions. The callee's name starts at (line, column). */
export interface CallFact {
  /** The enclosing function. */
  caller: string;
  line: number;
  column: number;
  /** Direct call: the function's name. Indirect call: the field name. */
  callee: string;
  /** Present for an indirect call through a field: the type of the expression the field is read from. */
  receiver?: TypePath;
  /** The wrapper macro that carried the call (`INDIRECT_CALL_INET`), if any. */
  via?: string;
}

export interface FileFacts {
  /** Path relative to the kernel root, `/`-separated. */
  file: string;
  functions: FunctionFact[];
  structs: StructFact[];
  typedefs: TypedefFact[];
  enums: EnumFact[];
  enumConstants: EnumConstantFact[];
  macros: MacroFact[];
  functionMacros: FunctionMacroFact[];
  variables: VariableFact[];
  tables: TableFact[];
  slots: SlotFact[];
  bindings: BindingFact[];
  registrations: RegistrationFact[];
  copies: CopyFact[];
  calls: CallFact[];
  arguments: ArgumentFact[];
  /** Number of ERROR/MISSING nodes tree-sitter produced. */
  parseErrors: number;
}

export function emptyFileFacts(file: string): FileFacts {
  return {
    file,
    functions: [],
    structs: [],
    typedefs: [],
    enums: [],
    enumConstants: [],
    macros: [],
    functionMacros: [],
    variables: [],
    tables: [],
    slots: [],
    bindings: [],
    registrations: [],
    copies: [],
    calls: [],
    arguments: [],
    parseErrors: 0,
  };
}
