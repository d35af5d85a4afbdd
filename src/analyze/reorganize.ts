// A smaller member order for a record (pure: returns a new record, never prints). Members are cut into
// units that move whole (an #if block, an anonymous or nested record, members declared together; a
// bitfield alone, or its whole run in a second search) and groups that units never leave (bounded by
// cacheline-aligned members, __cacheline_group markers, kept and zero-size members). Candidate orders
// are laid out again by the target's rules (place.ts); the original order must lay out to the model's
// own offsets first, or the record is reported rather than reordered. Best: smallest size, then
// fewest units moved (the author's order wherever it is free), then fewest members across a cacheline.

import { resolveType, type Member, type RecordType } from '../model/model.js';
import { ceilTo, placeMembers, type BitfieldRules, type Layout, type Rules } from './place.js';
import { GroupScorer } from './reorganize-fast.js';
import { binaryCaveat, binaryFormat, type BinaryCaveat } from './reorganize-binary.js';
import { tailCause } from './hole-cause.js';
import { requireExact } from './exact.js';

export { placeMembers, type BitfieldRules, type Rules };

export interface ReorganizeOptions {
  readonly cacheline?: number;
  readonly bitfields?: BitfieldRules;
  /** Bytes (Target.biggestAlign); 16 when not given. */
  readonly biggestAlign?: number;
  /** Members that stay where they are (nothing crosses them). */
  readonly keep?: readonly string[];
  /** The first member stays first (a record embedded as another's header). */
  readonly keepFirst?: boolean;
  /** Search for the fewest moves among the smallest orders (default); --packable needs only sizes. */
  readonly fewestMoves?: boolean;
  /** Members to put first, in the fewest cachelines. */
  readonly hot?: readonly string[];
  /** false: every candidate laid out in full, without reorganize-fast.ts (the plain path its test
   *  compares with). */
  readonly shortcuts?: boolean;
}

/** Why units move together or stay. */
export interface Unit {
  /** Indexes into the record's members, in their order. */
  readonly members: readonly number[];
  readonly pinned?: string;
}

export interface Reorganized {
  readonly kind: 'reorganized';
  readonly original: RecordType;
  /** The record with its members in the new order and their new offsets. */
  readonly record: RecordType;
  /** Original member index of each member of `record`. */
  readonly order: readonly number[];
  /** Units moved (the fewest single moves that turn the old order into the new). */
  readonly moved: number;
  readonly straddles: { readonly before: number; readonly after: number };
  /** Cachelines the --hot members span before and after. */
  readonly hot?: { readonly before: number; readonly after: number };
  readonly groups: number;
  /** The units in their new order. */
  readonly units: readonly Unit[];
  /** From a binary, where the new offsets rest on alignments it does not record (reorganize-binary.ts). */
  readonly caveat?: BinaryCaveat;
}

export interface NotReorganized {
  readonly kind: 'unchanged';
  readonly original: RecordType;
  readonly reason: string;
}

export type ReorganizeResult = Reorganized | NotReorganized;

