// gcc's machine modes as layout sees them: which types get a scalar mode (and so i386's capped
// alignment, or on strict-alignment targets a cleared TYPE_USER_ALIGN), the integer mode of a size,
// and the user-alignment flags (TYPE_USER_ALIGN) that DWARF's DW_AT_alignment shows.

import type { CType, RecordDecl } from '../cparse/ctype.js';
import type { Target } from '../target/target.js';
import { layoutRecord } from './layout.js';
import { alignOf, modeSize, sizeOf, strip } from './sizeof.js';

/** What C's _Alignof answers (gcc's min_align_of_type): a member's alignment, at most the target's
 *  BIGGEST_ALIGNMENT unless an aligned() set it. A 32-byte vector without AVX is placed 32-aligned
 *  (alignOf), yet _Alignof says 16 for it and for a struct holding it. */
export function alignofOperator(ty: CType, t: Target): number {
  const a = minAlignOf(ty, t);
  return a > t.biggestAlign && !t.alignofUncapped && !userAlignedType(ty, t) ? t.biggestAlign : a;
}

/** gcc's TYPE_USER_ALIGN: an aligned() on the type, its typedefs or (for a record) a member. */
function userAlignedType(ty: CType, t: Target): boolean {
  if (ty.kind === 'typedef') return !!ty.attrs.aligned || userAlignedType(ty.to, t);
  if (ty.kind === 'array') return userAlignedType(ty.of, t);
  if (ty.kind === 'record') return !!ty.decl.attrs.aligned || !!layoutRecord(ty.decl, t).userAlign;
  return false;
}

/** The member alignment of gcc's min_align_of_type (without its BIGGEST_ALIGNMENT cap). On i386
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
  // (Only DFmode among floats: __float128, _Decimal64 and _Decimal128 keep their alignment.)
  // (An 8-byte vector without MMX has DImode, an integer mode.)
  if (
    s.kind === 'int' ||
    (s.kind === 'float' && s.fk === 'double') ||
    s.kind === 'enum' ||
    s.kind === 'pointer' ||
    (s.kind === 'vector' && s.size === 8 && !t.mmx)
  )
    return t.fieldAlignCap;
  if (s.kind === 'record' && !userAligned(s.decl, t) && modeSize(s, t) === 8 && hasIntMode(s, t))
    return t.fieldAlignCap;
  return a;
}

/** Whether gcc gives the type a scalar machine mode rather than BLKmode (compute_record_mode): records
 *  of 1, 2, 4 or 8 bytes whose members all have one; no flexible array member. */
function hasIntMode(ty: CType, t: Target, depth = 0): boolean {
  while (ty.kind === 'typedef') ty = ty.to;
  switch (ty.kind) {
    case 'int':
    case 'float':
    case 'enum':
    case 'pointer':
    case 'vector':
      return true;
    case 'array': {
      if (ty.length === null || depth > 16) return false;
      const size = modeSize(ty, t);
      return (size === 1 || size === 2 || size === 4 || size === 8 || size === 16) && hasIntMode(ty.of, t, depth + 1);
    }
    case 'record': {
      if (!ty.decl.fields || depth > 16) return false;
      const size = modeSize(ty, t);
      if (size !== 1 && size !== 2 && size !== 4 && size !== 8) return false;
      // (A member of size zero, [0] or an empty struct, does not make the record BLKmode.)
      return ty.decl.fields.every(
        (f) => f.bitWidth !== null || hasIntMode(f.type, t, depth + 1) || zeroSized(f.type, t),
      );
    }
    default:
      return false;
  }
}

/** A complete type of size zero (int[0], struct {}); not a flexible array, which has no size. */
function zeroSized(ty: CType, t: Target): boolean {
  const s = strip(ty);
  if (s.kind === 'array' ? s.length === null : s.kind === 'record' && !s.decl.fields) return false;
  try {
    return sizeOf(ty, t) === 0;
  } catch {
    return false;
  }
}

/** A record's alignment when gcc records it as the user's (TYPE_USER_ALIGN, see userAligned), else
 *  undefined: what it emits as the record's DW_AT_alignment. */
export function recordForcedAlign(d: RecordDecl, t: Target): number | undefined {
  return t.bitfields === 'sysv' && userAligned(d, t) ? layoutRecord(d, t).align : undefined;
}

