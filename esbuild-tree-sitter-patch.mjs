// Cheaper node handles for web-tree-sitter, applied to its code as it is bundled. Every node the
// extractor reads crosses into WASM through marshalNode/unmarshalNode, tens of millions of times in
// a cold index: the library writes and reads each of a node's five words through Emscripten's
// setValue/getValue (a string switch and a DataView call per word); and the text to parse is copied
// in a character at a time through a DataView. They become what those calls do on a little-endian
// host (every host Node runs the extension on): plain typed-array accesses. The bundle fails if the
// library's text changed.
import { readFile } from 'node:fs/promises';

const replacements = [
  {
    what: 'marshalNode through setValue',
    from: `function marshalNode(node, index = 0) {
  let address = TRANSFER_BUFFER + index * SIZE_OF_NODE;
  C.setValue(address, node.id, "i32");
  address += SIZE_OF_INT;
  C.setValue(address, node.startIndex, "i32");
  address += SIZE_OF_INT;
  C.setValue(address, node.startPosition.row, "i32");
  address += SIZE_OF_INT;
  C.setValue(address, node.startPosition.column, "i32");
  address += SIZE_OF_INT;
  C.setValue(address, node[0], "i32");
}`,
    to: `function marshalNode(node, index = 0) {
  const words = C.HEAP32;
  const at = (TRANSFER_BUFFER + index * SIZE_OF_NODE) >> 2;
  words[at] = node.id;
  words[at + 1] = node.startIndex;
  words[at + 2] = node.startPosition.row;
  words[at + 3] = node.startPosition.column;
  words[at + 4] = node[0];
}`,
  },
  {
    what: 'unmarshalNode through getValue',
    from: `function unmarshalNode(tree, address = TRANSFER_BUFFER) {
  const id = C.getValue(address, "i32");
  address += SIZE_OF_INT;
  if (id === 0) return null;
  const index = C.getValue(address, "i32");
  address += SIZE_OF_INT;
  const row = C.getValue(address, "i32");
  address += SIZE_OF_INT;
  const column = C.getValue(address, "i32");
  address += SIZE_OF_INT;
  const other = C.getValue(address, "i32");
`,
    to: `function unmarshalNode(tree, address = TRANSFER_BUFFER) {
  const words = C.HEAP32;
  const at = address >> 2;
  const id = words[at];
  if (id === 0) return null;
  const index = words[at + 1];
  const row = words[at + 2];
  const column = words[at + 3];
  const other = words[at + 4];
`,
  },
  {
    what: "the parse input's copy through stringToUTF16",
    from: `            setValue(lengthAddress, string.length, "i32");
            stringToUTF16(string, inputBufferAddress, INPUT_BUFFER_SIZE);`,
    to: `            setValue(lengthAddress, string.length, "i32");
            const units = Math.min(string.length, INPUT_BUFFER_SIZE / 2 - 1);
            const first = inputBufferAddress >> 1;
            for (let i = 0; i < units; i++) HEAPU16[first + i] = string.charCodeAt(i);
            HEAPU16[first + units] = 0;`,
  },
];

/** `contents` (web-tree-sitter.cjs) with every replacement made; throws if one no longer applies once. */
export function patchWebTreeSitter(contents, path) {
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1)
    throw new Error('tree-sitter-node-patch: this host is big-endian; the patch assumes little-endian');
  let patched = contents;
  for (const { what, from, to } of replacements) {
    const at = patched.indexOf(from);
    if (at < 0 || patched.indexOf(from, at + 1) >= 0)
      throw new Error(`tree-sitter-node-patch: ${path} no longer has exactly one ${what}`);
    patched = patched.slice(0, at) + to + patched.slice(at + from.length);
  }
  return patched;
}

export const treeSitterNodePatch = {
  name: 'tree-sitter-node-patch',
  setup(build) {
    build.onLoad({ filter: /web-tree-sitter[\\/]web-tree-sitter\.cjs$/ }, async ({ path }) => ({
      contents: patchWebTreeSitter(await readFile(path, 'utf8'), path),
      loader: 'js',
    }));
  },
};
