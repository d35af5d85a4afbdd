// The picture of a layout (--format svg): a grid of bytes in rows, members as labelled blocks over
// their bytes (wrapping from row to row), bitfields at bit granularity, holes and padding hatched,
// union members as stacked alternatives over the same bytes, nested records outlined around their
// members, cacheline boundaries heavier and numbered. Built from the layout view's rows, so it shows
// exactly the members, holes and nesting the text and JSON show. Every member and hole is an element
// carrying data-* attributes (offsets, sizes) for scripts and tests; see docs/picture.md.

import type { RecordView } from '../analyze/layout-view.js';
import { recordOf, unnamedRecordOf, type Member, type RecordType } from '../model/model.js';
import { typeName } from '../model/print.js';
import { requireExact } from '../analyze/exact.js';
import { defs, esc, fit, legend, num, PALETTE_SIZE, styleSheet } from './svg-style.js';

export interface SvgOptions {
  /** Bytes per row; by default a cacheline for records larger than one, else 8 or 16. */
  readonly rowBytes?: number;
  /** The views were made with --expand (named nested records are drawn inside out too). */
  readonly expand?: boolean;
  /** A line above the record's heading (the target, side by side). */
  readonly heading?: string;
  /** Members to mark as differing (paths as the cross-target comparison spells them). */
  readonly differs?: ReadonlySet<string>;
}

/** One record's picture: an SVG fragment with its origin at (0, 0), and its extent. */
export interface Picture {
  /** What is drawn ("struct foo"), for the document's title. */
  readonly title?: string;
  readonly body: string;
  readonly width: number;
  readonly height: number;
}

const LEAF = 30; // a member block's height
const HEADER = 15; // a nested record's label line above its members
const PAD = 3;
const ROW_GAP = 12;
const MARGIN = 86; // the left margin: row offsets and cacheline numbers
const GRID_WIDTH = 768;
/** Rows beyond which the default row grows (a megabyte array would draw 16,000 rows). */
const MAX_ROWS = 512;

/** The default bytes per row for a record of `size` bytes. */
export function defaultRowBytes(size: number, cacheline: number): number {
  const line = cacheline > 0 ? cacheline : 64;
  if (size > line) {
    const rows = Math.ceil(size / line);
    return rows > MAX_ROWS ? Math.ceil(size / MAX_ROWS / line) * line : line;
  }
  return size <= 8 ? 8 : 16;
}

interface Seg {
  readonly row: number;
  readonly x: number;
  readonly w: number;
}

type Op =
  | {
      readonly t: 'member';
      readonly m: Member;
      readonly path: string;
      readonly offset: number;
      readonly bitOffset: number;
      readonly unitOffset: number;
      readonly y: number;
      readonly h: number;
      readonly segs: Seg[];
      readonly nested: boolean;
      readonly color: number;
    }
  | { readonly t: 'close' }
  | {
      readonly t: 'hole';
      readonly kind: 'hole' | 'bithole' | 'tail' | 'bitpad';
      readonly bitOffset: number;
      readonly bits: number;
      readonly depth: number;
      readonly y: number;
      readonly segs: Seg[];
    };

/** Where members of the record being walked go: one band for a struct, stacked lanes for a union. */
interface Ctx {
  readonly union: boolean;
  readonly y: number;
  lane: number;
  readonly base: number;
  readonly prefix: string;
}

const plural = (n: number, one: string, many = one + 's'): string => `${n} ${n === 1 ? one : many}`;

export function recordTitle(r: RecordType): string {
  if (r.name !== null) return `${r.kind} ${r.name}`;
  return r.typedef ? `${r.typedef} (${r.kind})` : `anonymous ${r.kind}`;
}

/** The summary line under the picture (the totals the text view ends with). */
export function summaryLine(v: RecordView): string {
  const r = v.record;
  const sumHoles = v.holes.reduce((a, h) => a + h.size, 0);
  const parts = [
    `${plural(r.size, 'byte')}`,
    `align ${r.align}${r.alignInferred ? ' (inferred)' : ''}`,
    plural(v.cachelines, 'cacheline') + ` of ${v.cacheline}`,
    plural(v.memberCount, 'member'),
  ];
  parts.push(`${plural(v.holes.length, 'hole')} (${plural(sumHoles, 'byte')})`);
  if (v.bitHoles.length)
    parts.push(
      `${plural(v.bitHoles.length, 'bit hole')} (${plural(
        v.bitHoles.reduce((a, h) => a + h.bits, 0),
        'bit',
      )})`,
    );
  parts.push(`${plural(v.tailPadding, 'byte')} of tail padding`);
  if (v.bitPadding) parts.push(`${plural(v.bitPadding, 'bit')} of bit padding`);
  return parts.join(', ');
}

