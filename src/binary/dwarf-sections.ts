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
  /** Abbreviations by their bytes in .debug_abbrev: where those are and how many (by span
   *  number), and a table of span numbers + 1 by the bytes' hash (open addressing; 0 is free).
   *  Sized for a large library's few thousand distinct abbreviations: each time these fields are
   *  replaced by grown arrays, the optimised abbrevs() that read them is thrown away. */
  private spanOff = new Int32Array(4096);
  private spanLen = new Int32Array(4096);
  private readonly spanAbbrev: Abbrev[] = [];
  private spanSlots = new Int32Array(16384);
  /** spanEnd's second result. */
  private spanHash = 0;
  /** readAbbrev()'s scratch: the specs of the abbreviation being read. */
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

  /** The abbreviation table at `off` of .debug_abbrev (read once: units share tables). An
   *  abbreviation whose bytes (tag to the closing pair) were met before is the one read from them;
   *  others are read by readAbbrev. */
  abbrevs(off: number): AbbrevTable {
    const hit = this.abbrevTables.get(off);
    if (hit) return hit;
    const out = new AbbrevTable();
    const bytes = this.abbrev.bytes;
    const end = bytes.length;
    let p = off;
    for (let n = 0; n < 1_000_000; n++) {
      let code = bytes[p] ?? 0x80;
      if (code < 0x80) p++;
      else {
        const c = new Leb(this.abbrev, p);
        code = c.u();
        p = c.pos;
      }
      if (code === 0) break;
      const start = p;
      const q = this.spanEnd(bytes, p);
      let ab: Abbrev | undefined;
      if (q <= end) {
        const h = this.spanHash;
        const len = q - start;
        // Open addressing in typed arrays: slot -> span number + 1, 0 for none.
        const slots = this.spanSlots;
        const mask = slots.length - 1;
        let i = (h ^ (h >>> 15)) & mask;
        for (let sn = slots[i]!; sn !== 0; i = (i + 1) & mask, sn = slots[i]!) {
          if (this.spanLen[sn - 1] !== len) continue;
          const o = this.spanOff[sn - 1]!;
          let k = 0;
          while (k < len && bytes[o + k] === bytes[start + k]) k++;
          if (k === len) {
            ab = this.spanAbbrev[sn - 1];
            break;
          }
        }
        if (!ab) {
          ab = this.readAbbrev(new Leb(this.abbrev, start));
          this.addSpan(i, start, len, ab);
        }
        p = q;
      } else {
        // (Truncated: the reading says where.)
        const c = new Leb(this.abbrev, start);
        ab = this.readAbbrev(c);
        p = c.pos;
      }
      out.set(code, ab);
    }
    this.abbrevTables.set(off, out);
    return out;
  }

  /** Where the abbreviation whose tag is at `p` ends (past its closing pair of zeros), found on the
   *  bytes themselves, and their hash in `spanHash`; past `bytes`' length when they end first. */
  private spanEnd(bytes: Uint8Array, p: number): number {
    const end = bytes.length;
    let h = 0x811c9dc5;
    let b: number;
    do {
      b = bytes[p++] ?? 0; // the tag
      h = Math.imul(h ^ b, 0x01000193);
    } while (b >= 0x80);
    h = Math.imul(h ^ (bytes[p++] ?? 0), 0x01000193); // the children byte
    while (p < end) {
      let name = (b = bytes[p++]!);
      h = Math.imul(h ^ b, 0x01000193);
      if (b >= 0x80) {
        name &= 0x7f;
        for (let s = 7; b >= 0x80 && s < 70; s += 7) {
          b = bytes[p++] ?? 0;
          h = Math.imul(h ^ b, 0x01000193);
          name += (b & 0x7f) * 2 ** s;
        }
      }
      let form = (b = bytes[p++] ?? 0x80);
      h = Math.imul(h ^ b, 0x01000193);
      if (b >= 0x80) {
        form &= 0x7f;
        for (let s = 7; b >= 0x80 && s < 70; s += 7) {
          b = bytes[p++] ?? 0;
          h = Math.imul(h ^ b, 0x01000193);
          form += (b & 0x7f) * 2 ** s;
        }
      }
      if (name === 0 && form === 0) {
        this.spanHash = h;
        return p;
      }
      if (form === DW_FORM.implicit_const) {
        do {
          b = bytes[p++] ?? 0;
          h = Math.imul(h ^ b, 0x01000193);
        } while (b >= 0x80);
      }
    }
    return end + 1;
  }

  /** A span of bytes read as `ab`, at the free slot `i` of its hash. */
  private addSpan(i: number, off: number, len: number, ab: Abbrev): void {
    const n = this.spanAbbrev.length;
    if (n === this.spanOff.length) {
      const o = new Int32Array(n * 2);
      o.set(this.spanOff);
      this.spanOff = o;
      const l = new Int32Array(n * 2);
      l.set(this.spanLen);
      this.spanLen = l;
    }
    this.spanOff[n] = off;
    this.spanLen[n] = len;
    this.spanAbbrev.push(ab);
    this.spanSlots[i] = n + 1;
    if ((n + 1) * 2 > this.spanSlots.length) this.rehashSpans();
  }

  /** The slot table doubled (kept at most half full), the spans placed anew by their hashes. */
  private rehashSpans(): void {
    const slots = new Int32Array(this.spanSlots.length * 2);
    const mask = slots.length - 1;
    const bytes = this.abbrev.bytes;
    for (let n = 0; n < this.spanAbbrev.length; n++) {
      this.spanEnd(bytes, this.spanOff[n]!);
      const h = this.spanHash;
      let i = (h ^ (h >>> 15)) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = n + 1;
    }
    this.spanSlots = slots;
  }

  /** The abbreviation whose tag `c` is at, read and shared with those alike; `c` ends past it. */
  private readAbbrev(c: Leb): Abbrev {
    const raw = this.raw;
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
    return this.intern(h, tag, children, len);
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