/** Why a record is not reordered, or undefined. */
function refusal(r: RecordType, rules: Rules): string | undefined {
  if (r.incomplete) return `its layout is incomplete (${r.incomplete.errors[0] ?? 'an error'})`;
  if (r.kind === 'union') return 'a union: its members all start at 0';
  if (r.packed) return 'packed: every member is at the next byte already; reordering only moves misaligned accesses';
  if (r.randomizeLayout) return '__randomize_layout: the compiler chooses the order when the plugin is on';
  if (r.members.length < 2) return 'fewer than two members';
  // Under #pragma pack or packed a bitfield is placed at the next bit, which the model does not
  // record; members aligned below their type or their own aligned() show that packing is at work.
  if (r.members.some((m) => m.bitSize !== undefined) && (r.pack !== undefined || r.members.some(packedBelowType)))
    return 'bitfields under #pragma pack or packed: their placement rule is not recorded in the layout';
  const l = placeMembers(
    r,
    r.members.map((_, i) => i),
    rules,
  );
  const at = r.members.findIndex((m, i) => m.bitOffset !== l.offsets[i]);
  const from = binaryFormat(r);
  // From a binary, the offsets show a rule it does not record: say where rather than guess at it.
  if (from && (at >= 0 || l.size !== r.size)) return lostRule(r, from, at, l);
  // Its size needs an alignment no member has: the reader's alignment is a guess at an aligned().
  if (from && tailCause(r).inferred)
    return (
      `its size ${r.size} needs an alignment no member has (taken as ${r.align}): ` +
      `an aligned() ${from} does not record`
    );
  if (l.size !== r.size || at >= 0)
    return (
      'its layout uses a rule the reorganizer does not model ' +
      '(the original order does not lay out again to the same offsets)'
    );
  return undefined;
}

function lostRule(r: RecordType, from: string, at: number, l: Layout): string {
  const unrecorded = `a rule ${from} does not record (aligned(), packed, :0, an unnamed bitfield or #pragma pack)`;
  if (at < 0) return `its size ${r.size} is not its members' ${l.size} rounded to their alignment: ${unrecorded}`;
  const m = r.members[at]!;
  const where = (bits: number): string => (bits % 8 ? `bit ${bits}` : `offset ${bits / 8}`);
  return (
    `member ${m.name ?? `#${at}`} is at ${where(m.bitOffset)}, ` +
    `where its type's alignment puts it at ${where(l.offsets[at]!)}: ${unrecorded}`
  );
}

/** Declared together (`short s, t;`: one line, one base type): their text cannot be parted. */
function sameDeclaration(a: Member, b: Member): boolean {
  const x = a.origin;
  const y = b.origin;
  if (x?.kind !== 'source' || y?.kind !== 'source' || x.file !== y.file || x.line !== y.line) return false;
  const base = (m: Member): unknown => {
    let t = m.type;
    while (t.kind === 'array' || t.kind === 'pointer') t = t.kind === 'array' ? t.of : t.to;
    return t.kind === 'base' ? t.name : t;
  };
  return base(a) === base(b);
}

function packedBelowType(m: Member): boolean {
  if (m.packed) return true;
  if (m.forcedAlign !== undefined && m.align < m.forcedAlign) return true;
  const t = resolveType(m.type);
  return (t.kind === 'base' || t.kind === 'enum') && m.align < t.align;
}

/** The units and groups of a record: groups in order, each a list of units; pinned units are groups
 *  of their own. */
export function unitsOf(r: RecordType, opts: ReorganizeOptions = {}, joinRuns = false): Unit[][] {
  const cacheline = opts.cacheline ?? 64;
  const keep = new Set(opts.keep ?? []);
  const ms = r.members;
  const units: { members: number[]; pinned?: string; startsGroup?: boolean }[] = [];
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i]!;
    const prev = i > 0 ? ms[i - 1]! : undefined;
    const last = units[units.length - 1];
    let pinned: string | undefined;
    let startsGroup = false;
    if (m.name !== null && keep.has(m.name)) pinned = '--keep';
    else if (i === 0 && opts.keepFirst) pinned = '--keep-first';
    else if (m.name?.startsWith('__cacheline_group_')) pinned = 'cacheline group marker';
    else if (m.size === 0 && m.bitSize === undefined)
      pinned = i === ms.length - 1 ? 'flexible or zero-length array stays last' : 'zero-size member';
    else if ((m.forcedAlign ?? 0) >= cacheline) startsGroup = true;
    const joins =
      last !== undefined &&
      prev !== undefined &&
      pinned === undefined &&
      !startsGroup &&
      last.pinned === undefined &&
      // Named bitfields move one by one (the layout places each by the target's unit rules); a
      // zero-width one stays with the member after it, an unnamed one (padding) with the one before.
      (prev.bitSize === 0 ||
        (joinRuns && m.bitSize !== undefined && prev.bitSize !== undefined) ||
        (m.bitSize !== undefined && m.name === null) ||
        (m.condition !== undefined && m.condition === prev.condition) ||
        sameDeclaration(m, prev));
    if (joins) last.members.push(i);
    else units.push(pinned !== undefined ? { members: [i], pinned } : { members: [i], startsGroup });
  }
  const groups: Unit[][] = [];
  let cur: Unit[] = [];
  for (const u of units) {
    if (u.pinned !== undefined || u.startsGroup) {
      if (cur.length) groups.push(cur);
      cur = [];
    }
    if (u.pinned !== undefined) groups.push([{ members: u.members, pinned: u.pinned }]);
    else cur.push({ members: u.members, ...(u.startsGroup ? { pinned: 'cacheline-aligned: starts a group' } : {}) });
  }
  if (cur.length) groups.push(cur);
  return groups;
}

