// Analyses of one record (pure; the model is never changed): members flattened to absolute offsets
// through anonymous members, byte holes between members, bit holes inside bitfield runs, tail padding,
// cacheline boundaries and straddling members, padding inside nested record types (pahole's
// "paddings"), and the summary totals pahole prints.

import { recordOf, unnamedRecordOf, type Member, type RecordType } from '../model/model.js';

export interface Hole {
  /** Bytes from the start of the top-level record. */
  readonly offset: number;
  readonly size: number;
  /** offset, exact, in a record larger than 2^50 bytes (see ExactView). */
  readonly exactOffset?: bigint;
}

export interface BitHole {
  /** Bits from the start of the top-level record. */
  readonly bitOffset: number;
  readonly bits: number;
  /** bitOffset, exact, in a record larger than 2^50 bytes (see ExactView). */
  readonly exactBitOffset?: bigint;
}

/** What a view of a record larger than 2^50 bytes (RecordType.exactSize) adds: its numbers that can
 *  pass 2^53, exact (the view's own are then the nearest doubles). Member and hole rows carry their
 *  offsets in `exact` / `exactOffset`. Such a view shows the record's own members only (an anonymous
 *  member as one row), without cacheline boundaries or nested paddings. */
export interface ExactView {
  /** undefined for an incomplete record. */
  readonly size: bigint | undefined;
  readonly cachelines: bigint;
  readonly sumMembers: bigint;
}

/** One row of the view, in order: a member (possibly nested in anonymous members), a hole, a
 *  cacheline boundary, or the open/close of an inline anonymous record. */
export type Row =
  /** `offset` is the member's first byte; `unitOffset` the first byte of a bitfield's storage unit
   *  (pahole shows bitfields as unit:bit). */
  | {
      readonly kind: 'member';
      readonly member: Member;
      readonly offset: number;
      readonly unitOffset: number;
      readonly bitOffset: number;
      readonly depth: number;
      readonly straddles: boolean;
      /** Exact offsets in a record larger than 2^50 bytes: bytes, and the bit within the unit. */
      readonly exact?: { readonly offset: bigint; readonly unitOffset: bigint; readonly bit: number };
    }
  /** A zero-width bitfield: forces the next bitfield to a new unit. */
  | { readonly kind: 'zerowidth'; readonly member: Member; readonly depth: number }
  | {
      readonly kind: 'open';
      readonly member: Member;
      readonly record: RecordType;
      readonly offset: number;
      readonly depth: number;
    }
  | {
      readonly kind: 'close';
      readonly member: Member;
      readonly record: RecordType;
      readonly offset: number;
      readonly depth: number;
    }
  /** `before`: the forced alignment of the member the hole stands before, when it has one. */
  | {
      readonly kind: 'hole';
      readonly offset: number;
      readonly size: number;
      readonly depth: number;
      readonly before?: number;
      readonly exactOffset?: bigint;
    }
  | {
      readonly kind: 'bithole';
      readonly bitOffset: number;
      readonly bits: number;
      readonly depth: number;
      readonly exactBitOffset?: bigint;
    }
  /** The boundary a member crossed into; `ago` > 0 when it lies inside the previous member. */
  | {
      readonly kind: 'cacheline';
      readonly index: number;
      readonly offset: number;
      readonly ago: number;
      readonly depth: number;
    }
  /** After a member whose record type ends in padding (pahole: "last struct has N bytes of padding"). */
  | { readonly kind: 'padding'; readonly size: number; readonly depth: number }
  /** A member placed inside the previous bitfield's storage unit, or (previous) a bitfield whose unit
   *  starts inside the previous member. */
  | { readonly kind: 'combined'; readonly previous: boolean; readonly depth: number };