/** gcc's TYPE_USER_ALIGN for a record (see RecordLayout.userAlign). On a strict-alignment target
 *  gcc's finalize_type_size clears it for a record that has a scalar mode (see strictMode) at least
 *  as aligned as the record. */
function userAligned(d: RecordDecl, t: Target): boolean {
  const l = layoutRecord(d, t);
  if (!l.userAlign) return false;
  if (!t.strictAlignment) return true;
  const m = strictMode({ kind: 'record', decl: d }, t);
  return typeof m !== 'number' || m < l.align;
}

/** The alignment of the scalar machine mode gcc gives a type on a strict-alignment target, or
 *  undefined for BLKmode ('soft' for BLKmode only because the type is less aligned than that mode
 *  would need, gcc's TYPE_NO_FORCE_BLK, which unlike BLKmode leaves a record holding it a mode). An
 *  array of one element has its element's mode; a record with a member that spans it has that
 *  member's (a union only an integer one); any other the integer mode of its size, unless a member
 *  is BLKmode. */
function strictMode(ty: CType, t: Target, depth = 0): number | 'soft' | undefined {
  while (ty.kind === 'typedef') ty = ty.to;
  switch (ty.kind) {
    case 'int':
    case 'float':
    case 'enum':
    case 'pointer':
    case 'vector':
      return alignOf(ty, t);
    case 'array': {
      if (ty.length === null || depth > 16) return undefined;
      const elem = strictMode(ty.of, t, depth + 1);
      if (elem === undefined) return undefined;
      if (ty.length !== 1) return sizedMode(modeSize(ty, t), alignOf(ty, t), t);
      if (elem === 'soft') return undefined;
      return alignOf(ty, t) < elem ? 'soft' : elem;
    }
    case 'record': {
      if (!ty.decl.fields || depth > 16) return undefined;
      const size = modeSize(ty, t);
      let spanning: number | undefined;
      for (const f of ty.decl.fields) {
        if (f.bitWidth !== null || zeroSized(f.type, t)) continue;
        const m = strictMode(f.type, t, depth + 1);
        if (m === undefined) return undefined;
        // (A union takes a spanning member's mode only when it is an integer one.)
        if (typeof m === 'number' && modeSize(f.type, t) === size && (ty.decl.tag === 'struct' || intModeClass(f.type)))
          spanning = m;
      }
      if (spanning !== undefined) return alignOf(ty, t) < spanning ? 'soft' : spanning;
      return sizedMode(size, alignOf(ty, t), t);
    }
    default:
      return undefined;
  }
}

/** Whether a type's machine mode is an integer one (not a float, complex or vector one). */
function intModeClass(ty: CType): boolean {
  const s = strip(ty);
  return s.kind === 'int' || s.kind === 'enum' || s.kind === 'pointer';
}

/** The integer mode of `size` bytes for a type aligned to `align`: its alignment, 'soft' when that is
 *  more than the type's, undefined when there is none. */
function sizedMode(size: number, align: number, t: Target): number | 'soft' | undefined {
  const mode = intModeAlign(size, t);
  if (mode === undefined) return undefined;
  return align < mode ? 'soft' : mode;
}

/** The alignment (bytes, gcc's GET_MODE_ALIGNMENT) of the integer machine mode `size` bytes wide,
 *  if the target has one: that of its integer type of that size (16 bytes only where it has 128-bit
 *  integers). */
export function intModeAlign(size: number, t: Target): number | undefined {
  if (size === 16 && t.noInt128) return undefined;
  const int = Object.values(t.ints).find((x) => x.size === size);
  return int ? (int.prefAlign ?? int.align) : undefined;
}
/** gcc's TYPE_USER_ALIGN for a member's type: a typedef or record that carries an aligned() (a record
 *  also through its members, see userAligned), or an array of one, unless a strict-alignment target
 *  gave the array a scalar mode of its alignment (see userAligned). (An enumeration's aligned()
 *  aligns it but is not recorded as the user's.) */
export function typeUserAligned(ty: CType, t: Target): boolean {
  switch (ty.kind) {
    case 'typedef':
      return !!ty.attrs.aligned || typeUserAligned(ty.to, t);
    case 'array': {
      if (!typeUserAligned(ty.of, t)) return false;
      if (!t.strictAlignment) return true;
      const m = strictMode(ty, t);
      return typeof m !== 'number' || m < alignOf(ty, t);
    }
    case 'record':
      return userAligned(ty.decl, t);
    default:
      return false;
  }
}
