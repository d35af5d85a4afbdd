// DWARF DIEs → model Records: members at constant or DW_OP_plus_uconst locations, bitfields in both
// encodings (DW_AT_bit_offset big/little-endian, DW_AT_data_bit_offset), DW_AT_alignment; records
// shared across compilation units deduplicated by name and layout; anonymous records named by their
// typedef. An impossible value (a reference to no DIE, a type that contains itself, a size or offset
// that cannot be) ends its record's members there and marks the record incomplete.

import type { Member, Qualifier, RecordType, TypeRef } from '../model/model.js';
import { BinaryError, RecordIssues } from './reader.js';
import { DW_AT, DW_OP, DW_TAG } from './dwarf-const.js';
import type { AttrValue } from './dwarf-forms.js';
import { DirectAttrs, LazyDie, numOf, type AttrSource, type Die } from './dwarf-die.js';
import { enumeratorsAt } from './dwarf-enums.js';
import type { DieStore } from './dwarf.js';

const MAX_SIZE = Number.MAX_SAFE_INTEGER;

/** A record's members as the dedup compares them: names, bit offsets and bitfield widths. */
interface Signature {
  n: number;
  readonly names: string[];
  readonly bits: number[];
  readonly widths: (number | undefined)[];
}

interface Signed extends Signature {
  readonly rec: RecordType;
  readonly kind: 'struct' | 'union';
  /** Its DW_AT_byte_size, 0 for none. */
  readonly size: number;
}

/** Numbers equal as their decimal spellings are (NaN to NaN, -0 to 0). */
const sameNumber = (a: number | undefined, b: number | undefined): boolean =>
  a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));

function sameSignature(x: Signature, y: Signature): boolean {
  if (x.n !== y.n) return false;
  // (sameNumber called only when === fails: calls are not inlined in a binary input's run.)
  for (let k = 0; k < x.n; k++) {
    if (x.names[k] !== y.names[k]) return false;
    if (x.bits[k] !== y.bits[k] && !sameNumber(x.bits[k], y.bits[k])) return false;
    if (x.widths[k] !== y.widths[k] && !sameNumber(x.widths[k], y.widths[k])) return false;
  }
  return true;
}

/** Types whose size and alignment are their target's: typedefs and qualifiers. */
const SAME_AS_TARGET = new Set<number>([
  DW_TAG.typedef,
  DW_TAG.const_type,
  DW_TAG.volatile_type,
  DW_TAG.restrict_type,
  DW_TAG.atomic_type,
]);

export class DwarfModel {
  private readonly refs = new Map<number, TypeRef>();
  /** Records by the store index of their DIE: 1 + their place in `recList`, 0 for none (a typed
   *  array: an array of objects by store index, 400,000 elements filled, took milliseconds to make). */
  private readonly recAt: Int32Array;
  private readonly recList: RecordType[] = [];
  /** Dedup across compilation units: name → the records so named, each with its kind, size and
   *  member signature (names and bit positions), compared in place: a libc's 2,000 units repeat
   *  each header's records, and a signature string per copy made most of the garbage (the names
   *  come from the string memo, so no key string is made per copy). Anonymous records a typedef
   *  names are found by the typedef's name in `byTypedef`. */
  private readonly byName = new Map<string, Signed[]>();
  private readonly byTypedef = new Map<string, Signed[]>();
  /** The signature of the record being read (reused). */
  private readonly sig: Signature = { n: 0, names: [], bits: [], widths: [] };
  /** Records whose members are being built, and types whose reference is (cycle guards). */
  private building = new Set<number>();
  private spelling = new Set<number>();

  /** Die objects by store index: 1 + their place in `madeList`, 0 for none (as `recAt`). */
  private readonly madeAt: Int32Array;
  private readonly madeList: LazyDie[] = [];
  /** Reads single attributes of any stored DIE without decoding the rest. */
  private readonly direct: DirectAttrs;

  constructor(
    private readonly store: DieStore,
    private readonly addrSize: number,
    private readonly little: boolean,
    private readonly issues: RecordIssues<RecordType>,
  ) {
    this.direct = new DirectAttrs(store);
    this.madeAt = new Int32Array(store.count);
    this.recAt = new Int32Array(store.count);
  }

