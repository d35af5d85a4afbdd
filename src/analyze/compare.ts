// One record laid out on several targets, side by side: the union of member paths (through anonymous
// members) with each target's offset and size, and whether they differ — the view a porter needs.

import { isAnonymousRecordMember, recordOf, type RecordType } from '../model/model.js';
import { typeName } from '../model/print.js';
import { requireExact } from './exact.js';

export interface TargetCell {
  readonly offset: number;
  readonly size: number;
  readonly bitOffset?: number;
  readonly bitSize?: number;
}

export interface ComparedMember {
  readonly path: string;
  readonly type: string;
  /** Per target, in the order given; undefined where the member does not exist on that target. */
  readonly cells: readonly (TargetCell | undefined)[];
  readonly differs: boolean;
}

export interface TargetComparison {
  readonly targets: readonly string[];
  readonly sizes: readonly (number | undefined)[];
  readonly aligns: readonly (number | undefined)[];
  /** Per target: whether the record is incomplete there (its size and alignment are then unknown,
   *  and its members after the failure are absent). */
  readonly incomplete: readonly boolean[];
  readonly members: readonly ComparedMember[];
}

export function compareAcrossTargets(
  targets: readonly string[],
  records: readonly (RecordType | undefined)[],
): TargetComparison {
  // (Compared in numbers: InexactRecordError for a record past 2^50 bytes, named with its target.)
  records.forEach((r, ti) => requireExact([r], `[${targets[ti]}] the comparison`));
  const order: string[] = [];
  const rows = new Map<string, { type: string; cells: (TargetCell | undefined)[] }>();
  records.forEach((r, ti) => {
    if (!r) return;
    walk(r, 0, '', (path, type, cell) => {
      let row = rows.get(path);
      if (!row) {
        row = { type, cells: new Array(targets.length).fill(undefined) };
        rows.set(path, row);
        order.push(path);
      }
      row.cells[ti] = cell;
    });
  });
  const members = order.map((path) => {
    const row = rows.get(path)!;
    const present = row.cells.filter((c): c is TargetCell => c !== undefined);
    const first = present[0];
    const differs =
      present.length !== targets.length ||
      present.some((c) => c.offset !== first?.offset || c.size !== first.size || c.bitOffset !== first.bitOffset);
    return { path, type: row.type, cells: row.cells, differs };
  });
  return {
    targets,
    sizes: records.map((r) => (r?.incomplete ? undefined : r?.size)),
    aligns: records.map((r) => (r?.incomplete ? undefined : r?.align)),
    incomplete: records.map((r) => !!r?.incomplete),
    members,
  };
}

function walk(
  r: RecordType,
  baseBits: number,
  prefix: string,
  emit: (path: string, type: string, cell: TargetCell) => void,
): void {
  r.members.forEach((m, i) => {
    const abs = baseBits + m.bitOffset;
    const sub = recordOf(m.type);
    if (sub && isAnonymousRecordMember(m)) {
      walk(sub, abs, prefix, emit);
      return;
    }
    const name = m.name ?? `<unnamed ${i}>`;
    const cell: TargetCell =
      m.bitSize !== undefined
        ? { offset: Math.floor(abs / 8), size: m.size, bitOffset: abs, bitSize: m.bitSize }
        : { offset: abs / 8, size: m.size };
    emit(prefix + name, typeName(m.type), cell);
  });
}
