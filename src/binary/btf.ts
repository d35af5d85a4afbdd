// BTF (the kernel's BPF Type Format, Documentation/bpf/btf.rst): header, type and string sections,
// every kind, split BTF over a base, parsed into a table of types (btf-model.ts makes the records).

import { BinaryError, ByteReader, type ByteOrigin } from './reader.js';
import { checkSplitBase } from './btf-check.js';

export const BTF_MAGIC = 0xeb9f;

/** BTF kinds (btf.rst "Type encoding"); a const enum, so that switches on a kind compile to numbers. */
export const enum K {
  INT = 1,
  PTR,
  ARRAY,
  STRUCT,
  UNION,
  ENUM,
  FWD,
  TYPEDEF,
  VOLATILE,
  CONST,
  RESTRICT,
  FUNC,
  FUNC_PROTO,
  VAR,
  DATASEC,
  FLOAT,
  DECL_TAG,
  TYPE_TAG,
  ENUM64,
}
const KIND_NAMES = [
  'VOID',
  'INT',
  'PTR',
  'ARRAY',
  'STRUCT',
  'UNION',
  'ENUM',
  'FWD',
  'TYPEDEF',
  'VOLATILE',
  'CONST',
  'RESTRICT',
  'FUNC',
  'FUNC_PROTO',
  'VAR',
  'DATASEC',
  'FLOAT',
  'DECL_TAG',
  'TYPE_TAG',
  'ENUM64',
];

/** The fields of every type in parallel arrays indexed by type id (a vmlinux has 100,000+ types; no
 *  object per type). A split blob's table starts with a copy of its base's columns, so a lookup never
 *  goes through the base; a type's data is read from the blob it came from. */
class BtfTable {
  readonly kind: Uint8Array;
  readonly vlen: Uint16Array;
  readonly kflag: Uint8Array;
  /** size for INT/ENUM/STRUCT/UNION/FLOAT/DATASEC, else the referenced type id. */
  readonly sizeOrType: Uint32Array;
  /** Offset of the kind-specific data in its blob (checked to be in bounds when parsed). */
  readonly data: Uint32Array;
  readonly nameOff: Uint32Array;
  /** Type ids run from 1 to count - 1 ([0] is void); a split blob's include its base's. */
  count: number;
  /** Whether a string offset is the start of a string (a name that starts mid-string is a sign of a
   *  split blob read over the wrong base). */
  startsString: (off: number) => boolean = () => true;
  private readonly view: DataView;
  private readonly little: boolean;
  /** firstId: the first id that belongs to this blob (1, or the base's count for split BTF);
   *  strLen: the string-table length including the base's (split BTF offsets continue after it);
   *  str: a string by offset, through the base's table for offsets below its length. */
  constructor(
    capacity: number,
    readonly firstId: number,
    readonly strLen: number,
    readonly str: (off: number) => string,
    readonly reader: ByteReader,
    private readonly base?: BtfTable,
  ) {
    this.kind = new Uint8Array(capacity);
    this.vlen = new Uint16Array(capacity);
    this.kflag = new Uint8Array(capacity);
    this.sizeOrType = new Uint32Array(capacity);
    this.data = new Uint32Array(capacity);
    this.nameOff = new Uint32Array(capacity);
    if (base) {
      this.kind.set(base.kind.subarray(0, firstId));
      this.vlen.set(base.vlen.subarray(0, firstId));
      this.kflag.set(base.kflag.subarray(0, firstId));
      this.sizeOrType.set(base.sizeOrType.subarray(0, firstId));
      this.data.set(base.data.subarray(0, firstId));
      this.nameOff.set(base.nameOff.subarray(0, firstId));
    }
    this.view = reader.view;
    this.little = reader.little;
    this.count = firstId;
  }
  /** The u32 at `off` in the data of type `id` (its own blob's, or the base's for a base type). */
  u32(id: number, off: number): number {
    return id < this.firstId ? this.base!.u32(id, off) : this.view.getUint32(off, this.little);
  }
  /** An error located at type `id`'s header, in the blob it came from. */
  fail(id: number, message: string): BinaryError {
    if (id < this.firstId && this.base) return this.base.fail(id, message);
    return this.reader.fail(message, id > 0 && id < this.count ? this.data[id]! - 12 : 0);
  }
  /** `id` spelled for a message: "type 12 (STRUCT 'sk_buff')". */
  describe(id: number): string {
    let name: string;
    try {
      name = id > 0 && id < this.count ? this.str(this.nameOff[id]!) : '';
    } catch {
      name = '';
    }
    return `type ${id} (${KIND_NAMES[this.kind[id] ?? 0] ?? '?'}${name ? ` '${name}'` : ''})`;
  }
}

export type Btf = BtfTable;

/** Bytes of kind-specific data after a type's 12-byte header: a fixed part plus one entry per vlen
 *  (btf_member, btf_enum, btf_param, btf_var_secinfo, btf_enum64); -1 for a kind that does not exist. */
