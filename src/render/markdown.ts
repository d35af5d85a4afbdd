// The annotated table people write by hand, done right: offset, size, type, name, comment; each
// leading comment block as a heading row above its group; holes and cacheline boundaries in place;
// the summary under the table.

import type { HoleCause, HoleCauses } from '../analyze/hole-cause.js';
import type { RecordView, Row } from '../analyze/layout-view.js';
import { describeCause, describeTail } from './explain.js';
import { inlineSpelling, typeName } from '../model/print.js';
import { recordOf, type Member, type RecordType } from '../model/model.js';

export interface MarkdownOptions {
  /** Parallel to the views: what made each hole (src/analyze/hole-cause.ts), said in its row, and a
   *  row for the tail padding. */
  readonly causes?: readonly (HoleCauses | undefined)[];
}

export function renderMarkdown(views: readonly RecordView[], opts: MarkdownOptions = {}): string {
  return views.map((v, i) => renderOne(v, opts.causes?.[i])).join('\n');
}

/** Escapes prose for a table cell. */
const esc = (s: string): string =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/([*_`])/g, '\\$1')
    .replace(/\n/g, ' ');
/** A code span in a table cell: only the pipe needs escaping. */
const code = (s: string): string => '`' + s.replace(/\|/g, '\\|').replace(/\n/g, ' ') + '`';

function title(r: RecordType): string {
  if (r.name !== null) return `${r.kind} ${r.name}`;
  return r.typedef ? `${r.typedef} (${r.kind})` : `anonymous ${r.kind}`;
}

/** A bit position as "byte:bit", exact past 2^53 bits. */
function bitPlace(row: { readonly bitOffset: number; readonly exactBitOffset?: bigint }): string {
  const b = row.exactBitOffset;
  return b !== undefined ? `${b / 8n}:${b % 8n}` : `${Math.floor(row.bitOffset / 8)}:${row.bitOffset % 8}`;
}

function renderOne(v: RecordView, causes: HoleCauses | undefined): string {
  const r = v.record;
  const out: string[] = [];
  const where = r.variable !== undefined ? `, declared with \`${r.variable}\`` : '';
  out.push(`### \`${title(r)}\`${r.scope !== undefined ? ` (in function \`${r.scope}\`${where})` : ''}`);
  out.push('');
  if (r.comment) out.push(`${esc(r.comment)}`, '');
  if (r.origin?.kind === 'source') out.push(`Defined at \`${r.origin.file}:${r.origin.line}\`.`, '');
  // An incomplete record says so before anything else, and again where its known layout stops.
  if (r.incomplete)
    out.push(`> **Incomplete: this layout is not exact.** ${r.incomplete.errors.map((e) => esc(e)).join('; ')}`, '');
  out.push('| Offset | Size | Type | Name | Comment |');
  out.push('|-------:|-----:|------|------|---------|');
  rows(v.rows, '', out, causes?.rows);
  const tail = causes && describeTail(v, causes);
  if (tail) out.push(`| ${v.record.size - v.tailPadding} | ${v.tailPadding} | | | _${esc(tail)}_ |`);
  if (r.incomplete) {
    out.push(`| **?** | **?** | | | **INCOMPLETE: the layout is unknown from here** |`);
    for (const u of r.incomplete.unplaced)
      out.push(`| ? | ? | ${code(typeName(u.type))} | ${u.name === null ? '' : `\`${u.name}\``} | _not laid out_ |`);
  }
  out.push('');
  if (r.incomplete) {
    out.push(
      `**Size unknown** (incomplete), ${v.memberCount} member${v.memberCount === 1 ? '' : 's'} laid out, ` +
        `${r.incomplete.unplaced.length} not.`,
    );
    return out.join('\n') + '\n';
  }
  const sumHoles = v.holes.reduce((a, h) => a + h.size, 0);
  const parts = [
    `**${v.exact?.size ?? r.size} bytes**`,
    `alignment ${r.align}${r.alignInferred ? ' (inferred)' : ''}`,
    `${v.exact?.cachelines ?? v.cachelines} cacheline${v.cachelines === 1 ? '' : 's'} of ${v.cacheline}`,
    `${v.memberCount} members`,
  ];
  parts.push(`${v.holes.length} hole${v.holes.length === 1 ? '' : 's'} (${sumHoles} byte${sumHoles === 1 ? '' : 's'})`);
  if (v.bitHoles.length)
    parts.push(`${v.bitHoles.length} bit holes (${v.bitHoles.reduce((a, h) => a + h.bits, 0)} bits)`);
  parts.push(`${v.tailPadding} byte${v.tailPadding === 1 ? '' : 's'} of tail padding`);
  if (v.bitPadding) parts.push(`${v.bitPadding} bits of bit padding`);
  if (v.paddings.count)
    parts.push(
      `${v.paddings.sum} bytes of padding inside ` +
        v.paddings.members.map((p) => `\`${p.name ?? '(anonymous)'}\``).join(', '),
    );
  const f = v.forced;
  if (f.alignments) {
    // (pahole's "forced alignments" and "forced holes".)
    const one = f.alignments === 1;
    const holes = f.holes === 1 ? `a ${f.sumHoles}-byte hole` : `${f.holes} holes (${f.sumHoles} bytes)`;
    parts.push(
      `${f.alignments} explicitly aligned member${one ? '' : 's'}` +
        (f.holes ? `, with ${holes} before ${one ? 'it' : 'them'}` : ''),
    );
  }
  out.push(parts.join(', ') + '.');
  if (r.randomizeLayout)
    out.push(
      '',
      '_`__randomize_layout`: the member order changes when layout randomization (CONFIG_RANDSTRUCT) is enabled._',
    );
  for (const u of r.uncertain ?? []) out.push('', `_Uncertain: ${esc(u)}._`);
  return out.join('\n') + '\n';
}