/** Scores an order of units: size, straddling members, units moved (smaller is better). */
interface Scored {
  readonly units: readonly Unit[];
  readonly size: number;
  readonly straddles: number;
  readonly moved: number;
  /** How far units travel in all (ties between equal move counts). */
  readonly travel: number;
  readonly layout: Layout;
}

export function reorganize(r: RecordType, opts: ReorganizeOptions = {}): ReorganizeResult {
  return reorganizeAcross([r], opts)[0]!;
}

/** One order for the same record laid out on several targets (each record its own target's model,
 *  members parallel): the order whose summed size, then straddles, then moves are least. */
export function reorganizeAcross(
  records: readonly RecordType[],
  opts: ReorganizeOptions & { readonly rules?: readonly Rules[] } = {},
): ReorganizeResult[] {
  requireExact(records, 'the advice'); // (placed in numbers: InexactRecordError past 2^50 bytes)
  // Bitfields one by one give the search more freedom, runs kept whole fewer units (small enough,
  // more often, for every order to be tried): both are searched, the smaller (then fewer moves) wins.
  const single = reorganizeWith(records, opts, false);
  if (!records[0]!.members.some((m) => m.bitSize !== undefined)) return single;
  const runs = reorganizeWith(records, opts, true);
  const total = (rs: readonly ReorganizeResult[]): number =>
    rs.reduce((a, r) => a + (r.kind === 'reorganized' ? r.record.size : r.original.size), 0);
  const moved = (rs: readonly ReorganizeResult[]): number => (rs[0]!.kind === 'reorganized' ? rs[0]!.moved : 0);
  const a = total(single);
  const b = total(runs);
  return b < a || (b === a && moved(runs) < moved(single)) ? runs : single;
}

