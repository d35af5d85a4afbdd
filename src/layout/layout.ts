// Record layout for a target: a pure function from a RecordDecl (parser model) and a Target to sizes,
// alignments and every field's bit offset, in bits throughout. The rules are gcc's for the SysV ABIs
// (PCC_BITFIELD_TYPE_MATTERS: a bitfield may not straddle an aligned unit of its declared type) and,
// for MSVC targets, Microsoft's storage-unit rules. References: the x86-64 psABI 3.1.2, GCC's manual
// ("Common Type Attributes", "Structure-Layout Pragmas"), checked against gcc with probes.

import type { CType, EnumDecl, RecordDecl } from '../cparse/ctype.js';
import type { IntKind, Target } from '../target/target.js';

export interface FieldLayout {
  /** Bits from the start of the record. */
  readonly bitOffset: number;
  /** Bitfield width; absent for ordinary fields. */
  readonly bitSize?: number;
  /** Bytes: the declared type's size (0 for a flexible array). */
  readonly size: number;
  /** Bytes: the field's effective alignment in this record. */
  readonly align: number;
}

export interface RecordLayout {
  readonly size: number;
  readonly align: number;
  /** Parallel to decl.fields. */
  readonly fields: readonly FieldLayout[];
}

/** Thrown for types that have no size (incomplete records, void arrays); callers report it. */
export class LayoutError extends Error {}

const cache = new WeakMap<Target, WeakMap<RecordDecl, RecordLayout>>();
const inProgress = new Set<RecordDecl>();

export function layoutRecord(decl: RecordDecl, target: Target): RecordLayout {
  let perTarget = cache.get(target);
  if (!perTarget) cache.set(target, (perTarget = new WeakMap()));
  const hit = perTarget.get(decl);
  if (hit) return hit;
  if (!decl.fields) throw new LayoutError(`incomplete type '${decl.tag} ${decl.name ?? '<anonymous>'}'`);
  if (inProgress.has(decl)) throw new LayoutError(`'${decl.tag} ${decl.name ?? '<anonymous>'}' contains itself`);
  inProgress.add(decl);
  try {
    const r = target.bitfields === 'msvc' ? layoutMsvc(decl, target) : layoutSysv(decl, target);
    perTarget.set(decl, r);
    return r;
  } finally {
    inProgress.delete(decl);
  }
}

const ceilTo = (v: number, a: number): number => (a <= 1 ? v : Math.ceil(v / a) * a);

function layoutSysv(decl: RecordDecl, t: Target): RecordLayout {
  const fields = decl.fields!;
  const isUnion = decl.tag === 'union';
  const packAll = !!decl.attrs.packed;
  const pack = decl.pack ? decl.pack * 8 : 0; // bits, 0 = none
  let offset = 0; // bits, next free position (structs)
  let end = 0; // bits, end of data
  let align = 8 * Math.max(1, t.minRecordAlign); // bits
  const out: FieldLayout[] = [];
  for (const f of fields) {
    const ty = f.type;
    const size = sizeOfField(ty, t);
    const natural = minAlignOf(ty, t) * 8;
    const userAlign = (f.attrs.aligned ?? 0) * 8;
    const packed = packAll || !!f.attrs.packed;
    if (f.bitWidth !== null) {
      const w = f.bitWidth;
      const unitBits = size * 8;
      if (w === 0) {
        // Zero-width: align the next field to the declared type (packed and pack do not apply).
        const a = Math.max(natural, userAlign);
        if (!isUnion) {
          offset = ceilTo(offset, a);
          end = Math.max(end, offset);
        }
        if (t.zeroWidthBitfieldAffectsAlign) align = Math.max(align, a);
        out.push({ bitOffset: isUnion ? 0 : offset, bitSize: 0, size, align: a / 8 });
        continue;
      }
      // gcc: under #pragma pack a bitfield contributes min(type, pack) to the record's alignment even
      // when packed, and is placed at the next bit with no straddle check (as packed ones are).
      let a = pack ? Math.min(natural, pack) : packed ? 8 : natural;
      const ua = pack && userAlign ? Math.min(userAlign, pack) : userAlign;
      if (ua) a = Math.max(a, ua);
      let pos = isUnion ? 0 : offset;
      if (!isUnion) {
        if (ua) pos = ceilTo(pos, ua);
        if (!packed && !pack && (pos % natural) + w > unitBits) pos = ceilTo(pos, natural);
      }
      if (f.name !== null || t.unnamedBitfieldAffectsAlign) align = Math.max(align, a);
      out.push({ bitOffset: pos, bitSize: w, size, align: a / 8 });
      if (!isUnion) offset = pos + w;
      end = Math.max(end, pos + w);
      continue;
    }
    let a = packed ? 8 : natural;
    if (userAlign) a = Math.max(a, userAlign);
    if (pack) a = Math.min(a, pack);
    const pos = isUnion ? 0 : ceilTo(offset, a);
    align = Math.max(align, a);
    out.push({ bitOffset: pos, size, align: a / 8 });
    if (!isUnion) offset = pos + size * 8;
    end = Math.max(end, pos + size * 8);
  }
  if (decl.attrs.aligned) align = Math.max(align, decl.attrs.aligned * 8);
  const bytes = ceilTo(Math.ceil(end / 8), align / 8);
  return { size: bytes, align: align / 8, fields: out };
}

