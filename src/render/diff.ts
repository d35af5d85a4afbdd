// Formats a layout diff as text (one block per changed record, unified-diff style markers: + added,
// - removed, ~ changed), a markdown table per changed record, or JSON (the LayoutDiff as computed).
import type { LayoutDiff } from '../analyze/diff.js';

const pos = (x?: { offset: number; size: number; bitOffset?: number }): string =>
  !x
    ? ''
    : x.bitOffset !== undefined
      ? `${x.offset}:${x.bitOffset - x.offset * 8} (${x.size})`
      : `${x.offset} (${x.size})`;

/** `extra`: document-level fields after the diff's in JSON (the CLI's "diagnostics"). */
export function renderDiff(
  d: LayoutDiff,
  a: string,
  b: string,
  format: 'text' | 'markdown' | 'json',
  extra: object = {},
): string {
  if (format === 'json') return JSON.stringify({ before: a, after: b, ...d, ...extra }, null, 2) + '\n';
  if (format === 'markdown') return markdown(d, a, b);
  const out: string[] = [`--- ${a}`, `+++ ${b}`];
  for (const r of d.changed) {
    if (r.incomplete) {
      out.push('', `${r.name}: not compared: incomplete ${sides(r.incomplete, a, b)}`);
      continue;
    }
    const delta = r.sizeAfter - r.sizeBefore;
    out.push(
      '',
      `${r.name}: size ${r.sizeBefore} -> ${r.sizeAfter}${delta ? ` (${delta > 0 ? '+' : ''}${delta})` : ''}`,
    );
    for (const c of r.changes) {
      if (c.kind === 'added') out.push(`  + ${c.path} at ${pos(c.after)}`);
      else if (c.kind === 'removed') out.push(`  - ${c.path} was at ${pos(c.before)}`);
      else out.push(`  ~ ${c.path} ${c.kind}: ${pos(c.before)} -> ${pos(c.after)}`);
    }
    for (const h of r.holesOpened) out.push(`  + hole of ${h.size} at ${h.offset}`);
    for (const h of r.holesClosed) out.push(`  - hole of ${h.size} at ${h.offset} closed`);
    if (r.tailPaddingBefore !== r.tailPaddingAfter)
      out.push(`  ~ tail padding ${r.tailPaddingBefore} -> ${r.tailPaddingAfter}`);
  }
  if (d.onlyBefore.length)
    out.push(
      '',
      `only in ${a}: ${d.onlyBefore.length} ` +
        `(${d.onlyBefore.slice(0, 10).join(', ')}${d.onlyBefore.length > 10 ? ', ...' : ''})`,
    );
  if (d.onlyAfter.length)
    out.push(
      '',
      `only in ${b}: ${d.onlyAfter.length} ` +
        `(${d.onlyAfter.slice(0, 10).join(', ')}${d.onlyAfter.length > 10 ? ', ...' : ''})`,
    );
  out.push('', `${d.changed.length} changed, ${d.unchanged} identical`);
  return out.join('\n') + '\n';
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** "in a.h", "in both": where a record is incomplete. */
const sides = (which: readonly ('before' | 'after')[], a: string, b: string): string =>
  which.length === 2 ? 'in both' : `in ${which[0] === 'before' ? a : b}`;

function markdown(d: LayoutDiff, a: string, b: string): string {
  const out: string[] = [
    `Layouts of \`${cell(a)}\` (before) and \`${cell(b)}\` (after): ${d.changed.length} changed, ${d.unchanged} ` +
      `identical.`,
  ];
  for (const r of d.changed) {
    if (r.incomplete) {
      out.push(
        '',
        `### \`${r.name}\`: not compared`,
        '',
        `**Incomplete** ${cell(sides(r.incomplete, a, b))}: an error touched its layout.`,
      );
      continue;
    }
    const delta = r.sizeAfter - r.sizeBefore;
    out.push(
      '',
      `### \`${r.name}\`: ${r.sizeBefore} → ${r.sizeAfter} bytes${delta ? ` (${delta > 0 ? '+' : ''}${delta})` : ''}`,
      '',
    );
    out.push('| Member | Change | Before | After |', '|--------|--------|-------:|------:|');
    for (const c of r.changes) out.push(`| \`${cell(c.path)}\` | ${c.kind} | ${pos(c.before)} | ${pos(c.after)} |`);
    for (const h of r.holesOpened) out.push(`| | _hole opened_ | | ${h.offset} (${h.size}) |`);
    for (const h of r.holesClosed) out.push(`| | _hole closed_ | ${h.offset} (${h.size}) | |`);
    if (r.tailPaddingBefore !== r.tailPaddingAfter)
      out.push(`| | _tail padding_ | ${r.tailPaddingBefore} | ${r.tailPaddingAfter} |`);
  }
  const list = (xs: readonly string[]) => xs.map((x) => `\`${cell(x)}\``).join(', ');
  if (d.onlyBefore.length) out.push('', `Only before: ${list(d.onlyBefore)}.`);
  if (d.onlyAfter.length) out.push('', `Only after: ${list(d.onlyAfter)}.`);
  return out.join('\n') + '\n';
}