class Layout {
  readonly ops: Op[] = [];
  readonly rowBottom: number[];
  readonly rows: number;
  readonly bw: number;
  private readonly heights = new Map<RecordType, number>();
  private color = 0;

  constructor(
    readonly view: RecordView,
    readonly rowBytes: number,
    private readonly expand: boolean,
  ) {
    this.rows = Math.max(1, Math.ceil(view.record.size / rowBytes));
    this.rowBottom = new Array<number>(this.rows).fill(LEAF + 2 * PAD);
    // Whole pixels a byte, or a power of two's fraction of one for very wide rows: positions then
    // stay exact in decimal, so a script can map them back to bits.
    const w = GRID_WIDTH / rowBytes;
    this.bw = w >= 1 ? Math.min(96, Math.floor(w)) : 2 ** Math.floor(Math.log2(w));
  }

  /** The record drawn inside a member: the layout view's rule (an unnamed record; any with --expand). */
  private inner(m: Member): RecordType | undefined {
    const sub = recordOf(m.type);
    return unnamedRecordOf(m.type) ?? (this.expand && sub !== undefined && sub.members.length > 0 ? sub : undefined);
  }

  private heightOf(m: Member): number {
    const inner = this.inner(m);
    return inner ? HEADER + this.content(inner) + PAD : LEAF;
  }

  private content(r: RecordType): number {
    let h = this.heights.get(r);
    if (h !== undefined) return h;
    h = 0;
    for (const m of r.members) {
      if (m.bitSize === 0) continue;
      const mh = this.heightOf(m);
      h = r.kind === 'union' ? h + mh + PAD : Math.max(h, mh);
    }
    h = Math.max(LEAF, r.kind === 'union' ? h - PAD : h);
    this.heights.set(r, h);
    return h;
  }

  /** The row segments bits [start, start + bits) occupy; one zero-width segment for no bits. */
  segs(start: number, bits: number): Seg[] {
    const rowBits = this.rowBytes * 8;
    const x = (b: number, row: number) => MARGIN + ((b - row * rowBits) / 8) * this.bw;
    if (bits <= 0) {
      const row = Math.min(this.rows - 1, Math.floor(start / rowBits));
      return [{ row, x: x(start, row), w: 0 }];
    }
    const out: Seg[] = [];
    for (let b = start, end = start + bits; b < end;) {
      const row = Math.floor(b / rowBits);
      const e = Math.min(end, (row + 1) * rowBits);
      out.push({ row, x: x(b, row), w: ((e - b) / 8) * this.bw });
      b = e;
    }
    return out;
  }

  private reach(segs: readonly Seg[], bottom: number): void {
    for (const s of segs)
      if (s.row < this.rows && this.rowBottom[s.row]! < bottom + PAD) this.rowBottom[s.row] = bottom + PAD;
  }

  private place(ctx: Ctx, h: number): number {
    if (!ctx.union) return ctx.y;
    const y = ctx.lane;
    ctx.lane += h + PAD;
    return y;
  }

  private hole(
    kind: 'hole' | 'bithole' | 'tail' | 'bitpad',
    bitOffset: number,
    bits: number,
    depth: number,
    y: number,
  ): void {
    const segs = this.segs(bitOffset, bits);
    this.ops.push({ t: 'hole', kind, bitOffset, bits, depth, y, segs });
    this.reach(segs, y + LEAF);
  }