function reorganizeWith(
  records: readonly RecordType[],
  opts: ReorganizeOptions & { readonly rules?: readonly Rules[] },
  joinRuns: boolean,
): ReorganizeResult[] {
  const rules = records.map(
    (_, i): Rules => opts.rules?.[i] ?? { bitfields: opts.bitfields ?? 'sysv', biggestAlign: opts.biggestAlign ?? 16 },
  );
  for (let i = 0; i < records.length; i++) {
    const why = refusal(records[i]!, rules[i]!);
    if (why) return records.map((original) => ({ kind: 'unchanged', original, reason: why }));
  }
  const cacheline = opts.cacheline ?? 64;
  const first = records[0]!;
  // A member aligned to a cacheline on any target bounds a group on all.
  const groups = unitsOf(
    records.length === 1
      ? first
      : {
          ...first,
          members: first.members.map((m, i) => ({
            ...m,
            forcedAlign: Math.max(0, ...records.map((x) => x.members[i]!.forcedAlign ?? 0)) || undefined,
          })),
        },
    opts,
    joinRuns,
  );
  const index = new Map<Unit, number>();
  groups.flat().forEach((u, i) => index.set(u, i));
  // An order that changes the record's alignment (MSVC's zero-width bitfields) is no candidate.
  const alignOf = records.map(
    (rec, t) =>
      placeMembers(
        rec,
        rec.members.map((_, i) => i),
        rules[t]!,
      ).align,
  );
  const score = (units: readonly Unit[]): Scored => {
    const order = units.flatMap((u) => u.members);
    let size = 0;
    let straddles = 0;
    let layout: Layout | undefined;
    records.forEach((rec, t) => {
      const l = placeMembers(rec, order, rules[t]!);
      layout ??= l;
      size += l.align === alignOf[t] ? l.size : Infinity;
      straddles += countStraddles(rec, l, cacheline);
    });
    const pos = units.map((u) => index.get(u)!);
    return {
      units,
      size,
      straddles,
      moved: movedCount(pos),
      travel: pos.reduce((a, p, k) => a + Math.abs(p - k), 0),
      layout: layout!,
    };
  };
  const better = (a: Scored, b: Scored): boolean =>
    a.size !== b.size
      ? a.size < b.size
      : a.moved !== b.moved
        ? a.moved < b.moved
        : a.straddles !== b.straddles
          ? a.straddles < b.straddles
          : a.travel < b.travel;
  const hot = new Set(opts.hot ?? []);
  const isHot = (u: Unit): boolean => u.members.some((i) => hot.has(first.members[i]!.name ?? ''));
  // Group by group, the rest kept in the author's order while one is decided.
  // Nothing is smaller than every member back to back: the author's order then stays.
  const originalScore = score(groups.flat());
  if (!hot.size && originalScore.size <= lowerBound(records))
    return records.map((original) => ({
      kind: 'unchanged',
      original,
      reason: 'no order is smaller, nor has fewer members across cachelines',
    }));
  // Group by group; with `fewest`, each group's order also moves as few units as its size allows,
  // which can leave a later group less room: the plain search's answer is kept when it is smaller.
  // `best` is always the score of the order so far: the groups decided, then the rest as written.
  const search = (fewest: boolean): Scored => {
    const decided: Unit[] = [];
    let best = originalScore;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      const lead = group[0]!.pinned !== undefined ? [group[0]!] : [];
      const free = group.slice(lead.length);
      // (A group with one unit free has no other order.)
      if (free.length <= 1) {
        decided.push(...group);
        continue;
      }
      const rest = groups.slice(g + 1).flat();
      // Only the rare candidate that wins is scored in full.
      const fast =
        opts.shortcuts === false
          ? undefined
          : new GroupScorer(records, rules, alignOf, cacheline, index, [...decided, ...lead], rest, free.length);
      const consider = (cand: readonly Unit[]): void => {
        if (fast && !fast.beats(cand, best)) return;
        const s = score([...decided, ...lead, ...cand, ...rest]);
        if (better(s, best)) best = s;
      };
      const hotFirst = (cand: Unit[]): Unit[] =>
        hot.size && g === firstFreeGroup(groups) ? [...cand.filter(isHot), ...cand.filter((u) => !isHot(u))] : cand;
      const byAlign = hotFirst(stableSort(free, (u) => -unitAlign(first, u)));
      if (hot.size && g === firstFreeGroup(groups)) best = score([...decided, ...lead, ...byAlign, ...rest]);
      consider(byAlign);
      consider(hotFirst(stableSort(free, (u) => -unitAlign(first, u) * 1e6 - unitBytes(first, u))));
      consider(hotFirst(fillHoles(first, free, rules[0]!)));
      // Small groups: every order (the lower bound, all bytes with no padding, ends the search early).
      if (free.length <= 7 && !hot.size && best.size > lowerBound(records)) permute(free, consider);
      // From the author's order, the single move that shrinks the record most, again and again: few
      // moves when few suffice.
      if (!hot.size && fewest) {
        let cur = free;
        let curScore = score([...decided, ...lead, ...cur, ...rest]);
        for (let rounds = 0; rounds < free.length; rounds++) {
          let next: Scored | undefined;
          let nextUnits: Unit[] | undefined;
          for (let from = 0; from < cur.length; from++) {
            for (let to = 0; to < cur.length; to++) {
              if (to === from) continue;
              const cand = [...cur];
              cand.splice(to, 0, cand.splice(from, 1)[0]!);
              if (fast && (fast.size(cand) >= curScore.size || (next && !fast.beats(cand, next)))) continue;
              const sc = score([...decided, ...lead, ...cand, ...rest]);
              if (sc.size < curScore.size && (!next || better(sc, next))) [next, nextUnits] = [sc, cand];
            }
          }
          if (!next) break;
          [cur, curScore] = [nextUnits!, next];
        }
        consider(cur);
      }
      // Then fewer moves: one unit at a time to another place, while nothing gets worse. (Not with
      // --hot, whose order is not the author's.)
      if (!hot.size && fewest) {
        for (let improved = true, rounds = 0; improved && rounds < 20; rounds++) {
          improved = false;
          const cur = best.units.slice(decided.length + lead.length, decided.length + group.length);
          for (let from = 0; from < cur.length; from++) {
            for (let to = 0; to < cur.length; to++) {
              if (to === from) continue;
              const cand = [...cur];
              cand.splice(to, 0, cand.splice(from, 1)[0]!);
              const before = best;
              consider(cand);
              if (best !== before) improved = true;
            }
            if (improved) break;
          }
        }
      }
      const chosen = best.units.slice(decided.length, decided.length + group.length);
      decided.push(...chosen);
    }
    return best;
  };
  let final = search(false);
  if (opts.fewestMoves !== false && !hot.size) {
    const s = search(true);
    if (!better(final, s)) final = s;
  }
  const decided = final.units;
  if (!better(final, originalScore) && !hot.size)
    return records.map((original) => ({
      kind: 'unchanged',
      original,
      reason: 'no order is smaller, nor has fewer members across cachelines',
    }));
  const order = decided.flatMap((u) => u.members);
  return records.map((rec, t) => {
    const l = placeMembers(rec, order, rules[t]!);
    const members: Member[] = order.map((i) => ({ ...rec.members[i]!, bitOffset: l.offsets[i]! }));
    const record: RecordType = { ...rec, size: l.size, members };
    const caveat = binaryCaveat(rec, record, order, rules[t]!.biggestAlign);
    const res: Reorganized = {
      ...(caveat ? { caveat } : {}),
      kind: 'reorganized',
      original: rec,
      record,
      order,
      moved: final.moved,
      groups: groups.length,
      units: decided,
      straddles: {
        before: countStraddles(
          rec,
          placeMembers(
            rec,
            rec.members.map((_, i) => i),
            rules[t]!,
          ),
          cacheline,
        ),
        after: countStraddles(rec, l, cacheline),
      },
    };
    if (!hot.size) return res;
    const hotIdx = rec.members.flatMap((m, i) => (hot.has(m.name ?? '') ? [i] : []));
    return {
      ...res,
      hot: {
        before: linesSpanned(rec, hotIdx, (i) => rec.members[i]!.bitOffset, cacheline),
        after: linesSpanned(rec, hotIdx, (i) => l.offsets[i]!, cacheline),
      },
    };
  });
}

