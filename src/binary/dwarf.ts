// DWARF 2-5 (.debug_info, .debug_abbrev, .debug_str, .debug_line_str, .debug_str_offsets) → model
// Records. Reads every attribute form, member locations as constants or DW_OP_plus_uconst
// expressions, bitfields in both encodings (DW_AT_bit_offset big/little-endian, DW_AT_data_bit_offset),
// DW_AT_alignment; types shared across compilation units are deduplicated by name and layout.
// Reference: the DWARF 5 standard, sections 2.2 (attributes), 5.7 (structures), 7.5 (encodings).

import type { Member, Qualifier, RecordType, TypeRef } from '../model/model.js';
import { BinaryError, ByteReader } from './reader.js';

export interface DwarfSections {
  readonly info: Uint8Array;
  readonly abbrev: Uint8Array;
  readonly str?: Uint8Array;
  readonly lineStr?: Uint8Array;
  readonly strOffsets?: Uint8Array;
  readonly little: boolean;
  readonly addressSize: number;
}

interface Abbrev {
  readonly tag: number;
  readonly children: boolean;
  readonly attrs: readonly { name: number; form: number; implicit?: number }[];
  /** Has DW_AT_str_offsets_base (a unit DIE), read while scanning. */
  readonly strOffsetsBase: boolean;
  /** The bytes of all attribute values when every form has a fixed size (most DIEs: names, types,
   *  lines as strp, ref4, data1...), so that a DIE is stepped over in one addition; -1 when some
   *  form's size varies; computed for `fixedFor` (offset size * 256 + address size), 0 before. */
  fixed: number;
  fixedFor: number;
}

/** A DIE's attributes: name/value pairs in a flat array (DIEs have a handful; a Map each cost more
 *  than the rest of the DIE). */
