// sizeof and _Alignof (and gcc's __alignof__) of any C type on a target; a record's come from its
// layout. An enumeration's integer type follows gcc's rules (packed, -fshort-enums, fixed types).

import type { CType, EnumDecl } from '../cparse/ctype.js';
import type { IntKind, Target } from '../target/target.js';
import type { RecordDecl } from '../cparse/ctype.js';
import { ArrayTooLarge, LayoutError, OUT_OF_RANGE, OutOfRange } from './errors.js';
import { layoutRecord, MAX_EXACT_BYTES } from './layout.js';

/** gcc's largest object on a target: PTRDIFF_MAX (2^63 - 1 bytes on 64-bit targets, 2^31 - 1 on
 *  32-bit ones). A larger array or record is an error. */
export function maxObjectSize(t: Target): bigint {
  return (1n << BigInt(t.pointer.size * 8 - 1)) - 1n;
}

/** Member `i`'s size (0 for a flexible array member), by `size` (sizeOf or sizeOfBig); an array
 *  past gcc's limit is reported by the member's name. */
export function fieldSize(decl: RecordDecl, i: number, t: Target): number;
export function fieldSize(decl: RecordDecl, i: number, t: Target, size: typeof sizeOfBig): bigint;
export function fieldSize(
  decl: RecordDecl,
  i: number,
  t: Target,
  size: (ty: CType, t: Target) => number | bigint = sizeOf,
): number | bigint {
  const f = decl.fields![i]!;
  const r = strip(f.type);
  if (r.kind === 'array' && r.length === null) return size === sizeOf ? 0 : 0n;
  try {
    return size(f.type, t);
  } catch (e) {
    if (e instanceof ArrayTooLarge) throw new LayoutError(e.forName(f.name ?? '<anonymous>'), i, decl);
    throw e;
  }
}

export function strip(ty: CType): CType {
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
  if (e.attrs.packed || t.shortEnums) {
    const order: [IntKind, IntKind][] = [
      ['schar', 'uchar'],
      ['short', 'ushort'],
      ['int', 'uint'],
      ['long', 'ulong'],
      ['llong', 'ullong'],
    ];
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
    case 'array': {
      if (ty.length === null) throw new LayoutError('invalid application of sizeof to an incomplete array type');
      const n = ty.length * sizeOf(ty.of, t);
      // Past the plain path's range or gcc's limit: sizeOfBig says which (or throws gcc's error).
      if (n > MAX_EXACT_BYTES || (t.pointer.size < 8 && n > 2 ** (t.pointer.size * 8 - 1) - 1)) {
        sizeOfBig(ty, t);
        throw OUT_OF_RANGE;
      }
      return n;
    }
    case 'func':
      return 1;
    case 'record': {
      const l = layoutRecord(ty.decl, t);
      if (l.exact) throw OUT_OF_RANGE;
      return l.size;
    }
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
    const s = modeSize(ty, t);
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
      if (!ty.decl.values && !ty.decl.fixed && !ty.decl.attrs.aligned)
        throw new LayoutError(`incomplete type 'enum ${ty.decl.name ?? ''}'`);
      const int = t.ints[enumIntKind(ty.decl, t)];
      const a = (preferred && int.prefAlign) || int.align;
      return ty.decl.attrs.aligned ? Math.max(ty.decl.attrs.aligned, a) : a;
    }
    case 'typedef':
      // gcc lets aligned() on a typedef lower as well as raise the alignment.
      if (ty.attrs.aligned) return ty.attrs.aligned;
      return alignOf(ty.to, t, preferred);
    case 'vector':
      // Its size, however large (gcc places an 8192-byte vector 8192-aligned), unless the ABI caps it.
      return Math.min(ty.size, t.vectorAlign ?? ty.size);
  }
}

/** sizeOf at any magnitude, with gcc's limits (see ArrayTooLarge): what big.ts lays records out by. */
export function sizeOfBig(ty: CType, t: Target): bigint {
  switch (ty.kind) {
    case 'array': {
      if (ty.length === null) throw new LayoutError('invalid application of sizeof to an incomplete array type');
      const max = maxObjectSize(t);
      const count = ty.exactLength ?? BigInt(ty.length);
      if (count > max) throw new ArrayTooLarge('count', max);
      const n = count * sizeOfBig(ty.of, t);
      if (n >= 2n * (max + 1n)) throw new ArrayTooLarge('overflow', max);
      if (n > max) throw new ArrayTooLarge(n, max);
      return n;
    }
    case 'record': {
      const l = layoutRecord(ty.decl, t);
      return l.exact ? l.exact.size : BigInt(l.size);
    }
    case 'typedef':
      return sizeOfBig(ty.to, t);
    default:
      return BigInt(sizeOf(ty, t));
  }
}

/** A type's size where only a machine mode's (at most 16 bytes) matters: -1 past 2^50 bytes, where
 *  the plain sizeOf gives up (such a type has no scalar mode: BLKmode). */
export function modeSize(ty: CType, t: Target): number {
  try {
    return sizeOf(ty, t);
  } catch (e) {
    if (e instanceof OutOfRange) return -1;
    throw e;
  }
}