/** MSVC (x86_64-windows-msvc): a bitfield run continues while the declared type's size is the same
 *  and the bits fit; otherwise a new storage unit starts at the type's alignment. */
function layoutMsvc(decl: RecordDecl, t: Target): RecordLayout {
  const fields = decl.fields!;
  const isUnion = decl.tag === 'union';
  const pack = decl.pack ? decl.pack * 8 : 0;
  let offset = 0;
  let end = 0;
  let align = 8;
  let unitStart = -1;
  let unitBits = 0;
  let used = 0;
  const out: FieldLayout[] = [];
  for (const f of fields) {
    const size = sizeOfField(f.type, t);
    // #pragma pack caps the natural alignment; __declspec(align) / aligned() is never capped.
    let a = alignOf(f.type, t) * 8;
    if (pack) a = Math.min(a, pack);
    a = Math.max(a, (f.attrs.aligned ?? 0) * 8, userAlignOf(f.type) * 8);
    if (f.bitWidth !== null) {
      const w = f.bitWidth;
      const ub = size * 8;
      if (isUnion) {
        // In a union, bitfields take their unit's size but do not raise the alignment.
        out.push({ bitOffset: 0, bitSize: w, size, align: 1 });
        if (w > 0) end = Math.max(end, ub);
        continue;
      }
      if (w === 0) {
        // Zero-width: ends the current unit; aligns only if it follows a bitfield.
        if (unitStart >= 0) {
          offset = ceilTo(unitStart + unitBits, a);
          unitStart = -1;
          align = Math.max(align, a);
        }
        out.push({ bitOffset: offset, bitSize: 0, size, align: a / 8 });
        continue;
      }
      if (unitStart < 0 || unitBits !== ub || used + w > ub) {
        if (unitStart >= 0) offset = unitStart + unitBits;
        unitStart = ceilTo(offset, a);
        unitBits = ub;
        used = 0;
        offset = unitStart + ub;
      }
      out.push({ bitOffset: unitStart + used, bitSize: w, size, align: a / 8 });
      used += w;
      align = Math.max(align, a);
      end = Math.max(end, unitStart + ub);
      continue;
    }
    if (unitStart >= 0) {
      offset = unitStart + unitBits;
      unitStart = -1;
    }
    const pos = isUnion ? 0 : ceilTo(offset, a);
    align = Math.max(align, a);
    out.push({ bitOffset: pos, size, align: a / 8 });
    if (!isUnion) offset = pos + size * 8;
    end = Math.max(end, pos + size * 8);
  }
  align = Math.max(align, requiredAlign(decl) * 8);
  // MSVC's C compiler gives a record without data 4 bytes.
  const bytes = end === 0 ? 4 : ceilTo(Math.ceil(end / 8), align / 8);
  return { size: bytes, align: align / 8, fields: out };
}

/** The alignment a typedef's or record's own __declspec(align)/aligned() demands (0 when none). */
function userAlignOf(ty: CType): number {
  let a = 0;
  for (;;) {
    if (ty.kind === 'typedef') {
      if (ty.attrs.aligned) a = Math.max(a, ty.attrs.aligned);
      ty = ty.to;
    } else if (ty.kind === 'array') ty = ty.of;
    else break;
  }
  if (ty.kind === 'record') a = Math.max(a, requiredAlign(ty.decl));
  return a;
}

