// The reorganizer's accelerator: a candidate order of one group compared with the best so far without
// laying out the whole record. The members before the group are placed once, and those after it are
// laid out once per state they can start from (memoised: a few distinct ends per group); only the
// group's own members are placed per candidate. Size, members across a cacheline, units moved and
// travel come out as the plain score's (reorganize.ts), so the search scores in full only the rare
// candidate that wins. Held to the plain search by test/advice/packable-fast.test.ts.

import type { RecordType } from '../model/model.js';
import { Placement, type Rules } from './place.js';

interface Moving {
  readonly members: readonly number[];
}

/** What the search compares, smaller better in this order (reorganize.ts's Scored). */
export interface ScoreKeys {
  readonly size: number;
  readonly moved: number;
  readonly straddles: number;
  readonly travel: number;
}

interface After {
  readonly size: number;
  readonly straddles: number;
}

/** Candidates `prefix ++ cand ++ rest` for one group, cand always a permutation of the same units. */
export class GroupScorer<U extends Moving> {
  private readonly starts: Placement[];
  private readonly work: Placement[];
  private readonly memo: Map<number | string, After>[];
  private readonly prefixStraddles: number;
  /** Longest increasing run of the prefix's unit positions (movedCount's tails). */
  private readonly prefixTails: number[];
  private readonly prefixTravel: number;
  private readonly restPos: number[];
  private readonly restTravel: number;
  private readonly from: number;

  constructor(
    private readonly records: readonly RecordType[],
    rules: readonly Rules[],
    /** The alignment the author's order gives each record (MSVC; an order that changes it is no
     *  candidate: its size counts as Infinity, as the plain score has it). */
    private readonly alignOf: readonly number[],
    private readonly cacheline: number,
    private readonly index: ReadonlyMap<U, number>,
    prefix: readonly U[],
    private readonly rest: readonly U[],
    groupLength: number,
  ) {
    let straddles = 0;
    this.starts = records.map((r, t) => {
      const p = new Placement(r, rules[t]!);
      for (const u of prefix) for (const i of u.members) straddles += this.straddles(r, i, p.place(i));
      return p;
    });
    this.prefixStraddles = straddles;
    this.work = records.map((r, t) => new Placement(r, rules[t]!));
    this.memo = records.map(() => new Map());
    const pos = prefix.map((u) => index.get(u)!);
    this.prefixTails = [];
    for (const p of pos) pushTail(this.prefixTails, p);
    this.prefixTravel = pos.reduce((a, p, k) => a + Math.abs(p - k), 0);
    this.from = prefix.length;
    this.restPos = rest.map((u) => index.get(u)!);
    const restAt = prefix.length + groupLength;
    this.restTravel = this.restPos.reduce((a, p, k) => a + Math.abs(p - (restAt + k)), 0);
  }

  /** 1 when member i of r at `bits` crosses a cacheline (countStraddles' rule). */
  private straddles(r: RecordType, i: number, bits: number): number {
    const m = r.members[i]!;
    if (m.bitSize !== undefined || m.size === 0 || this.cacheline <= 0) return 0;
    const off = bits / 8;
    return Math.floor(off / this.cacheline) !== Math.floor((off + m.size - 1) / this.cacheline) ? 1 : 0;
  }

  private sizeAndStraddles(cand: readonly U[]): After {
    let size = 0;
    let straddles = this.prefixStraddles;
    for (let t = 0; t < this.records.length; t++) {
      const r = this.records[t]!;
      const p = this.work[t]!;
      p.copyFrom(this.starts[t]!);
      for (const u of cand) for (const i of u.members) straddles += this.straddles(r, i, p.place(i));
      const key =
        p.alignment === 0 ? p.end : `${p.end} ${p.alignment} ${+p.afterBitfield} ${p.unitSize} ${p.remaining}`;
      const memo = this.memo[t]!;
      let after = memo.get(key);
      if (after === undefined) {
        let s = 0;
        for (const u of this.rest) for (const i of u.members) s += this.straddles(r, i, p.place(i));
        after = { size: p.alignment === this.alignOf[t] ? p.size() : Infinity, straddles: s };
        memo.set(key, after);
      }
      size += after.size;
      straddles += after.straddles;
    }
    return { size, straddles };
  }

  /** The summed size of the order with `cand` (what the plain score's size is). */
  size(cand: readonly U[]): number {
    return this.sizeAndStraddles(cand).size;
  }

  /** Whether the plain score of the order with `cand` is better than `best` (reorganize.ts's
   *  `better`: size, then units moved, then straddles, then travel). */
  beats(cand: readonly U[], best: ScoreKeys): boolean {
    const { size, straddles } = this.sizeAndStraddles(cand);
    if (size !== best.size) return size < best.size;
    const tails = this.prefixTails.slice();
    let travel = this.prefixTravel + this.restTravel;
    for (let k = 0; k < cand.length; k++) {
      const p = this.index.get(cand[k]!)!;
      pushTail(tails, p);
      travel += Math.abs(p - (this.from + k));
    }
    for (const p of this.restPos) pushTail(tails, p);
    const moved = this.from + cand.length + this.restPos.length - tails.length;
    if (moved !== best.moved) return moved < best.moved;
    if (straddles !== best.straddles) return straddles < best.straddles;
    return travel < best.travel;
  }
}

/** One step of the longest strictly increasing run (patience sorting): tails[k] is the least last
 *  value of a run of length k + 1. */
function pushTail(tails: number[], p: number): void {
  let lo = 0;
  let hi = tails.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tails[mid]! < p) lo = mid + 1;
    else hi = mid;
  }
  tails[lo] = p;
}
