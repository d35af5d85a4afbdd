// Renders a cross-target comparison as an aligned text table, a markdown table, or JSON.

import type { TargetComparison, TargetCell } from '../analyze/compare.js';

const cell = (c: TargetCell | undefined): string =>
  c === undefined
    ? '—'
    : c.bitSize !== undefined
      ? `${c.offset}:${c.bitOffset! - c.offset * 8} ${c.bitSize}b`
      : `${c.offset} +${c.size}`;

/** Several NAMEs' comparisons: one after another, or one JSON document whose "comparisons" hold them
 *  all (the first also at the top level, as the one-NAME document has it) and `extra` fields. */
export function renderComparisons(
  targets: readonly string[],
  cmps: readonly NamedComparison[],
  format: 'text' | 'markdown' | 'json',
  extra: object = {},
): string {
  if (format === 'json') return JSON.stringify({ ...cmps[0], targets, comparisons: cmps, ...extra }, null, 2) + '\n';
  return cmps.map((c) => renderComparison(c.record, c, format)).join('');
}

export type NamedComparison = { readonly record: string } & TargetComparison;

export function renderComparison(name: string, cmp: TargetComparison, format: 'text' | 'markdown' | 'json'): string {
  if (format === 'json') return JSON.stringify({ record: name, ...cmp }, null, 2) + '\n';
  const header = ['member', 'type', ...cmp.targets];
  const rows: string[][] = cmp.members.map((m) => [(m.differs ? '* ' : '  ') + m.path, m.type, ...m.cells.map(cell)]);
  // (An incomplete record's size and alignment are unknown: '?'.)
  const known = (v: number | undefined, i: number): string =>
    cmp.incomplete[i] ? '? (incomplete)' : v === undefined ? '—' : String(v);
  rows.push(['  (size)', '', ...cmp.sizes.map(known)]);
  rows.push(['  (align)', '', ...cmp.aligns.map(known)]);
  const differing = cmp.members.filter((m) => m.differs).length;
  const note = `${differing} of ${cmp.members.length} members differ in offset or size across targets (marked *).`;
  if (format === 'markdown') {
    const esc = (s: string) => s.replace(/\|/g, '\\|');
    // (A differing member, marked "* name", in bold.)
    const cell = (c: string, i: number) => (i === 0 && c.startsWith('* ') ? `**${esc(c.slice(2))}**` : esc(c.trim()));
    return [
      `### \`${name}\` across targets`,
      '',
      `| ${header.join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
      '',
      note,
      '',
    ].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [`${name}:`, line(header), ...rows.map(line), note, ''].join('\n');
}
