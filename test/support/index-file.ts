// Where a section of a saved index lies in the file, by the layout persist.ts documents: magic line,
// header line, header digest line, padding to 8, then each section padded to 8, a deflated one
// taking the sum of its pieces' stored lengths. For tests that damage a chosen section.

interface SavedSection {
  name: string;
  byteLength: number;
  stored?: number[];
}

/** The first byte and the byte length in the file of section `name` of the saved index `bytes`. */
export function sectionInFile(bytes: Buffer, name: string): { position: number; length: number } {
  const [magic, header, digest] = bytes.toString('latin1').split('\n', 3);
  const padded = (length: number) => length + ((8 - (length % 8)) % 8);
  let position = padded(magic.length + header.length + digest.length + 3);
  for (const section of (JSON.parse(header) as { sections: SavedSection[] }).sections) {
    const length = section.stored?.reduce((sum, stored) => sum + stored, 0) ?? section.byteLength;
    if (section.name === name) return { position, length };
    position += padded(length);
  }
  throw new Error(`no section ${name}`);
}
