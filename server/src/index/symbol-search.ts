// Workspace symbol search: every name a definition can be found for, matched loosely.
import { PerGeneration } from './derived-cache';
import type { IndexStores } from './index-stores';
import type { NameLookup } from './name-lookup';
import type { SymbolLocation } from './queries';

export class SymbolSearch {
  private readonly sortedNames = new PerGeneration<IndexStores, string[]>((stores) => symbolNames(stores));

  constructor(
    private readonly stores: IndexStores,
    private readonly names: NameLookup,
  ) {}

  search(query: string, limit: number): SymbolLocation[] {
    const needle = query.toLowerCase();
    const scored: { name: string; score: number }[] = [];
    for (const name of this.sortedNames.get(this.stores)) {
      const score = fuzzyScore(name, needle);
      if (score > 0) scored.push({ name, score });
    }
    scored.sort((a, b) => b.score - a.score || a.name.length - b.name.length || (a.name < b.name ? -1 : 1));
    const results: SymbolLocation[] = [];
    for (const { name } of scored) {
      for (const location of this.names.definitions(name)) {
        results.push(location);
        if (results.length >= limit) return results;
      }
    }
    return results;
  }
}

/** Every name a workspace symbol search can find, sorted. */
function symbolNames(stores: IndexStores): string[] {
  const names = new Set<string>();
  for (const store of stores.stores()) {
    for (const table of [
      'functions',
      'structs',
      'tables',
      'macros',
      'functionMacros',
      'typedefs',
      'enums',
    ] as const) {
      store.forEachName(table, 'name', (name) => names.add(name));
    }
  }
  return [...names].sort();
}

/** Exact > prefix > substring > in-order characters; 0 for no match. */
function fuzzyScore(name: string, needle: string): number {
  if (needle === '') return 1;
  const lower = name.toLowerCase();
  if (lower === needle) return 1000;
  if (lower.startsWith(needle)) return 500;
  const at = lower.indexOf(needle);
  if (at >= 0) return 300 - Math.min(at, 100);
  let position = 0;
  for (const character of needle) {
    position = lower.indexOf(character, position);
    if (position < 0) return 0;
    position++;
  }
  return 100;
}
