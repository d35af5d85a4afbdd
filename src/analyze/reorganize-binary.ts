// Whether a new order read from a binary is proven (pure). DWARF and BTF keep offsets, not the rules
// that made them: BTF no aligned() or packed, neither a :0 or an unnamed bitfield or #pragma pack, DWARF
// no packed nested record. A member's true alignment is only bounded by what its old place shows: at
// least the smallest power of two that puts it there after the member before, at most what divides
// its offset and the record's size (DWARF: its recorded one), or, for a hidden :0 travelling with it,
// the target's largest alignment dividing its offset. A claim is proven when each member's new offset,
// and the new size, are the same for every alignment within those bounds; otherwise it carries a
// caveat naming what is assumed.

import type { Member, RecordType } from '../model/model.js';

export type BinaryFormat = 'DWARF' | 'BTF';

export interface BinaryCaveat {
  readonly from: BinaryFormat;
  /** What the claim takes on trust: every member naturally aligned, as the binary implies. */
  readonly assumes: 'natural-alignment';
  /** Members whose new offset depends on a rule the binary may have lost ('(size)' for the size). */
  readonly unproven: readonly string[];
}

export function binaryFormat(r: RecordType): BinaryFormat | undefined {
  const k = r.origin?.kind;
  return k === 'dwarf' ? 'DWARF' : k === 'btf' ? 'BTF' : undefined;
}

/** The note a claim from a binary carries (every format says the same). */
export function caveatText(c: BinaryCaveat, name: string): string {
  const lost =
    c.from === 'BTF'
      ? 'aligned(), packed, :0 and unnamed bitfields are not recorded'
      : 'packed nested records, :0 and unnamed bitfields and #pragma pack are not recorded';
  return (
    `from ${c.from}: ${lost}; this order assumes every member is naturally aligned ` +
    `— confirm with the source: layoutof --reorganize HEADER ${name}`
  );
}

const pow2Dividing = (n: number): number => (n === 0 ? Infinity : n & -n);
const ceilTo = (v: number, a: number): number => (a === Infinity ? (v === 0 ? 0 : Infinity) : Math.ceil(v / a) * a);

/** The smallest power of two that rounds `from` up to `at` (1 where there is no gap). */
function leastAlign(from: number, at: number): number {
  let a = 1;
  while (ceilTo(from, a) !== at && a <= at) a *= 2;
  return a;
}

const endOf = (m: Member): number => (m.bitSize !== undefined ? m.bitOffset + m.bitSize : m.bitOffset + m.size * 8);

/**
 * The caveat for a new order of a record read from a binary, or undefined where the order is proven
 * (or the record is the source's). `order`: the original index of each member of `next`.
 */
export function binaryCaveat(
  original: RecordType,
  next: RecordType,
  order: readonly number[],
  biggestAlign = 16,
): BinaryCaveat | undefined {
  const from = binaryFormat(original);
  if (!from) return undefined;
  const unproven: string[] = [];
  // (Bitfields: a hidden :0 or unnamed one changes how units are shared, which no bound captures.)
  if (original.members.some((m) => m.bitSize !== undefined)) unproven.push('(bitfields)');
  const S = original.size;
  // The bounds, by original index, in bytes.
  const lo: number[] = [];
  const hi: number[] = [];
  let end = 0;
  original.members.forEach((m, i) => {
    const o = m.bitOffset / 8;
    lo[i] = leastAlign(Math.ceil(end / 8), o);
    // DWARF records aligned() on members and records: only a hidden :0 raises an alignment.
    const zero = Math.min(pow2Dividing(o), biggestAlign);
    hi[i] = Math.max(from === 'DWARF' ? m.align : pow2Dividing(gcdOf(o, S)), zero);
    end = Math.max(end, endOf(m));
  });
  end = 0;
  next.members.forEach((m, k) => {
    const i = order[k]!;
    const at = m.bitOffset / 8;
    const prev = Math.ceil(end / 8);
    if (m.bitSize === undefined && (ceilTo(prev, lo[i]!) !== at || ceilTo(prev, hi[i]!) !== at))
      unproven.push(m.name ?? `#${i}`);
    end = Math.max(end, endOf(m));
  });
  // The record's alignment: at least what its members and its tail padding show, at most what
  // divides its size.
  const dataEnd = Math.ceil(original.members.reduce((e, m) => Math.max(e, endOf(m)), 0) / 8);
  const recLo = Math.max(1, ...lo, leastAlign(dataEnd, S));
  // (On some ABIs a :0 raises the record's alignment too: at most the target's largest.)
  const recHi = from === 'DWARF' ? Math.max(original.align, Math.min(pow2Dividing(S), biggestAlign)) : pow2Dividing(S);
  const newEnd = Math.ceil(end / 8);
  if (ceilTo(newEnd, recLo) !== next.size || ceilTo(newEnd, recHi) !== next.size) unproven.push('(size)');
  return unproven.length ? { from, assumes: 'natural-alignment', unproven } : undefined;
}

function gcdOf(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