  build(): this {
    const v = this.view;
    const stack: Ctx[] = [{ union: v.record.kind === 'union', y: PAD, lane: PAD, base: 0, prefix: '' }];
    for (const row of v.rows) {
      const ctx = stack[stack.length - 1]!;
      switch (row.kind) {
        case 'member':
        case 'zerowidth': {
          const m = row.member;
          const abs = row.kind === 'member' ? row.bitOffset : ctx.base + m.bitOffset;
          const segs = m.bitSize !== undefined ? this.segs(abs, m.bitSize) : this.segs(abs, m.size * 8);
          const y = m.bitSize === 0 ? ctx.y : this.place(ctx, LEAF);
          const unitOffset = row.kind === 'member' ? row.unitOffset : Math.floor(abs / 8);
          this.ops.push({
            t: 'member',
            m,
            path: ctx.prefix + (m.name ?? ''),
            offset: Math.floor(abs / 8),
            bitOffset: abs,
            unitOffset,
            y,
            h: LEAF,
            segs,
            nested: false,
            color: this.color++ % PALETTE_SIZE,
          });
          this.ops.push({ t: 'close' });
          this.reach(segs, y + LEAF);
          break;
        }
        case 'open': {
          const m = row.member;
          const h = HEADER + this.content(row.record) + PAD;
          const y = this.place(ctx, h);
          const segs = this.segs(row.offset * 8, m.size * 8);
          // (Paths as the cross-target comparison spells them: anonymous members add nothing.)
          const path = ctx.prefix + (m.name ?? '');
          this.ops.push({
            t: 'member',
            m,
            path,
            offset: row.offset,
            bitOffset: row.offset * 8,
            unitOffset: row.offset,
            y,
            h,
            segs,
            nested: true,
            color: this.color++ % PALETTE_SIZE,
          });
          this.reach(segs, y + h);
          const prefix = m.name === null ? ctx.prefix : `${path}${recordOf(m.type) ? '' : '[0]'}.`;
          stack.push({
            union: row.record.kind === 'union',
            y: y + HEADER,
            lane: y + HEADER,
            base: row.offset * 8,
            prefix,
          });
          break;
        }
        case 'close':
          stack.pop();
          this.ops.push({ t: 'close' });
          break;
        case 'hole':
          this.hole('hole', row.offset * 8, row.size * 8, row.depth, ctx.y);
          break;
        case 'bithole':
          this.hole('bithole', row.bitOffset, row.bits, row.depth, ctx.y);
          break;
        default:
          break;
      }
    }
    const end = (v.record.size - v.tailPadding) * 8;
    if (v.bitPadding) this.hole('bitpad', end - v.bitPadding, v.bitPadding, 0, PAD);
    if (v.tailPadding) this.hole('tail', end, v.tailPadding * 8, 0, PAD);
    return this;
  }
}

function memberTitle(op: Extract<Op, { t: 'member' }>): string {
  const m = op.m;
  const lines = [`${op.path || (m.name === null ? '(anonymous)' : m.name)}: ${typeName(m.type)}`];
  if (m.bitSize !== undefined) {
    const inUnit = op.bitOffset - op.unitOffset * 8;
    lines.push(
      `bits ${inUnit}..${inUnit + m.bitSize - 1} of the ${m.size}-byte unit at offset ${op.unitOffset} ` +
        `(bit offset ${op.bitOffset}, ${plural(m.bitSize, 'bit')})`,
    );
  } else
    lines.push(
      `offset ${op.offset}${op.offset >= 64 ? ` (0x${op.offset.toString(16)})` : ''}, size ${m.size}, end ` +
        `${op.offset + m.size}, align ${m.align}`,
    );
  if (m.comment) lines.push(m.comment);
  if (m.leadingComment) lines.push(m.leadingComment);
  if (m.spelling) lines.push(`source: ${m.spelling}`);
  if (m.condition) lines.push(`only if ${m.condition}`);
  if (m.forcedAlign !== undefined) lines.push(`explicitly aligned to ${m.forcedAlign}`);
  return lines.join('\n');
}

const widest = (segs: readonly Seg[]): Seg => segs.reduce((a, s) => (s.w > a.w ? s : a), segs[0]!);