const DATA_FIXED = new Int8Array(32).fill(-1);
const DATA_PER_VLEN = new Int8Array(32);
for (const k of [
  K.PTR,
  K.FWD,
  K.TYPEDEF,
  K.VOLATILE,
  K.CONST,
  K.RESTRICT,
  K.FUNC,
  K.FLOAT,
  K.TYPE_TAG,
  K.STRUCT,
  K.UNION,
  K.ENUM,
  K.FUNC_PROTO,
  K.DATASEC,
  K.ENUM64,
])
  DATA_FIXED[k] = 0;
for (const k of [K.INT, K.VAR, K.DECL_TAG]) DATA_FIXED[k] = 4;
DATA_FIXED[K.ARRAY] = 12;
for (const k of [K.STRUCT, K.UNION, K.DATASEC, K.ENUM64]) DATA_PER_VLEN[k] = 12;
for (const k of [K.ENUM, K.FUNC_PROTO]) DATA_PER_VLEN[k] = 8;

/** Said when a blob refers past its own strings or types: what a module's split BTF does alone. */
export const SPLIT_HINT = ' (split BTF read without its base? pass the base, such as the vmlinux, with --btf-base)';

/** True for a raw BTF blob (either byte order). */
export function isBtf(b: Uint8Array): boolean {
  return b.length >= 2 && ((b[0] === 0x9f && b[1] === 0xeb) || (b[0] === 0xeb && b[1] === 0x9f));
}

/** Parses a BTF blob (optionally split over `base`): its headers, the bounds of every type's data,
 *  its type names. Throws BinaryError on corrupt input; what types refer to is checked as records
 *  are built (BtfModel). */
export function parseBtf(bytes: Uint8Array, base?: Btf, origin?: ByteOrigin): Btf {
  const r = new ByteReader(bytes, bytes[0] === 0x9f, origin);
  if (!isBtf(bytes)) throw r.fail('not BTF (bad magic)', 0);
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
    if (o < 0 || o >= strLen) throw r.fail(`BTF string offset ${off} out of range`, sstart);
    const e = strings.indexOf('\0', o);
    if (e < 0) throw r.fail(`unterminated string at offset 0x${(sstart + o).toString(16)}`, sstart + o);
    return strings.slice(o, e);
  };
  const firstId = base ? base.count : 1;
  // A type record is at least 12 bytes: an upper bound for the table.
  const table = new BtfTable(firstId + Math.ceil(typeLen / 12), firstId, baseStrLen + strLen, str, r, base);
  const { kind: kinds, vlen: vlens, kflag: kflags, sizeOrType: sizes, data: datas, nameOff: names } = table;
  const view = r.view;
  const little = r.little;
  let id = firstId;
  let p = tstart;
  const end = tstart + typeLen;
  while (p < end) {
    if (id > 5_000_000) throw r.fail('too many BTF types', p);
    if (p + 12 > bytes.length) {
      // A header cut by the end of the input: the checked reads report where.
      r.u32(p);
      r.u32(p + 4);
      r.u32(p + 8);
    }
    const nameOff = view.getUint32(p, little);
    const info = view.getUint32(p + 4, little);
    const sizeOrType = view.getUint32(p + 8, little);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const data = p + 12;
    const fixed = DATA_FIXED[kind]!;
    if (fixed < 0) throw r.fail(`unknown BTF kind ${kind} (type id ${id})`, p);
    const extra = fixed + DATA_PER_VLEN[kind]! * vlen;
    r.check(data, extra, `BTF type ${id}`);
    // Names are read when used, but must be valid now: a corrupt offset is an error here, not later.
    if (nameOff !== 0 && nameOff >= baseStrLen + strLen)
      throw r.fail(`BTF string offset ${nameOff} out of range${base ? '' : SPLIT_HINT}`, p);
    kinds[id] = kind;
    vlens[id] = vlen;
    kflags[id] = info >>> 31;
    sizes[id] = sizeOrType;
    datas[id] = data;
    names[id] = nameOff;
    id++;
    p = data + extra;
  }
  table.count = id;
  // Every name must end inside the section, so that a name read later (lazily) cannot fail.
  if (strLen > 0 && strings.charCodeAt(strLen - 1) !== 0)
    throw r.fail('BTF string section does not end with a NUL', sstart + strLen - 1);
  table.startsString = (off) =>
    off === 0 ||
    (off < baseStrLen
      ? base!.startsString(off)
      : off - baseStrLen < strLen && (off === baseStrLen || strings.charCodeAt(off - baseStrLen - 1) === 0));
  if (base) checkSplitBase(table, table.startsString);
  return table;
}

/** TextDecoder's 'latin1' where it decodes one char per byte: browsers read the label as
 *  windows-1252, which maps 0x80-0x9f elsewhere. (A constant, decided when the module loads.) */
const LATIN1: { decode(b: Uint8Array): string } | null = (() => {
  try {
    const d = new TextDecoder('latin1');
    return d.decode(new Uint8Array([0x80, 0x9f, 0xff])) === '\x80\x9f\xff' ? d : null;
  } catch {
    return null;
  }
})();

/** Bytes as a string of the same length, one char per byte. */
export function latin1(b: Uint8Array): string {
  if (LATIN1) return LATIN1.decode(b);
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
