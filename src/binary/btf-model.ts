// BTF types → the shared model: records built on demand from the parsed table (btf.ts), with their
// alignment inferred (BTF records none): the natural alignment of member types, lowered when offsets
// or the size prove the record packed, raised when the size shows padding only a larger alignment
// explains (____cacheline_aligned). Each member's type is checked before its record is built
// (btf-check.ts): a corrupt one ends the record there, which is reported incomplete.

import type { Member, RecordType, TypeRef } from '../model/model.js';
import { BinaryError, RecordIssues } from './reader.js';
import { checkSpelling } from './btf-check.js';
import { K, type Btf } from './btf.js';

/** The model for every named struct and union defined in `btf` (not its base), in id order; with
 *  `names`, only those so named (and what they need: a vmlinux's one record, not its 10,000). */
export function btfRecords(
  btf: Btf,
  names?: ReadonlySet<string>,
  issues = new RecordIssues<RecordType>(),
): RecordType[] {
  return new BtfModel(btf, issues).records(names);
}

const NOT_BITFIELD = -1;

/** Builds the model from the table: per-id arrays memoise records, type refs and inferred alignments;
 *  a record's members are decoded once into flat typed arrays (type id, bit offset, bit size, name). */
class BtfModel {
  private readonly refs: (TypeRef | undefined)[];
  private readonly recs: (RecordType | undefined)[];
  /** Inferred record alignment; 0 before it is known (1 while it is being computed: cycle guard). */
  private readonly aligns: Uint8Array;
  /** Where a record's decoded members start in the m* arrays; -1 before they are decoded. */
  private readonly memberStart: Int32Array;
  private readonly mType: Uint32Array;
  private readonly mBitOffset: Float64Array;
  private readonly mBitSize: Int16Array;
  private readonly mName: string[] = [];
  private mCount = 0;
  /** Where a record's usable members end: before the first one whose type or name is corrupt. */
  private readonly memberEnd: Int32Array;
  /** Why a record's members end early. */
  private readonly badMember = new Map<number, BinaryError>();
  /** Per type id: its spelling checked (checkSpelling's state). */
  private readonly spelled: Uint8Array;
  /** Records whose members are being built (a member of one of these by value is a cycle). */
  private readonly building: Uint8Array;

  constructor(
    private readonly btf: Btf,
    private readonly issues: RecordIssues<RecordType>,
  ) {
    const n = btf.count;
    this.refs = new Array<TypeRef | undefined>(n).fill(undefined);
    this.recs = new Array<RecordType | undefined>(n).fill(undefined);
    this.aligns = new Uint8Array(n);
    this.memberStart = new Int32Array(n).fill(-1);
    this.memberEnd = new Int32Array(n);
    this.spelled = new Uint8Array(n);
    this.spelled[0] = 2;
    this.building = new Uint8Array(n);
    let members = 0;
    for (let id = 1; id < n; id++) if (btf.kind[id] === K.STRUCT || btf.kind[id] === K.UNION) members += btf.vlen[id]!;
    this.mType = new Uint32Array(members);
    this.mBitOffset = new Float64Array(members);
    this.mBitSize = new Int16Array(members);
  }

  records(names?: ReadonlySet<string>): RecordType[] {
    const out: RecordType[] = [];
    const { kind, nameOff } = this.btf;
    for (let id = this.btf.firstId; id < this.btf.count; id++) {
      const k = kind[id];
      if (k !== K.STRUCT && k !== K.UNION) continue;
      const name = this.btf.str(nameOff[id]!);
      if (name !== '' && (!names || names.has(name))) out.push(this.record(id));
    }
    return out;
  }

  /** The kind of `id` (0 for void); throws for an id past the table. */
  private kindOf(id: number): number {
    if (id < 0 || id >= this.btf.count) throw this.btf.fail(0, `BTF type id ${id} out of range`);
    return this.btf.kind[id]!;
  }