export interface RecordView {
  readonly record: RecordType;
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
  /** Sum of the sizes of the top-level members that are not bitfields (pahole's "sum members"). */
  readonly sumMembers: number;
  /** Bits of the top-level bitfield members (pahole's "sum bitfield members"). */
  readonly sumBitfieldBits: number;
  /** Members whose record type has tail padding: count and sum. */
  readonly paddings: {
    readonly count: number;
    readonly sum: number;
    readonly members: readonly { name: string | null; padding: number }[];
  };
  /** The record's own members with a forced alignment (Member.forcedAlign), and the byte holes right
   *  before them (pahole's "forced alignments" and "forced holes"). */
  readonly forced: { readonly alignments: number; readonly holes: number; readonly sumHoles: number };
  /** Present for a record larger than 2^50 bytes. */
  readonly exact?: ExactView;
}

export interface AnalyzeOptions {
  /** Walk named nested struct/union members inline too, as anonymous ones are (pahole's
   *  --expand_types): their members, holes and cacheline boundaries at their real offsets. */
  readonly expand?: boolean;
}

export function analyzeRecord(record: RecordType, cacheline = 64, opts: AnalyzeOptions = {}): RecordView {
  if (isHuge(record)) return analyzeExact(record, cacheline);
  return analyze(record, cacheline, !!opts.expand, true) as RecordView;
}

/** Laid out in bigint (see RecordType.exactSize): its members all carry exact values. */
const isHuge = (r: RecordType): boolean => r.exactSize !== undefined || r.members[0]?.exact !== undefined;

const bigMax = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** The view of a record larger than 2^50 bytes, in bigint: its own members, the byte and bit holes
 *  between them (small: alignments are at most 2^28 bytes), tail padding and totals (see ExactView). */
function analyzeExact(record: RecordType, cacheline: number): RecordView {
  const rows: Row[] = [];
  const holes: Hole[] = [];
  const bitHoles: BitHole[] = [];
  const forced = { alignments: 0, holes: 0, sumHoles: 0 };
  const isUnion = record.kind === 'union';
  let end = 0n; // bits
  let sumMembers = 0n;
  let sumBitfieldBits = 0;
  let memberCount = 0;
  for (const m of record.members) {
    const off = m.exact?.bitOffset ?? BigInt(m.bitOffset);
    const size = m.exact?.size ?? BigInt(m.size);
    if (m.bitSize !== undefined) sumBitfieldBits += m.bitSize;
    else sumMembers += size;
    if (m.bitSize === 0) {
      rows.push({ kind: 'zerowidth', member: m, depth: 0 });
      continue;
    }
    memberCount++;
    if (!isUnion && off > end) {
      // The partial bytes as a bit hole, the whole bytes as a hole (as Walker.gap).
      const first = (end + 7n) / 8n;
      const last = off / 8n;
      const bits = first > last ? off - end : first * 8n - end + (off - last * 8n);
      if (bits > 0n) {
        bitHoles.push({ bitOffset: Number(end), bits: Number(bits), exactBitOffset: end });
        rows.push({ kind: 'bithole', bitOffset: Number(end), bits: Number(bits), depth: 0, exactBitOffset: end });
      }
      if (last > first) {
        const h = Number(last - first);
        holes.push({ offset: Number(first), size: h, exactOffset: first });
        rows.push({ kind: 'hole', offset: Number(first), size: h, depth: 0, exactOffset: first });
        if (m.forcedAlign !== undefined) {
          forced.holes++;
          forced.sumHoles += h;
        }
      }
    }
    if (m.forcedAlign !== undefined) forced.alignments++;
    const unit = BigInt(Math.max(8, m.size * 8));
    const unitStart = m.bitSize !== undefined ? (off / unit) * unit : off;
    const offset = off / 8n;
    const line = BigInt(cacheline);
    const straddles = cacheline > 0 && size > 0n && offset / line !== (offset + size - 1n) / line;
    rows.push({
      kind: 'member',
      member: m,
      offset: Number(offset),
      unitOffset: Number(unitStart / 8n),
      bitOffset: Number(off),
      depth: 0,
      straddles,
      exact: { offset, unitOffset: unitStart / 8n, bit: Number(off - unitStart) },
    });
    end = bigMax(end, off + (m.bitSize !== undefined ? BigInt(m.bitSize) : size * 8n));
  }
  const exactSize = record.incomplete ? undefined : record.exactSize;
  const total = exactSize ?? (end + 7n) / 8n;
  const tailPadding = exactSize === undefined ? 0 : Number(exactSize - (end + 7n) / 8n);
  const cachelines = cacheline > 0 ? (total + BigInt(cacheline) - 1n) / BigInt(cacheline) : 0n;
  const last = cacheline > 0 ? Number(total % BigInt(cacheline)) : 0;
  return {
    record,
    rows,
    holes,
    bitHoles,
    tailPadding,
    bitPadding: 0,
    cacheline,
    cachelines: Number(cachelines),
    lastCacheline: last === 0 ? (total > 0n ? cacheline : 0) : last,
    memberCount,
    sumMembers: Number(sumMembers),
    sumBitfieldBits,
    paddings: { count: 0, sum: 0, members: [] },
    forced,
    exact: { size: exactSize, cachelines, sumMembers },
  };
}

