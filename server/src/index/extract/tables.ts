// Ops tables: a variable of struct type with an initialiser, its `.field = value` slots (nested
// lists, arrays, what error recovery left of `#ifdef`ed fields, fields a macro of the file fills).
import type { Node } from 'web-tree-sitter';
import type { SlotFact, Span } from '../facts';
import { nameSpanOf, type ExtractContext } from './context';
import { spanOf } from '../../parse/node-span';
import { declaratorShape, hasStorageClass, storedNames, typeTagOf } from './node-shapes';

/** Designators, nested braces, assignments, comments, directives: what `read` must look at nodes for. */
const mayHoldSlots = /[.={/#]/;

/** Reads `.field = value` pairs of an initialiser list into slots, recursing into nested lists. */
class InitializerReader {
  constructor(
    private readonly cx: ExtractContext,
    private readonly table: string,
    private readonly struct: string,
    private readonly isArrayRoot: boolean,
  ) {}

  private get slots(): SlotFact[] {
    return this.cx.facts.slots;
  }

  /** Reads one list; returns how many of its named children are not comments. */
  read(list: Node, prefix: string, element: number | undefined): number {
    // Tables of plain values (`{ 0x1f, 0x2e, ... }`) run to thousands of elements. With none of these
    // characters inside the braces the list holds no pair, nested list, recovered field or comment,
    // so its count is one call into WASM instead of a node object per element.
    if (!mayHoldSlots.test(this.cx.source.slice(list.startIndex + 1, list.endIndex)))
      return list.namedChildCount;
    let position = 0;
    let nonComments = 0;
    // The field whose `= {` an ERROR node before a nested list ended with.
    let recoveredField: string | undefined;
    for (const child of list.namedChildren) {
      if (!child) continue;
      const type = child.type;
      switch (type) {
        case 'initializer_pair':
          this.readPair(child, prefix, element, position);
          break;
        case 'initializer_list':
          if (recoveredField !== undefined)
            this.read(child, [prefix, recoveredField].filter(Boolean).join('.'), element);
          else if (prefix === '' && element === undefined && this.isArrayRoot) this.read(child, '', position);
          break;
        case 'assignment_expression':
          // `#ifdef CONFIG_X` before `.field = value` parses as `CONFIG_X.field = value`.
          this.readRecoveredAssignment(child, prefix, element);
          break;
        case 'ERROR':
          this.readRecoveredText(child, prefix, element);
          break;
        default:
          break;
      }
      // `#ifdef CONFIG_X` before `.field = { ... }` parses as an ERROR `CONFIG_X .field =`, then the list.
      if (type !== 'comment')
        recoveredField = type === 'ERROR' ? /\.(\w+)\s*=\s*$/.exec(this.cx.textOf(child))?.[1] : undefined;
      if (type !== 'comment') nonComments++;
      if (type !== 'comment' && type !== 'ERROR') position++;
    }
    return nonComments;
  }

  private readPair(pair: Node, prefix: string, element: number | undefined, position: number): void {
    const { ids } = this.cx;
    const value = pair.childForFieldId(ids.value);
    if (!value) return;
    const designators = pair.childrenForFieldId(ids.designator);
    const fieldNames: string[] = [];
    let index = element;
    for (const designator of designators) {
      const type = designator?.type;
      if (type === 'field_designator')
        fieldNames.push(this.cx.wordOrUndefined(designator!.namedChild(0)) ?? '');
      else if (type === 'subscript_designator' && prefix === '' && this.isArrayRoot) {
        const parsed = Number.parseInt(designator!.namedChild(0)?.text ?? '', 0);
        index = Number.isFinite(parsed) ? parsed : position;
      }
    }
    const path = [prefix, ...fieldNames].filter(Boolean).join('.');
    const valueType = value.type;
    if (valueType === 'initializer_list') {
      this.read(value, path, index);
      return;
    }
    if (fieldNames.length > 0) this.addSlot(path, value, valueType, index, false);
  }

  private readRecoveredAssignment(assignment: Node, prefix: string, element: number | undefined): void {
    const { ids } = this.cx;
    const left = assignment.childForFieldId(ids.left);
    const right = assignment.childForFieldId(ids.right);
    if (!left || !right || left.type !== 'field_expression') return;
    const field = this.cx.wordOrUndefined(left.childForFieldId(ids.field));
    if (!field) return;
    this.addSlot([prefix, field].filter(Boolean).join('.'), right, right.type, element, true);
  }

  private readRecoveredText(error: Node, prefix: string, element: number | undefined): void {
    const pattern = /\.(\w+)\s*=\s*(&?)\s*([A-Za-z_]\w*)\s*[,}]/g;
    const text = this.cx.textOf(error);
    for (const match of text.matchAll(pattern)) {
      const before = text.slice(0, match.index);
      const line = error.startPosition.row + (before.match(/\n/g)?.length ?? 0);
      const column = before.length - before.lastIndexOf('\n') - 1;
      this.slots.push({
        table: this.table,
        struct: this.struct,
        element,
        field: [prefix, match[1]].filter(Boolean).join('.'),
        value: match[3],
        addressOf: match[2] === '&',
        span: { line, column, endLine: line, endColumn: column + match[0].length },
        recovered: true,
      });
    }
  }

  private addSlot(
    field: string,
    value: Node,
    valueType: string,
    element: number | undefined,
    recovered: boolean,
  ): void {
    for (const { name, written, addressOf } of storedNames(this.cx, value, valueType)) {
      this.slots.push({
        table: this.table,
        struct: this.struct,
        element,
        field,
        value: this.cx.wordOf(name),
        addressOf,
        span: spanOf(written),
        recovered,
      });
    }
  }
}

export interface TableDeclaration {
  name: string;
  typeTag: string;
  isArray: boolean;
  isStatic: boolean;
  nameSpan: Span;
  span: Span;
}

/** A table's initialiser: its slots, and the table itself. */
export function readTable(cx: ExtractContext, list: Node, table: TableDeclaration): void {
  const reader = new InitializerReader(cx, table.name, table.typeTag, table.isArray);
  const elements = reader.read(list, '', undefined);
  if (!table.isArray) readMacroFilledSlots(cx, list, table.name, table.typeTag);
  cx.facts.tables.push({
    name: table.name,
    struct: table.typeTag,
    nameSpan: { ...table.nameSpan },
    span: { ...table.span },
    isStatic: table.isStatic,
    isArray: table.isArray,
    elements: table.isArray ? elements : 1,
  });
}

const designatorPattern = /\.(\w+(?:\.\w+)*)\s*=\s*(&?)\s*([A-Za-z_]\w*)\s*(?=[,\\]|$)/g;
/** Macros expanded inside a macro's value, at most this deep (a macro that names itself stops here). */
const macroFillDepth = 4;

/** The file's object-like macros so far whose value holds a designator, by name. */
const designatorMacrosCache = new WeakMap<ExtractContext, { count: number; values: Map<string, string> }>();

function designatorMacros(cx: ExtractContext): Map<string, string> {
  const { macros } = cx.facts;
  const cached = designatorMacrosCache.get(cx);
  if (cached?.count === macros.length) return cached.values;
  const values = new Map<string, string>();
  for (const macro of macros) if (/\.\w+\s*=/.test(macro.value)) values.set(macro.name, macro.value);
  designatorMacrosCache.set(cx, { count: macros.length, values });
  return values;
}

/**
 * Slots a macro of this file fills (`HWSIM_COMMON_OPS` standing for `.tx = mac80211_hwsim_tx, ...`
 * in `mac80211_hwsim_ops`): the macro's designators, each spanning the macro's name in the table.
 */
function readMacroFilledSlots(cx: ExtractContext, list: Node, table: string, struct: string): void {
  const macros = designatorMacros(cx);
  if (macros.size === 0) return;
  const text = cx.textOf(list);
  for (const use of text.matchAll(/\b[A-Za-z_]\w*\b/g)) {
    if (!macros.has(use[0]) || /[=.]\s*$/.test(text.slice(0, use.index))) continue;
    const before = text.slice(0, use.index);
    const line = list.startPosition.row + (before.match(/\n/g)?.length ?? 0);
    const column =
      before.lastIndexOf('\n') === -1
        ? list.startPosition.column + before.length
        : before.length - before.lastIndexOf('\n') - 1;
    const span = { line, column, endLine: line, endColumn: column + use[0].length };
    for (const [field, value, addressOf] of designatorsOf(use[0], macros, macroFillDepth))
      cx.facts.slots.push({ table, struct, field, value, addressOf, span, recovered: true });
  }
}

/** The `.field = value` pairs of a macro's value, with those of the macros it names. */
function designatorsOf(
  name: string,
  macros: Map<string, string>,
  depth: number,
): [string, string, boolean][] {
  const value = macros.get(name);
  if (value === undefined || depth === 0) return [];
  const pairs: [string, string, boolean][] = [];
  for (const match of value.matchAll(designatorPattern)) pairs.push([match[1], match[3], match[2] === '&']);
  for (const inner of value.matchAll(/\b[A-Za-z_]\w*\b/g))
    if (inner[0] !== name && macros.has(inner[0]) && !/[=.]\s*$/.test(value.slice(0, inner.index)))
      pairs.push(...designatorsOf(inner[0], macros, depth - 1));
  return pairs;
}

/**
 * A function's own `static const struct nf_hook_ops ops[] = {...}` is a table like one at file
 * scope. Only its slots and table are facts: the name is not a global variable.
 */
export function readLocalStaticTable(cx: ExtractContext, node: Node): void {
  const { ids } = cx;
  const declarators = node.childrenForFieldId(ids.declarator);
  const first = declarators[0];
  if (!first || !hasStorageClass(cx, node, 'static', first.startIndex)) return;
  let typeTag: string | undefined;
  for (const declarator of declarators) {
    const value = declarator?.type === 'init_declarator' ? declarator.childForFieldId(ids.value) : null;
    if (value?.type !== 'initializer_list') continue;
    const shape = declaratorShape(cx, declarator);
    if (!shape.name) continue;
    typeTag ??= typeTagOf(cx, node.childForFieldId(ids.type));
    if (!typeTag) return;
    const name = cx.wordOf(shape.name);
    const nameSpan = nameSpanOf(shape.name, name);
    readTable(cx, value, {
      name,
      typeTag,
      isArray: shape.isArray,
      isStatic: true,
      nameSpan,
      span: spanOf(node),
    });
  }
}
