// pahole's familiar text view: one line per member with offset and size, hole and cacheline lines
// in place, anonymous records inline, and the summary comment block. Formatting only: every number
// comes from src/analyze.

import type { RecordView, Row } from '../analyze/layout-view.js';
import { split } from '../model/print.js';
import type { Member, Record } from '../model/model.js';

export interface TextOptions {
  readonly comments?: boolean;
  readonly color?: boolean;
  /** Named nested record types shown inline (pahole --expand_types). */
  readonly expand?: (m: Member) => RecordView | undefined;
}

const TYPE_COL = 27;
const NAME_COL = 22;

export function renderText(views: readonly RecordView[], opts: TextOptions = {}): string {
  return views.map((v) => renderOne(v, opts)).join('\n');
}

function header(r: Record): string {
  return r.name !== null ? `${r.kind} ${r.name}` : r.typedef ? `typedef ${r.kind}` : r.kind;
}

function renderOne(v: RecordView, opts: TextOptions): string {
  const c = colors(opts.color);
  const out: string[] = [];
  const r = v.record;
  out.push(`${c.bold(header(r))} {`);
  renderRows(v.rows, 1, out, opts, c);
  const ind = '\t';
  out.push('');
  out.push(`${ind}/* size: ${r.size}, cachelines: ${v.cachelines}, members: ${v.memberCount} */`);
  const sumHoles = v.holes.reduce((a, h) => a + h.size, 0);
  const sumBitHoles = v.bitHoles.reduce((a, h) => a + h.bits, 0);
  if (v.holes.length || v.bitHoles.length) {
    let s = `${ind}/* sum members: ${v.sumMembers}`;
    if (v.holes.length) s += `, holes: ${v.holes.length}, sum holes: ${sumHoles}`;
    if (v.bitHoles.length) s += `, bit holes: ${v.bitHoles.length}, sum bit holes: ${sumBitHoles} bits`;
    out.push(s + ' */');
  }
  if (v.tailPadding) out.push(`${ind}/* padding: ${v.tailPadding} */`);
  if (v.bitPadding) out.push(`${ind}/* bit_padding: ${v.bitPadding} bits */`);
  if (v.paddings.count) out.push(`${ind}/* paddings: ${v.paddings.count}, sum paddings: ${v.paddings.sum} */`);
  if (v.cacheline && v.lastCacheline && v.lastCacheline !== v.cacheline) out.push(`${ind}/* last cacheline: ${v.lastCacheline} bytes */`);
  if (r.alignInferred) out.push(`${ind}/* alignment ${r.align} inferred */`);
  if (r.randomizeLayout) out.push(`${ind}/* __randomize_layout: the order changes when CONFIG_RANDSTRUCT is enabled */`);
  for (const u of r.uncertain ?? []) out.push(`${ind}/* uncertain: ${u} */`);
  let tail = '}';
  const attrs: string[] = [];
  if (r.packed) attrs.push('__packed__');
  if (r.alignedAttr) attrs.push(`__aligned__(${r.alignedAttr})`);
  if (attrs.length) tail += ` __attribute__((${attrs.join(', ')}))`;
  out.push(tail + ';');
  return out.join('\n') + '\n';
}

function renderRows(rows: readonly Row[], baseIndent: number, out: string[], opts: TextOptions, c: Colors): void {
  for (const row of rows) {
    const ind = '\t'.repeat(baseIndent + row.depth);
    switch (row.kind) {
      case 'member': {
        const m = row.member;
        const nested = opts.expand?.(m);
        if (nested) {
          out.push(`${ind}${pad(`${header(nested.record)} {`, 0)}`);
          renderRows(nested.rows.map((x) => shift(x, row.offset)), baseIndent + row.depth + 1, out, opts, c);
          out.push(`${ind}} ${m.name ?? ''};`.padEnd(ind.length + TYPE_COL + NAME_COL) + ` /* ${num(row.offset, 5)} ${num(m.size, 5)} */`);
          break;
        }
        const decl = declLine(m);
        const posCol = m.bitSize !== undefined ? `${num(row.offset, 5)}:${num(row.bitOffset - row.offset * 8, 2)} ${num(m.size, 2)}` : `${num(row.offset, 5)} ${num(m.size, 5)}`;
        let line = `${ind}${decl}`;
        line = padVisible(line, ind.length + TYPE_COL + NAME_COL) + ` /* ${posCol} */`;
        if (opts.comments && m.comment) line += ` ${c.dim('// ' + m.comment)}`;
        if (row.straddles) line += c.warn(' /* straddles a cacheline */');
        if (opts.comments && m.leadingComment) {
          for (const l of m.leadingComment.split('\n')) out.push(`${ind}${c.dim('/* ' + l + ' */')}`);
        }
        out.push(line);
        break;
      }
      case 'open': {
        const r = row.record;
        out.push(`${ind}${r.kind} {`);
        break;
      }
      case 'close': {
        const m = row.member;
        const line = `${ind}}${m.name ? ' ' + m.name : ''};`;
        out.push(padVisible(line, ind.length + TYPE_COL + NAME_COL) + ` /* ${num(row.offset, 5)} ${num(m.size, 5)} */`);
        break;
      }
      case 'hole':
        out.push(`${ind}${c.warn(`/* XXX ${row.size} byte${row.size === 1 ? '' : 's'} hole, try to pack */`)}`);
        break;
      case 'bithole':
        out.push(`${ind}${c.warn(`/* XXX ${row.bits} bit${row.bits === 1 ? '' : 's'} hole, try to pack */`)}`);
        break;
      case 'cacheline':
        out.push(`${ind}/* --- cacheline ${row.index} boundary (${row.offset} bytes) --- */`);
        break;
    }
  }
}

/** A nested view's row moved to where the member sits (for --expand). */
function shift(r: Row, by: number): Row {
  if (r.kind === 'member') return { ...r, offset: r.offset + by, bitOffset: r.bitOffset + by * 8 };
  if (r.kind === 'bithole') return { ...r, bitOffset: r.bitOffset + by * 8 };
  return { ...r, offset: r.offset + by };
}

/** "type name;" with the base type padded to pahole's column. */
export function declLine(m: Member): string {
  const bits = m.bitSize !== undefined ? `:${m.bitSize}` : '';
  const { base, declarator } = split(m.type, m.name ?? '');
  return `${base.padEnd(TYPE_COL - 1)} ${declarator}${bits};`;
}

function num(n: number, w: number): string {
  return String(n).padStart(w);
}

function pad(s: string, _w: number): string {
  return s;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
function padVisible(s: string, w: number): string {
  const visible = s.replace(ANSI, '').replace(/\t/g, '        ');
  const target = w + (s.match(/\t/g)?.length ?? 0) * 7;
  return visible.length >= target ? s : s + ' '.repeat(target - visible.length);
}

interface Colors {
  bold(s: string): string;
  dim(s: string): string;
  warn(s: string): string;
}
function colors(on?: boolean): Colors {
  if (!on) return { bold: (s) => s, dim: (s) => s, warn: (s) => s };
  return { bold: (s) => `\x1b[1m${s}\x1b[0m`, dim: (s) => `\x1b[2m${s}\x1b[0m`, warn: (s) => `\x1b[33m${s}\x1b[0m` };
}
