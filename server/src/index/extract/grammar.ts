// What the extractor needs of the C grammar, read once per language (one language per thread).
import type { Language } from 'web-tree-sitter';

/** Field ids of the C grammar, looked up once per language instead of by name on every access. */
function fieldIdsOf(language: Language) {
  const id = (name: string): number => {
    const found = language.fields.indexOf(name);
    if (found <= 0) throw new Error(`the C grammar has no field '${name}'`);
    return found;
  };
  return {
    alternative: id('alternative'),
    argument: id('argument'),
    arguments: id('arguments'),
    body: id('body'),
    condition: id('condition'),
    consequence: id('consequence'),
    declarator: id('declarator'),
    designator: id('designator'),
    field: id('field'),
    function: id('function'),
    left: id('left'),
    name: id('name'),
    operator: id('operator'),
    parameters: id('parameters'),
    right: id('right'),
    type: id('type'),
    value: id('value'),
  };
}

export type FieldIds = ReturnType<typeof fieldIdsOf>;

/** Words the grammar lexes as keywords (`asm`, `sizeof`, `if`): never the text of an identifier. */
function keywordsOf(language: Language): Set<string> {
  const keywords = new Set<string>();
  for (let id = 0; id < language.nodeTypeCount; id++) {
    const type = language.nodeTypeForId(id);
    if (
      type &&
      !language.nodeTypeIsNamed(id) &&
      language.nodeTypeIsVisible(id) &&
      /^[A-Za-z_]\w*$/.test(type)
    )
      keywords.add(type);
  }
  return keywords;
}

export interface Grammar {
  readonly ids: FieldIds;
  readonly keywords: ReadonlySet<string>;
}

const grammarByLanguage = new WeakMap<Language, Grammar>();

export function grammarOf(language: Language): Grammar {
  let grammar = grammarByLanguage.get(language);
  if (!grammar) {
    grammar = { ids: fieldIdsOf(language), keywords: keywordsOf(language) };
    grammarByLanguage.set(language, grammar);
  }
  return grammar;
}