/** One record's picture. */
export function svgPicture(view: RecordView, opts: SvgOptions = {}): Picture {
  const r = view.record;
  requireExact([r], 'the picture'); // (its grid is drawn in numbers: InexactRecordError past 2^50 bytes)
  const rowBytes = opts.rowBytes ?? defaultRowBytes(r.size, view.cacheline);
  const L = new Layout(view, rowBytes, !!opts.expand).build();
  const { bw, rows } = L;
  const width = Math.ceil(MARGIN + rowBytes * bw + 12);
  const out: string[] = [];
  let y = 0;
  if (opts.heading) {
    y += 18;
    out.push(`<text class="heading target" x="4" y="${y - 4}">${esc(fit(opts.heading, width))}</text>`);
  }
  y += 18;
  const where = r.origin?.kind === 'source' ? ` (${r.origin.file}:${r.origin.line})` : '';
  const heading = `${recordTitle(r)}: ${r.size} bytes${where}`;
  out.push(`<text class="heading" x="4" y="${y - 4}">${esc(fit(heading, width))}<title>${esc(heading)}</title></text>`);
  // Column numbers: every byte when there is room for them, else every eighth.
  y += 14;
  const step = bw >= 22 ? 1 : bw >= 3 ? 8 : Math.ceil(64 / bw);
  for (let c = 0; c < rowBytes; c += step)
    out.push(`<text class="dim col" x="${num(MARGIN + c * bw + 2)}" y="${y - 3}">${c}</text>`);
  const tops: number[] = [];
  for (let i = 0, t = y + 4; i < rows; i++) {
    tops.push(t);
    t += L.rowBottom[i]! + ROW_GAP;
  }
  const gridBottom = tops[rows - 1]! + L.rowBottom[rows - 1]!;
  const cl = view.cacheline;
  // The grid: a background per row over its bytes, a tick per byte (a heavier one every eighth).
  for (let i = 0; i < rows; i++) {
    const top = tops[i]!;
    const h = L.rowBottom[i]!;
    const bytes = Math.min(rowBytes, r.size - i * rowBytes);
    const start = i * rowBytes;
    out.push(
      `<rect class="rowbg" data-row="${i}" data-offset="${start}" x="${MARGIN}" y="${num(top)}" ` +
        `width="${num(bytes * bw)}" height="${num(h)}"/>`,
    );
    // (Ticks closer than 4 pixels are left out: every eighth byte's, or fewer, on very wide rows.)
    let ticks = '';
    let ticks8 = '';
    const heavy = 8 * 2 ** Math.max(0, Math.ceil(Math.log2(4 / (8 * bw))));
    for (let c = bw >= 4 ? 1 : heavy; c < bytes; c += bw >= 4 ? 1 : heavy) {
      const t = `M${num(MARGIN + c * bw)} ${num(top)}v${num(h)}`;
      if (c % 8) ticks += t;
      else ticks8 += t;
    }
    if (ticks) out.push(`<path class="tick" d="${ticks}"/>`);
    if (ticks8) out.push(`<path class="tick8" d="${ticks8}"/>`);
    out.push(
      `<text class="dim off" x="4" y="${num(top + 12)}">` +
        `${start}${start >= 16 ? ` 0x${start.toString(16)}` : ''}</text>`,
    );
  }
  // Cacheline boundaries: a heavy line where each line starts (inside a row, when lines are at least 24
  // pixels apart), numbered in the margin of the row they fall in.
  if (cl > 0) {
    const inside = cl * bw >= 24;
    let labelRow = -1;
    for (let k = 1, b = cl; b < r.size; k++, b += cl) {
      const row = Math.floor(b / rowBytes);
      const col = b % rowBytes;
      const top = tops[row]!;
      if (col === 0)
        out.push(
          `<line class="cacheline" data-index="${k}" data-offset="${b}" x1="2" y1="${num(top - ROW_GAP / 2)}" ` +
            `x2="${num(MARGIN + rowBytes * bw)}" y2="${num(top - ROW_GAP / 2)}"/>`,
        );
      else if (inside)
        out.push(
          `<line class="cacheline" data-index="${k}" data-offset="${b}" x1="${num(MARGIN + col * bw)}" ` +
            `y1="${num(top - 4)}" x2="${num(MARGIN + col * bw)}" y2="${num(top + L.rowBottom[row]! + 4)}"/>`,
        );
      if (row === labelRow) continue;
      labelRow = row;
      const last = Math.min(Math.floor((r.size - 1) / cl), Math.floor(((row + 1) * rowBytes - 1) / cl));
      const label = last > k ? `cl ${k}–${last}` : `cacheline ${k}`;
      out.push(`<text class="cl" x="4" y="${num(top + 25)}">${label}</text>`);
    }
  }
  for (const op of L.ops) {
    if (op.t === 'close') {
      out.push('</g>');
      continue;
    }
    if (op.t === 'hole') {
      const bytes = op.kind === 'hole' || op.kind === 'tail';
      const what = op.kind === 'tail' ? 'tail padding' : op.kind === 'bitpad' ? 'bit padding' : 'hole';
      const size = bytes ? plural(op.bits / 8, 'byte') : plural(op.bits, 'bit');
      const at = bytes
        ? `offset ${op.bitOffset / 8}`
        : `bit offset ${op.bitOffset} (byte ${Math.floor(op.bitOffset / 8)}, bit ${op.bitOffset % 8})`;
      const attrs = bytes
        ? `data-offset="${op.bitOffset / 8}" data-size="${op.bits / 8}"`
        : `data-offset="${Math.floor(op.bitOffset / 8)}" data-bit-offset="${op.bitOffset}" data-bits="${op.bits}"`;
      const cls =
        op.kind === 'hole'
          ? 'hole'
          : op.kind === 'bithole'
            ? 'hole bithole'
            : op.kind === 'tail'
              ? 'hole tail'
              : 'hole bithole bitpad';
      out.push(
        `<g class="${cls}" ${attrs} data-depth="${op.depth}"><title>${esc(`${size} of ${what} at ${at}`)}</title>`,
      );
      for (const s of op.segs)
        out.push(
          `<rect class="seg" data-row="${s.row}" x="${num(s.x)}" y="${num(tops[s.row]! + op.y)}" ` +
            `width="${num(s.w)}" height="${LEAF}"/>`,
        );
      const s = widest(op.segs);
      const label = fit(bytes ? `${op.bits / 8}` : `${op.bits}b`, s.w);
      if (label)
        out.push(`<text class="dim" x="${num(s.x + 3)}" y="${num(tops[s.row]! + op.y + 19)}">${esc(label)}</text>`);
      out.push('</g>');
      continue;
    }
    const m = op.m;
    const cls = ['member', `c${op.color}`];
    if (m.bitSize !== undefined) cls.push('bitfield');
    if (op.nested) cls.push('nested');
    if (opts.differs?.has(op.path)) cls.push('differs');
    let attrs =
      `data-name="${esc(m.name ?? '')}" data-path="${esc(op.path)}" data-offset="${op.offset}" ` +
      `data-size="${m.size}"`;
    if (m.bitSize !== undefined) attrs += ` data-bit-offset="${op.bitOffset}" data-bit-size="${m.bitSize}"`;
    out.push(`<g class="${cls.join(' ')}" ${attrs}><title>${esc(memberTitle(op))}</title>`);
    for (const s of op.segs) {
      const top = tops[s.row]! + op.y;
      if (s.w === 0)
        out.push(
          `<line class="zero" data-row="${s.row}" x1="${num(s.x)}" y1="${num(top)}" x2="${num(s.x)}" ` +
            `y2="${num(top + op.h)}"/>`,
        );
      else
        out.push(
          `<rect class="${op.nested ? 'outline' : 'seg'}" data-row="${s.row}" x="${num(s.x)}" y="${num(top)}" ` +
            `width="${num(s.w)}" height="${op.h}"/>`,
        );
    }
    const s = widest(op.segs);
    const name =
      m.name ??
      (op.nested
        ? `(anonymous ${recordOf(m.type)?.kind ?? 'record'})`
        : m.bitSize !== undefined
          ? `:${m.bitSize}`
          : '');
    const type = typeName(m.type);
    const top = tops[s.row]! + op.y;
    if (op.nested) {
      const label = fit(m.name === null ? (recordOf(m.type)?.kind ?? type) : `${name}: ${type}`, s.w);
      if (label) out.push(`<text x="${num(s.x + 3)}" y="${num(top + 11)}">${esc(label)}</text>`);
    } else {
      const l1 = fit(name, s.w);
      if (l1) out.push(`<text x="${num(s.x + 3)}" y="${num(top + 12)}">${esc(l1)}</text>`);
      const l2 = fit(m.bitSize !== undefined ? `${type} :${m.bitSize}` : type, s.w);
      if (l2) out.push(`<text class="dim" x="${num(s.x + 3)}" y="${num(top + 25)}">${esc(l2)}</text>`);
      // The other rows a wrapped member covers say whose bytes they are.
      for (const o of op.segs) {
        const more = o === s ? '' : fit(`…${name}`, o.w);
        if (more)
          out.push(`<text class="dim" x="${num(o.x + 3)}" y="${num(tops[o.row]! + op.y + 12)}">${esc(more)}</text>`);
      }
    }
  }
  const summary = summaryLine(view);
  out.push(
    `<text class="summary" x="4" y="${num(gridBottom + 18)}">` +
      esc(fit(summary, Math.max(width, GRID_WIDTH + MARGIN))) +
      `<title>${esc(summary)}</title></text>`,
  );
  const height = Math.ceil(gridBottom + 26);
  const attrs =
    `data-name="${esc(r.name ?? r.typedef ?? '')}" data-kind="${r.kind}" data-size="${r.size}" ` +
    `data-row-bytes="${rowBytes}" data-byte-width="${num(bw)}" data-x0="${MARGIN}" data-cacheline="${cl}"`;
  return { title: recordTitle(r), body: `<g class="record" ${attrs}>${out.join('')}</g>`, width, height };
}