class Attrs implements AttrSource {
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
interface Die {
  readonly offset: number;
  readonly tag: number;
  readonly attrs: Attrs;
  readonly children: Die[];
}

type AttrValue = number | string | Uint8Array | { ref: number } | { sig: bigint };

const TAG = {
  array_type: 0x01, enumeration_type: 0x04, member: 0x0d, pointer_type: 0x0f, compile_unit: 0x11, structure_type: 0x13,
  subroutine_type: 0x15, typedef: 0x16, union_type: 0x17, unspecified_parameters: 0x18, formal_parameter: 0x05, subrange_type: 0x21,
  base_type: 0x24, const_type: 0x26, volatile_type: 0x35, restrict_type: 0x37, atomic_type: 0x47, type_unit: 0x41,
} as const;
/** Tags that never describe a type (and whose subtrees hold types only as local definitions). */
const SKIP_TAGS = new Set([
  0x2e /* subprogram */, 0x34 /* variable */, 0x0b /* lexical_block */, 0x1d /* inlined_subroutine */, 0x0a /* label */,
  0x48 /* call_site */, 0x49 /* call_site_parameter */, 0x4109 /* GNU_call_site */, 0x410a /* GNU_call_site_parameter */,
  0x28 /* enumerator */, 0x08 /* imported_declaration */, 0x3a /* imported_module */, 0x27 /* constant */,
]);
/** Tags kept even inside a skipped subtree: type definitions (a struct declared in a function). */
const TYPE_TAGS = new Set([
  0x13, 0x17, 0x02 /* class */, 0x04, 0x16, 0x24, 0x0f, 0x01, 0x26, 0x35, 0x37, 0x47, 0x15, 0x10 /* reference */, 0x3b /* unspecified_type */,
]);
const AT = {
  name: 0x03, byte_size: 0x0b, bit_offset: 0x0c, bit_size: 0x0d, data_member_location: 0x38, type: 0x49, upper_bound: 0x2f, count: 0x37,
  declaration: 0x3c, data_bit_offset: 0x6b, alignment: 0x88, decl_file: 0x3a, decl_line: 0x3b, str_offsets_base: 0x72,
} as const;

/** Reads every named struct and union (and typedef'd anonymous ones) of all compilation units. */
export function dwarfRecords(sec: DwarfSections): RecordType[] {
  const info = new ByteReader(sec.info, sec.little);
  const abbrevR = new ByteReader(sec.abbrev, sec.little);
  const strR = sec.str ? new ByteReader(sec.str, sec.little) : undefined;
  const lineStrR = sec.lineStr ? new ByteReader(sec.lineStr, sec.little) : undefined;
  const strOffR = sec.strOffsets ? new ByteReader(sec.strOffsets, sec.little) : undefined;
  const store = new DieStore(Math.max(1024, sec.info.length >> 4));
  let p = 0;
  let units = 0;
  while (p < info.length) {
    if (++units > 1_000_000) throw new BinaryError('too many compilation units', p);
    const unitStart = p;
    let len = info.u32(p);
    let off = 4;
    let is64 = false;
    if (len === 0xffffffff) {
      len = info.u64(p + 4);
      off = 12;
      is64 = true;
    }
    const end = p + off + len;
    info.check(p, off + len, 'compilation unit');
    const version = info.u16(p + off);
    let q = p + off + 2;
    let abbrevOff: number;
    let addrSize: number;
    if (version < 2 || version > 5) throw new BinaryError(`unsupported DWARF version ${version}`, p + off);
    if (version >= 5) {
      const unitType = info.u8(q);
      addrSize = info.u8(q + 1);
      abbrevOff = is64 ? info.u64(q + 2) : info.u32(q + 2);
      q += 2 + (is64 ? 8 : 4);
      if (unitType === 2 /* type */ || unitType === 6 /* split_type */) q += 8 + (is64 ? 8 : 4);
      else if (unitType === 4 || unitType === 5) q += 8; // skeleton / split_compile: dwo_id
    } else {
      abbrevOff = is64 ? info.u64(q) : info.u32(q);
      q += is64 ? 8 : 4;
      addrSize = info.u8(q);
      q += 1;
    }
    const abbrevs = readAbbrevs(abbrevR, abbrevOff);
    const ctx: UnitCtx = { unitStart, version, is64, addrSize, strOffBase: 8, info, strR, lineStrR, strOffR };
    const sizes = (is64 ? 8 : 4) * 256 + addrSize;
    const unit = store.units.push(ctx) - 1;
    // The stack of open DIEs: kept ones by index, skipped ones (a function, variable, block...) as
    // -1: their attributes are stepped over without being decoded, and of their children only type
    // definitions are kept.
    const stack: number[] = [];
    while (q < end) {
      const dieOff = q;
      let codeValue = info.u8(q);
      if (codeValue < 0x80) q++;
      else {
        const code = uleb(info, q);
        q = code.next;
        codeValue = code.value;
      }
      if (codeValue === 0) {
        stack.pop();
        continue;
      }
      const ab = abbrevs.get(codeValue);
      if (!ab) throw new BinaryError(`unknown abbreviation code ${codeValue}`, dieOff);
      const parent = stack.length ? stack[stack.length - 1]! : -2; // -2: none (a unit's root)
      if (ab.fixedFor !== sizes) fixAbbrev(ab, ctx, sizes);
      if (parent === -1 ? !TYPE_TAGS.has(ab.tag) : SKIP_TAGS.has(ab.tag)) {
        if (ab.fixed >= 0) q += ab.fixed;
        else for (const a of ab.attrs) q = skipForm(ctx, a.form, q);
        if (ab.children) stack.push(-1);
        continue;
      }
      const idx = store.add(dieOff, q, ab, unit, parent >= 0 ? parent : -1);
      if (ab.strOffsetsBase) {
        // DWARF 5: the unit's base for DW_FORM_strx, needed before any string is read.
        for (const a of ab.attrs) {
          if (a.name === AT.str_offsets_base) {
            const v = readForm(ctx, a.form, q, a.implicit);
            if (typeof v === 'number') ctx.strOffBase = v;
          }
          q = skipForm(ctx, a.form, q);
        }
      } else if (ab.fixed >= 0) q += ab.fixed;
      else for (const a of ab.attrs) q = skipForm(ctx, a.form, q);
      if (ab.children) stack.push(idx);
    }
    p = end;
  }
  return new DwarfModel(store, sec.addressSize, sec.little).records();
}

/** The DIEs kept from .debug_info, as parallel arrays in document order (no object per DIE): where
 *  each starts and its attributes start, its abbreviation, unit and children. The model turns
 *  the few it reads into Die objects, decoding their attributes then. */
class DieStore {
  count = 0;
  offs: Uint32Array;
  attrPos: Uint32Array;
  unit: Int32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  private lastChild: Int32Array;
  readonly abbrev: Abbrev[] = [];
  readonly units: UnitCtx[] = [];

  constructor(capacity: number) {
    this.offs = new Uint32Array(capacity);
    this.attrPos = new Uint32Array(capacity);
    this.unit = new Int32Array(capacity);
    this.firstChild = new Int32Array(capacity);
    this.nextSibling = new Int32Array(capacity);
    this.lastChild = new Int32Array(capacity);
  }

