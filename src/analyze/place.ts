// One member order laid out again by a target's rules (pure), from the sizes and alignments the
// model holds (already capped by packing): SysV's (gcc's unit-span rule for bitfields, positions kept
// as bytes in multiples of the largest alignment plus bits, as layout.ts has them) or MSVC's (a new
// storage unit when a bitfield's declared type changes or its bits do not fit). The reorganizer's
// candidate orders are all measured here.

import type { RecordType } from '../model/model.js';

export type BitfieldRules = 'sysv' | 'msvc';

/** The target facts a layout needs beyond the model: its bitfield rules and its largest alignment
 *  (gcc keeps positions as bytes in multiples of it plus bits). */
export interface Rules {
  readonly bitfields: BitfieldRules;
  readonly biggestAlign: number;
}

export interface Layout {
  /** Bits, by original member index. */
  readonly offsets: number[];
  readonly size: number;
  /** MSVC: the alignment the members give (a zero-width bitfield counts only after a bitfield, so
   *  an order can change it); 0 on SysV, where no order does. */
  readonly align: number;
}

/** Lays the members out in `order` (original indexes) by the target's rules; sizes and alignments
 *  are the model's (already capped by packing). */
export function placeMembers(r: RecordType, order: readonly number[], rules: Rules): Layout {
  const offsets = new Array<number>(r.members.length).fill(0);
  const p = new Placement(r, rules);
  for (const i of order) offsets[i] = p.place(i);
  return { offsets, size: p.size(), align: p.alignment };
}

/** A layout under way, one member at a time: its state is a few numbers, so that a search can copy
 *  it after a common prefix and resume from there (reorganize-fast.ts). */
export class Placement {
  /** SysV: bits laid out; MSVC: bytes. */
  end = 0;
  /** MSVC: the alignment the members give so far (see Layout.align); 0 on SysV. */
  alignment: number;
  /** MSVC: the last member was a bitfield, its unit's size, and the bits left in that unit. */
  afterBitfield = false;
  unitSize = 0;
  remaining = 0;
  private readonly msvc: boolean;
  private readonly offsetAlign: number;

  constructor(
    private readonly r: RecordType,
    rules: Rules,
  ) {
    this.msvc = rules.bitfields === 'msvc';
    this.alignment = this.msvc ? 1 : 0;
    this.offsetAlign = Math.max(rules.biggestAlign, r.alignedAttr ?? 0) * 8;
  }

  copyFrom(o: Placement): void {
    this.end = o.end;
    this.alignment = o.alignment;
    this.afterBitfield = o.afterBitfield;
    this.unitSize = o.unitSize;
    this.remaining = o.remaining;
  }

  /** The record's size with what is placed so far. */
  size(): number {
    return ceilTo(this.msvc ? this.end : Math.ceil(this.end / 8), this.r.align);
  }

  /** Places member i after those placed; returns its bit offset. */
  place(i: number): number {
    const m = this.r.members[i]!;
    if (this.msvc) {
      if (m.bitSize !== 0 || this.afterBitfield) this.alignment = Math.max(this.alignment, m.align);
      if (m.bitSize === undefined) {
        this.afterBitfield = false;
        const off = ceilTo(this.end, m.align);
        this.end = off + m.size;
        return off * 8;
      }
      if (m.bitSize === 0) {
        if (this.afterBitfield) this.end = ceilTo(this.end, m.align);
        this.afterBitfield = false;
        return this.end * 8;
      }
      if (this.afterBitfield && this.unitSize === m.size && m.bitSize <= this.remaining) {
        const at = this.end * 8 - this.remaining;
        this.remaining -= m.bitSize;
        return at;
      }
      this.afterBitfield = true;
      this.unitSize = m.size;
      const off = ceilTo(this.end, m.align);
      this.end = off + m.size;
      this.remaining = m.size * 8 - m.bitSize;
      return off * 8;
    }
    const a = m.align * 8;
    const end = this.end;
    if (m.bitSize === undefined || m.bitSize === 0) {
      const pos = ceilTo(end, a);
      this.end = pos + (m.bitSize === 0 ? 0 : m.size * 8);
      return pos;
    }
    // gcc's excess_unit_span: a bitfield may not span more aligned units of its type than the type
    // holds (a packed one, aligned below its type, may).
    // Positions are bytes in multiples of the offset alignment plus bits, and the rules round
    // the bits only (as layout.ts has it).
    const offsetAlign = this.offsetAlign;
    const desired = (m.forcedAlign ?? 0) * 8;
    let base = end - (end % offsetAlign);
    let bits = end - base;
    if (desired >= offsetAlign) {
      base = ceilTo(ceilTo(end, 8), desired);
      bits = 0;
    } else bits = ceilTo(bits, desired);
    let pos = base + bits;
    const w = m.bitSize;
    if (Math.floor(((pos % a) + w + a - 1) / a) > Math.floor((m.size * 8) / a)) pos = base + ceilTo(bits, a);
    this.end = pos + w;
    return pos;
  }
}

export const ceilTo = (v: number, a: number): number => (a <= 1 ? v : Math.ceil(v / a) * a);
