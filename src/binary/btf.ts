// BTF (the kernel's BPF Type Format, Documentation/bpf/btf.rst): header, type and string sections,
// every kind, split BTF over a base. Types become the shared model. BTF records no alignment, so it is
// inferred: the natural alignment of member types, lowered when offsets or the size prove the record
// packed, raised when the size shows padding only a larger alignment explains (____cacheline_aligned).

import type { Member, Record, TypeRef } from '../model/model.js';
import { BinaryError, ByteReader } from './reader.js';

export const BTF_MAGIC = 0xeb9f;

const K = { INT: 1, PTR: 2, ARRAY: 3, STRUCT: 4, UNION: 5, ENUM: 6, FWD: 7, TYPEDEF: 8, VOLATILE: 9, CONST: 10, RESTRICT: 11, FUNC: 12, FUNC_PROTO: 13, VAR: 14, DATASEC: 15, FLOAT: 16, DECL_TAG: 17, TYPE_TAG: 18, ENUM64: 19 } as const;

interface BtfType {
  readonly kind: number;
  readonly name: string;
  readonly kflag: boolean;
  readonly vlen: number;
  /** size for INT/ENUM/STRUCT/UNION/FLOAT/DATASEC, else the referenced type id. */
  readonly sizeOrType: number;
  /** Offset of the kind-specific data in the reader. */
  readonly data: number;
  readonly reader: ByteReader;
}

export interface Btf {
  /** Type ids run from 1 to count - 1 ([0] is void); a split blob's include its base's. */
  readonly count: number;
  /** The type with this id, made on first use (undefined for void). */
  type(id: number): BtfType | undefined;
  /** Its kind, without making it. */
  kindOf(id: number): number;
  /** First id that belongs to this blob (1, or the base's count for split BTF). */
  readonly firstId: number;
  /** Total string-table length including the base's (split BTF offsets continue after it). */
  readonly strLen: number;
  /** A string by offset, through the base's table for offsets below its length. */
  str(off: number): string;
}

/** The fields of every type in parallel arrays (a vmlinux has 100,000+ types and a layout reads a
 *  fraction of them): a type object is made only when asked for. */
class BtfTable implements Btf {
  readonly kind: Uint8Array;
  readonly vlen: Uint16Array;
  readonly kflag: Uint8Array;
  readonly sizeOrType: Uint32Array;
  readonly data: Uint32Array;
  readonly nameOff: Uint32Array;
  private readonly made: (BtfType | undefined)[];
  count: number;
  constructor(
    capacity: number,
    readonly firstId: number,
    readonly strLen: number,
    readonly str: (off: number) => string,
    private readonly reader: ByteReader,
    private readonly base?: Btf,
  ) {
    this.kind = new Uint8Array(capacity);
    this.vlen = new Uint16Array(capacity);
    this.kflag = new Uint8Array(capacity);
    this.sizeOrType = new Uint32Array(capacity);
    this.data = new Uint32Array(capacity);
    this.nameOff = new Uint32Array(capacity);
    this.made = new Array<BtfType | undefined>(capacity).fill(undefined);
    this.count = firstId;
  }
  kindOf(id: number): number {
    if (id <= 0 || id >= this.count) return 0;
    return id < this.firstId ? this.base!.kindOf(id) : this.kind[id]!;
  }
  type(id: number): BtfType | undefined {
    if (id <= 0 || id >= this.count) return undefined;
    if (id < this.firstId) return this.base!.type(id);
    let t = this.made[id];
    if (!t) {
      t = { kind: this.kind[id]!, name: this.str(this.nameOff[id]!), kflag: this.kflag[id] === 1, vlen: this.vlen[id]!, sizeOrType: this.sizeOrType[id]!, data: this.data[id]!, reader: this.reader };
      this.made[id] = t;
    }
    return t;
  }
}

/** True for a raw BTF blob (either byte order). */
export function isBtf(b: Uint8Array): boolean {
  return b.length >= 2 && ((b[0] === 0x9f && b[1] === 0xeb) || (b[0] === 0xeb && b[1] === 0x9f));
}

