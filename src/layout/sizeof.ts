// sizeof and _Alignof (and gcc's __alignof__) of any C type on a target; a record's come from its
// layout. An enumeration's integer type follows gcc's rules (packed, -fshort-enums, fixed types).

import type { CType, EnumDecl } from '../cparse/ctype.js';
import type { IntKind, Target } from '../target/target.js';
import { layoutRecord, LayoutError } from './layout.js';

/** A field's size: like sizeOf but a flexible array member ([] ) has size 0. */
export function sizeOfField(ty: CType, t: Target): number {
  const r = strip(ty);
  if (r.kind === 'array' && r.length === null) return 0;
  return sizeOf(ty, t);
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
      return Math.min(ty.size, t.vectorAlign ?? 64);
  }
}
