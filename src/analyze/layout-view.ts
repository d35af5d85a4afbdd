// Analyses of one record (pure; the model is never changed): members flattened to absolute offsets
// through anonymous members, byte holes between members, bit holes inside bitfield runs, tail padding,
// cacheline boundaries and straddling members, padding inside nested record types (pahole's
// "paddings"), and the summary totals pahole prints.

import { isAnonymousRecordMember, recordOf, type Member, type Record } from '../model/model.js';

export interface Hole {
  /** Bytes from the start of the top-level record. */
  readonly offset: number;
  readonly size: number;
}

export interface BitHole {
  /** Bits from the start of the top-level record. */
  readonly bitOffset: number;
  readonly bits: number;
}

/** One row of the view, in order: a member (possibly nested in anonymous members), a hole, a
 *  cacheline boundary, or the open/close of an inline anonymous record. */
export type Row =
  | { readonly kind: 'member'; readonly member: Member; readonly offset: number; readonly bitOffset: number; readonly depth: number; readonly straddles: boolean }
  | { readonly kind: 'open'; readonly member: Member; readonly record: Record; readonly offset: number; readonly depth: number }
  | { readonly kind: 'close'; readonly member: Member; readonly record: Record; readonly offset: number; readonly depth: number }
  | { readonly kind: 'hole'; readonly offset: number; readonly size: number; readonly depth: number }
  | { readonly kind: 'bithole'; readonly bitOffset: number; readonly bits: number; readonly depth: number }
  | { readonly kind: 'cacheline'; readonly index: number; readonly offset: number; readonly depth: number };

export interface RecordView {
  readonly record: Record;
  readonly rows: readonly Row[];
  readonly holes: readonly Hole[];
  readonly bitHoles: readonly BitHole[];
  readonly tailPadding: number;
  /** Unused bits at the end of the last bitfield's storage unit (pahole's bit_padding). */
  readonly bitPadding: number;
  readonly cacheline: number;
  readonly cachelines: number;
  readonly lastCacheline: number;
  /** Members counted as pahole counts them (top level; anonymous members count once). */
  readonly memberCount: number;
  /** Sum of member sizes (bitfield runs count their storage bytes). */
  readonly sumMembers: number;
  /** Members whose record type has tail padding: count and sum. */
  readonly paddings: { readonly count: number; readonly sum: number; readonly members: readonly { name: string | null; padding: number }[] };
}

