// What a DWARF reading shares among its units: the LEB128 cursor, abbreviation tables (each kind
// read once, shared among the tables), and the string sections' memo. dwarf-forms.ts reads the
// attribute values of a unit's DIEs.

import type { ByteReader } from './reader.js';
import { DW_AT, DW_FORM } from './dwarf-const.js';

/** An attribute of an abbreviation: its name, its form, and an implicit_const's value. */
export interface AttrSpec {
  readonly name: number;
  readonly form: number;
  readonly implicit: number | undefined;
}

export interface Abbrev {
  /** Its place in DwarfSections.allAbbrevs. */
  readonly id: number;
  readonly tag: number;
  readonly children: boolean;
  readonly attrs: readonly AttrSpec[];
  /** Has DW_AT_str_offsets_base (a unit DIE), read while scanning. */
  readonly strOffsetsBase: boolean;
  /** The bytes of all attribute values when every form has a fixed size (most DIEs: names, types,
   *  lines as strp, ref4, data1...), so that a DIE is stepped over in one addition; -1 when some
   *  form's size varies; computed for `fixedFor` (offset size * 256 + address size), 0 before. */
  fixed: number;
  fixedFor: number;
  /** When `fixed` is -1: how to step over the values, as [bytes, form, bytes, form, ..., bytes],
   *  the fixed-size runs summed between the forms whose size varies (set with `fixed`). */
  plan: Int32Array | undefined;
  /** For the scan (dwarf.ts): what its tag is to it, set with `fixed`. */
  scan: number;
  /** Each attribute value's offset from the first when the forms before it have fixed sizes, else
   *  -1 (set with `fixed`). */
  at: Int32Array | undefined;
  /** Which attribute (its index) has each name below SLOTS, -1 for none (set with `fixed`). */
  slot: Int8Array | undefined;
}

/** Attribute names Abbrev.slot covers: the standard ones to DW_AT_alignment (0x88). */
export const SLOTS = 0x90;

/** A unit's abbreviations by code: an array for the codes compilers write (1, 2, 3...), a map for
 *  any far beyond. */
export class AbbrevTable {
  /** By code, for the codes below its length (read by the scan directly). */
  readonly dense: (Abbrev | undefined)[] = [];
  private sparse: Map<number, Abbrev> | undefined;
  get(code: number): Abbrev | undefined {
    return code < this.dense.length ? this.dense[code] : this.sparse?.get(code);
  }
  set(code: number, ab: Abbrev): void {
    const d = this.dense;
    if (code < d.length) {
      d[code] = ab;
      return;
    }
    if (code <= d.length + 64 && this.sparse === undefined) {
      while (d.length < code) d.push(undefined);
      d.push(ab);
      return;
    }
    (this.sparse ??= new Map()).set(code, ab);
  }
}

/** A LEB128 cursor: each read advances `pos` past the number. */
export class Leb {
  constructor(
    private readonly r: ByteReader,
    public pos: number,
  ) {}
  /** Unsigned; the common one-byte case without a loop. */
  u(): number {
    const r = this.r;
    const b = r.u8(this.pos);
    if (b < 0x80) {
      this.pos++;
      return b;
    }
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      const c = r.u8(this.pos++);
      result += (c & 0x7f) * 2 ** shift;
      shift += 7;
      if ((c & 0x80) === 0) return result;
    }
    throw r.fail('LEB128 value too long', this.pos);
  }
  s(): number {
    let result = 0;
    let shift = 0;
    let b = 0;
    for (let i = 0; i < 10; i++) {
      b = this.r.u8(this.pos++);
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    if (b & 0x40) result -= 2 ** shift;
    return result;
  }
}

/** The sections a DWARF reading shares: readers, and the caches of abbreviation tables and strings
 *  (a unit's names repeat in every unit) that live as long as one reading. */
export class DwarfSections {
  private readonly abbrevTables = new Map<number, AbbrevTable>();
  /** Every abbreviation read, by its id (DieStore keeps ids, not objects). */
  readonly allAbbrevs: Abbrev[] = [];
  /** One object per distinct (name, form) attribute spec: a libc's 2,000 tables hold 300,000
   *  specs of a few hundred kinds, and that many live objects made every young-generation
   *  collection copy them. */
  private readonly specs = new Map<number, AttrSpec>();
  private readonly strs = new Map<ByteReader, Map<number, string>>();
  /** .debug_str's strings by offset (strAt's memo; read directly by Unit.readForm). */
  readonly strMemo: (string | undefined)[];
  /** Abbreviations by the hash of their content (abbrevs() shares one among tables). */
  private readonly interned = new Map<number, Abbrev[]>();
  /** abbrevs()' scratch: the specs of the abbreviation being read. */
  private readonly raw: number[] = [];
  constructor(
    readonly info: ByteReader,
    readonly abbrev: ByteReader,
    readonly str?: ByteReader,
    readonly lineStr?: ByteReader,
    readonly strOffsets?: ByteReader,
  ) {
    // (Filled, so that the array stays one of elements, not a dictionary.)
    this.strMemo = new Array<string | undefined>(Math.min(str?.length ?? 0, 1 << 24)).fill(undefined);
  }

