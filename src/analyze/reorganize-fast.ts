// The reorganizer's accelerator: the size of a candidate order without laying out the whole record.
// While one group is searched, the members before it are placed once, and those after it are laid
// out once per state they can start from (memoised: a few distinct ends per group); only the group's
// own members are placed per candidate. The search then scores in full only the candidates whose
// size could win. Held to the plain score by test/advice/packable-fast.test.ts (`shortcuts: false`).

import type { RecordType } from '../model/model.js';
import { Placement, type Rules } from './place.js';

interface Moved {
  readonly members: readonly number[];
}

/** Sizes of `prefix ++ cand ++ rest` (member indexes; units of members for cand) for one group. */
export class GroupSizer {
  private readonly starts: Placement[];
  private readonly work: Placement[];
  private readonly memo: Map<number | string, number>[];

  constructor(
    private readonly records: readonly RecordType[],
    rules: readonly Rules[],
    /** The alignment the author's order gives each record (MSVC; an order that changes it is no
     *  candidate: its size counts as Infinity, as the plain score has it). */
    private readonly alignOf: readonly number[],
    prefix: readonly number[],
    private readonly rest: readonly number[],
  ) {
    this.starts = records.map((r, t) => {
      const p = new Placement(r, rules[t]!);
      for (const i of prefix) p.place(i);
      return p;
    });
    this.work = records.map((r, t) => new Placement(r, rules[t]!));
    this.memo = records.map(() => new Map());
  }

  /** The summed size over the records of the order with `cand` between the prefix and the rest. */
  size(cand: readonly Moved[]): number {
    let total = 0;
    for (let t = 0; t < this.records.length; t++) {
      const p = this.work[t]!;
      p.copyFrom(this.starts[t]!);
      for (const u of cand) for (const i of u.members) p.place(i);
      const key =
        p.alignment === 0 ? p.end : `${p.end} ${p.alignment} ${+p.afterBitfield} ${p.unitSize} ${p.remaining}`;
      const memo = this.memo[t]!;
      let size = memo.get(key);
      if (size === undefined) {
        for (const i of this.rest) p.place(i);
        size = p.alignment === this.alignOf[t] ? p.size() : Infinity;
        memo.set(key, size);
      }
      total += size;
    }
    return total;
  }
}