/** One record's walk: the rows and holes found so far (methods rather than closures, so a vmlinux's
 *  10,000 analyses share compiled code and allocate only what they return). With `full` false only
 *  the storage end is walked (no rows, no nested records): all that tailPaddingOf needs. */
class Walker {
  readonly rows: Row[] = [];
  readonly holes: Hole[] = [];
  readonly bitHoles: BitHole[] = [];
  readonly paddingMembers: { name: string | null; padding: number }[] = [];
  readonly forced = { alignments: 0, holes: 0, sumHoles: 0 };
  private lastLine = 0;
  /** What the last walk returned: the end (bits) of the last member's own bits and of its storage. */
  end = 0;
  unitEnd = 0;

  constructor(
    private readonly cacheline: number,
    private readonly expand: boolean,
    private readonly full: boolean,
  ) {}

  // Like pahole: when a member starts in a later cacheline than the previous one, one boundary row
  // for the line it starts in, saying how far back the boundary was when a member straddled it.
  private emitCachelines(offset: number, depth: number): void {
    const cacheline = this.cacheline;
    if (cacheline <= 0) return;
    const line = Math.floor(offset / cacheline);
    if (line <= this.lastLine) return;
    this.lastLine = line;
    this.rows.push({ kind: 'cacheline', index: line, offset: line * cacheline, ago: offset - line * cacheline, depth });
  }

  // Holes are shown at every depth; the totals count those of the record itself (depth 0), as pahole
  // does (a nested record's holes are its own).
  private addBitHole(bitOffset: number, bits: number, depth: number): void {
    if (depth === 0) this.bitHoles.push({ bitOffset, bits });
    this.rows.push({ kind: 'bithole', bitOffset, bits, depth });
  }
  private addHole(offset: number, size: number, depth: number, before: number | undefined): void {
    if (depth === 0) this.holes.push({ offset, size });
    this.rows.push(
      before === undefined ? { kind: 'hole', offset, size, depth } : { kind: 'hole', offset, size, depth, before },
    );
  }
  // Unused bits between `from` and `to`: the partial bytes as one bit hole, then the whole bytes
  // (before a member with the forced alignment `before`, if any).
  private gap(from: number, to: number, depth: number, before?: number): void {
    if (to <= from) return;
    const firstByte = Math.ceil(from / 8);
    const lastByte = Math.floor(to / 8);
    if (firstByte > lastByte) return this.addBitHole(from, to - from, depth);
    const bits = firstByte * 8 - from + (to - lastByte * 8);
    if (bits) this.addBitHole(from, bits, depth);
    if (lastByte > firstByte) this.addHole(firstByte, lastByte - firstByte, depth, before);
  }

  // A member of the record itself whose record type ends in padding (pahole's "paddings").
  // Noted at every depth, counted for the record itself.
  private notePadding(m: Member, sub: RecordType, depth: number, inUnion: boolean): void {
    if (inUnion || sub.kind !== 'struct') return;
    const pad = tailPaddingOf(sub);
    if (pad <= 0) return;
    if (depth === 0) this.paddingMembers.push({ name: m.name, padding: pad });
    this.rows.push({ kind: 'padding', size: pad, depth });
  }