/** Parses a BTF blob (optionally split over `base`). Throws BinaryError on corrupt input. */
export function parseBtf(bytes: Uint8Array, base?: Btf): Btf {
  if (!isBtf(bytes)) throw new BinaryError('not BTF (bad magic)', 0);
  const r = new ByteReader(bytes, bytes[0] === 0x9f);
  const hdrLen = r.u32(4);
  const typeOff = r.u32(8);
  const typeLen = r.u32(12);
  const strOff = r.u32(16);
  const strLen = r.u32(20);
  const tstart = hdrLen + typeOff;
  const sstart = hdrLen + strOff;
  r.check(tstart, typeLen, 'BTF type section');
  r.check(sstart, strLen, 'BTF string section');
  const baseStrLen = base?.strLen ?? 0;
  // The string section decoded once (one char per byte, so offsets stay valid); a name is a slice.
  const strings = latin1(bytes.subarray(sstart, sstart + strLen));
  const str = (off: number): string => {
    if (off === 0) return '';
    if (base && off < baseStrLen) return base.str(off);
    const o = off - baseStrLen;
    if (o < 0 || o >= strLen) throw new BinaryError(`BTF string offset ${off} out of range`, sstart);
    const e = strings.indexOf('\0', o);
    if (e < 0) throw new BinaryError(`unterminated string at offset 0x${(sstart + o).toString(16)}`, sstart + o);
    return strings.slice(o, e);
  };
  const firstId = base ? base.count : 1;
  // A type record is at least 12 bytes: an upper bound for the table.
  const table = new BtfTable(firstId + Math.ceil(typeLen / 12), firstId, baseStrLen + strLen, str, r, base);
  let id = firstId;
  let p = tstart;
  const end = tstart + typeLen;
  while (p < end) {
    if (id > 5_000_000) throw new BinaryError('too many BTF types', p);
    const nameOff = r.u32(p);
    const info = r.u32(p + 4);
    const sizeOrType = r.u32(p + 8);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const data = p + 12;
    let extra: number;
    switch (kind) {
      case K.INT: extra = 4; break;
      case K.ARRAY: extra = 12; break;
      case K.STRUCT: case K.UNION: extra = 12 * vlen; break;
      case K.ENUM: extra = 8 * vlen; break;
      case K.FUNC_PROTO: extra = 8 * vlen; break;
      case K.VAR: extra = 4; break;
      case K.DATASEC: extra = 12 * vlen; break;
      case K.DECL_TAG: extra = 4; break;
      case K.ENUM64: extra = 12 * vlen; break;
      case K.PTR: case K.FWD: case K.TYPEDEF: case K.VOLATILE: case K.CONST: case K.RESTRICT: case K.FUNC: case K.FLOAT: case K.TYPE_TAG:
        extra = 0;
        break;
      default:
        throw new BinaryError(`unknown BTF kind ${kind} (type id ${id})`, p);
    }
    r.check(data, extra, `BTF type ${id}`);
    // Names are read when used, but must be valid now: a corrupt offset is an error here, not later.
    if (nameOff !== 0 && (nameOff >= baseStrLen + strLen)) throw new BinaryError(`BTF string offset ${nameOff} out of range`, p);
    table.kind[id] = kind;
    table.vlen[id] = vlen;
    table.kflag[id] = info >>> 31;
    table.sizeOrType[id] = sizeOrType;
    table.data[id] = data;
    table.nameOff[id] = nameOff;
    id++;
    p = data + extra;
  }
  table.count = id;
  return table;
}

let decoder: { decode(b: Uint8Array): string } | null | undefined;
/** Bytes as a string of the same length, one char per byte (TextDecoder where there is one). */
export function latin1(b: Uint8Array): string {
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder('latin1');
    } catch {
      decoder = null;
    }
  }
  if (decoder) return decoder.decode(b);
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** The model for every named struct and union defined in `btf` (not its base), in id order. */
export function btfRecords(btf: Btf): Record[] {
  return new BtfModel(btf).records();
}

interface BtfMember {
  readonly name: string;
  readonly type: number;
  readonly bitOffset: number;
  readonly bitSize?: number;
}

class BtfModel {
  private readonly refs = new Map<number, TypeRef>();
  private readonly recs = new Map<number, Record>();
  private readonly aligns = new Map<number, number>();
  private readonly memberCache = new Map<BtfType, BtfMember[]>();

  constructor(private readonly btf: Btf) {}

  records(): Record[] {
    const out: Record[] = [];
    for (let id = this.btf.firstId; id < this.btf.count; id++) {
      const k = this.btf.kindOf(id);
      if (k !== K.STRUCT && k !== K.UNION) continue;
      const t = this.btf.type(id)!;
      if ((t.kind === K.STRUCT || t.kind === K.UNION) && t.name !== '') out.push(this.record(id));
    }
    return out;
  }

  private type(id: number): BtfType | undefined {
    if (id < 0 || id >= this.btf.count) throw new BinaryError(`BTF type id ${id} out of range`, 0);
    return this.btf.type(id);
  }

