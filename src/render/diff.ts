// Formats a layout diff as text (one block per changed record, unified-diff style markers: + added,
// - removed, ~ changed) or JSON (the LayoutDiff as computed); markdown uses the text form.
import type { LayoutDiff } from '../analyze/diff.js';

const pos = (x?: { offset: number; size: number; bitOffset?: number }): string =>
  !x ? '' : x.bitOffset !== undefined ? `${x.offset}:${x.bitOffset - x.offset * 8} (${x.size})` : `${x.offset} (${x.size})`;

export function renderDiff(d: LayoutDiff, a: string, b: string, format: 'text' | 'markdown' | 'json'): string {
  if (format === 'json') return JSON.stringify({ before: a, after: b, ...d }, null, 2) + '\n';
  const out: string[] = [`--- ${a}`, `+++ ${b}`];
  for (const r of d.changed) {
    const delta = r.sizeAfter - r.sizeBefore;
    out.push('', `${r.name}: size ${r.sizeBefore} -> ${r.sizeAfter}${delta ? ` (${delta > 0 ? '+' : ''}${delta})` : ''}`);
    for (const c of r.changes) {
      if (c.kind === 'added') out.push(`  + ${c.path} at ${pos(c.after)}`);
      else if (c.kind === 'removed') out.push(`  - ${c.path} was at ${pos(c.before)}`);
      else out.push(`  ~ ${c.path} ${c.kind}: ${pos(c.before)} -> ${pos(c.after)}`);
    }
    for (const h of r.holesOpened) out.push(`  + hole of ${h.size} at ${h.offset}`);
    for (const h of r.holesClosed) out.push(`  - hole of ${h.size} at ${h.offset} closed`);
    if (r.tailPaddingBefore !== r.tailPaddingAfter) out.push(`  ~ tail padding ${r.tailPaddingBefore} -> ${r.tailPaddingAfter}`);
  }
  if (d.onlyBefore.length) out.push('', `only in ${a}: ${d.onlyBefore.length} (${d.onlyBefore.slice(0, 10).join(', ')}${d.onlyBefore.length > 10 ? ', ...' : ''})`);
  if (d.onlyAfter.length) out.push('', `only in ${b}: ${d.onlyAfter.length} (${d.onlyAfter.slice(0, 10).join(', ')}${d.onlyAfter.length > 10 ? ', ...' : ''})`);
  out.push('', `${d.changed.length} changed, ${d.unchanged} identical`);
  return out.join('\n') + '\n';
}
