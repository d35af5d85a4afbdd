// Two layouts of the same records compared member by member (pahole's --diff idea, from any two
// inputs: source against the built module, one kernel version against another, a config change):
// size changes, moved or resized members, added and removed members, new and closed holes. Unnamed
// bitfields (`int :32;`) are padding, and BTF drops them: they count as neither members nor fillers.

import { analyzeRecord } from './layout-view.js';
import { requireExact } from './exact.js';
import { isAnonymousRecordMember, recordOf, type Member, type RecordType } from '../model/model.js';

export interface MemberChange {
  readonly path: string;
  readonly kind: 'moved' | 'resized' | 'added' | 'removed';
  readonly before?: { offset: number; size: number; bitOffset?: number };
  readonly after?: { offset: number; size: number; bitOffset?: number };
}

export interface RecordDiff {
  readonly name: string;
  readonly sizeBefore: number;
  readonly sizeAfter: number;
  readonly changes: readonly MemberChange[];
  readonly holesOpened: readonly { offset: number; size: number }[];
  readonly holesClosed: readonly { offset: number; size: number }[];
  readonly tailPaddingBefore: number;
  readonly tailPaddingAfter: number;
  /** The sides on which the record is incomplete (an error touched it): it is then not compared. */
  readonly incomplete?: readonly ('before' | 'after')[];
}

export interface LayoutDiff {
  readonly changed: readonly RecordDiff[];
  readonly onlyBefore: readonly string[];
  readonly onlyAfter: readonly string[];
  readonly unchanged: number;
}

export type Flat = ReadonlyMap<string, { offset: number; size: number; bitOffset?: number }>;

/** Members (by path) moved, resized, removed and added. */
export function memberChanges(fa: Flat, fb: Flat): MemberChange[] {
  const changes: MemberChange[] = [];
  for (const [p, x] of fa) {
    const y = fb.get(p);
    if (!y) changes.push({ path: p, kind: 'removed', before: x });
    else if (x.offset !== y.offset || x.bitOffset !== y.bitOffset)
      changes.push({ path: p, kind: 'moved', before: x, after: y });
    else if (x.size !== y.size) changes.push({ path: p, kind: 'resized', before: x, after: y });
  }
  for (const [p, y] of fb) if (!fa.has(p)) changes.push({ path: p, kind: 'added', after: y });
  return changes;
}

function flat(
  r: RecordType,
  base = 0,
  prefix = '',
  out = new Map<string, { offset: number; size: number; bitOffset?: number }>(),
): Flat {
  r.members.forEach((m, i) => {
    const abs = base + m.bitOffset;
    const sub = recordOf(m.type);
    if (sub && isAnonymousRecordMember(m)) return void flat(sub, abs, prefix, out);
    if (isUnnamedBitfield(m)) return;
    const key = prefix + (m.name ?? `<anonymous ${i}>`);
    out.set(
      key,
      m.bitSize !== undefined
        ? { offset: Math.floor(abs / 8), size: m.size, bitOffset: abs }
        : { offset: abs / 8, size: m.size },
    );
  });
  return out;
}

const isUnnamedBitfield = (m: Member): boolean => m.name === null && m.bitSize !== undefined;

/** The record as BTF would describe it: without unnamed bitfields, here and in anonymous members
 *  (their bits become the holes BTF shows), so that holes and tail padding compare alike. */
function withoutUnnamedBitfields(r: RecordType): RecordType {
  let changed = false;
  const members: Member[] = [];
  for (const m of r.members) {
    if (isUnnamedBitfield(m)) {
      changed = true;
      continue;
    }
    if (isAnonymousRecordMember(m) && m.type.kind === 'record') {
      const sub = withoutUnnamedBitfields(m.type.record);
      if (sub !== m.type.record) {
        changed = true;
        members.push({ ...m, type: { ...m.type, record: sub } });
        continue;
      }
    }
    members.push(m);
  }
  return changed ? { ...r, members } : r;
}

const key = (r: RecordType): string => (r.name !== null ? `${r.kind} ${r.name}` : (r.typedef ?? ''));

/** Compares records paired by tag (or typedef name for anonymous ones); members by their path. */
export function diffLayouts(before: readonly RecordType[], after: readonly RecordType[], cacheline = 64): LayoutDiff {
  requireExact([...before, ...after], 'the diff'); // (compared in numbers: InexactRecordError past 2^50 bytes)
  const a = new Map<string, RecordType>();
  for (const r of before) if (key(r) && !a.has(key(r))) a.set(key(r), r);
  const b = new Map<string, RecordType>();
  for (const r of after) if (key(r) && !b.has(key(r))) b.set(key(r), r);
  const changed: RecordDiff[] = [];
  let unchanged = 0;
  for (const [k, ra] of a) {
    const rb = b.get(k);
    if (!rb) continue;
    if (ra.incomplete || rb.incomplete) {
      // A layout that is not known cannot be said to have changed, nor to be the same.
      const sides: ('before' | 'after')[] = ra.incomplete
        ? rb.incomplete
          ? ['before', 'after']
          : ['before']
        : ['after'];
      changed.push({
        name: k,
        sizeBefore: ra.size,
        sizeAfter: rb.size,
        changes: [],
        holesOpened: [],
        holesClosed: [],
        tailPaddingBefore: 0,
        tailPaddingAfter: 0,
        incomplete: sides,
      });
      continue;
    }
    const fa = flat(ra);
    const fb = flat(rb);
    const changes = memberChanges(fa, fb);
    const va = analyzeRecord(withoutUnnamedBitfields(ra), cacheline);
    const vb = analyzeRecord(withoutUnnamedBitfields(rb), cacheline);
    const ha = va.holes;
    const hb = vb.holes;
    const same = (h: { offset: number; size: number }, l: readonly { offset: number; size: number }[]) =>
      l.some((x) => x.offset === h.offset && x.size === h.size);
    const holesOpened = hb.filter((h) => !same(h, ha));
    const holesClosed = ha.filter((h) => !same(h, hb));
    if (
      ra.size === rb.size &&
      changes.length === 0 &&
      holesOpened.length === 0 &&
      holesClosed.length === 0 &&
      va.tailPadding === vb.tailPadding
    ) {
      unchanged++;
      continue;
    }
    changed.push({
      name: k,
      sizeBefore: ra.size,
      sizeAfter: rb.size,
      changes,
      holesOpened,
      holesClosed,
      tailPaddingBefore: va.tailPadding,
      tailPaddingAfter: vb.tailPadding,
    });
  }
  return {
    changed,
    onlyBefore: [...a.keys()].filter((k) => !b.has(k)),
    onlyAfter: [...b.keys()].filter((k) => !a.has(k)),
    unchanged,
  };
}