  /** The Die object for a store index (made once). */
  dieAt(i: number): Die {
    const k = this.madeAt[i]!;
    if (k > 0) return this.madeList[k - 1]!;
    const d = new LazyDie(this, this.store, i);
    this.madeAt[i] = this.madeList.push(d);
    return d;
  }

  private fail(d: Die, message: string): BinaryError {
    return this.store.units[this.store.unit[d.index]!]!.info.fail(message, d.offset);
  }

  /** Every named struct and union definition, and every anonymous one a typedef names, in document
   *  order (a pre-order walk of every unit). */
  records(): RecordType[] {
    const out: RecordType[] = [];
    const seen = new Set<RecordType>();
    const s = this.store;
    for (let i = 0; i < s.count; i++) {
      const tag = s.tag[i]!;
      let r: RecordType;
      if (tag === DW_TAG.typedef) {
        const t = this.typedefRecord(i);
        if (!t) continue;
        r = t;
      } else if (tag === DW_TAG.structure_type || tag === DW_TAG.union_type) {
        const a = this.direct.at(i);
        if (a.get(DW_AT.declaration) !== undefined || typeof a.get(DW_AT.name) !== 'string') continue;
        r = this.record(i);
      } else continue;
      if (!seen.has(r)) {
        seen.add(r);
        out.push(r);
      }
    }
    return out;
  }

  /** Typedef names of struct and union definitions (typedef struct {...} T; typedef struct s T;),
   *  filled by records(). */
  readonly typedefs = new Map<string, RecordType>();

  /** The struct or union definition typedef DIE `i` names directly (an anonymous one takes the
   *  typedef's name), or undefined. */
  private typedefRecord(i: number): RecordType | undefined {
    // (Its type first: most typedefs name no record, and their names are not read.)
    const t = this.direct.at(i).refOf(DW_AT.type);
    if (t < 0) return undefined;
    const j = this.store.find(t);
    if (j < 0) return undefined;
    const tag = this.store.tag[j]!;
    if (tag !== DW_TAG.structure_type && tag !== DW_TAG.union_type) return undefined;
    const name = this.direct.at(i).get(DW_AT.name);
    if (typeof name !== 'string') return undefined;
    if (this.direct.at(j).get(DW_AT.declaration) !== undefined) return undefined;
    // (The same anonymous record in every unit that includes its header is one: the typedef's name
    // stands for the tag in its key.)
    const r = this.record(j, name) as RecordType & { typedef?: string };
    if (r.name === null) r.typedef ??= name; // (when built before, through a member)
    if (!this.typedefs.has(name)) this.typedefs.set(name, r);
    return r.name === null ? r : undefined;
  }

  /** The DIE a reference attribute names; undefined when there is none (void), an error when it
   *  names an offset where no DIE is. */
  private die(v: AttrValue | undefined, from: Die): Die | undefined {
    if (v && typeof v === 'object' && 'ref' in v) {
      const i = this.store.find(v.ref);
      if (i < 0)
        throw this.fail(
          from,
          `DWARF DIE 0x${from.offset.toString(16)} refers to 0x${v.ref.toString(16)}, where there is no DIE`,
        );
      return this.dieAt(i);
    }
    return undefined;
  }

  private typeOf(d: Die): Die | undefined {
    return this.die(d.attrs.get(DW_AT.type), d);
  }

  private num(d: Die, at: number): number | undefined {
    const v = d.attrs.get(at);
    return typeof v === 'number' ? v : undefined;
  }

  /** A size attribute, checked to be one. */
  private sizeAttr(d: Die, v: number): number {
    if (!(v >= 0 && v <= MAX_SIZE)) throw this.fail(d, `DWARF DIE 0x${d.offset.toString(16)}: impossible size ${v}`);
    return v;
  }

