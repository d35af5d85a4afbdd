// pahole's familiar text view: one line per member with offset and size, hole and cacheline lines
// in place, anonymous records inline, and the summary comment block. With the holes' causes, each
// hole note says why the hole is there; without them the text is pahole's own, line for line.
// Formatting only: every number comes from src/analyze.

import type { HoleCause, HoleCauses } from '../analyze/hole-cause.js';
import type { RecordView, Row } from '../analyze/layout-view.js';
import { describeCause, describeTail, holesLargestFirst } from './explain.js';
import { declParts, inlineSpelling, split, type DeclParts } from '../model/print.js';
import type { Member, RecordType, TypeRef } from '../model/model.js';

export interface TextOptions {
  readonly comments?: boolean;
  readonly color?: boolean;
  /** Parallel to the views: what made each hole (src/analyze/hole-cause.ts), said in its note and in
   *  a tail padding note. A view without causes is printed as pahole prints it. */
  readonly causes?: readonly (HoleCauses | undefined)[];
  /** With causes: the holes, largest first, under the summary (--explain). */
  readonly holeList?: boolean;
}

export function renderText(views: readonly RecordView[], opts: TextOptions = {}): string {
  return views.map((v, i) => renderOne(v, opts, opts.causes?.[i])).join('\n');
}

function header(r: RecordType): string {
  return r.name !== null ? `${r.kind} ${r.name}` : r.typedef ? `typedef ${r.kind}` : r.kind;
}

function renderOne(v: RecordView, opts: TextOptions, causes: HoleCauses | undefined): string {
  const c = colors(opts.color);
  const out: string[] = [];
  const r = v.record;
  // (A record defined in a function says which, after the brace: pahole's first line is kept.)
  const where = r.variable !== undefined ? `, declared with ${r.variable}` : '';
  const scope = r.scope !== undefined ? ` ${c.dim(`/* in function ${r.scope}${where} */`)}` : '';
  out.push(`${c.bold(header(r))} {${scope}`);
  renderRows(v.rows, 1, out, opts, c, r.kind === 'union' ? 2 : 0, causes?.rows);
  const ind = '\t';
  if (r.incomplete) incompleteLines(r, out, c, r.kind === 'union' ? 2 : 0);
  const tail = causes && describeTail(v, causes);
  if (tail) {
    if (out[out.length - 1] !== '') out.push('');
    out.push(`${ind}${c.warn(`/* XXX ${tail.replace(/\*\//g, '* /')} */`)}`);
  }
  if (out[out.length - 1] !== '') out.push('');
  const note = (s: string) => out.push(`${ind}${c.dim(`/* ${s} */`)}`);
  if (r.incomplete) note(`size: ?, members: ${v.memberCount} laid out, ${r.incomplete.unplaced.length} not`);
  else
    note(
      `size: ${v.exact?.size ?? r.size}, cachelines: ${v.exact?.cachelines ?? v.cachelines}, members: ${v.memberCount}`,
    );
  const sumHoles = v.holes.reduce((a, h) => a + h.size, 0);
  const sumBitHoles = v.bitHoles.reduce((a, h) => a + h.bits, 0);
  if (v.holes.length || v.bitHoles.length) {
    if (v.sumMembers || v.holes.length)
      note(
        `sum members: ${v.exact?.sumMembers ?? v.sumMembers}` +
          (v.holes.length ? `, holes: ${v.holes.length}, sum holes: ${sumHoles}` : ''),
      );
    if (v.sumBitfieldBits || v.bitHoles.length) {
      note(
        `sum bitfield members: ${v.sumBitfieldBits} bits` +
          (v.bitHoles.length
            ? `, bit holes: ${v.bitHoles.length}, sum bit holes: ${sumBitHoles} bits`
            : ` (${Math.floor(v.sumBitfieldBits / 8)} bytes)`),
      );
    }
  }
  // (An incomplete record's end is not known: no padding or cacheline totals.)
  if (!r.incomplete) summaryTail(v, note);
  if (r.randomizeLayout) note('__randomize_layout: the order changes when CONFIG_RANDSTRUCT is enabled');
  for (const u of r.uncertain ?? []) note(`uncertain: ${u}`);
  const list = causes && opts.holeList ? holesLargestFirst(v, causes) : [];
  if (list.length) out.push(`${ind}/* holes, largest first:`, ...list.map((s) => `${ind} *   ${s}`), `${ind} */`);
  const close = r.name === null && r.typedef ? `} ${r.typedef}` : '}';
  out.push(close + recordAttr(r) + ';');
  return out.join('\n') + '\n';
}

