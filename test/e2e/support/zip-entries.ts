// The file names in a zip archive (a .vsix), read from its central directory. Enough for listing;
// no extraction, no ZIP64.
import { readFileSync } from 'node:fs';

export function zipEntries(file: string): string[] {
  const zip = readFileSync(file);
  const endSignature = 0x06054b50;
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== endSignature) end--;
  if (end < 0) throw new Error(`${file}: not a zip archive (no end of central directory)`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let entry = 0; entry < count; entry++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50)
      throw new Error(`${file}: bad central directory entry ${entry}`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
