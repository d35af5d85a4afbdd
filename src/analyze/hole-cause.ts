// The rule that made each hole (pure): for every byte hole, bit hole and the tail padding of a
// record's view, the member it stands before and what about that member, or the record, the
// compiler obeyed: its natural alignment, an explicit one, a bitfield that would straddle its storage
// unit, a zero-width bitfield, MSVC's new unit on a change of declared type, #pragma pack, or the
// record's alignment rounding its size. Read from the model's members (alignment, forcedAlign,
// bitfield widths) and the target's bitfield rules; layout.ts is not asked.

import type { RecordView, Row } from './layout-view.js';
import { resolveType, type Member, type RecordType } from '../model/model.js';

export type HoleCauseKind =
  | 'alignment'
  | 'explicit-alignment'
  | 'bitfield-unit'
  | 'zero-width-bitfield'
  | 'msvc-bitfield-type'
  | 'pack'
  | 'record-alignment';

export interface HoleCause {
  readonly cause: HoleCauseKind;
  /** The member the hole stands before; for tail padding, the member that sets the record's
   *  alignment (null when an aligned() on the record does). */
  readonly member: Member | null;
  /** Bytes: the alignment that made the hole, where one did. */
  readonly align?: number;
  /** For msvc-bitfield-type: the bitfield before, of another declared type. */
  readonly previous?: Member;
  /** For pack: the #pragma pack value. */
  readonly pack?: number;
}

export interface HoleCauses {
  /** By hole and bit-hole row of the view (every depth). */
  readonly rows: ReadonlyMap<Row, HoleCause>;
  /** Parallel to view.holes and view.bitHoles (the record's own, depth 0). */
  readonly holes: readonly HoleCause[];
  readonly bitHoles: readonly HoleCause[];
  readonly tail?: HoleCause;
}

export function explainHoles(v: RecordView, bitfields: 'sysv' | 'msvc' = 'sysv'): HoleCauses {
  const rows = new Map<Row, HoleCause>();
  const holes: HoleCause[] = [];
  const bitHoles: HoleCause[] = [];
  const recordOfDepth: RecordType[] = [v.record];
  v.rows.forEach((row, k) => {
    if (row.kind === 'open') recordOfDepth[row.depth + 1] = row.record;
    if (row.kind !== 'hole' && row.kind !== 'bithole') return;
    const c = causeAt(v.rows, k, row.depth, recordOfDepth[row.depth] ?? v.record, bitfields);
    rows.set(row, c);
    if (row.depth === 0) (row.kind === 'hole' ? holes : bitHoles).push(c);
  });
  return v.tailPadding > 0 ? { rows, holes, bitHoles, tail: tailCause(v.record) } : { rows, holes, bitHoles };
}

function causeAt(
  rows: readonly Row[],
  k: number,
  depth: number,
  rec: RecordType,
  bitfields: 'sysv' | 'msvc',
): HoleCause {
  let next: Member | undefined;
  let zeroWidth: Member | undefined;
  for (let i = k + 1; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.depth < depth) break;
    if (r.depth !== depth) continue;
    if (r.kind === 'zerowidth') zeroWidth = r.member;
    else if (r.kind === 'member' || r.kind === 'open') {
      next = r.member;
      break;
    }
  }
  let prev: Member | undefined;
  for (let i = k - 1; i >= 0; i--) {
    const r = rows[i]!;
    if (r.depth < depth) break;
    if (r.depth !== depth) continue;
    if (r.kind === 'zerowidth') zeroWidth ??= r.member;
    if (r.kind === 'member' || r.kind === 'close' || r.kind === 'zerowidth') {
      if (r.kind !== 'zerowidth') prev = r.member;
      if (r.kind !== 'zerowidth') break;
    }
  }
  if (!next) return tailCause(rec);
  if (zeroWidth) return { cause: 'zero-width-bitfield', member: next, align: zeroWidth.align };
  if (next.forcedAlign !== undefined) return { cause: 'explicit-alignment', member: next, align: next.forcedAlign };
  if (next.bitSize !== undefined) {
    if (bitfields === 'msvc' && prev?.bitSize !== undefined && prev.size !== next.size)
      return { cause: 'msvc-bitfield-type', member: next, previous: prev, align: next.align };
    return { cause: 'bitfield-unit', member: next, align: next.align };
  }
  const t = resolveType(next.type);
  const natural = t.kind === 'base' || t.kind === 'enum' ? t.align : t.kind === 'record' ? t.record.align : next.align;
  if (rec.pack !== undefined && next.align === rec.pack && natural > rec.pack)
    return { cause: 'pack', member: next, align: next.align, pack: rec.pack };
  return { cause: 'alignment', member: next, align: next.align };
}

/** Tail padding: the record's size rounded to its alignment, which its most aligned member (or an
 *  aligned() on the record) sets. */
export function tailCause(r: RecordType): HoleCause {
  const setter = r.members.find((m) => m.align === r.align) ?? null;
  if (!setter && (r.alignedAttr ?? 0) >= r.align) return { cause: 'explicit-alignment', member: null, align: r.align };
  if (setter?.forcedAlign === r.align) return { cause: 'explicit-alignment', member: setter, align: r.align };
  return { cause: 'record-alignment', member: setter, align: r.align };
}