/** The summary after the holes: paddings, forced alignments, the last cacheline. */
function summaryTail(v: RecordView, note: (s: string) => void): void {
  if (v.tailPadding) note(`padding: ${v.tailPadding}`);
  if (v.paddings.count) note(`paddings: ${v.paddings.count}, sum paddings: ${v.paddings.sum}`);
  if (v.bitPadding) note(`bit_padding: ${v.bitPadding} bits`);
  const f = v.forced;
  if (f.alignments)
    note(
      `forced alignments: ${f.alignments}` +
        (f.holes ? `, forced holes: ${f.holes}, sum forced holes: ${f.sumHoles}` : ''),
    );
  if (v.cacheline && v.lastCacheline && v.lastCacheline !== v.cacheline)
    note(`last cacheline: ${v.lastCacheline} bytes`);
}

/** Where an incomplete record stops being known: each error, then the members not laid out, with
 *  no offsets. */
function incompleteLines(r: RecordType, out: string[], c: Colors, narrower: number): void {
  for (const e of r.incomplete!.errors) out.push(`\t${c.warn(`/* INCOMPLETE: ${e.replace(/\*\//g, '* /')} */`)}`);
  for (const u of r.incomplete!.unplaced)
    out.push(withPosition(1, declLine({ ...u, bitOffset: 0, size: 0, align: 0 }, 0, c), '    ?     ?', c, narrower));
}

/** pahole's columns assume 8-column tabs: the text after the indentation is padded to 49 columns at
 *  the first level, 8 fewer per level deeper, and the offset/size comment follows. */
function withPosition(tabs: number, text: string, pos: string, c: Colors, narrower = 0): string {
  const width = Math.max(0, 49 - narrower - 8 * (tabs - 1));
  const visible = text.includes('\x1b') ? text.replace(ANSI, '').length : text.length;
  return indent(tabs) + text + spaces(visible < width ? width - visible : 1) + c.dim('/* ' + pos + ' */');
}

const bytesPos = (offset: number | bigint, size: number | bigint): string => num(offset, 5) + ' ' + num(size, 5);
const isNote = (row: Row): boolean =>
  row.kind === 'hole' ||
  row.kind === 'bithole' ||
  row.kind === 'padding' ||
  row.kind === 'combined' ||
  row.kind === 'zerowidth';

/** `narrower`: pahole's columns are 2 narrower in a union. */
function renderRows(
  rows: readonly Row[],
  baseIndent: number,
  out: string[],
  opts: TextOptions,
  c: Colors,
  narrower: number,
  causes: ReadonlyMap<Row, HoleCause> | undefined,
): void {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const tabs = baseIndent + row.depth;
    if (row.kind === 'member') {
      out.push(memberLine(row, tabs, out, opts, c, narrower));
      continue;
    }
    const note = isNote(row);
    // Hole notes stand apart from the members, as pahole prints them: a blank line around each group.
    if (note && (i === 0 || !isNote(rows[i - 1]!)) && out[out.length - 1] !== '') out.push('');
    otherLines(row, tabs, out, opts, c, narrower, causes?.get(row));
    // (Not before an inline record's closing brace.)
    if (note && (i === rows.length - 1 || (!isNote(rows[i + 1]!) && rows[i + 1]!.kind !== 'close'))) out.push('');
  }
}

/** A member's line (most lines: kept apart from the rarer rows so that it compiles small and early);
 *  its leading comment, with --comments, goes into `out` first. */
