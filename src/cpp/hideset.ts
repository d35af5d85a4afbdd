// Prosser's hidesets: the macro names a token may no longer be expanded by. Almost every hideset
// holds a few names, kept as a small array shared between the tokens of an expansion. A chain of
// macros that each expand to the next (`#define M1 M2`, thousands deep) makes hidesets that grow a
// name per level: copying them would cost the square of the chain's length, so past SMALL names a
// hideset is a version of a growing table that the next level extends in place (BigHideset).

/** A hideset: a small array of names (unsorted, not interned), or a BigHideset. */
export type Hideset = readonly string[] | BigHideset;

export const EMPTY_HS: Hideset = [];

/** Past this many names a hideset is a BigHideset. */
const SMALL = 32;
/** A BigHideset's chain of tables is flattened into one past this length. */
const MAX_LINKS = 32;

/** Names in insertion order; a version of it is its first `size` names. */
class NameTable {
  readonly index = new Map<string, number>();
  readonly names: string[] = [];
  push(name: string): void {
    this.index.set(name, this.names.length);
    this.names.push(name);
  }
}

/** The first `size` names of a table, and the names of `parent`. Extending the table's latest
 *  version adds to it in place; extending an older version starts a new table linked to it, so no
 *  names are copied until a chain of links grows past MAX_LINKS. */
export class BigHideset {
  constructor(
    readonly table: NameTable,
    readonly size: number,
    readonly parent: BigHideset | undefined,
    /** Names in this hideset. */
    readonly count: number,
    /** Tables on the chain from here. */
    readonly links: number,
  ) {}
  has(name: string): boolean {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walks the parent chain without recursion
    for (let h: BigHideset | undefined = this; h !== undefined; h = h.parent) {
      const k = h.table.index.get(name);
      if (k !== undefined && k < h.size) return true;
    }
    return false;
  }
  *[Symbol.iterator](): Iterator<string> {
    yield* this.names();
  }
  names(): string[] {
    const out = this.parent ? this.parent.names() : [];
    for (let k = 0; k < this.size; k++) out.push(this.table.names[k]!);
    return out;
  }
}

/** Hideset operations, with a count of the names copied into big hidesets (the preprocessor charges
 *  it to its expansion budget, so that no input makes hidesets its main cost; a small one's copy is
 *  bounded by the tokens made). */
export class Hidesets {
  /** Names copied into new big hidesets so far. */
  copied = 0;
  private readonly unionMemo = new WeakMap<readonly string[], WeakMap<readonly string[], Hideset>>();
  private readonly addMemo = new WeakMap<readonly string[], Map<string, Hideset>>();
  private readonly singles = new Map<string, readonly string[]>();

  has(h: Hideset | undefined, name: string): boolean {
    if (h === undefined) return false;
    return h instanceof BigHideset ? h.has(name) : h.includes(name);
  }

  /** h ∪ {name}. */
  add(h: Hideset | undefined, name: string): Hideset {
    if (h instanceof BigHideset) {
      if (h.has(name)) return h;
      const t = h.table;
      if (h.size === t.names.length) {
        t.push(name);
        return new BigHideset(t, t.names.length, h.parent, h.count + 1, h.links);
      }
      if (h.links >= MAX_LINKS) return this.big(h.names(), name);
      const n = new NameTable();
      n.push(name);
      return new BigHideset(n, 1, h, h.count + 1, h.links + 1);
    }
    if (h === undefined || h.length === 0) {
      let r = this.singles.get(name);
      if (r === undefined) this.singles.set(name, (r = [name]));
      return r;
    }
    // The same hideset is extended by the same name for every use of a macro inside one expansion:
    // one array for them all (a doubling chain's millions of tokens share a few hidesets).
    let m = this.addMemo.get(h);
    if (m === undefined) this.addMemo.set(h, (m = new Map()));
    let r = m.get(name);
    if (r === undefined) m.set(name, (r = h.includes(name) ? h : h.length >= SMALL ? this.big(h, name) : [...h, name]));
    return r;
  }

  /** a ∪ b. */
  union(a: Hideset | undefined, b: Hideset | undefined): Hideset {
    if (a === undefined || sizeOf(a) === 0) return b ?? EMPTY_HS;
    if (b === undefined || sizeOf(b) === 0 || a === b) return a;
    if (a instanceof BigHideset || b instanceof BigHideset) {
      // Two versions of one table (and parent): the longer holds the shorter.
      if (a instanceof BigHideset && b instanceof BigHideset && a.table === b.table && a.parent === b.parent)
        return a.size >= b.size ? a : b;
      const [small, larger] = sizeOf(a) <= sizeOf(b) ? [a, b] : [b, a];
      let large = larger;
      for (const n of namesOf(small)) large = this.add(large, n);
      return large;
    }
    // Small arrays: the same pair recurs for every token of an expansion.
    let m = this.unionMemo.get(a);
    if (!m) this.unionMemo.set(a, (m = new WeakMap()));
    const hit = m.get(b);
    if (hit) return hit;
    let out: Hideset = a;
    for (const x of b) out = this.add(out, x);
    m.set(b, out);
    return out;
  }

  /** a ∩ b. */
  intersect(a: Hideset | undefined, b: Hideset | undefined): Hideset {
    if (a === undefined || b === undefined || sizeOf(a) === 0 || sizeOf(b) === 0) return EMPTY_HS;
    if (a === b) return a;
    if (a instanceof BigHideset && b instanceof BigHideset && a.table === b.table && a.parent === b.parent)
      return a.size <= b.size ? a : b;
    const [small, large] = sizeOf(a) <= sizeOf(b) ? [a, b] : [b, a];
    let out: Hideset = EMPTY_HS;
    for (const n of namesOf(small)) if (this.has(large, n)) out = this.add(out, n);
    return out;
  }

  /** A new table holding `names` and `name`. */
  private big(names: readonly string[], name: string): BigHideset {
    const t = new NameTable();
    for (const n of names) t.push(n);
    t.push(name);
    this.copied += t.names.length;
    return new BigHideset(t, t.names.length, undefined, t.names.length, 1);
  }
}

export function sizeOf(h: Hideset): number {
  return h instanceof BigHideset ? h.count : h.length;
}

export function namesOf(h: Hideset): readonly string[] {
  return h instanceof BigHideset ? h.names() : h;
}