/** Pictures put together: stacked (one record after another) or side by side (targets). */
export function combine(pictures: readonly Picture[], side = false): Picture {
  const GAP = 24;
  let width = 0;
  let height = 0;
  const parts: string[] = [];
  for (const p of pictures) {
    if (side) {
      parts.push(`<g transform="translate(${width} 0)">${p.body}</g>`);
      width += p.width + GAP;
      height = Math.max(height, p.height);
    } else {
      parts.push(`<g transform="translate(0 ${height})">${p.body}</g>`);
      height += p.height + GAP;
      width = Math.max(width, p.width);
    }
  }
  if (side && pictures.length) width -= GAP;
  if (!side && pictures.length) height -= GAP;
  return {
    title: [...new Set(pictures.map((p) => p.title).filter((t) => t !== undefined))].join(', ') || undefined,
    body: parts.join(''),
    width,
    height,
  };
}

/** A whole SVG document: the style sheet, the pictures stacked, the legend under them. */
export function svgDocument(pictures: readonly Picture[]): string {
  const all = combine(pictures);
  // (What a screen reader or a viewer's window title says: the records drawn.)
  const names = pictures.flatMap((p) => p.title ?? []);
  const label = `Memory layout of ${names.length > 3 ? `${names.length} records` : names.join(', ') || 'records'}`;
  const lg = legend(4, all.height + 8);
  const height = all.height + lg.height + 14;
  const width = Math.max(all.width, 700);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="layoutof" role="img" aria-label="${esc(label)}" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<title>${esc(label)}</title>` +
    styleSheet() +
    defs() +
    `<rect class="bg" x="0" y="0" width="${width}" height="${height}"/>` +
    all.body +
    lg.svg +
    '</svg>\n'
  );
}

/** --format svg: every record's picture, stacked in one document. */
export function renderSvg(views: readonly RecordView[], opts: SvgOptions = {}): string {
  return svgDocument(views.map((v) => svgPicture(v, opts)));
}

/** One record on several targets (--compare-targets): a picture per target, side by side, on the same
 *  grid; members whose offset or size differs across the targets are marked. */
export function comparisonPicture(
  targets: readonly string[],
  views: readonly (RecordView | undefined)[],
  differs: ReadonlySet<string>,
  opts: SvgOptions = {},
): Picture {
  requireExact(
    views.map((v) => v?.record),
    'the picture',
  );
  const rowBytes =
    opts.rowBytes ?? Math.max(...views.map((v) => (v ? defaultRowBytes(v.record.size, v.cacheline) : 8)));
  const pictures = views.map((v, i) => {
    if (v) return svgPicture(v, { ...opts, rowBytes, heading: targets[i], differs });
    const body =
      `<g class="record missing"><text class="heading target" x="4" y="14">${esc(targets[i] ?? '')}</text>` +
      '<text x="4" y="36">not defined for this target</text></g>';
    return { body, width: 300, height: 44 };
  });
  return combine(pictures, true);
}