function memberLine(
  row: Row & { kind: 'member' },
  tabs: number,
  out: string[],
  opts: TextOptions,
  c: Colors,
  narrower: number,
): string {
  const m = row.member;
  if (opts.comments && m.leadingComment) leading(m.leadingComment, indent(tabs), out, c);
  // (Exact offsets for a record larger than 2^50 bytes: see RecordView.exact.)
  const x = row.exact;
  const pos = x
    ? m.bitSize !== undefined
      ? num(x.unitOffset, 5) + ':' + num(x.bit, 2) + ' ' + num(m.size, 2)
      : bytesPos(x.offset, m.exact?.size ?? m.size)
    : m.bitSize !== undefined
      ? num(row.unitOffset, 5) + ':' + num(row.bitOffset - row.unitOffset * 8, 2) + ' ' + num(m.size, 2)
      : bytesPos(row.offset, m.size);
  const line = withPosition(tabs, declLine(m, tabs - 1, c), pos, c, narrower);
  return opts.comments && m.comment ? line + ` ${c.dim('// ' + m.comment.replace(/\n/g, ' '))}` : line;
}

/** The lines of any other row: anonymous records' braces, holes and other notes, cachelines. */
function otherLines(
  row: Row,
  tabs: number,
  out: string[],
  opts: TextOptions,
  c: Colors,
  narrower: number,
  cause: HoleCause | undefined,
): void {
  const ind = indent(tabs);
  switch (row.kind) {
    case 'open':
      if (opts.comments && row.member.leadingComment) leading(row.member.leadingComment, ind, out, c);
      out.push(`${ind}${inlineSpelling(row.member, row.record).open}`);
      break;
    case 'close': {
      const m = row.member;
      // As pahole closes an inline record: the record's attribute (see recordAttr), the member's
      // declarator, then the member's forced alignment.
      const { declarator } = inlineSpelling(m, row.record);
      const text = `}${recordAttr(row.record)}${declarator ? ' ' + declarator : ''}${forcedAttr(m)};`;
      let close = withPosition(tabs, text, bytesPos(row.offset, m.size), c, narrower);
      if (opts.comments && m.comment) close += ` ${c.dim('// ' + m.comment.replace(/\n/g, ' '))}`;
      out.push(close);
      break;
    }
    case 'hole':
    case 'bithole': {
      const n = row.kind === 'hole' ? row.size : row.bits;
      const why = cause ? ': ' + describeCause(cause).replace(/\*\//g, '* /') : ', try to pack';
      out.push(
        `${ind}${c.warn(`/* XXX ${n} ${row.kind === 'hole' ? 'byte' : 'bit'}${n === 1 ? '' : 's'} hole${why} */`)}`,
      );
      break;
    }
    case 'padding':
      out.push(`${ind}${c.warn(`/* XXX last struct has ${row.size} byte${row.size === 1 ? '' : 's'} of padding */`)}`);
      break;
    case 'combined':
      out.push(`${ind}${c.dim(`/* Bitfield combined with ${row.previous ? 'previous' : 'next'} fields */`)}`);
      break;
    case 'zerowidth':
      out.push(`${ind}${c.dim('/* Force alignment to the next boundary: */')}`);
      out.push(`${ind}${declLine(row.member, tabs - 1, c)}`);
      break;
    case 'cacheline': {
      const ago = row.ago ? ` was ${row.ago} byte${row.ago === 1 ? '' : 's'} ago` : '';
      out.push(`${ind}${c.dim(`/* --- cacheline ${row.index} boundary (${row.offset} bytes)${ago} --- */`)}`);
      break;
    }
  }
}

function leading(comment: string, ind: string, out: string[], c: Colors): void {
  for (const l of comment.split('\n')) out.push(`${ind}${c.dim('/* ' + l + ' */')}`);
}

/** "type name;" with the base type padded to pahole's column (8 narrower per nesting level);
 *  the member's name in bold when colored. */
export function declLine(m: Member, depth = 0, c: Colors = PLAIN): string {
  const bits = m.bitSize !== undefined ? ':' + m.bitSize : '';
  const name = m.name ?? '';
  let base: string;
  let decl: string;
  if (name !== '' && WORD.test(name)) {
    // An identifier: the columns depend on the type alone (memoised).
    const k = columnsOf(m.type);
    base = k.base;
    decl = k.before + name + k.after;
  } else ({ base, declarator: decl } = starsWithBase(split(m.type, name)));
  if (c !== PLAIN && name) {
    const at = decl.lastIndexOf(name);
    if (at >= 0) decl = decl.slice(0, at) + c.bold(name) + decl.slice(at + name.length);
  }
  return padTo(base, Math.max(0, 26 - 8 * depth)) + ' ' + decl + bits + forcedAttr(m) + ';';
}

/** What follows a record's closing brace, as pahole prints it: packed, or else a struct's forced
 *  alignment (see RecordType.forcedAlign); both for a record declared packed and aligned. */
function recordAttr(r: RecordType): string {
  if (r.packed)
    return (
      ' __attribute__((__packed__))' +
      (r.alignedAttr ? ` __attribute__((__aligned__(${r.forcedAlign ?? r.alignedAttr})))` : '')
    );
  return r.kind === 'struct' && r.forcedAlign !== undefined ? ` __attribute__((__aligned__(${r.forcedAlign})))` : '';
}

/** pahole's spelling of a member's forced alignment (see Member.forcedAlign). */
function forcedAttr(m: Member): string {
  return m.forcedAlign !== undefined ? ` __attribute__((__aligned__(${m.forcedAlign})))` : '';
}

const WORD = /^\w+$/;

/** Plain pointers keep their stars with the type, as pahole aligns them: "struct node *   next;". */
function starsWithBase(d: { base: string; declarator: string }): { base: string; declarator: string } {
  const stars = d.declarator.charCodeAt(0) === 42 ? /^(\*+)(?=\w*(?:\[\d*\])*$)/.exec(d.declarator) : null;
  return stars ? { base: `${d.base} ${stars[1]}`, declarator: d.declarator.slice(stars[1]!.length) } : d;
}

/** declLine's base column and the declarator around an identifier for a type; any identifier gives
 *  the same split (the stars test sees only word characters where the name is), so one stands in. */
function columnsOf(t: TypeRef): DeclParts {
  let k = columns.get(t);
  if (k === undefined) {
    const p = declParts(t);
    const d = starsWithBase({ base: p.base, declarator: p.before + 'x' + p.after });
    k = {
      base: d.base,
      before: p.before.slice(p.before.length + 1 + p.after.length - d.declarator.length),
      after: p.after,
    };
    columns.set(t, k);
  }
  return k;
}
const columns = new WeakMap<TypeRef, DeclParts>();

/** String(n).padStart(w), remembered for the small offsets and sizes most lines hold. */
function num(n: number | bigint, w: number): string {
  if (typeof n === 'bigint' || !(n >= 0 && n < NUMS_CACHED && (n | 0) === n && w <= 5)) return String(n).padStart(w);
  const byWidth = (NUMS[w] ??= new Array<string | undefined>(NUMS_CACHED));
  return (byWidth[n] ??= String(n).padStart(w));
}
const NUMS_CACHED = 1 << 14;
const NUMS: (string | undefined)[][] = [];

const TABS: string[] = [];
const SPACES: string[] = [];
const indent = (n: number): string => (TABS[n] ??= '\t'.repeat(n));
const spaces = (n: number): string => (SPACES[n] ??= ' '.repeat(n));
const padTo = (s: string, w: number): string => (s.length >= w ? s : s + spaces(w - s.length));

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
interface Colors {
  bold(s: string): string;
  dim(s: string): string;
  warn(s: string): string;
}
const PLAIN: Colors = { bold: (s) => s, dim: (s) => s, warn: (s) => s };
const COLOR: Colors = {
  bold: (s) => `\x1b[1m${s}\x1b[0m`,
  dim: (s) => `\x1b[2m${s}\x1b[0m`,
  warn: (s) => `\x1b[33m${s}\x1b[0m`,
};
function colors(on?: boolean): Colors {
  return on ? COLOR : PLAIN;
}