/** No order is smaller than every member's bytes back to back, rounded to the record's alignment. */
function lowerBound(records: readonly RecordType[]): number {
  let sum = 0;
  for (const r of records) {
    let bytes = 0;
    let bits = 0;
    for (const m of r.members) {
      if (m.bitSize !== undefined) bits += m.bitSize;
      else bytes += m.size;
    }
    sum += ceilTo(bytes + Math.ceil(bits / 8), r.align);
  }
  return sum;
}

const firstFreeGroup = (groups: readonly Unit[][]): number =>
  groups.findIndex((g) => g.some((u) => u.pinned === undefined) || g.length > 1);

function unitAlign(r: RecordType, u: Unit): number {
  return Math.max(...u.members.map((i) => r.members[i]!.align));
}

function unitBytes(r: RecordType, u: Unit): number {
  return placeMembers({ ...r, align: 1 }, u.members, { bitfields: 'sysv', biggestAlign: 16 }).size;
}

function stableSort<T>(xs: readonly T[], key: (x: T) => number): T[] {
  return xs
    .map((x, i) => [x, i, key(x)] as const)
    .sort((a, b) => a[2] - b[2] || a[1] - b[1])
    .map((p) => p[0]);
}

/** The author's order, but where a unit would leave a hole, a later unit that fits it goes first
 *  (the largest that fits, so one move fills most). */