  // Walks a record's members; `baseBits` is the record's absolute offset. Sets `end` and `unitEnd`
  // (bits) to the end of the last storage: like pahole, a bitfield occupies a unit of its declared
  // type's size, aligned to that size in its record (whole units up to its end if it runs past one),
  // so the unused bits up to the unit's end (or the next member, if that starts inside the unit) are
  // a bit hole.
  walk(rec: RecordType, baseBits: number, depth: number, startBits: number): void {
    const { full, rows, cacheline } = this;
    let end = startBits; // bits: end of the previous member's own bits
    let unitEnd = startBits; // bits: end of the previous bitfield's storage unit (>= end)
    let prevBitfield = false;
    let prevStart = -1; // bits: where the previous member's storage starts (its unit, for a bitfield)
    const isUnion = rec.kind === 'union';
    const members = rec.members;
    // Every member of a union starts over from the cacheline the union is in (as pahole prints them).
    const unionLine = this.lastLine;
    for (let i = 0; i < members.length; i++) {
      const m = members[i]!;
      if (isUnion) this.lastLine = unionLine;
      const abs = baseBits + m.bitOffset;
      const isBitfield = m.bitSize !== undefined;
      if (isBitfield && m.bitSize === 0) {
        if (full) rows.push({ kind: 'zerowidth', member: m, depth });
        continue;
      }
      let unitStart = abs;
      if (isBitfield) {
        // The unit is aligned to its size within the record that declares the member.
        const unit = Math.max(8, m.size * 8);
        unitStart = baseBits + Math.floor(m.bitOffset / unit) * unit;
      }
      const holesBefore = this.holes.length;
      if (full && !isUnion) {
        if (unitEnd > end && abs > end) {
          const stop = Math.min(abs, unitEnd);
          this.addBitHole(end, stop - end, depth);
          this.gap(stop, abs, depth, m.forcedAlign);
        } else this.gap(end, abs, depth, m.forcedAlign);
        // Sharing storage with the member before (pahole's notes): a bitfield unit or member starting
        // inside the previous member's storage, unless both are bitfields of one unit.
        const sameUnit = isBitfield && prevBitfield && unitStart === prevStart;
        if (prevStart >= 0 && !sameUnit && unitStart < unitEnd)
          rows.push({ kind: 'combined', previous: unitStart <= prevStart, depth });
      }
      if (depth === 0 && m.forcedAlign !== undefined) {
        const forced = this.forced;
        forced.alignments++;
        let hole = 0;
        for (let h = holesBefore; h < this.holes.length; h++) hole += this.holes[h]!.size;
        if (hole > 0) {
          forced.holes++;
          forced.sumHoles += hole;
        }
      }
      const offset = Math.floor(abs / 8);
      this.emitCachelines(offset, depth);
      const sub = recordOf(m.type);
      let mEnd: number;
      let mUnitEnd: number;
      // Inline: an anonymous member; a record type without a name (no tag, no typedef: there is no
      // other way to see inside it), also through qualifiers or as an array's element (then its
      // first element is shown); with --expand, any record member.
      const unnamed = unnamedRecordOf(m.type);
      const inner = unnamed ?? (this.expand && sub !== undefined && sub.members.length > 0 ? sub : undefined);
      const inline = inner !== undefined;
      if (inline) {
        if (full) {
          rows.push({ kind: 'open', member: m, record: inner, offset, depth });
          this.walk(inner, abs, depth + 1, abs);
          rows.push({ kind: 'close', member: m, record: inner, offset, depth });
          if (sub) this.notePadding(m, sub, depth, isUnion);
        }
        mEnd = mUnitEnd = abs + m.size * 8; // the anonymous record's own padding stays inside it
      } else {
        if (full) {
          const straddles =
            cacheline > 0 &&
            m.size > 0 &&
            Math.floor(offset / cacheline) !== Math.floor((offset + m.size - 1) / cacheline);
          rows.push({ kind: 'member', member: m, offset, unitOffset: unitStart / 8, bitOffset: abs, depth, straddles });
          if (sub) this.notePadding(m, sub, depth, isUnion);
        }
        if (isBitfield) {
          // A bitfield that runs past its unit takes whole units up to its end.
          mEnd = abs + m.bitSize!;
          const unit = Math.max(8, m.size * 8);
          mUnitEnd = unitStart + Math.ceil((mEnd - unitStart) / unit) * unit;
        } else mEnd = mUnitEnd = abs + m.size * 8;
      }
      if (isUnion || mEnd >= end) {
        // A bitfield inside the previous bitfield's unit extends that run's storage.
        const carried = isBitfield && prevBitfield && abs < unitEnd ? unitEnd : 0;
        end = Math.max(end, mEnd);
        unitEnd = Math.max(isBitfield ? Math.max(mUnitEnd, carried) : end, isUnion ? unitEnd : end);
      }
      prevBitfield = isBitfield;
      prevStart = unitStart;
    }
    this.end = end;
    this.unitEnd = unitEnd;
  }
}