  sizeOf(d: Die | undefined, depth = 0): number {
    if (!d) return 0;
    if (depth > 64) throw this.fail(d, `DWARF type at 0x${d.offset.toString(16)} nested deeper than 64 (a cycle?)`);
    const bs = this.num(d, DW_AT.byte_size);
    if (bs !== undefined) return this.sizeAttr(d, bs);
    if (SAME_AS_TARGET.has(d.tag)) return this.sizeOf(this.typeOf(d), depth + 1);
    switch (d.tag) {
      case DW_TAG.pointer_type:
        return this.addrSize;
      case DW_TAG.array_type: {
        let n = 1;
        for (const c of d.children) if (c.tag === DW_TAG.subrange_type) n *= this.count(c) ?? 0;
        return this.sizeAttr(d, n * this.sizeOf(this.typeOf(d), depth + 1));
      }
      default:
        return 0;
    }
  }

  private count(sub: Die): number | null {
    const c = this.num(sub, DW_AT.count);
    if (c !== undefined) return this.sizeAttr(sub, c);
    const ub = this.num(sub, DW_AT.upper_bound);
    if (ub !== undefined) return ub === 0xffffffff || ub === MAX_SIZE || ub === -1 ? 0 : this.sizeAttr(sub, ub + 1);
    return null;
  }

  alignOf(d: Die | undefined, depth = 0): number {
    if (!d) return 1;
    if (depth > 64) throw this.fail(d, `DWARF type at 0x${d.offset.toString(16)} nested deeper than 64 (a cycle?)`);
    const al = this.num(d, DW_AT.alignment);
    if (al !== undefined) return al;
    if (SAME_AS_TARGET.has(d.tag) || d.tag === DW_TAG.array_type) return this.alignOf(this.typeOf(d), depth + 1);
    switch (d.tag) {
      case DW_TAG.base_type:
      case DW_TAG.enumeration_type:
        return Math.min(Math.max(this.sizeOf(d), 1), 16);
      case DW_TAG.pointer_type:
        return this.addrSize;
      case DW_TAG.structure_type:
      case DW_TAG.union_type:
        return this.record(d.index).align;
      default:
        return 1;
    }
  }

  /** memberBits()' second result: the member's bitfield width (undefined for none). */
  private bitSize: number | undefined;

