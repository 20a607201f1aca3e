// Where a function's definition starts in a kernel source file, found by its text: the 1-based line of
// a line that starts at column 0 with the function's head (`static int packet_create(`), whose
// declaration reaches `{` before any `;` (a prototype is not a definition). Tests compare with this
// instead of a line number of one point release.
export function definitionLine(text: string, name: string): number {
  const head = new RegExp(`^(?:[A-Za-z_][^;{}()]*\\b)?${name}\\(`, 'gm');
  for (const match of text.matchAll(head)) {
    const rest = text.slice(match.index + match[0].length);
    const brace = rest.indexOf('{');
    const semicolon = rest.indexOf(';');
    if (brace >= 0 && (semicolon < 0 || brace < semicolon)) {
      return text.slice(0, match.index).split('\n').length;
    }
  }
  throw new Error(`no definition of ${name}() starts a line in this text`);
}
