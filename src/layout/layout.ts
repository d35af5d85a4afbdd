// Record layout for a target: a pure function from a RecordDecl (parser model) and a Target to sizes,
// alignments and every field's bit offset. Bits everywhere. (Stub: the layout engine replaces this.)

import type { CType, RecordDecl } from '../cparse/ctype.js';
import type { Target } from '../target/target.js';

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

export function layoutRecord(_decl: RecordDecl, _target: Target): RecordLayout {
  throw new Error('layoutRecord: not implemented yet');
}

export function sizeOf(_t: CType, _target: Target): number {
  throw new Error('sizeOf: not implemented yet');
}

export function alignOf(_t: CType, _target: Target): number {
  throw new Error('alignOf: not implemented yet');
}
