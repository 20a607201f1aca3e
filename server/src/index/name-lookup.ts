// What a name means where it is written: its definitions of every kind, ranked as the asking file
// sees them (definition-rank.ts), what a direct call of it reaches, and the value of a constant.
import { evaluateConstantExpression } from './constant-expression';
import {
  acrossKernelBoundary,
  isHeader,
  isVisibleFrom,
  rankDefinitions,
  type RankedEntry,
} from './definition-rank';
import { PerGeneration } from './derived-cache';
import type { EnumConstantFact, FunctionFact, FunctionMacroFact, StructFact } from './facts';
import type { IndexStores, Located } from './index-stores';
import type { SymbolLocation } from './queries';

/** How the linker sees a function definition, for ranking and visibility. */
export const linkage = (entry: Located<FunctionFact>): RankedEntry => ({
  file: entry.file,
  isStatic: entry.fact.isStatic,
  linkable: true,
});

export class NameLookup {
  /** Structs by name, asked again and again while linking. */
  private readonly structCache = new PerGeneration<IndexStores, Map<string, Located<StructFact>[]>>(
    () => new Map(),
  );

  constructor(private readonly stores: IndexStores) {}

  /**
   * Entries best first for `fromFile` (definition-rank.ts). `isStatic` is given for what the linker
   * sees (functions, variables); the rest (macros, types) belongs to its file unless in a header.
   */
  ranked<T>(
    entries: readonly Located<T>[],
    fromFile: string | undefined,
    isStatic?: (fact: T) => boolean,
  ): Located<T>[] {
    const wrapped = entries.map((located) => ({
      file: located.file,
      isStatic: isStatic ? isStatic(located.fact) : false,
      linkable: isStatic !== undefined,
      located,
    }));
    return rankDefinitions(wrapped, fromFile, this.stores.preferredArch).map((w) => w.located);
  }

  structsNamed(name: string): Located<StructFact>[] {
    const cache = this.structCache.get(this.stores);
    let cached = cache.get(name);
    if (!cached) {
      cached = this.stores.lookup('structs', 'name', name);
      cache.set(name, cached);
    }
    return cached;
  }

  /** `detail` reads the signature when it is read (see RowCodec.textWhenRead). */
  functionLocation(entry: Located<FunctionFact>): SymbolLocation {
    return {
      kind: 'function',
      name: entry.fact.name,
      file: entry.file,
      span: entry.fact.nameSpan,
      extent: entry.fact.span,
      get detail() {
        return entry.fact.signature;
      },
    };
  }

  /**
   * Function definitions of `name` as `fromFile` sees them, best first: its own, else the visible
   * ones (non-static, or in a header it includes); only when none is visible, the others.
   */
  functionDefinitions(name: string, fromFile?: string): Located<FunctionFact>[] {
    const all = this.stores.lookup('functions', 'name', name);
    const bodies = all.filter((entry) => entry.fact.isDefinition);
    const local = bodies.filter((entry) => entry.file === fromFile);
    if (local.length > 0) return local;
    const ranked = this.ranked(bodies.length > 0 ? bodies : all, fromFile, (f) => f.isStatic);
    const visible = ranked.filter((entry) => isVisibleFrom(linkage(entry), fromFile));
    return visible.length > 0 ? visible : ranked;
  }

  private functionMacroLocation(entry: Located<FunctionMacroFact>): SymbolLocation {
    return {
      kind: 'macro',
      name: entry.fact.name,
      file: entry.file,
      span: entry.fact.nameSpan,
      // Reads the body when it is read (see RowCodec.textWhenRead).
      get detail() {
        return functionMacroSummary(entry.fact);
      },
    };
  }

  /**
   * What a call `name(...)` in `fromFile` may reach: functions and function-like macros. As the
   * preprocessor decides: the file's own definitions first, then the macros of headers on the asking
   * file's side of the kernel boundary (included, a macro expands every call of its name), then the
   * functions, then the other macros.
   */
  private callableDefinitions(name: string, fromFile?: string): SymbolLocation[] {
    const macros = this.ranked(this.stores.lookup('functionMacros', 'name', name), fromFile);
    const functions = this.functionDefinitions(name, fromFile);
    if (macros.length === 0) return functions.map((e) => this.functionLocation(e));
    const own = (entry: Located<unknown>) => entry.file === fromFile;
    const included = (entry: Located<unknown>) =>
      !own(entry) && isHeader(entry.file) && !acrossKernelBoundary(entry.file, fromFile);
    return [
      ...macros.filter(own).map((e) => this.functionMacroLocation(e)),
      ...functions.filter(own).map((e) => this.functionLocation(e)),
      ...macros.filter(included).map((e) => this.functionMacroLocation(e)),
      ...functions.filter((e) => !own(e)).map((e) => this.functionLocation(e)),
      ...macros.filter((e) => !own(e) && !included(e)).map((e) => this.functionMacroLocation(e)),
    ];
  }

  /** What a direct call `name(...)` in `file` reaches, best first: kernel definitions before a selftest's. */
  directCallTargets(name: string, file: string): SymbolLocation[] {
    const callable = this.callableDefinitions(name, file);
    const across = (symbol: SymbolLocation) => acrossKernelBoundary(symbol.file, file);
    return [...callable.filter((symbol) => !across(symbol)), ...callable.filter(across)];
  }

