// Field-by-field comparison of two JSON values (the model's results and the live kernel's). Every
// field counts: there is deliberately no list of fields to ignore.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface FieldDifference {
  /** JSONPath-like location, e.g. `$[3].control[0].tp_status`. */
  path: string;
  model: Json | undefined;
  live: Json | undefined;
}

export interface Comparison {
  /** Leaf fields compared (present on either side). */
  fields: number;
  differences: FieldDifference[];
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function compareJson(model: Json | undefined, live: Json | undefined, path = '$'): Comparison {
  if (Array.isArray(model) && Array.isArray(live)) {
    const result: Comparison = { fields: 0, differences: [] };
    for (let i = 0; i < Math.max(model.length, live.length); i++) {
      add(result, compareJson(model[i], live[i], `${path}[${i}]`));
    }
    return result;
  }
  if (isObject(model) && isObject(live)) {
    const result: Comparison = { fields: 0, differences: [] };
    const keys = [...new Set([...Object.keys(model), ...Object.keys(live)])];
    for (const key of keys) add(result, compareJson(model[key], live[key], childPath(path, key)));
    return result;
  }
  const same = JSON.stringify(model) === JSON.stringify(live);
  return { fields: 1, differences: same ? [] : [{ path, model, live }] };
}

function add(into: Comparison, part: Comparison): void {
  into.fields += part.fields;
  into.differences.push(...part.differences);
}

export function describeDifference(difference: FieldDifference): string {
  const show = (value: Json | undefined) => (value === undefined ? '(absent)' : JSON.stringify(value));
  return `${difference.path}: model ${show(difference.model)}, live ${show(difference.live)}`;
}
