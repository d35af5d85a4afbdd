// Record layout for a target: a pure function from a RecordDecl (parser model) and a Target to sizes,
// alignments and every field's bit offset, in bits throughout. The rules are gcc's for the SysV ABIs
// (PCC_BITFIELD_TYPE_MATTERS: a bitfield may not straddle an aligned unit of its declared type) and,
// for MSVC targets, Microsoft's storage-unit rules. References: the x86-64 psABI 3.1.2, GCC's manual
// ("Common Type Attributes", "Structure-Layout Pragmas"), checked against gcc with probes.
//
// This file holds the entry point and the results' shape; the rules are spread by subject: sysv.ts
// (gcc's placement of members and bitfields), msvc.ts (Microsoft's), modes.ts (gcc's machine modes and
// user alignment flags), sizeof.ts (sizeof and _Alignof of any type).

import type { RecordDecl } from '../cparse/ctype.js';
import type { Target } from '../target/target.js';
import { layoutMsvc } from './msvc.js';
import { strip } from './sizeof.js';
import { layoutSysv } from './sysv.js';

export { alignOf, enumIntKind, sizeOf } from './sizeof.js';
export { minAlignOf, recordForcedAlign } from './modes.js';

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
}

/** Thrown for types that have no size (incomplete records, void arrays); callers report it. `field`:
 *  the index of the member it concerns, when layout knows it. */
export class LayoutError extends Error {
  constructor(
    message: string,
    readonly field?: number,
    readonly decl?: RecordDecl,
  ) {
    super(message);
  }
}

/** Bytes: past this a bit offset is no longer an exact double. gcc's own limit is 2^63 - 1 bytes. */
export const MAX_EXACT_BYTES = 2 ** 50;

/** The error for a record, or its member `field`, past MAX_EXACT_BYTES: gcc's words when gcc too
 *  refuses it ("size of array 'a' is too large", "type 'struct s' is too large"). */
export function tooLarge(decl: RecordDecl, bytes: number, field?: number): LayoutError {
  const f = field !== undefined ? decl.fields![field] : undefined;
  const what =
    f && strip(f.type).kind === 'array'
      ? `size of array '${f.name ?? '<anonymous>'}'`
      : `type '${decl.tag} ${decl.name ?? '<anonymous>'}'`;
  return new LayoutError(
    `${what} is too large${bytes >= 2 ** 63 ? '' : ' for an exact layout (more than 2^50 bytes)'}`,
    field,
    decl,
  );
}

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

/** `v` rounded up to a multiple of `a`. */
export const ceilTo = (v: number, a: number): number => (a <= 1 ? v : Math.ceil(v / a) * a);