function fillHoles(r: RecordType, free: readonly Unit[], rules: Rules): Unit[] {
  const left = [...free];
  const out: Unit[] = [];
  const order: number[] = [];
  // The end after appending `u` at `here`: direct for a lone ordinary member, laid out otherwise.
  const endWith = (here: number, u: Unit): number => {
    const m = r.members[u.members[0]!]!;
    if (u.members.length === 1 && m.bitSize === undefined) return ceilTo(here, m.align) + m.size;
    return placeMembers({ ...r, align: 1 }, [...order, ...u.members], rules).size;
  };
  let here = 0;
  while (left.length) {
    const next = left[0]!;
    const gap = ceilTo(here, unitAlign(r, next)) - here;
    let pick = 0;
    if (gap > 0) {
      let bestFill = 0;
      for (let k = 1; k < left.length; k++) {
        if (ceilTo(here, unitAlign(r, left[k]!)) !== here) continue;
        const fill = endWith(here, left[k]!) - here;
        if (fill <= gap && fill > bestFill) {
          bestFill = fill;
          pick = k;
        }
      }
    }
    const u = left.splice(pick, 1)[0]!;
    here = endWith(here, u);
    out.push(u);
    order.push(...u.members);
  }
  return out;
}

/** Heap's algorithm: every order of `xs`. */
function permute<T>(xs: readonly T[], visit: (p: readonly T[]) => void): void {
  const a = [...xs];
  const c = new Array<number>(a.length).fill(0);
  visit(a);
  let i = 1;
  while (i < a.length) {
    if (c[i]! < i) {
      const j = i % 2 === 0 ? 0 : c[i]!;
      [a[j], a[i]] = [a[i]!, a[j]!];
      visit(a);
      c[i]!++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
}

/** Units moved: those outside the longest run kept in their original relative order. */
export function movedCount(positions: readonly number[]): number {
  const tails: number[] = [];
  for (const p of positions) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = p;
  }
  return positions.length - tails.length;
}

function countStraddles(r: RecordType, l: Layout, cacheline: number): number {
  let n = 0;
  r.members.forEach((m, i) => {
    if (m.bitSize !== undefined || m.size === 0 || cacheline <= 0) return;
    const off = l.offsets[i]! / 8;
    if (Math.floor(off / cacheline) !== Math.floor((off + m.size - 1) / cacheline)) n++;
  });
  return n;
}

/** Cachelines from the first line a set of members touches to the last. */
function linesSpanned(
  r: RecordType,
  idx: readonly number[],
  bitOffset: (i: number) => number,
  cacheline: number,
): number {
  if (!idx.length) return 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const i of idx) {
    const m = r.members[i]!;
    const start = Math.floor(bitOffset(i) / 8);
    const end =
      m.bitSize !== undefined ? Math.floor((bitOffset(i) + m.bitSize - 1) / 8) : start + Math.max(1, m.size) - 1;
    lo = Math.min(lo, Math.floor(start / cacheline));
    hi = Math.max(hi, Math.floor(end / cacheline));
  }
  return hi - lo + 1;
}