const requiredMemo = new WeakMap<RecordDecl, number>();

/** MSVC's "required alignment" of a record: its own __declspec(align) and its members' (recursively);
 *  #pragma pack caps a record's natural alignment but never this. */
function requiredAlign(d: RecordDecl): number {
  const hit = requiredMemo.get(d);
  if (hit !== undefined) return hit;
  requiredMemo.set(d, 0);
  let a = d.attrs.aligned ?? 0;
  for (const f of d.fields ?? []) a = Math.max(a, f.attrs.aligned ?? 0, userAlignOf(f.type));
  requiredMemo.set(d, a);
  return a;
}

/** gcc's min_align_of_type: what _Alignof answers and what a struct member is aligned to. On i386
 *  (fieldAlignCap) types whose machine mode is an 8-byte integer or double — long long, double, and
 *  8-byte records such as struct { _Atomic long long x; } — are capped at 4 unless user-aligned;
 *  _Atomic scalars keep their raised alignment (gcc 11 and later). */
export function minAlignOf(ty: CType, t: Target): number {
  const a = alignOf(ty, t);
  if (!t.fieldAlignCap || a <= t.fieldAlignCap) return a;
  let s = ty;
  for (;;) {
    if (s.kind === 'typedef') {
      if (s.attrs.aligned) return a;
      s = s.to;
    } else if (s.kind === 'array') s = s.of;
    else break;
  }
  if (s.q?.atomic) return a;
  if (s.kind === 'int' || s.kind === 'float' || s.kind === 'enum' || s.kind === 'pointer') return t.fieldAlignCap;
  if (s.kind === 'record' && !userAligned(s.decl, t) && sizeOf(s, t) === 8 && hasIntMode(s, t)) return t.fieldAlignCap;
  return a;
}

/** Whether gcc gives the type a scalar machine mode rather than BLKmode (compute_record_mode): records
 *  of 1, 2, 4 or 8 bytes whose members all have one; no flexible array member. */
function hasIntMode(ty: CType, t: Target, depth = 0): boolean {
  while (ty.kind === 'typedef') ty = ty.to;
  switch (ty.kind) {
    case 'int': case 'float': case 'enum': case 'pointer': case 'vector':
      return true;
    case 'array': {
      if (ty.length === null || depth > 16) return false;
      const size = sizeOf(ty, t);
      return (size === 1 || size === 2 || size === 4 || size === 8 || size === 16) && hasIntMode(ty.of, t, depth + 1);
    }
    case 'record': {
      if (!ty.decl.fields || depth > 16) return false;
      const size = sizeOf(ty, t);
      if (size !== 1 && size !== 2 && size !== 4 && size !== 8) return false;
      return ty.decl.fields.every((f) => f.bitWidth !== null || hasIntMode(f.type, t, depth + 1));
    }
    default:
      return false;
  }
}

const userAlignedMemo = new WeakMap<RecordDecl, boolean>();

/** gcc's TYPE_USER_ALIGN for a record: an aligned() on it, on a member type, or on a member where it
 *  raised the alignment (a member's aligned() below its natural alignment is ignored). */
function userAligned(d: RecordDecl, t: Target): boolean {
  const hit = userAlignedMemo.get(d);
  if (hit !== undefined) return hit;
  userAlignedMemo.set(d, false);
  let r = !!d.attrs.aligned;
  for (const f of d.fields ?? []) {
    if (r) break;
    if (f.attrs.aligned && f.attrs.aligned >= alignOf(f.type, t)) r = true;
    let ty = f.type;
    for (;;) {
      if (ty.kind === 'typedef') {
        if (ty.attrs.aligned) r = true;
        ty = ty.to;
      } else if (ty.kind === 'array') ty = ty.of;
      else break;
    }
    if (ty.kind === 'record' && userAligned(ty.decl, t)) r = true;
  }
  userAlignedMemo.set(d, r);
  return r;
}

/** A field's size: like sizeOf but a flexible array member ([] ) has size 0. */
function sizeOfField(ty: CType, t: Target): number {
  const r = strip(ty);
  if (r.kind === 'array' && r.length === null) return 0;
  return sizeOf(ty, t);
}

function strip(ty: CType): CType {
  while (ty.kind === 'typedef') ty = ty.to;
  return ty;
}

