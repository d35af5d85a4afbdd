// A stored DIE's attributes as the DWARF model reads them: decoded one at a time where they sit
// (DirectAttrs), or all at once into a Die object (LazyDie).

import type { AttrValue } from './dwarf-forms.js';
import { SLOTS } from './dwarf-sections.js';
import type { DieStore } from './dwarf.js';

export interface AttrSource {
  get(name: number): AttrValue | undefined;
}

/** A DIE's attributes: name/value pairs in a flat array (DIEs have a handful; a Map each cost more
 *  than the rest of the DIE). */
export class Attrs implements AttrSource {
  constructor(private readonly kv: (number | AttrValue)[]) {}
  get(name: number): AttrValue | undefined {
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) if (kv[i] === name) return kv[i + 1] as AttrValue;
    return undefined;
  }
  has(name: number): boolean {
    return this.get(name) !== undefined;
  }
}

export interface Die {
  readonly offset: number;
  readonly index: number;
  readonly tag: number;
  readonly attrs: Attrs;
  readonly children: Die[];
}

export const numOf = (v: AttrValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);

/** One attribute of a stored DIE, decoded where it sits (the others are stepped over): for reading a
 *  few attributes of many DIEs without an object each. at() retargets it, so use it at once. Where
 *  the attributes stepped over start is kept while the DIE stays the same (a member's name and its
 *  four or five position attributes are read one after another). */
export class DirectAttrs implements AttrSource {
  private i = 0;
  /** The DIE whose attribute positions `pos` holds, and how many of them are known. */
  private walked = -1;
  private known = 0;
  private pos = new Int32Array(32);
  constructor(private readonly s: DieStore) {}
  at(i: number): this {
    this.i = i;
    return this;
  }
  get(name: number): AttrValue | undefined {
    const s = this.s;
    const i = this.i;
    const ab = s.abbrevs[s.abbrevId[i]!]!; // (s.abbrev(i), inline)
    const attrs = ab.attrs;
    const u = s.units[s.unit[i]!]!;
    const at = ab.at;
    if (at && ab.fixedFor === u.sizes) {
      // Where the forms before it have fixed sizes, an attribute is at a known offset.
      let k = 0;
      if (name < SLOTS && ab.slot) {
        k = ab.slot[name]!;
        if (k < 0) return undefined;
      } else {
        while (k < attrs.length && attrs[k]!.name !== name) k++;
        if (k === attrs.length) return undefined;
      }
      const a = attrs[k]!;
      if (at[k]! >= 0) return u.readForm(a.form, s.attrPos[i]! + at[k]!, a.implicit);
    }
    if (this.walked !== i) {
      this.walked = i;
      this.known = 0;
      if (this.pos.length < attrs.length + 1) this.pos = new Int32Array(attrs.length + 1);
      this.pos[0] = s.attrPos[i]!;
    }
    const pos = this.pos;
    for (let k = 0; k < this.known; k++)
      if (attrs[k]!.name === name) return u.readForm(attrs[k]!.form, pos[k]!, attrs[k]!.implicit);
    for (let k = this.known; k < attrs.length; k++) {
      const a = attrs[k]!;
      if (a.name === name) return u.readForm(a.form, pos[k]!, a.implicit);
      pos[k + 1] = u.skipForm(a.form, pos[k]!);
      this.known = k + 1;
    }
    return undefined;
  }

  /** The .debug_info offset a reference attribute names, or -1 when the DIE has no such attribute
   *  or it is not a reference (get() without the `{ ref }` object: a typedef's type is read so for
   *  every typedef). */
  refOf(name: number): number {
    const s = this.s;
    const i = this.i;
    const ab = s.abbrevs[s.abbrevId[i]!]!;
    const u = s.units[s.unit[i]!]!;
    const at = ab.at;
    if (at && ab.fixedFor === u.sizes && name < SLOTS && ab.slot) {
      const k = ab.slot[name]!;
      if (k < 0) return -1;
      if (at[k]! >= 0) return u.refAt(ab.attrs[k]!.form, s.attrPos[i]! + at[k]!);
    }
    const v = this.get(name);
    return v && typeof v === 'object' && 'ref' in v ? v.ref : -1;
  }
}

/** A DIE the model reads: its attributes are decoded on first use. */
export class LazyDie implements Die {
  private decoded: Attrs | undefined;
  private kids: Die[] | undefined;
  constructor(
    private readonly m: { dieAt(i: number): Die },
    private readonly s: DieStore,
    readonly index: number,
  ) {}
  get offset(): number {
    return this.s.offs[this.index]!;
  }
  get tag(): number {
    return this.s.tag[this.index]!;
  }
  get attrs(): Attrs {
    if (this.decoded) return this.decoded;
    const ab = this.s.abbrev(this.index);
    const u = this.s.units[this.s.unit[this.index]!]!;
    let q = this.s.attrPos[this.index]!;
    const kv: (number | AttrValue)[] = [];
    for (const a of ab.attrs) {
      kv.push(a.name, u.readForm(a.form, q, a.implicit));
      q = u.end;
    }
    return (this.decoded = new Attrs(kv));
  }
  get children(): Die[] {
    if (this.kids) return this.kids;
    const out: Die[] = [];
    for (let c = this.s.firstChild[this.index]!; c >= 0; c = this.s.nextSibling[c]!) out.push(this.m.dieAt(c));
    return (this.kids = out);
  }
}
