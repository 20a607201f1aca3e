// The helper set's section of docs/scenarios.md, made from the table in helpers.ts: one Markdown table
// per kind of call, each call with its parameters and its line. scripts/helper-set-docs.ts writes it
// between the two marks; test/unit/scenario/helper-set-docs.test.ts checks that the page is current.
import { scenarioCallEntries, type CallKind } from './helpers';

export const generatedStart =
  '<!-- Generated from server/src/scenario/helpers.ts by `npm run docs:helpers`; edit the table there. -->';
export const generatedEnd = '<!-- End of the generated helper set. -->';

/** The kinds in the order of the page; each table's heading is its kind. */
const kinds: readonly CallKind[] = ['system call', 'pure function', 'helper'];

/** A Markdown table with its columns padded as prettier pads them, so the page stays formatted. */
function markdownTable(table: readonly (readonly [string, string])[]): string {
  const rows = table.map((row) => row.map((cell) => cell.replace(/\|/g, '\\|')));
  const widths = [0, 1].map((column) => Math.max(3, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  const [heading, ...body] = rows;
  return [line(heading), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}

/** The section between the marks, marks included. */
export function helperSetSection(): string {
  const tables = kinds.map((kind) =>
    markdownTable([
      [kind, 'what it does'],
      ...scenarioCallEntries
        .filter(([, call]) => call.kind === kind)
        .map(([name, call]): [string, string] => [
          `\`${name}(${call.parameters.join(', ')})\``,
          call.description,
        ]),
    ]),
  );
  return [generatedStart, ...tables, generatedEnd].join('\n\n');
}

/** `page` with its generated section replaced by `section`; an error when the marks are missing. */
export function withHelperSetSection(page: string, section: string): string {
  const start = page.indexOf(generatedStart);
  const end = page.indexOf(generatedEnd);
  if (start < 0 || end < start) {
    throw new Error(
      `the page lacks the marks of the generated helper set: ${generatedStart} ... ${generatedEnd}`,
    );
  }
  return page.slice(0, start) + section + page.slice(end + generatedEnd.length);
}
