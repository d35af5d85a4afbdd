// Holes explained: the text view with each hole's cause in its note, and (--explain) a list of the
// record's holes, largest first, under the summary. Formatting only: the causes come from
// src/analyze/hole-cause.ts.

import type { HoleCause, HoleCauses } from '../analyze/hole-cause.js';
import type { RecordView } from '../analyze/layout-view.js';
import { typeName } from '../model/print.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';

/** An unnamed member's type as named in a sentence: `struct` or `union` for a record written out. */
function unnamedKind(type: string): string {
  return /^(struct|union) \{/.test(type) ? type.split(' ')[0]! : type;
}

/** "timer (struct timer_list) needs 8-byte alignment". */
export function describeCause(c: HoleCause, tail = false): string {
  const m = c.member;
  const who = !m
    ? 'the record'
    : m.name !== null
      ? `${m.name} (${typeName(m.type)})`
      : `the unnamed ${unnamedKind(typeName(m.type))}`;
  switch (c.cause) {
    case 'alignment':
      return `${who} needs ${c.align}-byte alignment`;
    case 'explicit-alignment':
      if (tail)
        return (
          `the size is rounded to the record's ${c.align}-byte alignment, ` +
          `set by ${m ? `${who}, explicitly aligned` : 'an aligned() on the record'}`
        );
      return m
        ? `${who} is explicitly aligned to ${c.align} bytes`
        : `the record is explicitly aligned to ${c.align} bytes`;
    case 'bitfield-unit':
      return `${m?.name ?? 'a bitfield'}:${m?.bitSize} would straddle its ${m?.size}-byte unit`;
    case 'zero-width-bitfield':
      return `a zero-width bitfield starts a new ${c.align}-byte unit before ${m?.name ?? 'the next member'}`;
    case 'msvc-bitfield-type':
      return (
        `MSVC starts a new unit for ${m?.name ?? 'a bitfield'}: its declared type (${m ? typeName(m.type) : '?'}) ` +
        `differs from ${c.previous?.name ?? 'the previous bitfield'}'s ` +
        `(${c.previous ? typeName(c.previous.type) : '?'})`
      );
    case 'pack':
      return `${who} needs ${c.align}-byte alignment under #pragma pack(${c.pack})`;
    case 'record-alignment':
      return m
        ? `the size is rounded to the record's ${c.align}-byte alignment, set by ${who}`
        : `the size is rounded to the record's ${c.align}-byte alignment`;
  }
}

/** The text view with causes in the hole notes; `list` adds the holes, largest first. */
export function renderExplainedText(
  v: RecordView,
  causes: HoleCauses,
  opts: { readonly comments?: boolean; readonly color?: boolean; readonly list?: boolean } = {},
): string {
  const order = v.rows.filter((r) => r.kind === 'hole' || r.kind === 'bithole');
  let k = 0;
  const lines = renderText([v], { comments: opts.comments, color: opts.color }).split('\n');
  const out = lines.map((line) =>
    line.replace(/(XXX \d+ (?:byte|bit)s? hole), try to pack/, (all, what: string) => {
      const c = causes.rows.get(order[k++]!);
      return c ? `${what}: ${describeCause(c)}` : all;
    }),
  );
  if (opts.list) {
    const items: [number, string][] = [];
    v.holes.forEach((h, i) =>
      items.push([
        h.size * 8,
        `${h.size} byte${h.size === 1 ? '' : 's'} at ${h.offset}: ${describeCause(causes.holes[i]!)}`,
      ]),
    );
    v.bitHoles.forEach((h, i) =>
      items.push([
        h.bits,
        `${h.bits} bit${h.bits === 1 ? '' : 's'} at ${Math.floor(h.bitOffset / 8)}:${h.bitOffset % 8}: ` +
          describeCause(causes.bitHoles[i]!),
      ]),
    );
    if (causes.tail)
      items.push([
        v.tailPadding * 8,
        `${v.tailPadding} byte${v.tailPadding === 1 ? '' : 's'} of tail padding: ${describeCause(causes.tail, true)}`,
      ]);
    items.sort((a, b) => b[0] - a[0]);
    const close = out.map((l) => /^}/.test(l)).lastIndexOf(true);
    if (items.length && close > 0)
      out.splice(close, 0, '\t/* holes, largest first:', ...items.map(([, s]) => `\t *   ${s}`), '\t */');
  }
  return out.join('\n');
}

/** The markdown table with each hole row saying why (in row order, as renderMarkdown prints them). */
export function renderExplainedMarkdown(v: RecordView, causes: HoleCauses): string {
  const order = v.rows.filter((r) => r.kind === 'hole' || r.kind === 'bithole');
  let k = 0;
  return renderMarkdown([v]).replace(/_(\d+-(?:byte|bit) hole)[^_|]*_ \|$/gm, (all, what: string) => {
    const c = causes.rows.get(order[k++]!);
    return c ? `_${what}: ${describeCause(c).replace(/([\\|*_`])/g, '\\$1')}_ |` : all;
  });
}