function analyze(record: RecordType, cacheline: number, expand: boolean, full: boolean): RecordView | number {
  const w = new Walker(cacheline, expand, full);
  w.walk(record, 0, 0, 0);
  const { rows, holes, bitHoles, paddingMembers, end, forced } = w;
  // Unused bits at the end of the last bitfield unit: pahole's "bit_padding".
  const unitEnd = Math.min(w.unitEnd, record.size * 8);
  let bitPadding = 0;
  let endBytes = Math.ceil(end / 8);
  if (unitEnd > end) {
    bitPadding = unitEnd - end;
    endBytes = Math.ceil(unitEnd / 8);
  }
  const tailPadding = Math.max(0, record.size - endBytes);
  if (!full) return tailPadding;
  const cachelines = cacheline > 0 ? Math.ceil(record.size / cacheline) : 0;
  const last = cacheline > 0 ? record.size % cacheline : 0;
  let sumMembers = 0;
  let sumBitfieldBits = 0;
  let memberCount = 0;
  for (const m of record.members) {
    if (m.bitSize !== undefined) sumBitfieldBits += m.bitSize;
    else sumMembers += m.size;
    if (m.bitSize !== 0) memberCount++;
  }
  return {
    record,
    rows,
    holes,
    bitHoles,
    tailPadding,
    bitPadding,
    cacheline,
    cachelines,
    lastCacheline: last === 0 ? (record.size > 0 ? cacheline : 0) : last,
    memberCount,
    sumMembers,
    sumBitfieldBits,
    paddings: {
      count: paddingMembers.length,
      sum: paddingMembers.reduce((a, p) => a + p.padding, 0),
      members: paddingMembers,
    },
    forced,
  };
}

const tailPaddings = new WeakMap<RecordType, number>();

/** Tail padding of a record as its own view counts it: bytes after the last member's storage (a
 *  bitfield's whole unit). */
export function tailPaddingOf(r: RecordType): number {
  let pad = tailPaddings.get(r);
  if (pad === undefined) {
    pad = isHuge(r) ? analyzeExact(r, 0).tailPadding : (analyze(r, 0, false, false) as number);
    tailPaddings.set(r, pad);
  }
  return pad;
}

/** Bigints: a count and what it costs are exact at any magnitude (--count 9007199254740993). */
export interface MemoryEstimate {
  readonly count: bigint;
  readonly objectSize: bigint;
  /** Size each object really takes after the allocator's rounding. */
  readonly perObject: bigint;
  readonly objects: bigint;
  readonly table: bigint;
  readonly total: bigint;
}

/** What N objects cost: each rounded up to `objectAlign`, plus an optional hash table. */
export function estimateMemory(
  record: RecordType,
  count: number | bigint,
  objectAlign: number | bigint = 1,
  hashBuckets: number | bigint = 0,
  bucketSize: number | bigint = 8,
): MemoryEstimate {
  const a = BigInt(objectAlign) > 1n ? BigInt(objectAlign) : 1n;
  const size = record.exactSize ?? BigInt(record.size);
  const perObject = ((size + a - 1n) / a) * a;
  const n = BigInt(count);
  const objects = perObject * n;
  const table = BigInt(hashBuckets) * BigInt(bucketSize);
  return { count: n, objectSize: size, perObject, objects, table, total: objects + table };
}
