// Sequence alignment by longest common subsequence: two sequences paired where their keys agree, in
// order, and every other element left on its own side. Used for trace paths, events, results, callees
// and source lines alike.

/** One row of an alignment: both indexes for a match, one for an element only in that sequence. */
export interface AlignedPair {
  old?: number;
  new?: number;
}

/**
 * Aligns `older` with `newer` on `key`: a longest common subsequence of keys is matched, and the rest
 * appears in order, removals before insertions at each gap. The common prefix and suffix are matched
 * before the quadratic table is built, so long sequences that differ in a few places stay cheap.
 */
export function alignSequences<T>(
  older: readonly T[],
  newer: readonly T[],
  key: (item: T) => string,
): AlignedPair[] {
  const a = older.map(key);
  const b = newer.map(key);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const rows = endA - start;
  const columns = endB - start;
  // lengths[i][j]: the LCS length of a[start+i..endA) and b[start+j..endB).
  const width = columns + 1;
  const lengths = new Uint32Array((rows + 1) * width);
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = columns - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[start + i] === b[start + j]
          ? lengths[(i + 1) * width + j + 1] + 1
          : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
    }
  }
  const pairs: AlignedPair[] = [];
  for (let k = 0; k < start; k++) pairs.push({ old: k, new: k });
  let i = 0;
  let j = 0;
  while (i < rows || j < columns) {
    if (i < rows && j < columns && a[start + i] === b[start + j]) {
      pairs.push({ old: start + i, new: start + j });
      i++;
      j++;
    } else if (j >= columns || (i < rows && lengths[(i + 1) * width + j] >= lengths[i * width + j + 1])) {
      pairs.push({ old: start + i });
      i++;
    } else {
      pairs.push({ new: start + j });
      j++;
    }
  }
  for (let k = 0; k < a.length - endA; k++) pairs.push({ old: endA + k, new: endB + k });
  return pairs;
}
