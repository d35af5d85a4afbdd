// Record layout for a target: a pure function from a RecordDecl (parser model) and a Target to sizes,
// alignments and every field's bit offset, in bits throughout. The rules are gcc's for the SysV ABIs
// (PCC_BITFIELD_TYPE_MATTERS: a bitfield may not straddle an aligned unit of its declared type) and,
// for MSVC targets, Microsoft's storage-unit rules. References: the x86-64 psABI 3.1.2, GCC's manual
// ("Common Type Attributes", "Structure-Layout Pragmas"), checked against gcc with probes.
//
// This file holds the entry point and the results' shape; the rules are spread by subject: sysv.ts
// (gcc's placement of members and bitfields), msvc.ts (Microsoft's), modes.ts (gcc's machine modes and
// user alignment flags), sizeof.ts (sizeof and _Alignof of any type, and gcc's largest object), big.ts
// (gcc's placement again in bigint, for records past 2^50 bytes).

import type { RecordDecl } from '../cparse/ctype.js';
import type { Target } from '../target/target.js';
import { layoutMsvcBig, layoutSysvBig } from './big.js';
import { LayoutError, OUT_OF_RANGE } from './errors.js';
import { layoutMsvc } from './msvc.js';
import { layoutSysv } from './sysv.js';

export { LayoutError, OUT_OF_RANGE, OutOfRange } from './errors.js';
export { alignOf, enumIntKind, maxObjectSize, sizeOf, sizeOfBig } from './sizeof.js';
export { alignofOperator, minAlignOf, recordForcedAlign } from './modes.js';

export interface FieldLayout {
  /** Bits from the start of the record. */
  readonly bitOffset: number;
  /** Bitfield width; absent for ordinary fields. */
  readonly bitSize?: number;
  /** Bytes: the declared type's size (0 for a flexible array). */
  readonly size: number;
  /** Bytes: the field's effective alignment in this record. */
  readonly align: number;
  /** Bytes: the alignment gcc records as the user's (see forcedAlign); absent when it records none. */
  readonly forcedAlign?: number;
}

export interface RecordLayout {
  readonly size: number;
  readonly align: number;
  /** Parallel to decl.fields. */
  readonly fields: readonly FieldLayout[];
  /** MSVC targets: the record's required alignment (what #pragma pack cannot lower in a record
   *  that holds it; see layoutMsvc). */
  readonly required?: number;
  /** gcc's TYPE_USER_ALIGN (SysV targets) as layout leaves it: an aligned() on the record, or a
   *  member that gcc records as explicitly aligned (see DeclAlign), or a bitfield whose type is (see
   *  userAligned for what a strict-alignment target then does). */
  readonly userAlign?: boolean;
  /** Present when the record passes MAX_EXACT_BYTES (laid out by big.ts). */
  readonly exact?: ExactLayout;
}

/** Bytes: past this a bit offset is no longer an exact double; layout then goes on in bigint (big.ts).
 *  gcc's own limit is the target's PTRDIFF_MAX (see maxObjectSize). */
export const MAX_EXACT_BYTES = 2 ** 50;

/** The exact values of a record laid out in bigint (larger than MAX_EXACT_BYTES); the number fields
 *  of its RecordLayout then hold the nearest doubles. Bits for offsets, bytes for sizes. */
export interface ExactLayout {
  readonly size: bigint;
  /** Parallel to fields. */
  readonly bitOffsets: readonly bigint[];
  readonly sizes: readonly bigint[];
}

/** gcc's "type 'struct s' is too large", for a record larger than the target's largest object:
 *  located at the record (field past the last one). */
export function tooLarge(decl: RecordDecl): LayoutError {
  return new LayoutError(`type '${decl.tag} ${decl.name ?? '<anonymous>'}' is too large`, decl.fields!.length, decl);
}

const cache = new WeakMap<Target, WeakMap<RecordDecl, RecordLayout>>();
/** The targets `cache` has layouts for (few). */
const cachedTargets = new Set<Target>();
const inProgress = new Set<RecordDecl>();

/** Forgets `decl`'s layouts: a forward declaration put back to incomplete, to be completed again
 *  (src/cparse/parse-prefix.ts). */
export function forgetLayouts(decl: RecordDecl): void {
  for (const t of cachedTargets) cache.get(t)?.delete(decl);
}

export function layoutRecord(decl: RecordDecl, target: Target): RecordLayout {
  let perTarget = cache.get(target);
  if (!perTarget) {
    cache.set(target, (perTarget = new WeakMap()));
    cachedTargets.add(target);
  }
  const hit = perTarget.get(decl);
  if (hit) return hit;
  if (!decl.fields) throw new LayoutError(`incomplete type '${decl.tag} ${decl.name ?? '<anonymous>'}'`);
  if (inProgress.has(decl)) throw new LayoutError(`'${decl.tag} ${decl.name ?? '<anonymous>'}' contains itself`);
  inProgress.add(decl);
  try {
    let r: RecordLayout;
    try {
      r = target.bitfields === 'msvc' ? layoutMsvc(decl, target) : layoutSysv(decl, target);
    } catch (e) {
      if (e !== OUT_OF_RANGE) throw e;
      r = target.bitfields === 'msvc' ? layoutMsvcBig(decl, target) : layoutSysvBig(decl, target);
    }
    perTarget.set(decl, r);
    return r;
  } finally {
    inProgress.delete(decl);
  }
}

/** `v` rounded up to a multiple of `a`. */
export const ceilTo = (v: number, a: number): number => (a <= 1 ? v : Math.ceil(v / a) * a);