  add(off: number, attrPos: number, ab: Abbrev, unit: number, parent: number): number {
    if (this.count === this.offs.length) this.grow();
    const i = this.count++;
    this.offs[i] = off;
    this.attrPos[i] = attrPos;
    this.abbrev.push(ab);
    this.unit[i] = unit;
    this.firstChild[i] = -1;
    this.nextSibling[i] = -1;
    this.lastChild[i] = -1;
    if (parent >= 0) {
      const last = this.lastChild[parent]!;
      if (last < 0) this.firstChild[parent] = i;
      else this.nextSibling[last] = i;
      this.lastChild[parent] = i;
    }
    return i;
  }

  private grow(): void {
    const n = this.offs.length * 2;
    const g = <T extends Uint32Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(n);
      b.set(a);
      return b;
    };
    this.offs = g(this.offs);
    this.attrPos = g(this.attrPos);
    this.unit = g(this.unit);
    this.firstChild = g(this.firstChild);
    this.nextSibling = g(this.nextSibling);
    this.lastChild = g(this.lastChild);
  }

  /** The index of the DIE at .debug_info offset `off` (offsets ascend), or -1. */
  find(off: number): number {
    let lo = 0;
    let hi = this.count - 1;
    const offs = this.offs;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = offs[mid]!;
      if (v === off) return mid;
      if (v < off) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

interface AttrSource {
  get(name: number): AttrValue | undefined;
}

const numOf = (v: AttrValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);

/** One attribute of a stored DIE, decoded where it sits (the others are stepped over): for reading a
 *  few attributes of many DIEs without an object each. at() retargets it, so use it at once. */
class DirectAttrs implements AttrSource {
  private i = 0;
  constructor(private readonly s: DieStore) {}
  at(i: number): this {
    this.i = i;
    return this;
  }
  get(name: number): AttrValue | undefined {
    const s = this.s;
    const ab = s.abbrev[this.i]!;
    const ctx = s.units[s.unit[this.i]!]!;
    let q = s.attrPos[this.i]!;
    for (const a of ab.attrs) {
      if (a.name === name) return readForm(ctx, a.form, q, a.implicit);
      q = skipForm(ctx, a.form, q);
    }
    return undefined;
  }
}

/** A DIE the model reads: its attributes are decoded on first use. */
class LazyDie implements Die {
  private decoded: Attrs | undefined;
  private kids: Die[] | undefined;
  constructor(private readonly m: DwarfModel, private readonly s: DieStore, readonly index: number) {}
  get offset(): number {
    return this.s.offs[this.index]!;
  }
  get tag(): number {
    return this.s.abbrev[this.index]!.tag;
  }
  get attrs(): Attrs {
    if (this.decoded) return this.decoded;
    const ab = this.s.abbrev[this.index]!;
    const ctx = this.s.units[this.s.unit[this.index]!]!;
    let q = this.s.attrPos[this.index]!;
    const kv: (number | AttrValue)[] = [];
    for (const a of ab.attrs) {
      kv.push(a.name, readForm(ctx, a.form, q, a.implicit));
      q = formEnd;
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

interface UnitCtx {
  readonly unitStart: number;
  readonly version: number;
  readonly is64: boolean;
  readonly addrSize: number;
  strOffBase: number;
  readonly info: ByteReader;
  readonly strR?: ByteReader;
  readonly lineStrR?: ByteReader;
  readonly strOffR?: ByteReader;
}

const abbrevCache = new WeakMap<ByteReader, Map<number, Map<number, Abbrev>>>();

function readAbbrevs(r: ByteReader, off: number): Map<number, Abbrev> {
  let perReader = abbrevCache.get(r);
  if (!perReader) abbrevCache.set(r, (perReader = new Map()));
  const hit = perReader.get(off);
  if (hit) return hit;
  const out = new Map<number, Abbrev>();
  let p = off;
  for (let n = 0; n < 1_000_000; n++) {
    const code = ulebAt(r, p);
    p = lebEnd;
    if (code === 0) break;
    const tag = ulebAt(r, p);
    p = lebEnd;
    const children = r.u8(p) === 1;
    p++;
    const attrs: { name: number; form: number; implicit?: number }[] = [];
    for (;;) {
      const name = ulebAt(r, p);
      const form = ulebAt(r, lebEnd);
      p = lebEnd;
      if (name === 0 && form === 0) break;
      let implicit: number | undefined;
      if (form === 0x21) {
        const v = sleb(r, p);
        p = v.next;
        implicit = v.value;
      }
      attrs.push({ name, form, implicit });
    }
    out.set(code, { tag, children, attrs, strOffsetsBase: attrs.some((a) => a.name === AT.str_offsets_base), fixed: -1, fixedFor: 0 });
  }
  perReader.set(off, out);
  return out;
}

/** Where the last ulebAt's number ended. */
let lebEnd = 0;

/** An unsigned LEB128 at p (sets lebEnd): the common one-byte case without a result object. */
function ulebAt(r: ByteReader, p: number): number {
  const b = r.u8(p);
  if (b < 0x80) {
    lebEnd = p + 1;
    return b;
  }
  const v = uleb(r, p);
  lebEnd = v.next;
  return v.value;
}

function uleb(r: ByteReader, p: number): { value: number; next: number } {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 10; i++) {
    const b = r.u8(p++);
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return { value: result, next: p };
  }
  throw new BinaryError('LEB128 value too long', p);
}

function sleb(r: ByteReader, p: number): { value: number; next: number } {
  let result = 0;
  let shift = 0;
  let b = 0;
  for (let i = 0; i < 10; i++) {
    b = r.u8(p++);
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) break;
  }
  if (b & 0x40) result -= 2 ** shift;
  return { value: result, next: p };
}

const strCache = new WeakMap<ByteReader, Map<number, string>>();
/** A string-section entry, decoded once (type and member names repeat in every unit). */
function strAt(r: ByteReader, off: number): string {
  let m = strCache.get(r);
  if (!m) strCache.set(r, (m = new Map()));
  let s = m.get(off);
  if (s === undefined) m.set(off, (s = r.cstr(off)));
  return s;
}

/** Where the last readForm's value ended (a module variable rather than a result object per attribute). */
let formEnd = 0;

/** A section offset (4 or 8 bytes by the unit's format) at q. */
const secOff = (c: UnitCtx, q: number): number => (c.is64 ? c.info.u64(q) : c.info.u32(q));

/** String `i` of the unit's .debug_str_offsets table (DW_FORM_strx*); `p` for the error. */
function strxAt(c: UnitCtx, i: number, p: number): string {
  if (!c.strOffR || !c.strR) throw new BinaryError('DW_FORM_strx without .debug_str_offsets', p);
  const o = c.is64 ? c.strOffR.u64(c.strOffBase + i * 8) : c.strOffR.u32(c.strOffBase + i * 4);
  return strAt(c.strR, o);
}

function readForm(c: UnitCtx, form: number, p: number, implicit?: number): AttrValue {
  const r = c.info;
  const offSize = c.is64 ? 8 : 4;
  switch (form) {
    case 0x01: return ((formEnd = p + c.addrSize), c.addrSize === 8 ? r.u64loose(p) : r.u32(p)); // addr
    case 0x03: { const n = r.u16(p); return ((formEnd = p + 2 + n), r.sub(p + 2, n, 'block2')); }
    case 0x04: { const n = r.u32(p); return ((formEnd = p + 4 + n), r.sub(p + 4, n, 'block4')); }
    case 0x05: return ((formEnd = p + 2), r.u16(p));
    case 0x06: return ((formEnd = p + 4), r.u32(p));
    case 0x07: return ((formEnd = p + 8), r.u64loose(p));
    case 0x08: { const t = r.cstr(p); formEnd = p + t.length + 1; return t; }
    case 0x09: case 0x18: { const n = uleb(r, p); return ((formEnd = n.next + n.value), r.sub(n.next, n.value, 'block')); }
    case 0x0a: { const n = r.u8(p); return ((formEnd = p + 1 + n), r.sub(p + 1, n, 'block1')); }
    case 0x0b: return ((formEnd = p + 1), r.u8(p));
    case 0x0c: return ((formEnd = p + 1), r.u8(p));
    case 0x0d: { const v = sleb(r, p); return ((formEnd = v.next), v.value); }
    case 0x0e: {
      if (!c.strR) throw new BinaryError('DW_FORM_strp without .debug_str', p);
      return ((formEnd = p + offSize), strAt(c.strR, secOff(c, p)));
    }
    case 0x0f: { const v = uleb(r, p); return ((formEnd = v.next), v.value); }
    case 0x10: return ((formEnd = p + offSize), { ref: secOff(c, p) }); // ref_addr
    case 0x11: return ((formEnd = p + 1), { ref: c.unitStart + r.u8(p) });
    case 0x12: return ((formEnd = p + 2), { ref: c.unitStart + r.u16(p) });
    case 0x13: return ((formEnd = p + 4), { ref: c.unitStart + r.u32(p) });
    case 0x14: return ((formEnd = p + 8), { ref: c.unitStart + r.u64(p) });
    case 0x15: { const v = uleb(r, p); return ((formEnd = v.next), { ref: c.unitStart + v.value }); }
    case 0x16: { const f = uleb(r, p); return readForm(c, f.value, f.next); } // indirect
    case 0x17: return ((formEnd = p + offSize), secOff(c, p)); // sec_offset
    case 0x19: return ((formEnd = p), 1); // flag_present
    case 0x1a: { const v = uleb(r, p); return ((formEnd = v.next), strxAt(c, v.value, p)); }
    case 0x1b: { const v = uleb(r, p); return ((formEnd = v.next), v.value); } // addrx
    case 0x1c: return ((formEnd = p + 4), r.u32(p)); // ref_sup4
    case 0x1d: return ((formEnd = p + offSize), secOff(c, p)); // strp_sup (a string elsewhere)
    case 0x1e: return ((formEnd = p + 16), r.sub(p, 16, 'data16'));
    case 0x1f: {
      if (!c.lineStrR) throw new BinaryError('DW_FORM_line_strp without .debug_line_str', p);
      return ((formEnd = p + offSize), strAt(c.lineStrR, secOff(c, p)));
    }
    case 0x20: r.check(p, 8, 'ref_sig8'); return ((formEnd = p + 8), { sig: r.view.getBigUint64(p, r.little) });
    case 0x21: return ((formEnd = p), implicit ?? 0);
    case 0x22: case 0x23: { const v = uleb(r, p); return ((formEnd = v.next), v.value); } // loclistx, rnglistx
    case 0x24: return ((formEnd = p + 8), r.u64(p)); // ref_sup8
    case 0x25: return ((formEnd = p + 1), strxAt(c, r.u8(p), p));
    case 0x26: return ((formEnd = p + 2), strxAt(c, r.u16(p), p));
    case 0x27: return ((formEnd = p + 3), strxAt(c, r.u8(p) | (r.u16(p + 1) << 8), p));
    case 0x28: return ((formEnd = p + 4), strxAt(c, r.u32(p), p));
    case 0x29: return ((formEnd = p + 1), r.u8(p));
    case 0x2a: return ((formEnd = p + 2), r.u16(p));
    case 0x2b: return ((formEnd = p + 3), r.u8(p) | (r.u16(p + 1) << 8));
    case 0x2c: return ((formEnd = p + 4), r.u32(p));
    case 0x1f01: case 0x1f02: { const v = uleb(r, p); return ((formEnd = v.next), v.value); } // GNU_addr_index, GNU_str_index
    case 0x1f20: return ((formEnd = p + offSize), secOff(c, p)); // GNU_ref_alt: a DIE in the dwz file
    case 0x1f21: return ((formEnd = p + offSize), ''); // GNU_strp_alt: a string in the dwz file
    default:
      throw new BinaryError(`unknown DWARF form 0x${form.toString(16)}`, p);
  }
}

/** Sets ab.fixed for a unit's offset and address sizes (`sizes`): the sum of its forms' sizes, or -1
 *  when one has none (a LEB128, a string, a block, an indirect form). */
function fixAbbrev(ab: Abbrev, c: UnitCtx, sizes: number): void {
  let n = 0;
  for (const a of ab.attrs) {
    const k = fixedFormSize(c, a.form);
    if (k < 0) {
      n = -1;
      break;
    }
    n += k;
  }
  ab.fixed = n;
  ab.fixedFor = sizes;
}

/** A form's size when it has one whatever its value (skipForm's fixed cases), else -1. */
function fixedFormSize(c: UnitCtx, form: number): number {
  switch (form) {
    case 0x19: case 0x21: return 0;
    case 0x0b: case 0x0c: case 0x11: case 0x25: case 0x29: return 1;
    case 0x05: case 0x12: case 0x26: case 0x2a: return 2;
    case 0x27: case 0x2b: return 3;
    case 0x06: case 0x13: case 0x1c: case 0x28: case 0x2c: return 4;
    case 0x07: case 0x14: case 0x20: case 0x24: return 8;
    case 0x1e: return 16;
    case 0x01: return c.addrSize;
    case 0x0e: case 0x10: case 0x17: case 0x1d: case 0x1f: case 0x1f20: case 0x1f21: return c.is64 ? 8 : 4;
    default: return -1;
  }
}

/** The position after an attribute value of `form` at p, without decoding it. */
function skipForm(c: UnitCtx, form: number, p: number): number {
  const r = c.info;
  const offSize = c.is64 ? 8 : 4;
  switch (form) {
    case 0x19: case 0x21: return p; // flag_present, implicit_const
    case 0x0b: case 0x0c: case 0x11: case 0x25: case 0x29: return p + 1;
    case 0x05: case 0x12: case 0x26: case 0x2a: return p + 2;
    case 0x27: case 0x2b: return p + 3;
    case 0x06: case 0x13: case 0x1c: case 0x28: case 0x2c: return p + 4;
    case 0x07: case 0x14: case 0x20: case 0x24: return p + 8;
    case 0x1e: return p + 16;
    case 0x01: return p + c.addrSize;
    case 0x0e: case 0x10: case 0x17: case 0x1d: case 0x1f: case 0x1f20: case 0x1f21: return p + offSize;
    case 0x0d: case 0x0f: case 0x15: case 0x1a: case 0x1b: case 0x22: case 0x23: case 0x1f01: case 0x1f02: {
      let q = p;
      while (r.u8(q) & 0x80) q++;
      return q + 1;
    }
    case 0x08: {
      let q = p;
      while (r.u8(q) !== 0) q++;
      return q + 1;
    }
    case 0x0a: return p + 1 + r.u8(p);
    case 0x03: return p + 2 + r.u16(p);
    case 0x04: return p + 4 + r.u32(p);
    case 0x09: case 0x18: { const n = uleb(r, p); return n.next + n.value; }
    case 0x16: { const f = uleb(r, p); return skipForm(c, f.value, f.next); }
    default:
      throw new BinaryError(`unknown DWARF form 0x${form.toString(16)}`, p);
  }
}

class DwarfModel {
  private readonly refs = new Map<number, TypeRef>();
  private readonly recs = new Map<number, RecordType>();
  /** Dedup across compilation units: name + size + member signature → RecordType. */
  private readonly byKey = new Map<string, RecordType>();

  private readonly made: (LazyDie | undefined)[] = [];
  /** Reads single attributes of any stored DIE without decoding the rest. */
  private readonly direct: DirectAttrs;

  constructor(private readonly store: DieStore, private readonly addrSize: number, private readonly little: boolean) {
    this.direct = new DirectAttrs(store);
  }

  /** The Die object for a store index (made once). */
  dieAt(i: number): Die {
    return (this.made[i] ??= new LazyDie(this, this.store, i));
  }

  /** Every named struct and union definition, in document order (a pre-order walk of every unit). */
  records(): RecordType[] {
    const out: RecordType[] = [];
    const seen = new Set<RecordType>();
    const s = this.store;
    for (let i = 0; i < s.count; i++) {
      const tag = s.abbrev[i]!.tag;
      if (tag !== TAG.structure_type && tag !== TAG.union_type) continue;
      const a = this.direct.at(i);
      if (a.get(AT.declaration) !== undefined || typeof a.get(AT.name) !== 'string') continue;
      const r = this.record(this.dieAt(i));
      if (!seen.has(r)) {
        seen.add(r);
        out.push(r);
      }
    }
    return out;
  }

  private die(v: AttrValue | undefined): Die | undefined {
    if (v && typeof v === 'object' && 'ref' in v) {
      const i = this.store.find(v.ref);
      return i >= 0 ? this.dieAt(i) : undefined;
    }
    return undefined;
  }

  private num(d: Die, at: number): number | undefined {
    const v = d.attrs.get(at);
    return typeof v === 'number' ? v : undefined;
  }

  sizeOf(d: Die | undefined, depth = 0): number {
    if (!d || depth > 64) return 0;
    const bs = this.num(d, AT.byte_size);
    if (bs !== undefined) return bs;
    switch (d.tag) {
      case TAG.pointer_type: return this.addrSize;
      case TAG.typedef: case TAG.const_type: case TAG.volatile_type: case TAG.restrict_type: case TAG.atomic_type:
        return this.sizeOf(this.die(d.attrs.get(AT.type)), depth + 1);
      case TAG.array_type: {
        let n = 1;
        for (const c of d.children) if (c.tag === TAG.subrange_type) n *= this.count(c) ?? 0;
        return n * this.sizeOf(this.die(d.attrs.get(AT.type)), depth + 1);
      }
      default: return 0;
    }
  }

  private count(sub: Die): number | null {
    const c = this.num(sub, AT.count);
    if (c !== undefined) return c;
    const ub = this.num(sub, AT.upper_bound);
    if (ub !== undefined) return ub === 0xffffffff || ub === Number.MAX_SAFE_INTEGER ? 0 : ub + 1;
    return null;
  }

  alignOf(d: Die | undefined, depth = 0): number {
    if (!d || depth > 64) return 1;
    const al = this.num(d, AT.alignment);
    if (al !== undefined) return al;
    switch (d.tag) {
      case TAG.base_type: case TAG.enumeration_type: return Math.min(Math.max(this.sizeOf(d), 1), 16);
      case TAG.pointer_type: return this.addrSize;
      case TAG.typedef: case TAG.const_type: case TAG.volatile_type: case TAG.restrict_type: case TAG.atomic_type: case TAG.array_type:
        return this.alignOf(this.die(d.attrs.get(AT.type)), depth + 1);
      case TAG.structure_type: case TAG.union_type: return this.record(d).align;
      default: return 1;
    }
  }

  /** A member's bit offset from its record's start, in either bitfield encoding. */
  private memberBits(m: AttrSource, inUnion: boolean): { bitOffset: number; bitSize?: number } {
    // Every member of a union is at its start. (For a bitfield of a type aligned below its size,
    // gcc's DW_AT_bit_offset counts from a storage unit that starts before the union, which has no
    // DW_AT_data_member_location to say so.)
    if (inUnion) return { bitOffset: 0, bitSize: numOf(m.get(AT.bit_size)) };
    let byteOff = 0;
    const loc = m.get(AT.data_member_location);
    if (typeof loc === 'number') byteOff = loc;
    else if (loc instanceof Uint8Array) {
      // DW_OP_plus_uconst N (or DW_OP_constu N). gcc writes the offset of a bitfield's storage unit
      // that starts before the record (a type aligned below its size) as N modulo 2^64.
      if (loc[0] === 0x23 || loc[0] === 0x10) {
        let v = 0n;
        let s = 0n;
        for (let i = 1; i < loc.length && s < 70n; i++) {
          v |= BigInt(loc[i]! & 0x7f) << s;
          s += 7n;
          if (!(loc[i]! & 0x80)) break;
        }
        byteOff = Number(BigInt.asIntN(64, v));
      }
    }
    const bitSize = numOf(m.get(AT.bit_size));
    const dbo = numOf(m.get(AT.data_bit_offset));
    if (dbo !== undefined) return { bitOffset: dbo, bitSize };
    const bo = m.get(AT.bit_offset);
    if (bitSize !== undefined && bo !== undefined) {
      // DWARF 2-4: bit_offset counts from the most significant bit of a storage unit of byte_size.
      const unit = (numOf(m.get(AT.byte_size)) ?? this.sizeOf(this.die(m.get(AT.type)))) * 8;
      const boV = typeof bo === 'number' ? (bo > 0x7fffffff ? bo - 2 ** 32 : bo) : 0;
      return { bitOffset: byteOff * 8 + (this.little ? unit - boV - bitSize : boV), bitSize };
    }
    return { bitOffset: byteOff * 8, bitSize };
  }

  record(d: Die): RecordType {
    const hit = this.recs.get(d.offset);
    if (hit) return hit;
    const st = this.store;
    const idx = (d as LazyDie).index;
    const members: Member[] = [];
    // Read straight from .debug_info (no Die objects) until the record is known not to be a copy.
    const da = this.direct.at(idx);
    const nameV = da.get(AT.name);
    const name = typeof nameV === 'string' ? nameV : null;
    const size = numOf(da.get(AT.byte_size)) ?? 0;
    const explicitAlign = numOf(da.get(AT.alignment));
    const kind = d.tag === TAG.union_type ? 'union' : 'struct';
    // Identical records from different compilation units are one: the key (name, size, members'
    // names and bit positions) is built before any member type is resolved, so a copy costs little.
    let key: string | undefined;
    if (name !== null) {
      key = `${kind} ${name} ${size} `;
      let first = true;
      for (let c = st.firstChild[idx]!; c >= 0; c = st.nextSibling[c]!) {
        if (st.abbrev[c]!.tag !== TAG.member) continue;
        const ca = this.direct.at(c);
        const { bitOffset, bitSize } = this.memberBits(ca, kind === 'union');
        const mn = this.direct.at(c).get(AT.name);
        key += `${first ? '' : ','}${typeof mn === 'string' ? mn : null}@${bitOffset}:${bitSize ?? ''}`;
        first = false;
      }
      const dup = this.byKey.get(key);
      if (dup) {
        this.recs.set(d.offset, dup);
        return dup;
      }
    }
    const rec: RecordType & { align: number; members: Member[] } = {
      kind,
      name,
      size,
      align: explicitAlign ?? 1,
      members,
      origin: { kind: 'dwarf', offset: d.offset },
      ...(explicitAlign !== undefined ? { alignedAttr: explicitAlign, forcedAlign: explicitAlign } : {}),
    };
    this.recs.set(d.offset, rec);
    if (key !== undefined) this.byKey.set(key, rec);
    let natural = 1;
    let packed = false;
    for (const c of d.children) {
      if (c.tag !== TAG.member) continue;
      const t = this.die(c.attrs.get(AT.type));
      const { bitOffset, bitSize } = this.memberBits(c.attrs, kind === 'union');
      const msize = this.sizeOf(t);
      const malign = this.alignOf(t);
      const forced = this.num(c, AT.alignment);
      const mm: { -readonly [K in keyof Member]: Member[K] } = {
        name: typeof c.attrs.get(AT.name) === 'string' ? (c.attrs.get(AT.name) as string) : null,
        type: this.ref(t),
        bitOffset,
        size: msize,
        align: forced ?? malign,
      };
      if (forced !== undefined) mm.forcedAlign = forced;
      if (bitSize !== undefined) mm.bitSize = bitSize;
      else if ((bitOffset / 8) % mm.align !== 0) packed = true;
      natural = Math.max(natural, bitSize !== undefined ? Math.min(malign, 8) : mm.align);
      members.push(mm);
    }
    if (explicitAlign === undefined) {
      rec.align = packed || (natural > 0 && size % natural !== 0) ? 1 : natural;
      (rec as { alignInferred?: boolean }).alignInferred = true;
    } else if (explicitAlign <= natural) {
      // gcc emits DW_AT_alignment for any user alignment inside (a member's aligned type); only an
      // alignment beyond the members' is the record's own attribute.
      delete (rec as { alignedAttr?: number }).alignedAttr;
    }
    return rec;
  }

  ref(d: Die | undefined, depth = 0): TypeRef {
    if (!d) return { kind: 'base', name: 'void', size: 1, align: 1 };
    const hit = this.refs.get(d.offset);
    if (hit) return hit;
    if (depth > 64) return { kind: 'base', name: '?', size: 0, align: 1 };
    const name = typeof d.attrs.get(AT.name) === 'string' ? (d.attrs.get(AT.name) as string) : null;
    const inner = () => this.ref(this.die(d.attrs.get(AT.type)), depth + 1);
    let r: TypeRef;
    const qual = (q: Qualifier): TypeRef => ({ kind: 'qualified', quals: [q], of: inner() });
    switch (d.tag) {
      case TAG.base_type: r = { kind: 'base', name: name ?? '?', size: this.sizeOf(d), align: this.alignOf(d) }; break;
      case TAG.pointer_type: r = { kind: 'pointer', to: inner() }; break;
      case TAG.typedef: r = { kind: 'typedef', name: name ?? '?', to: inner() }; break;
      case TAG.const_type: r = qual('const'); break;
      case TAG.volatile_type: r = qual('volatile'); break;
      case TAG.restrict_type: r = qual('restrict'); break;
      case TAG.atomic_type: r = qual('_Atomic'); break;
      case TAG.enumeration_type: r = { kind: 'enum', name, size: this.sizeOf(d), align: this.alignOf(d) }; break;
      case TAG.structure_type: case TAG.union_type:
        r = d.attrs.has(AT.declaration)
          ? { kind: 'record', record: { kind: d.tag === TAG.union_type ? 'union' : 'struct', name, size: 0, align: 1, members: [] } }
          : { kind: 'record', record: this.record(d) };
        break;
      case TAG.array_type: {
        const subs = d.children.filter((c) => c.tag === TAG.subrange_type);
        let t = inner();
        for (let i = subs.length - 1; i >= 0; i--) t = { kind: 'array', of: t, length: this.count(subs[i]!) };
        if (subs.length === 0) t = { kind: 'array', of: t, length: null };
        r = t;
        break;
      }
      case TAG.subroutine_type: {
        const params = d.children.filter((c) => c.tag === TAG.formal_parameter).map((c) => this.ref(this.die(c.attrs.get(AT.type)), depth + 1));
        r = { kind: 'func', ret: inner(), params, variadic: d.children.some((c) => c.tag === TAG.unspecified_parameters) };
        break;
      }
      default: r = { kind: 'base', name: name ?? '?', size: 0, align: 1 };
    }
    this.refs.set(d.offset, r);
    return r;
  }
}