  /** The abbreviation table at `off` of .debug_abbrev (read once: units share tables). */
  abbrevs(off: number): AbbrevTable {
    const hit = this.abbrevTables.get(off);
    if (hit) return hit;
    const out = new AbbrevTable();
    const c = new Leb(this.abbrev, off);
    const raw = this.raw;
    for (let n = 0; n < 1_000_000; n++) {
      const code = c.u();
      if (code === 0) break;
      const tag = c.u();
      const children = this.abbrev.u8(c.pos++) === 1;
      // The specs as (name, form, implicit value) triples, hashed as they are read.
      let len = 0;
      let h = Math.imul(tag, 0x9e3779b1) ^ (children ? 1 : 0);
      for (;;) {
        const name = c.u();
        const form = c.u();
        if (name === 0 && form === 0) break;
        const implicit = form === DW_FORM.implicit_const ? c.s() : 0;
        raw[len++] = name;
        raw[len++] = form;
        raw[len++] = implicit;
        h = Math.imul(h ^ name, 0x01000193) ^ Math.imul(form, 0x85ebca6b) ^ (implicit | 0);
      }
      out.set(code, this.intern(h, tag, children, len));
    }
    this.abbrevTables.set(off, out);
    return out;
  }

  /** The abbreviation of `tag`, `children` and the first `len` entries of `raw`: one object for
   *  all alike (a libc's 2,000 tables hold 67,000 abbreviations of a few thousand kinds). */
  private intern(h: number, tag: number, children: boolean, len: number): Abbrev {
    const raw = this.raw;
    const list = this.interned.get(h);
    if (list) {
      for (const ab of list) {
        if (ab.tag !== tag || ab.children !== children || ab.attrs.length * 3 !== len) continue;
        let k = 0;
        for (const a of ab.attrs) {
          if (a.name !== raw[k] || a.form !== raw[k + 1] || (a.implicit ?? 0) !== raw[k + 2]) break;
          k += 3;
        }
        if (k === len) return ab;
      }
    }
    const attrs: AttrSpec[] = [];
    let strOffsetsBase = false;
    for (let k = 0; k < len; k += 3) {
      const name = raw[k]!;
      const form = raw[k + 1]!;
      if (name === DW_AT.str_offsets_base) strOffsetsBase = true;
      if (form === DW_FORM.implicit_const) {
        attrs.push({ name, form, implicit: raw[k + 2]! });
        continue;
      }
      // (Attribute names and forms are below 2^16 but for vendor ranges: those are not shared.)
      const key = name < 0x10000 && form < 0x10000 ? name * 0x10000 + form : -1;
      let spec = key >= 0 ? this.specs.get(key) : undefined;
      if (!spec) {
        spec = { name, form, implicit: undefined };
        if (key >= 0) this.specs.set(key, spec);
      }
      attrs.push(spec);
    }
    const ab: Abbrev = {
      id: this.allAbbrevs.length,
      tag,
      children,
      attrs,
      strOffsetsBase,
      fixed: -1,
      fixedFor: 0,
      plan: undefined,
      scan: 0,
      at: undefined,
      slot: undefined,
    };
    this.allAbbrevs.push(ab);
    if (list) list.push(ab);
    else this.interned.set(h, [ab]);
    return ab;
  }

  /** A string-section entry, decoded once. */
  strAt(r: ByteReader, off: number): string {
    // .debug_str's strings by offset in an array (its offsets are below its size, a few hundred KB).
    if (r === this.str && off >= 0 && off < this.strMemo.length) {
      let s = this.strMemo[off];
      if (s === undefined) this.strMemo[off] = s = r.cstr(off);
      return s;
    }
    let m = this.strs.get(r);
    if (!m) this.strs.set(r, (m = new Map()));
    let s = m.get(off);
    if (s === undefined) m.set(off, (s = r.cstr(off)));
    return s;
  }
}