const forcedNote = (m: Member): string => `explicitly aligned to ${m.forcedAlign}`;

function rows(
  list: readonly Row[],
  prefix: string,
  out: string[],
  causes: ReadonlyMap<Row, HoleCause> | undefined,
): void {
  const anon: string[] = [];
  for (const row of list) {
    const indent = '&nbsp;&nbsp;'.repeat(row.depth);
    switch (row.kind) {
      case 'member': {
        const m = row.member;
        if (m.leadingComment) out.push(`| | | | | **${esc(m.leadingComment)}** |`);
        // (Exact offsets and sizes for a record larger than 2^50 bytes: see RecordView.exact.)
        const x = row.exact;
        const off =
          m.bitSize !== undefined
            ? x
              ? `${x.unitOffset}:${x.bit}`
              : `${row.unitOffset}:${row.bitOffset - row.unitOffset * 8}`
            : String(x?.offset ?? row.offset);
        const size =
          m.bitSize !== undefined ? `${m.bitSize} bit${m.bitSize === 1 ? '' : 's'}` : String(m.exact?.size ?? m.size);
        const type = code(typeName(m.type));
        const name = m.name === null ? '' : `\`${prefix}${anon.join('')}${m.name}\``;
        const notes: string[] = [];
        if (m.comment) notes.push(esc(m.comment));
        if (m.spelling) notes.push(`source: ${code(m.spelling)}`);
        if (m.condition) notes.push(`only if ${code(m.condition)}`);
        if (m.forcedAlign !== undefined) notes.push(forcedNote(m));
        if (row.straddles) notes.push('_straddles a cacheline_');
        out.push(`| ${off} | ${size} | ${indent}${type} | ${name} | ${notes.join('; ')} |`);
        break;
      }
      case 'open': {
        const m = row.member;
        if (m.leadingComment) out.push(`| | | | | **${esc(m.leadingComment)}** |`);
        const notes: string[] = [];
        if (m.comment) notes.push(esc(m.comment));
        if (m.condition) notes.push(`only if ${code(m.condition)}`);
        if (m.forcedAlign !== undefined) notes.push(forcedNote(m));
        // (The name column: the member's name with its array suffix, "slots[4]".)
        const { open, declarator } = inlineSpelling(m, row.record);
        out.push(
          `| ${row.offset} | ${m.size} | ${indent}\`${open}\` | ` +
            `${declarator ? `\`${declarator}\`` : ''} | ${notes.join('; ')} |`,
        );
        // (Inside an array of an unnamed record, the first element's members: "slots[0].key".)
        anon.push(m.name ? `${m.name}${recordOf(m.type) ? '' : '[0]'}.` : '');
        break;
      }
      case 'close':
        anon.pop();
        out.push(`| | | ${indent}\`}\` | | |`);
        break;
      case 'hole': {
        const cause = causes?.get(row);
        const why = cause
          ? `: ${esc(describeCause(cause))}`
          : row.before !== undefined
            ? `, before a member explicitly aligned to ${row.before}`
            : '';
        out.push(`| ${row.exactOffset ?? row.offset} | ${row.size} | | | _${row.size}-byte hole${why}_ |`);
        break;
      }
      case 'bithole':
        out.push(
          `| ${bitPlace(row)} | ${row.bits} bit${row.bits === 1 ? '' : 's'} ` +
            `| | | _${row.bits}-bit hole${causes?.has(row) ? `: ${esc(describeCause(causes.get(row)!))}` : ''}_ |`,
        );
        break;
      case 'cacheline':
        out.push(
          `| **${row.offset}** | | | | _cacheline ${row.index} starts` +
            `${row.ago ? ` (${row.ago} bytes into the member above)` : ''}_ |`,
        );
        break;
      case 'zerowidth':
        out.push(
          `| | 0 bits | ${indent}${code(typeName(row.member.type))} | \`:0\` | _next bitfield starts a new unit_ |`,
        );
        break;
      case 'padding':
      case 'combined':
        break;
    }
  }
}