export function enumIntKind(e: EnumDecl, t: Target): IntKind {
  if (e.fixed) return e.fixed;
  if (e.attrs.mode) return e.attrs.mode;
  let min = 0n;
  let max = 0n;
  for (const v of e.values ?? []) {
    if (v.value < min) min = v.value;
    if (v.value > max) max = v.value;
  }
  const fits = (bits: number, signed: boolean): boolean =>
    signed ? min >= -(1n << BigInt(bits - 1)) && max < 1n << BigInt(bits - 1) : min >= 0n && max < 1n << BigInt(bits);
  if (e.attrs.packed) {
    const order: [IntKind, IntKind][] = [['schar', 'uchar'], ['short', 'ushort'], ['int', 'uint'], ['long', 'ulong'], ['llong', 'ullong']];
    for (const [s, u] of order) {
      const bits = t.ints[s].size * 8;
      if (min >= 0n && fits(bits, false)) return u;
      if (fits(bits, true)) return s;
    }
    return 'ullong';
  }
  if (min >= 0n && fits(32, false)) return 'uint';
  if (fits(32, true)) return 'int';
  const l: IntKind = t.ints.long.size === 8 ? 'long' : 'llong';
  const ul: IntKind = l === 'long' ? 'ulong' : 'ullong';
  if (min >= 0n && fits(64, false)) return ul;
  return l;
}

export function sizeOf(ty: CType, t: Target): number {
  switch (ty.kind) {
    case 'void':
      return 1;
    case 'int':
      return t.ints[ty.ik].size;
    case 'float': {
      const f = t.floats[ty.fk];
      if (!f) throw new LayoutError(`type not supported on ${t.triple}`);
      return ty.complex ? 2 * f.size : f.size;
    }
    case 'pointer':
      return t.pointer.size;
    case 'array':
      if (ty.length === null) throw new LayoutError('invalid application of sizeof to an incomplete array type');
      return ty.length * sizeOf(ty.of, t);
    case 'func':
      return 1;
    case 'record':
      return layoutRecord(ty.decl, t).size;
    case 'enum':
      if (!ty.decl.values && !ty.decl.fixed) throw new LayoutError(`incomplete type 'enum ${ty.decl.name ?? ''}'`);
      return t.ints[enumIntKind(ty.decl, t)].size;
    case 'typedef':
      return sizeOf(ty.to, t);
    case 'vector':
      return ty.size;
  }
}

/** Alignment in bytes as _Alignof gives it (the ABI alignment, also a struct member's); `preferred`
 *  gives gcc's __alignof__, which differs on i386 for double and long long. */
export function alignOf(ty: CType, t: Target, preferred = false): number {
  let a = alignOfUnqual(ty, t, preferred);
  if (ty.q?.atomic) {
    const s = sizeOf(ty, t);
    if ((s & (s - 1)) === 0 && s <= 16 && s > a) a = s;
  }
  return a;
}

function alignOfUnqual(ty: CType, t: Target, preferred: boolean): number {
  switch (ty.kind) {
    case 'void':
      return 1;
    case 'int':
      return (preferred && t.ints[ty.ik].prefAlign) || t.ints[ty.ik].align;
    case 'float': {
      const f = t.floats[ty.fk];
      if (!f) throw new LayoutError(`type not supported on ${t.triple}`);
      return (preferred && f.prefAlign) || f.align;
    }
    case 'pointer':
      return t.pointer.align;
    case 'array':
      return alignOf(ty.of, t, preferred);
    case 'func':
      return t.funcAlign;
    case 'record': {
      return layoutRecord(ty.decl, t).align;
    }
    case 'enum': {
      if (ty.decl.attrs.aligned) return Math.max(ty.decl.attrs.aligned, t.ints[enumIntKind(ty.decl, t)].align);
      if (!ty.decl.values && !ty.decl.fixed) throw new LayoutError(`incomplete type 'enum ${ty.decl.name ?? ''}'`);
      return t.ints[enumIntKind(ty.decl, t)].align;
    }
    case 'typedef':
      // gcc lets aligned() on a typedef lower as well as raise the alignment.
      if (ty.attrs.aligned) return ty.attrs.aligned;
      return alignOf(ty.to, t, preferred);
    case 'vector':
      return Math.min(ty.size, 64);
  }
}
