// textDocument/documentSymbol: the file's functions, structs (with fields), tables (with filled
// fields), macros (object- and function-like), enum constants, variables and typedefs, from the index's facts.
import {
  SymbolKind,
  type CancellationToken,
  type DocumentSymbol,
  type DocumentSymbolParams,
} from 'vscode-languageserver';
import type { Span } from '../../index/facts';
import { spanToRange } from '../convert';
import type { Session } from '../session';

function symbol(
  name: string,
  kind: SymbolKind,
  span: Span,
  nameSpan: Span,
  detail?: string,
  children?: DocumentSymbol[],
): DocumentSymbol {
  return { name, kind, detail, range: spanToRange(span), selectionRange: spanToRange(nameSpan), children };
}

export function documentSymbols(
  session: Session,
  params: DocumentSymbolParams,
  _token: CancellationToken,
): DocumentSymbol[] | null {
  const place = session.place(params.textDocument.uri);
  const facts = place?.index.facts(place.file);
  if (!facts) return null;
  const tableNames = new Set(facts.tables.map((table) => table.name));
  const symbols: DocumentSymbol[] = [
    ...facts.functions.map((fn) => symbol(fn.name, SymbolKind.Function, fn.span, fn.nameSpan, fn.signature)),
    ...facts.structs.map((struct) =>
      symbol(
        struct.name,
        SymbolKind.Struct,
        struct.span,
        struct.nameSpan,
        struct.kind,
        struct.fields.map((field) =>
          symbol(field.name, SymbolKind.Field, field.nameSpan, field.nameSpan, field.type),
        ),
      ),
    ),
    ...facts.tables.map((table) =>
      symbol(
        table.name,
        SymbolKind.Object,
        table.span,
        table.nameSpan,
        `struct ${table.struct}`,
        facts.slots
          .filter((slot) => slot.table === table.name)
          .map((slot) => symbol(`.${slot.field}`, SymbolKind.Field, slot.span, slot.span, slot.value)),
      ),
    ),
    ...facts.variables
      .filter((variable) => !tableNames.has(variable.name))
      .map((variable) =>
        symbol(variable.name, SymbolKind.Variable, variable.nameSpan, variable.nameSpan, variable.type),
      ),
    ...facts.macros.map((macro) =>
      symbol(macro.name, SymbolKind.Constant, macro.nameSpan, macro.nameSpan, macro.value),
    ),
    ...facts.functionMacros.map((macro) =>
      symbol(macro.name, SymbolKind.Constant, macro.nameSpan, macro.nameSpan, `(${macro.parameters})`),
    ),
    ...facts.enums.map((enumFact) =>
      symbol(enumFact.name, SymbolKind.Enum, enumFact.span, enumFact.nameSpan, `enum ${enumFact.name}`),
    ),
    ...facts.enumConstants.map((constant) =>
      symbol(constant.name, SymbolKind.EnumMember, constant.nameSpan, constant.nameSpan, constant.valueText),
    ),
    ...facts.typedefs.map((typedef) =>
      symbol(typedef.name, SymbolKind.Class, typedef.nameSpan, typedef.nameSpan, typedef.type),
    ),
  ];
  return symbols.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}
