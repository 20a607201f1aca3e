// Renders a kernel-doc comment (`/** name() - summary`, `@param: text`, `Return: text`) as Markdown.
// Plain comments are shown as their text. Headings come from the user's catalogue.
import type { Messages } from '../l10n';

interface KernelDoc {
  summary: string;
  params: { name: string; text: string }[];
  description: string[];
  sections: { title: string; text: string }[];
}

const sectionTitles =
  /^(Returns?|Return value|Context|Locking|Notes?|Description|Example|Caller must hold|Assumes)\s*:\s*(.*)$/i;

/** The comment's lines without the comment markers and the leading `*` column. */
function commentLines(raw: string): string[] {
  const body = raw
    .replace(/^\s*\/\*\*?[ \t]*/, '')
    .replace(/\*\/\s*$/, '')
    .split('\n')
    .map((line) =>
      line
        .replace(/^\s*\/\/\s?/, '')
        .replace(/^\s*\*(?!\/) ?/, '')
        .trimEnd(),
    );
  while (body.length > 0 && body[0].trim() === '') body.shift();
  while (body.length > 0 && body[body.length - 1].trim() === '') body.pop();
  return body;
}

export function parseKernelDoc(raw: string): KernelDoc | undefined {
  if (!/^\s*\/\*\*/.test(raw)) return undefined;
  const lines = commentLines(raw);
  const heading = /^(?:(?:struct|union|enum|typedef)\s+)?[A-Za-z_]\w*(?:\(\))?\s+-\s*(.*)$/.exec(
    lines[0] ?? '',
  );
  if (!heading) return undefined;
  const doc: KernelDoc = { summary: heading[1].trim(), params: [], description: [], sections: [] };
  type Sink = { append(text: string): void };
  let sink: Sink = { append: (text) => (doc.summary += ` ${text}`) };
  let paragraph: string[] = [];
  const flushParagraph = (): void => {
    if (paragraph.length > 0) doc.description.push(paragraph.join(' '));
    paragraph = [];
  };
  for (const line of lines.slice(1)) {
    const trimmed = line.trim();
    const param = /^@(\w+|\.\.\.)\s*:\s*(.*)$/.exec(trimmed);
    const section = sectionTitles.exec(trimmed);
    if (param) {
      const entry = { name: param[1], text: param[2] };
      doc.params.push(entry);
      sink = { append: (text) => (entry.text += ` ${text}`) };
    } else if (section) {
      flushParagraph();
      const entry = { title: section[1], text: section[2] };
      doc.sections.push(entry);
      sink = { append: (text) => (entry.text += entry.text ? ` ${text}` : text) };
    } else if (trimmed === '') {
      flushParagraph();
      sink = { append: (text) => paragraph.push(text) };
    } else {
      sink.append(trimmed);
    }
  }
  flushParagraph();
  return doc;
}

export function renderDoc(raw: string | undefined, messages: Messages): string {
  if (raw === undefined || raw.trim() === '') return '';
  const doc = parseKernelDoc(raw);
  if (!doc) return commentLines(raw).join('  \n');
  const parts: string[] = [];
  if (doc.summary) parts.push(doc.summary);
  if (doc.params.length > 0) {
    parts.push(
      `**${messages.format('hover.parameters')}**\n\n` +
        doc.params.map((param) => `- \`${param.name}\`: ${param.text.trim()}`).join('\n'),
    );
  }
  parts.push(...doc.description);
  for (const section of doc.sections) {
    const title = /^returns?$/i.test(section.title) ? messages.format('hover.returns') : section.title;
    parts.push(`**${title}**: ${section.text.trim()}`);
  }
  return parts.join('\n\n');
}