  /** Strips modifiers and typedefs (cycle-safe: at most 64 hops). */
  private resolve(id: number): number {
    for (let hop = 0; hop < 64; hop++) {
      const k = this.kindOf(id);
      if (k === K.TYPEDEF || k === K.VOLATILE || k === K.CONST || k === K.RESTRICT || k === K.TYPE_TAG)
        id = this.btf.sizeOrType[id]!;
      else return id;
    }
    throw this.btf.fail(id, `BTF ${this.btf.describe(id)}: modifier chain longer than 64`);
  }

  sizeOf(id: number, depth = 0): number {
    if (depth > 64) throw this.btf.fail(id, `BTF ${this.btf.describe(id)}: nested deeper than 64`);
    const rid = this.resolve(id);
    switch (this.kindOf(rid)) {
      case K.INT:
      case K.ENUM:
      case K.ENUM64:
      case K.STRUCT:
      case K.UNION:
      case K.FLOAT:
        return this.btf.sizeOrType[rid]!;
      case K.PTR:
        return 8;
      case K.ARRAY: {
        const d = this.btf.data[rid]!;
        const elem = this.btf.u32(rid, d);
        const n = this.btf.u32(rid, d + 8);
        return n * this.sizeOf(elem, depth + 1);
      }
      default:
        return 0;
    }
  }

  /** Natural alignment of a type, inferred for records. */
  alignOf(id: number, depth = 0): number {
    if (depth > 64) throw this.btf.fail(id, `BTF ${this.btf.describe(id)}: nested deeper than 64`);
    const rid = this.resolve(id);
    switch (this.kindOf(rid)) {
      case K.INT:
      case K.ENUM:
      case K.ENUM64:
      case K.FLOAT:
        return Math.min(Math.max(1, this.btf.sizeOrType[rid]!), 16);
      case K.PTR:
        return 8;
      case K.ARRAY:
        return this.alignOf(this.btf.u32(rid, this.btf.data[rid]!), depth + 1);
      case K.STRUCT:
      case K.UNION:
        return this.recordAlign(rid, depth + 1);
      default:
        return 1;
    }
  }

  /** Decodes the members of record `id` (once); returns where they start in the m* arrays. */
  private members(id: number): number {
    const at = this.memberStart[id]!;
    if (at >= 0) return at;
    const { btf } = this;
    const start = this.mCount;
    const vlen = btf.vlen[id]!;
    const data = btf.data[id]!;
    const kflag = btf.kflag[id] === 1;
    let end = start + vlen;
    for (let i = 0; i < vlen; i++) {
      const o = data + 12 * i;
      const nameOff = btf.u32(id, o);
      const type = btf.u32(id, o + 4);
      const off = btf.u32(id, o + 8);
      const m = start + i;
      try {
        checkSpelling(btf, this.spelled, type);
        this.mName[m] = this.nameAt(nameOff);
      } catch (e) {
        // The members before it stand; the record says why it ends there when it is built.
        this.badMember.set(id, caught(e));
        end = m;
        break;
      }
      let bitOffset = off;
      let bitSize = NOT_BITFIELD;
      if (kflag) {
        bitOffset = off & 0xffffff;
        bitSize = off >>> 24 || NOT_BITFIELD;
      } else {
        // Old encoding: the bitfield lives in an INT type with its own bit offset and size.
        const it = this.resolve(type);
        if (it !== 0 && btf.kind[it] === K.INT) {
          const enc = btf.u32(it, btf.data[it]!);
          const bits = enc & 0xff;
          const ioff = (enc >>> 16) & 0xff;
          if (bits !== btf.sizeOrType[it]! * 8 || ioff) {
            bitOffset += ioff;
            bitSize = bits;
          }
        }
      }
      this.mType[m] = type;
      this.mBitOffset[m] = bitOffset;
      this.mBitSize[m] = bitSize;
    }
    this.memberEnd[id] = end;
    this.mCount = start + vlen;
    this.memberStart[id] = start;
    return start;
  }

