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
  const offsetAlign = Math.max(rules.biggestAlign, r.alignedAttr ?? 0) * 8;
  const offsets = new Array<number>(r.members.length).fill(0);
  let end = 0;
  let alignment = 0;
  if (rules.bitfields === 'msvc') {
    alignment = 1;
    let size = 0;
    let afterBitfield = false;
    let unitSize = 0;
    let remaining = 0;
    for (const i of order) {
      const m = r.members[i]!;
      if (m.bitSize !== 0 || afterBitfield) alignment = Math.max(alignment, m.align);
      if (m.bitSize === undefined) {
        afterBitfield = false;
        const off = ceilTo(size, m.align);
        offsets[i] = off * 8;
        size = off + m.size;
      } else if (m.bitSize === 0) {
        if (afterBitfield) size = ceilTo(size, m.align);
        afterBitfield = false;
        offsets[i] = size * 8;
      } else if (afterBitfield && unitSize === m.size && m.bitSize <= remaining) {
        offsets[i] = size * 8 - remaining;
        remaining -= m.bitSize;
      } else {
        afterBitfield = true;
        unitSize = m.size;
        const off = ceilTo(size, m.align);
        offsets[i] = off * 8;
        size = off + m.size;
        remaining = m.size * 8 - m.bitSize;
      }
    }
    end = size * 8;
  } else {
    for (const i of order) {
      const m = r.members[i]!;
      const a = m.align * 8;
      let pos: number;
      if (m.bitSize === undefined || m.bitSize === 0) {
        pos = ceilTo(end, a);
        end = pos + (m.bitSize === 0 ? 0 : m.size * 8);
      } else {
        // gcc's excess_unit_span: a bitfield may not span more aligned units of its type than the type
        // holds (a packed one, aligned below its type, may).
        // Positions are bytes in multiples of the offset alignment plus bits, and the rules round
        // the bits only (as layout.ts has it).
        const desired = (m.forcedAlign ?? 0) * 8;
        let base = end - (end % offsetAlign);
        let bits = end - base;
        if (desired >= offsetAlign) {
          base = ceilTo(ceilTo(end, 8), desired);
          bits = 0;
        } else bits = ceilTo(bits, desired);
        pos = base + bits;
        const w = m.bitSize;
        if (Math.floor(((pos % a) + w + a - 1) / a) > Math.floor((m.size * 8) / a)) pos = base + ceilTo(bits, a);
        end = pos + w;
      }
      offsets[i] = pos;
    }
  }
  return { offsets, size: ceilTo(Math.ceil(end / 8), r.align), align: alignment };
}

export const ceilTo = (v: number, a: number): number => (a <= 1 ? v : Math.ceil(v / a) * a);
