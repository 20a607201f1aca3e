// textDocument/implementation: on a function-pointer field (in its struct, in a designator, in an
// indirect call), every function installed in it; on a struct type, its tables.
import type { ImplementationParams, Location } from 'vscode-languageserver';
import type { Installation, IndexQueries } from '../../index/queries';
import { installationToLocation, locationsOrNull, symbolToLocation } from '../convert';
import { symbolsOfKind } from '../../index/definition-lookup';
import type { Target } from '../../index/target';
import { onTarget } from '../cursor';

export const implementation = onTarget<ImplementationParams, Location[]>((_session, place, target) => {
  const installations = installationsFor(place.index, place.file, target);
  let locations: Location[];
  if (installations !== undefined) {
    locations = installations.map((installation) => installationToLocation(place.root, installation));
  } else {
    const structName = structNameOf(place.index, place.file, target);
    if (structName === undefined) return null;
    locations = place.index
      .tablesOfStruct(structName)
      .map((table) => symbolToLocation(place.root, table.location));
  }
  return locationsOrNull(locations);
});

/** The installations a target stands for, or `undefined` when it is not a function-pointer field. */
export function installationsFor(
  index: IndexQueries,
  file: string,
  target: Target,
): Installation[] | undefined {
  switch (target.kind) {
    case 'call':
      return target.call.indirect ? target.call.candidates : undefined;
    case 'slot-field':
      return index.implementations(target.struct, target.field);
    case 'slot-value':
      return index.implementations(target.slot.struct, target.slot.field);
    case 'field':
      return target.field.isFunctionPointer
        ? index.implementations(target.struct.name, target.field.name)
        : undefined;
    case 'member': {
      const fields = symbolsOfKind(index, target.word.name, file, ['field']).filter((f) => f.container);
      if (fields.length === 0) return undefined;
      return fields.flatMap((field) => index.implementations(field.container as string, field.name));
    }
    case 'name':
      return undefined;
  }
}

/**
 * The struct a name stands for: the tag after `struct`/`union`, or the struct a typedef names. A bare
 * name is never a struct tag in C (tags have their own namespace): `sock` alone is a variable.
 */
function structNameOf(index: IndexQueries, file: string, target: Target): string | undefined {
  if (target.kind !== 'name') return undefined;
  if (target.tagKeyword === 'struct' || target.tagKeyword === 'union') return target.word.name;
  for (const typedef of symbolsOfKind(index, target.word.name, file, ['typedef'])) {
    const tag = index.facts(typedef.file)?.typedefs.find((t) => t.name === typedef.name)?.typeTag;
    if (tag !== undefined && index.struct(tag)) return tag;
  }
  return undefined;
}