  /** A member name, one string per distinct offset (a vmlinux's 60,000 members have 30,000 names). */
  private nameAt(off: number): string {
    let s = this.names.get(off);
    if (s === undefined) {
      s = this.btf.str(off);
      this.names.set(off, s);
    }
    return s;
  }
  private readonly names = new Map<number, string>();

  /** Member m's bit offset, as a small integer when it is one: a Float64Array gives a boxed double,
   *  and one double in a Member's bitOffset would box every member's. */
  private bitOffsetOf(m: number): number {
    const b = this.mBitOffset[m]!;
    return b <= 0x3fffffff ? b | 0 : b;
  }

  /** Inferred alignment of a record (BTF has none: every alignment it yields is a guess). */
  private recordAlign(id: number, depth: number): number {
    const hit = this.aligns[id]!;
    if (hit !== 0) return hit;
    const size = this.btf.sizeOrType[id]!;
    this.aligns[id] = 1; // cycle guard (records cannot contain themselves)
    let natural = 1;
    const start = this.members(id);
    const end = this.memberEnd[id]!;
    let packed = false;
    let dataEnd = 0;
    for (let m = start; m < end; m++) {
      const type = this.mType[m]!;
      const bitOffset = this.bitOffsetOf(m);
      const bitSize = this.mBitSize[m]!;
      let memberSize: number;
      if (bitSize === NOT_BITFIELD) {
        const a = this.alignOf(type, depth + 1);
        if ((bitOffset / 8) % a !== 0 || bitOffset % 8 !== 0) packed = true;
        natural = Math.max(natural, a);
        memberSize = this.sizeOf(type, depth + 1);
      } else {
        // Bitfields: their declared type's alignment raises the record's (SysV), unless packed.
        natural = Math.max(natural, Math.min(this.alignOf(type, depth + 1), 8));
        memberSize = Math.ceil(((bitOffset % 8) + bitSize) / 8);
      }
      dataEnd = Math.max(dataEnd, Math.floor(bitOffset / 8) + memberSize);
    }
    let align = natural;
    if (packed || size % natural !== 0) {
      // Packed: the largest power of two that divides the size and every byte offset (at least 1).
      align = 1;
    } else {
      // Larger alignment when the size holds more padding than the natural alignment explains.
      while (align < 64 && Math.ceil(dataEnd / align) * align < size && size % (align * 2) === 0) align *= 2;
    }
    this.aligns[id] = align;
    return align;
  }

  record(id: number): RecordType {
    const hit = this.recs[id];
    if (hit) return hit;
    const { btf } = this;
    const members: Member[] = [];
    let align = 1;
    let natural = 1;
    let failed: BinaryError | undefined;
    try {
      align = this.recordAlign(id, 0);
      natural = align === 1 ? this.alignNatural(id) : align;
    } catch (e) {
      failed = caught(e);
    }
    const name = btf.str(btf.nameOff[id]!);
    const kind = btf.kind[id] === K.UNION ? 'union' : 'struct';
    const size = btf.sizeOrType[id]!;
    const origin = { kind: 'btf', id } as const;
    const rec: RecordType =
      align === 1 && natural > 1
        ? { kind, name: name === '' ? null : name, size, align, alignInferred: true, members, origin, packed: true }
        : { kind, name: name === '' ? null : name, size, align, alignInferred: true, members, origin };
    this.recs[id] = rec;
    if (failed) {
      this.issues.add(rec, failed);
      return rec;
    }
    const start = this.members(id);
    const end = this.memberEnd[id]!;
    this.building[id] = 1;
    try {
      for (let m = start; m < end; m++) members.push(this.member(id, m, align, size));
      const bad = this.badMember.get(id);
      if (bad) this.issues.add(rec, bad);
    } catch (e) {
      // The members before it stand; the record is reported incomplete.
      this.issues.add(rec, caught(e));
    } finally {
      this.building[id] = 0;
    }
    return rec;
  }

