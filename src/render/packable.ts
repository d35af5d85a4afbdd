// --packable's ranking as a table (text or markdown) or JSON: bytes saved per object, per allocated
// object when objects are rounded, and across the live objects when counts are known.

import type { Packable } from '../analyze/packable.js';
import { caveatText } from '../analyze/reorganize-binary.js';

export function renderPackable(
  rows: readonly Packable[],
  format: 'text' | 'markdown' | 'json',
  target: string,
  objectAlign?: number,
): string {
  if (format === 'json') {
    const records = rows.map((p) => {
      const o: { [k: string]: unknown } = {
        name: p.name,
        kind: p.record.kind,
        size: p.size,
        reorganizedSize: p.reorganizedSize,
        savings: p.savings,
      };
      if (p.objectSize !== undefined)
        Object.assign(o, {
          objectSize: p.objectSize,
          reorganizedObjectSize: p.reorganizedObjectSize,
          objectSavings: p.objectSavings,
        });
      if (p.count !== undefined) Object.assign(o, { count: p.count, totalSavings: p.totalSavings });
      if (p.caveat) o.assumes = p.caveat.assumes;
      return o;
    });
    return JSON.stringify({ target, ...(objectAlign ? { objectAlign } : {}), records }, null, 2) + '\n';
  }
  const head = ['savings', 'size', 'reorganized'];
  if (objectAlign) head.push(`allocated (${objectAlign})`);
  const counted = rows.some((p) => p.count !== undefined);
  if (counted) head.push('objects', 'total saved');
  head.push('record');
  const body = rows.map((p) => {
    const cells = [String(p.savings), String(p.size), String(p.reorganizedSize)];
    if (objectAlign)
      cells.push(
        p.objectSavings ? `${p.objectSize} -> ${p.reorganizedObjectSize}` : `${p.objectSize} (saving vanishes)`,
      );
    if (counted) cells.push(String(p.count ?? ''), p.totalSavings !== undefined ? String(p.totalSavings) : '');
    cells.push(`${p.record.kind} ${p.name}${p.caveat ? ' [*]' : ''}`);
    return cells;
  });
  // Rows from a binary whose reorganized size assumes what it does not record: one footnote.
  const marked = rows.find((p) => p.caveat);
  const foot = marked ? `\n[*] ${caveatText(marked.caveat!, 'NAME')}\n` : '';
  if (format === 'markdown') {
    const row = (c: readonly string[]) => `| ${c.join(' | ')} |`;
    return (
      [row(head), row(head.map((_, i) => (i === head.length - 1 ? '---' : '---:'))), ...body.map(row)].join('\n') +
      '\n' +
      foot
    );
  }
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: readonly string[]) => c.map((x, i) => (i === c.length - 1 ? x : x.padStart(widths[i]!))).join('  ');
  return [line(head), ...body.map(line)].join('\n') + '\n' + foot;
}
