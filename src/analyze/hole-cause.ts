// The rule that made each hole (pure): for every byte hole, bit hole and the tail padding of a
// record's view, the member it stands before and what about that member, or the record, the
// compiler obeyed: its natural alignment, an explicit one, a bitfield that would straddle its storage
// unit, a zero-width bitfield, MSVC's new unit on a change of declared type, #pragma pack, or the
// record's alignment rounding its size. Read from the model's members (alignment, forcedAlign,
// bitfield widths) and the target's bitfield rules; layout.ts is not asked. Where the offsets say more
// than the input records (a binary keeps no aligned(), :0 or #pragma pack), the alignment the offsets
// imply is reported as inferred, and bits no alignment explains as an unnamed bitfield's.

import type { RecordView, Row } from './layout-view.js';
import { resolveType, type Member, type RecordType } from '../model/model.js';

export type HoleCauseKind =
  | 'alignment'
  | 'explicit-alignment'
  | 'bitfield-unit'
  | 'zero-width-bitfield'
  | 'msvc-bitfield-type'
  | 'pack'
  | 'record-alignment'
  /** Only from a binary: bits no alignment explains, an unnamed bitfield's (DWARF and BTF drop them). */
  | 'unnamed-bitfield';

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
  /** The input does not record the rule (a binary: DWARF or BTF): it is what the offsets imply. */
  readonly inferred?: boolean;
  /** For an inferred pack: the member type's natural alignment, more than it got. */
  readonly natural?: number;
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
  const baseOfDepth: number[] = [0];
  v.rows.forEach((row, k) => {
    if (row.kind === 'open') {
      recordOfDepth[row.depth + 1] = row.record;
      baseOfDepth[row.depth + 1] = row.offset * 8;
    }
    if (row.kind !== 'hole' && row.kind !== 'bithole') return;
    const rec = recordOfDepth[row.depth] ?? v.record;
    const c = causeAt(v.rows, k, row.depth, rec, baseOfDepth[row.depth] ?? 0, bitfields);
    rows.set(row, c);
    if (row.depth === 0) (row.kind === 'hole' ? holes : bitHoles).push(c);
  });
  if (v.tailPadding <= 0) return { rows, holes, bitHoles };
  // (From a binary, bits at the end that the record's alignment does not explain: an unnamed bitfield's.)
  const r = v.record;
  const end = (r.size - v.tailPadding) * 8;
  const tail =
    roundUp(end, r.align * 8) === r.size * 8
      ? tailCause(r)
      : ({ cause: 'unnamed-bitfield', member: null, inferred: true } as const);
  return { rows, holes, bitHoles, tail };
}

function causeAt(
  rows: readonly Row[],
  k: number,
  depth: number,
  rec: RecordType,
  base: number,
  bitfields: 'sysv' | 'msvc',
): HoleCause {
  let next: Member | undefined;
  let nextAt = 0;
  let zeroWidth: Member | undefined;
  for (let i = k + 1; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.depth < depth) break;
    if (r.depth !== depth) continue;
    if (r.kind === 'zerowidth') zeroWidth = r.member;
    else if (r.kind === 'member' || r.kind === 'open') {
      next = r.member;
      nextAt = (r.kind === 'member' && r.member.bitSize !== undefined ? r.bitOffset : r.offset * 8) - base;
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
  const hole = rows[k]!;
  const from = (hole.kind === 'hole' ? hole.offset * 8 : hole.kind === 'bithole' ? hole.bitOffset : 0) - base;
  // A :0 is the cause only where the next member's own alignment would not have put it there anyway.
  if (zeroWidth && (next.bitSize !== undefined || roundUp(from, next.align * 8) !== nextAt))
    return { cause: 'zero-width-bitfield', member: next, align: zeroWidth.align };
  if (next.forcedAlign !== undefined) return { cause: 'explicit-alignment', member: next, align: next.forcedAlign };
  if (next.bitSize !== undefined) {
    if (bitfields === 'msvc' && prev?.bitSize !== undefined && prev.size !== next.size)
      return { cause: 'msvc-bitfield-type', member: next, previous: prev, align: next.align };
    // SysV: the bitfield went to its unit's start because it would have straddled one; else the
    // offsets carry a rule the input does not record.
    const unit = next.size * 8;
    const straddles = unit > 0 && Math.floor(from / unit) !== Math.floor((from + next.bitSize - 1) / unit);
    if (bitfields === 'msvc' || (straddles && roundUp(from, unit) === nextAt))
      return { cause: 'bitfield-unit', member: next, align: next.align };
    return impliedAlignment(next, from, nextAt) ?? unnamedBitfield(next);
  }
  const natural = naturalAlign(next);
  if (roundUp(from, next.align * 8) !== nextAt)
    return impliedAlignment(next, from, nextAt, natural) ?? unnamedBitfield(next);
  if (rec.pack !== undefined && next.align === rec.pack && natural > rec.pack)
    return { cause: 'pack', member: next, align: next.align, pack: rec.pack };
  return { cause: 'alignment', member: next, align: next.align };
}

/** The alignment the member's type has outside a packed record (a pointer's is its size on every
 *  target); its effective one where the type does not say. */
function naturalAlign(m: Member): number {
  let t = resolveType(m.type);
  while (t.kind === 'array') t = resolveType(t.of);
  if (t.kind === 'base' || t.kind === 'enum') return t.align;
  if (t.kind === 'record') return t.record.align;
  return t.kind === 'pointer' && resolveType(m.type).kind === 'pointer' ? m.size : m.align;
}

const roundUp = (bits: number, unit: number): number => (unit > 0 ? Math.ceil(bits / unit) * unit : bits);

/** The member's offset where its recorded alignment does not explain it: the smallest power-of-two
 *  alignment that puts it there. Less than its type's natural alignment: the record was packed; more:
 *  an explicit alignment or a zero-width bitfield. Null when no alignment explains the offset. */
function impliedAlignment(next: Member, from: number, at: number, natural = 0): HoleCause | null {
  for (let a = 1; a * 8 <= at; a *= 2) {
    if (roundUp(from, a * 8) !== at) continue;
    return a < natural
      ? { cause: 'pack', member: next, align: a, pack: a, natural, inferred: true }
      : { cause: 'explicit-alignment', member: next, align: a, inferred: true };
  }
  return null;
}

const unnamedBitfield = (next: Member): HoleCause => ({ cause: 'unnamed-bitfield', member: next, inferred: true });

/** Tail padding: the record's size rounded to its alignment, which its most aligned member (or an
 *  aligned() on the record) sets. */
export function tailCause(r: RecordType): HoleCause {
  const setter = r.members.find((m) => m.align === r.align) ?? null;
  if (!setter && (r.alignedAttr ?? 0) >= r.align) return { cause: 'explicit-alignment', member: null, align: r.align };
  // No member needs the record's alignment and nothing says why (a binary keeps no aligned()).
  if (!setter && r.align > 1 && r.members.length > 0)
    return { cause: 'explicit-alignment', member: null, align: r.align, inferred: true };
  if (setter?.forcedAlign === r.align) return { cause: 'explicit-alignment', member: setter, align: r.align };
  return { cause: 'record-alignment', member: setter, align: r.align };
}