  /** Member m of record `id`, checked: a data type, inside the record. */
  private member(id: number, m: number, align: number, size: number): Member {
    const { btf } = this;
    const type = this.mType[m]!;
    const bitSize = this.mBitSize[m]!;
    const mname = this.mName[m]!;
    const bitOffset = this.bitOffsetOf(m);
    const what = () =>
      `BTF ${btf.describe(id)}: member ${mname === '' ? `#${m - this.memberStart[id]!}` : `'${mname}'`}`;
    // A record that contains itself (directly, in an array, through typedefs or qualifiers).
    let v = this.resolve(type);
    while (btf.kind[v] === K.ARRAY) v = this.resolve(btf.u32(v, btf.data[v]!));
    if (this.building[v] === 1) throw btf.fail(id, `${what()}: ${btf.describe(v)} contains itself`);
    const rk = this.kindOf(this.resolve(type));
    if (
      rk === 0 ||
      rk === K.FWD ||
      rk === K.FUNC ||
      rk === K.FUNC_PROTO ||
      rk === K.VAR ||
      rk === K.DATASEC ||
      rk === K.DECL_TAG
    ) {
      throw btf.fail(
        id,
        `${what()} has ${rk === 0 ? 'type void' : `${btf.describe(this.resolve(type))}, not a complete data type`}`,
      );
    }
    const ref = this.ref(type);
    const msize = this.sizeOf(type);
    const malign = this.alignOf(type);
    const bits = bitSize === NOT_BITFIELD ? msize * 8 : bitSize;
    if (bitSize !== NOT_BITFIELD && bitSize > msize * 8)
      throw btf.fail(id, `${what()}: a ${bitSize}-bit bitfield of a ${msize}-byte type`);
    if (bitOffset + bits > size * 8)
      throw btf.fail(id, `${what()} at bit ${bitOffset} (${bits} bits) ends past the record's ${size} bytes`);
    return bitSize === NOT_BITFIELD
      ? {
          name: mname === '' ? null : mname,
          type: ref,
          bitOffset,
          size: msize,
          align: Math.min(malign, align === 1 ? 1 : 64),
          alignInferred: true,
        }
      : {
          name: mname === '' ? null : mname,
          type: ref,
          bitOffset,
          size: msize,
          align: malign,
          alignInferred: true,
          bitSize,
        };
  }

  private alignNatural(id: number): number {
    let a = 1;
    const start = this.members(id);
    const end = this.memberEnd[id]!;
    for (let m = start; m < end; m++)
      if (this.mBitSize[m] === NOT_BITFIELD) a = Math.max(a, this.alignOf(this.mType[m]!));
    return a;
  }

  /** The enumerators of ENUM (btf_enum: name, 32-bit value) or ENUM64 (name, low and high 32 bits)
   *  type `id`; kflag 1 says the values are signed. */
  private enumerators(id: number, k: K): { name: string; value: bigint }[] {
    const { btf } = this;
    const d = btf.data[id]!;
    const step = k === K.ENUM ? 8 : 12;
    const signed = btf.kflag[id] === 1;
    const out: { name: string; value: bigint }[] = [];
    for (let i = 0, p = d; i < btf.vlen[id]!; i++, p += step) {
      const nameOff = btf.u32(id, p);
      if (!btf.startsString(nameOff) || nameOff === 0)
        throw btf.fail(id, `BTF ${btf.describe(id)}: enumerator #${i} has no name (string offset ${nameOff})`);
      let v = BigInt(btf.u32(id, p + 4));
      if (k === K.ENUM64) v |= BigInt(btf.u32(id, p + 8)) << 32n;
      const bits = k === K.ENUM ? 32 : 64;
      out.push({ name: btf.str(nameOff), value: signed ? BigInt.asIntN(bits, v) : v });
    }
    return out;
  }