  definitions(name: string, fromFile?: string): SymbolLocation[] {
    const { stores } = this;
    const found: (RankedEntry & { symbol: SymbolLocation })[] = [];
    const add = (
      entry: { file: string; isStatic?: boolean; isDeclarationOnly?: boolean },
      symbol: Omit<SymbolLocation, 'name' | 'file'>,
    ) =>
      found.push({
        file: entry.file,
        isStatic: entry.isStatic ?? false,
        linkable: entry.isStatic !== undefined,
        isDeclarationOnly: entry.isDeclarationOnly,
        symbol: { name, file: entry.file, ...symbol },
      });
    for (const e of this.functionDefinitions(name, fromFile)) {
      const isDeclarationOnly = !e.fact.isDefinition;
      add({ file: e.file, isStatic: e.fact.isStatic, isDeclarationOnly }, this.functionLocation(e));
    }
    for (const e of stores.lookup('functionMacros', 'name', name))
      add(e, { kind: 'macro', span: e.fact.nameSpan, detail: functionMacroSummary(e.fact) });
    for (const e of this.structsNamed(name)) {
      const detail = `${e.fact.kind} ${name}`;
      add(e, { kind: 'struct', span: e.fact.nameSpan, extent: e.fact.span, detail });
    }
    for (const e of stores.lookup('typedefs', 'name', name))
      add(e, { kind: 'typedef', span: e.fact.nameSpan, detail: `typedef ${e.fact.type} ${name}` });
    for (const e of stores.lookup('enums', 'name', name))
      add(e, { kind: 'enum', span: e.fact.nameSpan, extent: e.fact.span, detail: `enum ${name}` });
    for (const e of stores.lookup('macros', 'name', name))
      add(e, { kind: 'macro', span: e.fact.nameSpan, detail: `#define ${name} ${e.fact.value}` });
    const constants = stores.lookup('enumConstants', 'name', name);
    if (constants.length > 0) {
      const value = this.evaluateConstant(name);
      for (const e of constants) {
        const detail = `${name} = ${value ?? e.fact.valueText ?? '?'}`;
        add(e, { kind: 'enum-constant', span: e.fact.nameSpan, detail, container: e.fact.enumName });
      }
    }
    const variables = stores.lookup('variables', 'name', name);
    const ownStatic = variables.filter((e) => e.file === fromFile && e.fact.isStatic);
    const candidates =
      ownStatic.length > 0
        ? ownStatic
        : variables.filter((e) =>
            isVisibleFrom({ file: e.file, isStatic: e.fact.isStatic, linkable: true }, fromFile),
          );
    const defined = candidates.filter((e) => !e.fact.isDeclarationOnly);
    const tableFiles = new Set(stores.lookup('tables', 'name', name).map((t) => t.file));
    for (const e of defined.length > 0 ? defined : candidates) {
      add(
        { file: e.file, isStatic: e.fact.isStatic },
        {
          kind: tableFiles.has(e.file) ? 'table' : 'variable',
          span: e.fact.nameSpan,
          detail: `${e.fact.type} ${name}`,
        },
      );
    }
    // One ranking across kinds: kernel code asking finds the kernel's `NULL` macro before a
    // selftest's function of the same name; a tie keeps the kinds in the order above.
    return rankDefinitions(found, fromFile, stores.preferredArch).map((entry) => entry.symbol);
  }

  functionAt(file: string, line: number): FunctionFact | undefined {
    return this.stores
      .factsOf(file, 'functions')
      .find((f) => f.isDefinition && f.span.line <= line && line <= f.span.endLine);
  }

  struct(name: string, fromFile?: string): { fact: StructFact; file: string } | undefined {
    const entry = this.ranked(this.structsNamed(name), fromFile)[0];
    return entry ? { fact: entry.fact, file: entry.file } : undefined;
  }

  macroValue(name: string): string | undefined {
    const macro = this.ranked(this.stores.lookup('macros', 'name', name), undefined)[0];
    if (macro) return macro.fact.value;
    const constants = this.stores.lookup('enumConstants', 'name', name);
    const constant = this.ranked(constants, undefined)[0];
    if (!constant) return undefined;
    if (constant.fact.valueText !== undefined) return constant.fact.valueText;
    return this.implicitEnumValue(constant);
  }

  /** An enum constant without initialiser is its predecessor plus one (or 0 when first). */
  private implicitEnumValue(constant: Located<EnumConstantFact>): string {
    if (constant.fact.index === 0) return '0';
    const siblings = this.stores.factsOf(constant.file, 'enumConstants');
    const at = siblings.findIndex(
      (sibling) =>
        sibling.name === constant.fact.name && sibling.nameSpan.line === constant.fact.nameSpan.line,
    );
    const previous = siblings[at - 1];
    return previous ? `(${previous.name}) + 1` : String(constant.fact.index);
  }

  evaluateConstant(expression: string): number | undefined {
    const value = evaluateConstantExpression(expression, (name) => this.macroValue(name));
    return value === undefined ? undefined : Number(value);
  }
}

/** `#define max_t(type, x, y) ({ ...`: the head and the body's first line. */
function functionMacroSummary(fact: FunctionMacroFact): string {
  const lineBreak = fact.body.indexOf('\n');
  const firstLine = lineBreak === -1 ? fact.body : `${fact.body.slice(0, lineBreak)} ...`;
  return `#define ${fact.name}(${fact.parameters}) ${firstLine}`.trimEnd();
}
