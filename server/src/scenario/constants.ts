// Resolving a scenario's names to values: the helper header's own constants first, then the
// indexed kernel tree's macros and enum constants (so AF_PACKET means what that tree says).
import type { IndexQueries } from '../index/queries';
import { helperConstants } from './helpers';

export type ConstantIndex = Pick<IndexQueries, 'evaluateConstant'>;

export class ScenarioConstants {
  private readonly cache = new Map<string, number | string | undefined>();

  constructor(private readonly index: ConstantIndex) {}

  /** The constant's value, or undefined when neither the header nor the tree defines it. */
  lookup(name: string): number | string | undefined {
    if (this.cache.has(name)) return this.cache.get(name);
    const value = helperConstants[name] ?? this.index.evaluateConstant(name);
    this.cache.set(name, value);
    return value;
  }
}