  /** Strips modifiers and typedefs (cycle-safe: at most 64 hops). */
  private resolve(id: number): number {
    for (let hop = 0; hop < 64; hop++) {
      const t = this.type(id);
      if (!t) return 0;
      if (t.kind === K.TYPEDEF || t.kind === K.VOLATILE || t.kind === K.CONST || t.kind === K.RESTRICT || t.kind === K.TYPE_TAG) id = t.sizeOrType;
      else return id;
    }
    throw new BinaryError(`BTF type ${id}: modifier chain too long (a cycle?)`, 0);
  }

  sizeOf(id: number, depth = 0): number {
    if (depth > 64) throw new BinaryError(`BTF type ${id}: nesting too deep`, 0);
    const rid = this.resolve(id);
    const t = this.type(rid);
    if (!t) return 0;
    switch (t.kind) {
      case K.INT: case K.ENUM: case K.ENUM64: case K.STRUCT: case K.UNION: case K.FLOAT: return t.sizeOrType;
      case K.PTR: return 8;
      case K.ARRAY: {
        const elem = t.reader.u32(t.data);
        const n = t.reader.u32(t.data + 8);
        return n * this.sizeOf(elem, depth + 1);
      }
      default: return 0;
    }
  }

  /** Natural alignment of a type, inferred for records. */
  alignOf(id: number, depth = 0): number {
    if (depth > 64) throw new BinaryError(`BTF type ${id}: nesting too deep`, 0);
    const rid = this.resolve(id);
    const t = this.type(rid);
    if (!t) return 1;
    switch (t.kind) {
      case K.INT: case K.ENUM: case K.ENUM64: case K.FLOAT: return Math.min(Math.max(1, t.sizeOrType), 16);
      case K.PTR: return 8;
      case K.ARRAY: return this.alignOf(t.reader.u32(t.data), depth + 1);
      case K.STRUCT: case K.UNION: return this.recordAlign(rid, depth + 1).align;
      default: return 1;
    }
  }

  private members(t: BtfType): BtfMember[] {
    const hit = this.memberCache.get(t);
    if (hit) return hit;
    const out: BtfMember[] = [];
    this.memberCache.set(t, out);
    for (let i = 0; i < t.vlen; i++) {
      const o = t.data + 12 * i;
      const nameOff = t.reader.u32(o);
      const type = t.reader.u32(o + 4);
      const off = t.reader.u32(o + 8);
      let bitOffset = off;
      let bitSize: number | undefined;
      if (t.kflag) {
        bitOffset = off & 0xffffff;
        bitSize = off >>> 24 || undefined;
      } else {
        // Old encoding: the bitfield lives in an INT type with its own bit offset and size.
        const it = this.type(this.resolve(type));
        if (it && it.kind === K.INT) {
          const enc = it.reader.u32(it.data);
          const bits = enc & 0xff;
          const ioff = (enc >>> 16) & 0xff;
          if (bits !== it.sizeOrType * 8 || ioff) {
            bitOffset += ioff;
            bitSize = bits;
          }
        }
      }
      out.push({ name: this.nameAt(t, nameOff), type, bitOffset, bitSize });
    }
    return out;
  }

  private nameAt(_t: BtfType, nameOff: number): string {
    return this.btf.str(nameOff);
  }

  /** Inferred alignment of a record and whether it was a guess beyond the natural rule. */
  private recordAlign(id: number, depth: number): { align: number; inferred: boolean } {
    const hit = this.aligns.get(id);
    if (hit !== undefined) return { align: hit, inferred: true };
    const t = this.type(id)!;
    this.aligns.set(id, 1); // cycle guard (records cannot contain themselves)
    let natural = 1;
    const ms = this.members(t);
    let packed = false;
    let dataEnd = 0;
    for (const m of ms) {
      const a = m.bitSize !== undefined ? 1 : this.alignOf(m.type, depth + 1);
      if (m.bitSize === undefined) {
        if ((m.bitOffset / 8) % a !== 0 || m.bitOffset % 8 !== 0) packed = true;
        natural = Math.max(natural, a);
      } else {
        // Bitfields: their declared type's alignment raises the record's (SysV), unless packed.
        natural = Math.max(natural, Math.min(this.alignOf(m.type, depth + 1), 8));
      }
      const size = m.bitSize !== undefined ? Math.ceil((m.bitOffset % 8 + m.bitSize) / 8) : this.sizeOf(m.type, depth + 1);
      dataEnd = Math.max(dataEnd, Math.floor(m.bitOffset / 8) + size);
    }
    const size = t.sizeOrType;
    let align = natural;
    if (packed || size % natural !== 0) {
      // Packed: the largest power of two that divides the size and every byte offset (at least 1).
      align = 1;
    } else {
      // Larger alignment when the size holds more padding than the natural alignment explains.
      while (align < 64 && Math.ceil(dataEnd / align) * align < size && size % (align * 2) === 0) align *= 2;
    }
    this.aligns.set(id, align);
    return { align, inferred: true };
  }

