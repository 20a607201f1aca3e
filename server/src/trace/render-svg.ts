// The path diagram of a trace as SVG: one box per function in order of first appearance, indented by
// call depth; an arrow from caller to callee, labelled with the ops hop when the call went through a
// table (`proto_ops.recvmsg (packet_ops)`). Under a function's box, the packets it ended (the end of
// each packet's branch), with the live kernel's verdict when there is one. Marks colour boxes for a
// path compared across trees (`knr diff --svg`): a changed function, one only on the older path, one
// only on the newer.
import { describeEnd, describeVerdict } from './describe-end';
import type { Trace, TracePacketEnd } from './trace';

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Box {
  name: string;
  file: string;
  depth: number;
  row: number;
  /** The packets this function ended, drawn under its box. */
  ends: TracePacketEnd[];
}

/** The `data-node` of a packet's end in the diagram. */
export const endNodeId = (end: { packet: number }): string => `end:${end.packet}`;

const endColour: Record<TracePacketEnd['how'], string> = {
  freed: '#a93226',
  consumed: '#1e8449',
  queued: '#2471a3',
};
const endText = (end: TracePacketEnd): string => `packet ${end.packet}: ${describeEnd(end)}`;
const verdictColour = (agreed: boolean): string => (agreed ? '#1e8449' : '#a93226');

export type BoxMark = 'changed' | 'removed' | 'added';

export interface SvgOptions {
  /** Function name -> how it differs; unmarked boxes are drawn plain. */
  marks?: ReadonlyMap<string, BoxMark>;
  /** Replaces the title `<scenario> on <kernel>`. */
  title?: string;
  /** The words of each mark in the legend (with marks, a legend line is drawn above the boxes). */
  legend?: Record<BoxMark, string>;
}

const markStyle: Record<BoxMark, string> = {
  changed: 'fill="#fdebd0" stroke="#b5500b" stroke-width="2"',
  removed: 'fill="#fadbd8" stroke="#a93226" stroke-dasharray="6 3"',
  added: 'fill="#d5f5e3" stroke="#1e8449" stroke-width="2"',
};
const plainStyle = 'fill="#f4f6fa" stroke="#34495e"';

export function renderTraceSvg(trace: Trace, options: SvgOptions = {}): string {
  const boxes = new Map<string, Box>();
  const edges = new Map<string, { from: string; to: string; label?: string }>();
  const stack: string[] = [];
  let pendingHop: string | undefined;
  for (const event of trace.events) {
    if (event.anchor === 'enter') {
      stack.length = event.depth;
      if (!boxes.has(event.function)) {
        boxes.set(event.function, {
          name: event.function,
          file: event.file,
          depth: event.depth,
          row: boxes.size,
          ends: [],
        });
      }
      const caller = stack[event.depth - 1];
      if (caller) {
        const key = `${caller}->${event.function}`;
        const existing = edges.get(key);
        edges.set(key, { from: caller, to: event.function, label: existing?.label ?? pendingHop });
      }
      stack[event.depth] = event.function;
      pendingHop = undefined;
    } else if (event.hop) {
      pendingHop = `${event.hop.struct}.${event.hop.field} (${event.hop.table})`;
    }
  }
  for (const end of trace.ends ?? []) boxes.get(end.function)?.ends.push(end);
  const rowHeight = 56;
  const endLineHeight = 16;
  const endLines = (b: Box) => b.ends.reduce((sum, end) => sum + (end.verdict ? 2 : 1), 0);
  const boxWidth = 300;
  const indent = 36;
  const maxDepth = Math.max(0, ...[...boxes.values()].map((b) => b.depth));
  // Monospace at 12px: about 7.2px a character; an end's lines may reach past the hop labels.
  const endTextRight = Math.max(
    0,
    ...[...boxes.values()].flatMap((b) =>
      b.ends.map(
        (end) =>
          20 +
          b.depth * indent +
          40 +
          7.2 * Math.max(endText(end).length, end.verdict ? describeVerdict(end.verdict).length : 0),
      ),
    ),
  );
  const width = Math.ceil(Math.max(40 + maxDepth * indent + boxWidth + 320, endTextRight + 20));
  const legendHeight = options.legend ? 24 : 0;
  const tops = new Map<Box, number>();
  let nextTop = 20 + legendHeight;
  for (const box of boxes.values()) {
    tops.set(box, nextTop);
    nextTop += rowHeight + endLines(box) * endLineHeight;
  }
  const height = nextTop + 20;
  const x = (b: Box) => 20 + b.depth * indent;
  const y = (b: Box) => tops.get(b)!;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="12">`,
    `<title>${escape(options.title ?? `${trace.scenario} on ${trace.kernel}`)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
  ];
  if (options.legend) {
    let legendX = 20;
    for (const mark of ['changed', 'removed', 'added'] as const) {
      parts.push(
        `<rect x="${legendX}" y="12" width="14" height="14" ${markStyle[mark]}/>`,
        `<text x="${legendX + 20}" y="24">${escape(options.legend[mark])}</text>`,
      );
      legendX += 40 + options.legend[mark].length * 8;
    }
  }
  for (const edge of edges.values()) {
    const from = boxes.get(edge.from)!;
    const to = boxes.get(edge.to)!;
    const x1 = x(from) + 12;
    const y1 = y(from) + 36;
    const x2 = x(to);
    const y2 = y(to) + 18;
    parts.push(
      `<path d="M${x1},${y1} L${x1},${y2} L${x2},${y2}" fill="none" stroke="${edge.label ? '#b5500b' : '#555'}" marker-end="url(#arrow)"/>`,
    );
    if (edge.label)
      parts.push(
        `<text x="${x(to) + boxWidth + 12}" y="${y2 + 4}" fill="#b5500b">${escape(edge.label)}</text>`,
      );
  }
  for (const box of boxes.values()) {
    const mark = options.marks?.get(box.name);
    const markAttribute = mark ? ` data-mark="${mark}"` : '';
    parts.push(
      `<g data-node="${escape(box.name)}"${markAttribute}><rect x="${x(box)}" y="${y(box)}" width="${boxWidth}" height="36" rx="4" ${mark ? markStyle[mark] : plainStyle}/>`,
      `<text x="${x(box) + 8}" y="${y(box) + 15}" font-weight="bold">${escape(box.name)}</text>`,
      `<text x="${x(box) + 8}" y="${y(box) + 29}" fill="#555">${escape(box.file)}</text></g>`,
    );
    let lineY = y(box) + 36 + endLineHeight;
    for (const end of box.ends) {
      const endX = x(box) + 24;
      const verdict = end.verdict
        ? `<text x="${endX + 16}" y="${lineY + endLineHeight}" fill="${verdictColour(end.verdict.agreed)}" data-agreed="${end.verdict.agreed}">${escape(describeVerdict(end.verdict))}</text>`
        : '';
      parts.push(
        `<g data-node="${endNodeId(end)}" data-end="${end.how}"><text x="${endX}" y="${lineY}" fill="${endColour[end.how]}">${escape(endText(end))}</text>${verdict}</g>`,
      );
      lineY += (end.verdict ? 2 : 1) * endLineHeight;
    }
  }
  parts.push('</svg>');
  return parts.join('\n');
}