  refOrUnknown(id: number, depth: number): TypeRef {
    try {
      return this.ref(id, depth);
    } catch (e) {
      caught(e);
      return { kind: 'base', name: '?', size: 0, align: 1 };
    }
  }

  ref(id: number, depth = 0): TypeRef {
    const hit = this.refs[id];
    if (hit) return hit;
    if (depth > 64) throw this.btf.fail(id, `BTF ${this.btf.describe(id)}: nested deeper than 64`);
    const { btf } = this;
    const k = this.kindOf(id);
    const name = k === 0 ? '' : btf.str(btf.nameOff[id]!);
    const sizeOrType = btf.sizeOrType[id]!;
    let r: TypeRef;
    switch (k) {
      case 0:
        r = { kind: 'base', name: 'void', size: 1, align: 1 };
        break;
      case K.INT:
      case K.FLOAT:
        r = { kind: 'base', name, size: sizeOrType, align: Math.min(Math.max(sizeOrType, 1), 16) };
        break;
      case K.PTR: {
        // The pointee is made when first read (for its spelling, mostly): a record's pointers reach
        // most of a vmlinux's types, and one named record should not build them all.
        // (Checked with the member whose type reaches it, it cannot fail but by nesting past the
        // limit: then it reads '?'.)
        const pointee = (): TypeRef => this.refOrUnknown(sizeOrType, depth + 1);
        let to: TypeRef | undefined;
        r = {
          kind: 'pointer',
          get to() {
            return (to ??= pointee());
          },
        };
        break;
      }
      case K.ARRAY: {
        const d = btf.data[id]!;
        r = { kind: 'array', of: this.ref(btf.u32(id, d), depth + 1), length: btf.u32(id, d + 8) };
        break;
      }
      case K.STRUCT:
      case K.UNION: {
        // Records may be reached recursively through pointers; install a placeholder first.
        const rec = this.record(id);
        r = { kind: 'record', record: rec };
        break;
      }
      case K.ENUM:
      case K.ENUM64: {
        // No enumerators: a forward declaration (what pahole writes for `enum e;`).
        const values = btf.vlen[id] ? this.enumerators(id, k) : undefined;
        r = {
          kind: 'enum',
          name: name || null,
          size: sizeOrType,
          align: Math.min(sizeOrType, 8),
          ...(values ? { values } : {}),
        };
        break;
      }
      case K.FWD:
        r = {
          kind: 'record',
          record: { kind: btf.kflag[id] === 1 ? 'union' : 'struct', name, size: 0, align: 1, members: [] },
        };
        break;
      case K.TYPEDEF:
        r = { kind: 'typedef', name, to: this.ref(sizeOrType, depth + 1) };
        break;
      case K.VOLATILE:
      case K.CONST:
      case K.RESTRICT:
        r = {
          kind: 'qualified',
          quals: [k === K.CONST ? 'const' : k === K.VOLATILE ? 'volatile' : 'restrict'],
          of: this.ref(sizeOrType, depth + 1),
        };
        break;
      case K.TYPE_TAG:
        r = this.ref(sizeOrType, depth + 1);
        break;
      case K.FUNC_PROTO: {
        const params: TypeRef[] = [];
        let variadic = false;
        const vlen = btf.vlen[id]!;
        const d = btf.data[id]!;
        for (let i = 0; i < vlen; i++) {
          const pt = btf.u32(id, d + 8 * i + 4);
          if (pt === 0 && i === vlen - 1) variadic = true;
          else params.push(this.ref(pt, depth + 1));
        }
        r = { kind: 'func', ret: this.ref(sizeOrType, depth + 1), params, variadic };
        break;
      }
      default:
        r = { kind: 'base', name: name || '?', size: 0, align: 1 };
    }
    this.refs[id] = r;
    return r;
  }
}

/** A BinaryError passed on as the input's fault; anything else is a bug and rethrown as one. */
function caught(e: unknown): BinaryError {
  if (e instanceof BinaryError) return e;
  throw e;
}