  /** A member's bit offset from its record's start, in either bitfield encoding; its bitfield width
   *  in `bitSize` (no object per member: the copies' members are many). */
  private memberBits(m: AttrSource, inUnion: boolean, from: number): number {
    // Every member of a union is at its start. (For a bitfield of a type aligned below its size,
    // gcc's DW_AT_bit_offset counts from a storage unit that starts before the union, which has no
    // DW_AT_data_member_location to say so.)
    if (inUnion) {
      this.bitSize = numOf(m.get(DW_AT.bit_size));
      return 0;
    }
    let byteOff = 0;
    const loc = m.get(DW_AT.data_member_location);
    if (typeof loc === 'number') byteOff = loc;
    else if (loc instanceof Uint8Array) {
      // DW_OP_plus_uconst N (or DW_OP_constu N). gcc writes the offset of a bitfield's storage unit
      // that starts before the record (a type aligned below its size) as N modulo 2^64.
      if (loc[0] === DW_OP.plus_uconst || loc[0] === DW_OP.constu) {
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
    const bitSize = numOf(m.get(DW_AT.bit_size));
    const dbo = numOf(m.get(DW_AT.data_bit_offset));
    if (dbo !== undefined) {
      this.bitSize = bitSize;
      return dbo;
    }
    const bo = bitSize !== undefined ? m.get(DW_AT.bit_offset) : undefined;
    if (bitSize !== undefined && bo !== undefined) {
      // DWARF 2-4: bit_offset counts from the most significant bit of a storage unit of byte_size.
      const unit = (numOf(m.get(DW_AT.byte_size)) ?? this.sizeOf(this.die(m.get(DW_AT.type), this.dieAt(from)))) * 8;
      const boV = typeof bo === 'number' ? (bo > 0x7fffffff ? bo - 2 ** 32 : bo) : 0;
      this.bitSize = bitSize; // (after sizeOf, which may read other members)
      return byteOff * 8 + (this.little ? unit - boV - bitSize : boV);
    }
    this.bitSize = bitSize;
    return byteOff * 8;
  }

  /** The record of struct or union DIE `idx` (a store index); `typedefName` names an anonymous one. */
  record(idx: number, typedefName?: string): RecordType {
    const hit = this.recAt[idx]!;
    if (hit > 0) return this.recList[hit - 1]!;
    const st = this.store;
    // Read straight from .debug_info (no Die objects) until the record is known not to be a copy.
    const da = this.direct.at(idx);
    const nameV = da.get(DW_AT.name);
    const name = typeof nameV === 'string' ? nameV : null;
    const sizeV = numOf(da.get(DW_AT.byte_size));
    const explicitAlign = numOf(da.get(DW_AT.alignment));
    const kind = st.tag[idx] === DW_TAG.union_type ? 'union' : 'struct';
    // Identical records from different compilation units are one: the key (name, size, members'
    // names and bit positions) is built before any member type is resolved, so a copy costs little.
    const keyName = name ?? typedefName;
    if (keyName !== undefined) {
      this.sign(idx, kind === 'union');
      const dup = this.signed(name !== null ? this.byName : this.byTypedef, keyName, kind, sizeV ?? 0);
      if (dup) {
        this.setRec(idx, dup);
        return dup;
      }
    }
    return this.build(idx, typedefName, name, sizeV, explicitAlign, kind, keyName !== undefined);
  }

  private setRec(idx: number, r: RecordType): void {
    this.recAt[idx] = this.recList.push(r);
  }

  /** Fills `sig` with the members of record DIE `idx` (the dedup's part, apart from the rest of
   *  record(), so that the optimizing compiler sees a small function for the many copies). */
  private sign(idx: number, inUnion: boolean): void {
    const st = this.store;
    const sig = this.sig;
    sig.n = 0;
    for (let c = st.firstChild[idx]!; c >= 0; c = st.nextSibling[c]!) {
      if (st.tag[c] !== DW_TAG.member) continue;
      const bitOffset = this.memberBits(this.direct.at(c), inUnion, c);
      const bitSize = this.bitSize;
      const mn = this.direct.at(c).get(DW_AT.name);
      // (An unnamed member signs as 'null', as it always has.)
      sig.names[sig.n] = typeof mn === 'string' ? mn : 'null';
      sig.bits[sig.n] = bitOffset;
      sig.widths[sig.n] = bitSize;
      sig.n++;
    }
  }

  /** The first record of `keyName` in `by`, of `kind` and `size`, whose signature is `sig`, if any. */
  private signed(
    by: Map<string, Signed[]>,
    keyName: string,
    kind: 'struct' | 'union',
    size: number,
  ): RecordType | undefined {
    const list = by.get(keyName);
    if (!list) return undefined;
    for (let k = 0; k < list.length; k++) {
      const x = list[k]!;
      if (x.kind === kind && sameNumber(x.size, size) && sameSignature(x, this.sig)) return x.rec;
    }
    return undefined;
  }

  /** A record not seen before (record() found no copy): made, and its members read. */
  private build(
    idx: number,
    typedefName: string | undefined,
    name: string | null,
    sizeV: number | undefined,
    explicitAlign: number | undefined,
    kind: 'struct' | 'union',
    keyed: boolean,
  ): RecordType {
    const members: Member[] = [];
    const d = this.dieAt(idx);
    const size = sizeV !== undefined && sizeV >= 0 && sizeV <= MAX_SIZE ? sizeV : 0;
    const rec: RecordType & { align: number; members: Member[] } = {
      kind,
      name,
      size,
      align: explicitAlign ?? 1,
      members,
      origin: { kind: 'dwarf', offset: d.offset },
      ...(name === null && typedefName !== undefined ? { typedef: typedefName } : {}),
      ...(explicitAlign !== undefined ? { alignedAttr: explicitAlign, forcedAlign: explicitAlign } : {}),
    };
    this.setRec(idx, rec);
    if (keyed) {
      const sig = this.sig;
      const signed: Signed = {
        rec,
        kind,
        size: sizeV ?? 0,
        n: sig.n,
        names: sig.names.slice(0, sig.n),
        bits: sig.bits.slice(0, sig.n),
        widths: sig.widths.slice(0, sig.n),
      };
      const by = name !== null ? this.byName : this.byTypedef;
      const keyName = name ?? typedefName!;
      const list = by.get(keyName);
      if (list) list.push(signed);
      else by.set(keyName, [signed]);
    }
    let natural = 1;
    let packed = false;
    this.building.add(d.offset);
    // A type being spelled outside reached this record: its members start a chain of their own.
    const outer = this.spelling;
    this.spelling = new Set();
    try {
      if (sizeV !== undefined && size !== sizeV)
        throw this.fail(d, `DWARF ${kind} at 0x${d.offset.toString(16)}: impossible size ${sizeV}`);
      for (const c of d.children) {
        if (c.tag !== DW_TAG.member) continue;
        const mm = this.member(c, kind, size);
        if (mm.bitSize === undefined && (mm.bitOffset / 8) % mm.align !== 0) packed = true;
        natural = Math.max(natural, mm.bitSize !== undefined ? Math.min(this.alignOf(this.typeOf(c)), 8) : mm.align);
        members.push(mm);
      }
    } catch (e) {
      if (!(e instanceof BinaryError)) throw e;
      // The members before the bad one stand; the record is reported incomplete.
      this.issues.add(rec, e);
    } finally {
      this.building.delete(d.offset);
      this.spelling = outer;
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

  /** Member DIE `c` of a record of `size` bytes, checked: a type that exists and does not contain
   *  the record, inside the record. */
  private member(c: Die, kind: 'struct' | 'union', size: number): Member & { align: number } {
    const mname = c.attrs.get(DW_AT.name);
    const what = (): string =>
      `DWARF member ${typeof mname === 'string' ? `'${mname}'` : '(unnamed)'} at 0x${c.offset.toString(16)}`;
    const t = this.typeOf(c);
    if (!t) throw this.fail(c, `${what()} has no type`);
    // A record that contains itself (directly, in an array, through typedefs or qualifiers).
    let v: Die | undefined = t;
    for (let hop = 0; v && hop < 64; hop++) {
      if (
        (v.tag === DW_TAG.structure_type || v.tag === DW_TAG.union_type) &&
        this.building.has(v.offset) &&
        !v.attrs.has(DW_AT.declaration)
      ) {
        throw this.fail(c, `${what()}: the ${kind} at 0x${v.offset.toString(16)} contains itself`);
      }
      v =
        v.tag === DW_TAG.pointer_type || v.tag === DW_TAG.structure_type || v.tag === DW_TAG.union_type
          ? undefined
          : this.typeOf(v);
    }
    const bitOffset = this.memberBits(c.attrs, kind === 'union', c.index);
    const bitSize = this.bitSize;
    const msize = this.sizeOf(t);
    const malign = this.alignOf(t);
    const forced = this.num(c, DW_AT.alignment);
    const bits = bitSize ?? msize * 8;
    if (bitSize !== undefined && !(bitSize > 0 || (bitSize === 0 && mname === undefined)))
      throw this.fail(c, `${what()}: impossible bitfield width ${bitSize}`);
    if (!(bitOffset >= 0) || bitOffset + bits > size * 8)
      throw this.fail(c, `${what()} at bit ${bitOffset} (${bits} bits) is outside the ${size}-byte ${kind}`);
    const mm: { -readonly [K in keyof Member]: Member[K] } & { align: number } = {
      name: typeof mname === 'string' ? mname : null,
      type: this.ref(t),
      bitOffset,
      size: msize,
      align: forced ?? malign,
    };
    if (forced !== undefined) mm.forcedAlign = forced;
    if (bitSize !== undefined) mm.bitSize = bitSize;
    return mm;
  }

  ref(d: Die | undefined, depth = 0): TypeRef {
    if (!d) return { kind: 'base', name: 'void', size: 1, align: 1 };
    const hit = this.refs.get(d.offset);
    if (hit) return hit;
    // Re-entered before it is made, a type refers to itself with no record in between (records are
    // made before their members): no C type is spelled so.
    if (d.tag === DW_TAG.structure_type || d.tag === DW_TAG.union_type) {
      const r = this.makeRef(d, depth);
      this.refs.set(d.offset, r);
      return r;
    }
    if (this.spelling.has(d.offset) || depth > 64)
      throw this.fail(
        d,
        `DWARF type at 0x${d.offset.toString(16)} refers to itself with no struct or union in between`,
      );
    this.spelling.add(d.offset);
    try {
      const r = this.makeRef(d, depth);
      this.refs.set(d.offset, r);
      return r;
    } finally {
      this.spelling.delete(d.offset);
    }
  }

  /** An enumeration's enumerators (dwarf-enums.ts), or undefined for a declaration. */
  private enumerators(d: Die): { name: string; value: bigint }[] | undefined {
    const s = this.store;
    const ab = s.abbrev(d.index);
    if (!ab.children || d.attrs.has(DW_AT.declaration)) return undefined;
    let signed = false;
    for (let t = this.typeOf(d), k = 0; t && k < 64; k++) {
      // DW_ATE_signed (5) and DW_ATE_signed_char (6).
      if (t.tag === DW_TAG.base_type) signed = t.attrs.get(DW_AT.encoding) === 5 || t.attrs.get(DW_AT.encoding) === 6;
      t = SAME_AS_TARGET.has(t.tag) ? this.typeOf(t) : undefined;
    }
    const u = s.units[s.unit[d.index]!]!;
    let q = s.attrPos[d.index]!;
    for (const a of ab.attrs) q = u.skipForm(a.form, q);
    return enumeratorsAt(u, q, this.sizeOf(d), signed);
  }

  private makeRef(d: Die, depth: number): TypeRef {
    const name = typeof d.attrs.get(DW_AT.name) === 'string' ? (d.attrs.get(DW_AT.name) as string) : null;
    const inner = () => this.ref(this.typeOf(d), depth + 1);
    const qual = (q: Qualifier): TypeRef => ({ kind: 'qualified', quals: [q], of: inner() });
    switch (d.tag) {
      case DW_TAG.base_type:
        return { kind: 'base', name: name ?? '?', size: this.sizeOf(d), align: this.alignOf(d) };
      case DW_TAG.pointer_type: {
        // Past a pointer, a record may hold one that is being built (struct a { struct b *p; }).
        const outer = this.building;
        this.building = new Set();
        try {
          return { kind: 'pointer', to: inner() };
        } finally {
          this.building = outer;
        }
      }
      case DW_TAG.typedef:
        return { kind: 'typedef', name: name ?? '?', to: inner() };
      case DW_TAG.const_type:
        return qual('const');
      case DW_TAG.volatile_type:
        return qual('volatile');
      case DW_TAG.restrict_type:
        return qual('restrict');
      case DW_TAG.atomic_type:
        return qual('_Atomic');
      case DW_TAG.enumeration_type: {
        const values = this.enumerators(d);
        return { kind: 'enum', name, size: this.sizeOf(d), align: this.alignOf(d), ...(values ? { values } : {}) };
      }
      case DW_TAG.structure_type:
      case DW_TAG.union_type:
        return d.attrs.has(DW_AT.declaration)
          ? {
              kind: 'record',
              record: { kind: d.tag === DW_TAG.union_type ? 'union' : 'struct', name, size: 0, align: 1, members: [] },
            }
          : { kind: 'record', record: this.record(d.index) };
      case DW_TAG.array_type: {
        const subs = d.children.filter((c) => c.tag === DW_TAG.subrange_type);
        let t = inner();
        for (let i = subs.length - 1; i >= 0; i--) t = { kind: 'array', of: t, length: this.count(subs[i]!) };
        if (subs.length === 0) t = { kind: 'array', of: t, length: null };
        return t;
      }
      case DW_TAG.subroutine_type: {
        const params = d.children
          .filter((c) => c.tag === DW_TAG.formal_parameter)
          .map((c) => this.ref(this.typeOf(c), depth + 1));
        return {
          kind: 'func',
          ret: inner(),
          params,
          variadic: d.children.some((c) => c.tag === DW_TAG.unspecified_parameters),
        };
      }
      default:
        return { kind: 'base', name: name ?? '?', size: 0, align: 1 };
    }
  }
}