  record(id: number): Record {
    const hit = this.recs.get(id);
    if (hit) return hit;
    const t = this.type(id)!;
    const members: Member[] = [];
    const { align } = this.recordAlign(id, 0);
    const rec: Record = {
      kind: t.kind === K.UNION ? 'union' : 'struct',
      name: t.name === '' ? null : t.name,
      size: t.sizeOrType,
      align,
      alignInferred: true,
      members,
      origin: { kind: 'btf', id },
      ...(align === 1 && this.alignNatural(id) > 1 ? { packed: true } : {}),
    };
    this.recs.set(id, rec);
    for (const m of this.members(t)) {
      const mm: { -readonly [K in keyof Member]: Member[K] } = {
        name: m.name === '' ? null : m.name,
        type: this.ref(m.type),
        bitOffset: m.bitOffset,
        size: this.sizeOf(m.type),
        align: m.bitSize !== undefined ? this.alignOf(m.type) : Math.min(this.alignOf(m.type), align === 1 ? 1 : 64),
        alignInferred: true,
      };
      if (m.bitSize !== undefined) mm.bitSize = m.bitSize;
      members.push(mm);
    }
    return rec;
  }

  private alignNatural(id: number): number {
    let a = 1;
    for (const m of this.members(this.type(id)!)) if (m.bitSize === undefined) a = Math.max(a, this.alignOf(m.type));
    return a;
  }

  ref(id: number, depth = 0): TypeRef {
    const hit = this.refs.get(id);
    if (hit) return hit;
    if (depth > 64) return { kind: 'base', name: '?', size: 0, align: 1 };
    const t = this.type(id);
    let r: TypeRef;
    if (!t) r = { kind: 'base', name: 'void', size: 1, align: 1 };
    else {
      switch (t.kind) {
        case K.INT: case K.FLOAT:
          r = { kind: 'base', name: t.name, size: t.sizeOrType, align: Math.min(Math.max(t.sizeOrType, 1), 16) };
          break;
        case K.PTR:
          r = { kind: 'pointer', to: this.ref(t.sizeOrType, depth + 1) };
          break;
        case K.ARRAY:
          r = { kind: 'array', of: this.ref(t.reader.u32(t.data), depth + 1), length: t.reader.u32(t.data + 8) };
          break;
        case K.STRUCT: case K.UNION: {
          // Records may be reached recursively through pointers; install a placeholder first.
          const rec = this.record(id);
          r = { kind: 'record', record: rec };
          break;
        }
        case K.ENUM: case K.ENUM64:
          r = { kind: 'enum', name: t.name || null, size: t.sizeOrType, align: Math.min(t.sizeOrType, 8) };
          break;
        case K.FWD:
          r = { kind: 'record', record: { kind: t.kflag ? 'union' : 'struct', name: t.name, size: 0, align: 1, members: [] } };
          break;
        case K.TYPEDEF:
          r = { kind: 'typedef', name: t.name, to: this.ref(t.sizeOrType, depth + 1) };
          break;
        case K.VOLATILE: case K.CONST: case K.RESTRICT:
          r = { kind: 'qualified', quals: [t.kind === K.CONST ? 'const' : t.kind === K.VOLATILE ? 'volatile' : 'restrict'], of: this.ref(t.sizeOrType, depth + 1) };
          break;
        case K.TYPE_TAG:
          r = this.ref(t.sizeOrType, depth + 1);
          break;
        case K.FUNC_PROTO: {
          const params: TypeRef[] = [];
          let variadic = false;
          for (let i = 0; i < t.vlen; i++) {
            const pt = t.reader.u32(t.data + 8 * i + 4);
            if (pt === 0 && i === t.vlen - 1) variadic = true;
            else params.push(this.ref(pt, depth + 1));
          }
          r = { kind: 'func', ret: this.ref(t.sizeOrType, depth + 1), params, variadic };
          break;
        }
        default:
          r = { kind: 'base', name: t.name || '?', size: 0, align: 1 };
      }
    }
    this.refs.set(id, r);
    return r;
  }

}