export function analyzeRecord(record: Record, cacheline = 64): RecordView {
  const rows: Row[] = [];
  const holes: Hole[] = [];
  const bitHoles: BitHole[] = [];
  let nextCacheline = cacheline;
  let cachelineIndex = 1;
  const emitCachelines = (offset: number, depth: number): void => {
    while (cacheline > 0 && offset >= nextCacheline && nextCacheline < record.size) {
      rows.push({ kind: 'cacheline', index: cachelineIndex++, offset: nextCacheline, depth });
      nextCacheline += cacheline;
    }
  };
  const paddingMembers: { name: string | null; padding: number }[] = [];

  // Unused bits between `from` and `to` (bits): partial bytes are bit holes, whole bytes a hole.
  const gap = (from: number, to: number, depth: number): void => {
    if (to <= from) return;
    const firstByte = Math.ceil(from / 8);
    const lastByte = Math.floor(to / 8);
    if (firstByte > lastByte) {
      bitHoles.push({ bitOffset: from, bits: to - from });
      rows.push({ kind: 'bithole', bitOffset: from, bits: to - from, depth });
      return;
    }
    if (from % 8) {
      const bits = firstByte * 8 - from;
      bitHoles.push({ bitOffset: from, bits });
      rows.push({ kind: 'bithole', bitOffset: from, bits, depth });
    }
    if (lastByte > firstByte) {
      holes.push({ offset: firstByte, size: lastByte - firstByte });
      rows.push({ kind: 'hole', offset: firstByte, size: lastByte - firstByte, depth });
    }
    if (to % 8) {
      bitHoles.push({ bitOffset: lastByte * 8, bits: to % 8 });
      rows.push({ kind: 'bithole', bitOffset: lastByte * 8, bits: to % 8, depth });
    }
  };

  // Walks a record's members; `baseBits` is the record's absolute offset. Returns the end (bits) of
  // the last storage: like pahole, a bitfield run occupies its declared type's unit, so the unused bits
  // up to the unit's end (or the next member, if that starts inside the unit) are a bit hole.
  const walk = (rec: Record, baseBits: number, depth: number, startBits: number): { end: number; unitEnd: number } => {
    let end = startBits; // bits: end of the previous member's own bits
    let unitEnd = startBits; // bits: end of the previous bitfield's storage unit (>= end)
    const isUnion = rec.kind === 'union';
    for (const m of rec.members) {
      const abs = baseBits + m.bitOffset;
      const isBitfield = m.bitSize !== undefined;
      if (isBitfield && m.bitSize === 0) continue;
      if (!isUnion) {
        if (unitEnd > end && abs > end) {
          const stop = Math.min(abs, unitEnd);
          bitHoles.push({ bitOffset: end, bits: stop - end });
          rows.push({ kind: 'bithole', bitOffset: end, bits: stop - end, depth });
          gap(stop, abs, depth);
        } else gap(end, abs, depth);
      }
      const offset = Math.floor(abs / 8);
      emitCachelines(offset, depth);
      const sub = recordOf(m.type);
      let mEnd: number;
      let mUnitEnd: number;
      if (isAnonymousRecordMember(m) || (sub && sub.name === null && sub.typedef === undefined && m.type.kind === 'record')) {
        rows.push({ kind: 'open', member: m, record: sub!, offset, depth });
        walk(sub!, abs, depth + 1, abs);
        rows.push({ kind: 'close', member: m, record: sub!, offset, depth });
        mEnd = mUnitEnd = abs + m.size * 8; // the anonymous record's own padding stays inside it
      } else {
        const straddles = cacheline > 0 && m.size > 0 && Math.floor(offset / cacheline) !== Math.floor((offset + m.size - 1) / cacheline);
        rows.push({ kind: 'member', member: m, offset, bitOffset: abs, depth, straddles });
        if (sub && depth === 0) {
          const pad = tailPaddingOf(sub);
          if (pad > 0) paddingMembers.push({ name: m.name, padding: pad });
        }
        if (isBitfield) {
          mEnd = abs + m.bitSize!;
          const unit = m.size * 8;
          mUnitEnd = unit > 0 ? Math.max(mEnd, baseBits + (Math.floor(m.bitOffset / unit) + 1) * unit) : mEnd;
        } else mEnd = mUnitEnd = abs + m.size * 8;
      }
      if (isUnion || mEnd >= end) {
        end = Math.max(end, mEnd);
        unitEnd = Math.max(isBitfield ? mUnitEnd : end, isUnion ? unitEnd : end);
      }
    }
    return { end, unitEnd };
  };
  const walked = walk(record, 0, 0, 0);
  const end = walked.end;
  // Unused bits at the end of the last bitfield unit: pahole's "bit_padding".
  const unitEnd = Math.min(walked.unitEnd, record.size * 8);
  let bitPadding = 0;
  let endBytes = Math.ceil(end / 8);
  if (unitEnd > end) {
    bitPadding = unitEnd - end;
    endBytes = Math.ceil(unitEnd / 8);
  }
  const tailPadding = Math.max(0, record.size - endBytes);
  const cachelines = cacheline > 0 ? Math.ceil(record.size / cacheline) : 0;
  const last = cacheline > 0 ? record.size % cacheline : 0;
  let sumMembers = 0;
  let memberCount = 0;
  let lastBitfieldUnitEnd = -1;
  for (const m of record.members) {
    memberCount++;
    if (m.bitSize !== undefined) {
      // Storage units of bitfield runs count once.
      const unitStart = Math.floor(m.bitOffset / (m.size * 8)) * m.size * 8;
      if (unitStart >= lastBitfieldUnitEnd) {
        sumMembers += m.size;
        lastBitfieldUnitEnd = unitStart + m.size * 8;
      }
      continue;
    }
    sumMembers += m.size;
  }
  return {
    record, rows, holes, bitHoles, tailPadding, bitPadding, cacheline, cachelines,
    lastCacheline: last === 0 ? (record.size > 0 ? cacheline : 0) : last,
    memberCount, sumMembers,
    paddings: { count: paddingMembers.length, sum: paddingMembers.reduce((a, p) => a + p.padding, 0), members: paddingMembers },
  };
}

/** Tail padding of a record: size minus the end of its last member's storage. */
export function tailPaddingOf(r: Record): number {
  let end = 0;
  for (const m of r.members) {
    const e = m.bitSize !== undefined ? m.bitOffset + m.bitSize : m.bitOffset + m.size * 8;
    end = Math.max(end, e);
  }
  return Math.max(0, r.size - Math.ceil(end / 8));
}

export interface MemoryEstimate {
  readonly count: number;
  readonly objectSize: number;
  /** Size each object really takes after the allocator's rounding. */
  readonly perObject: number;
  readonly objects: number;
  readonly table: number;
  readonly total: number;
}

/** What N objects cost: each rounded up to `objectAlign`, plus an optional hash table. */
export function estimateMemory(record: Record, count: number, objectAlign = 1, hashBuckets = 0, bucketSize = 8): MemoryEstimate {
  const a = Math.max(1, objectAlign);
  const perObject = Math.ceil(record.size / a) * a;
  const objects = perObject * count;
  const table = hashBuckets * bucketSize;
  return { count, objectSize: record.size, perObject, objects, table, total: objects + table };
}
