// Microsoft's record layout (x86_64-windows-msvc): storage units for bitfields, and the "required"
// alignment that #pragma pack cannot lower.

import type { CType, FieldDecl, RecordDecl } from '../cparse/ctype.js';
import type { Target } from '../target/target.js';
import { OUT_OF_RANGE } from './errors.js';
import { ceilTo, layoutRecord, MAX_EXACT_BYTES, type FieldLayout, type RecordLayout } from './layout.js';
import { alignOf, fieldSize, strip } from './sizeof.js';

/** MSVC (x86_64-windows-msvc), after the rules clang's MicrosoftRecordLayoutBuilder implements for C:
 *  - a bitfield run continues while the declared type's size is the same and the bits fit; otherwise
 *    a new storage unit starts at the type's alignment. A zero-width bitfield counts only right after
 *    a non-zero-width one: in a struct it aligns the next unit, in a union it raises the size to its
 *    type's size. Union bitfields never raise the alignment.
 *  - #pragma pack (ignored above the pointer size) and packed cap a member's natural alignment, but
 *    not its "required" alignment: __declspec(align)/aligned() on the member, the whole alignment of
 *    a type that carries one (a typedef or record declared aligned), and the required alignment of a
 *    record it holds (that record's own, its members', recursively; at least 1 on 64-bit targets).
 *  - the record's alignment is at least its required alignment, and so is the step its size is
 *    rounded to; a record without data is 4 bytes, or its alignment when a required one is 4 or more. */
export function layoutMsvc(decl: RecordDecl, t: Target): RecordLayout {
  const fields = decl.fields!;
  const isUnion = decl.tag === 'union';
  // Everything in bytes but the bit positions within a storage unit.
  const declPack = decl.pack ?? t.defaultPack;
  let maxField = declPack && declPack <= t.pointer.size ? declPack : 0;
  if (decl.attrs.packed || t.packAll) maxField = 1;
  let size = 0;
  let alignment = 1;
  let required = t.pointer.size >= 8 ? 1 : 0;
  let afterBitfield = false; // the last field was a bitfield of non-zero width
  let unitSize = 0;
  let remaining = 0; // bits left in the current storage unit
  const out: FieldLayout[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const fsize = fieldSize(decl, i, t);
    if (size > MAX_EXACT_BYTES) throw OUT_OF_RANGE;
    const isBitfield = f.bitWidth !== null;
    const { a, need } = memberAlign(f, t, maxField);
    if (!isBitfield) required = Math.max(required, need);
    if (!isBitfield) {
      afterBitfield = false;
      alignment = Math.max(alignment, a);
      const off = isUnion ? 0 : ceilTo(size, a);
      out.push({ bitOffset: off * 8, size: fsize, align: a });
      size = Math.max(size, off + fsize);
      continue;
    }
    const w = Math.min(f.bitWidth!, fsize * 8);
    if (w === 0) {
      if (!afterBitfield) {
        out.push({ bitOffset: isUnion ? 0 : size * 8, bitSize: 0, size: fsize, align: a });
        continue;
      }
      afterBitfield = false;
      if (isUnion) {
        out.push({ bitOffset: 0, bitSize: 0, size: fsize, align: 1 });
        size = Math.max(size, fsize);
      } else {
        size = ceilTo(size, a);
        alignment = Math.max(alignment, a);
        out.push({ bitOffset: size * 8, bitSize: 0, size: fsize, align: a });
      }
      continue;
    }
    if (!isUnion && afterBitfield && unitSize === fsize && w <= remaining) {
      out.push({ bitOffset: size * 8 - remaining, bitSize: w, size: fsize, align: a });
      remaining -= w;
      continue;
    }
    afterBitfield = true;
    unitSize = fsize;
    if (isUnion) {
      out.push({ bitOffset: 0, bitSize: w, size: fsize, align: 1 });
      size = Math.max(size, fsize);
    } else {
      const off = ceilTo(size, a);
      out.push({ bitOffset: off * 8, bitSize: w, size: fsize, align: a });
      size = off + fsize;
      alignment = Math.max(alignment, a);
      remaining = fsize * 8 - w;
    }
  }
  size = ceilTo(size, alignment);
  required = Math.max(required, decl.attrs.aligned ?? 0);
  if (required) {
    alignment = Math.max(alignment, required);
    const step = Math.max(maxField ? Math.min(alignment, maxField) : alignment, required);
    size = ceilTo(size, step);
  }
  if (size === 0) size = required >= 4 ? alignment : 4;
  if (size > MAX_EXACT_BYTES) throw OUT_OF_RANGE;
  return { size, align: alignment, fields: out, required };
}

/** A member's alignment (its type's without a top-level typedef, capped by pack, at least the required
 *  one) and its required alignment (a bitfield's raises only its own). */
export function memberAlign(f: FieldDecl, t: Target, maxField: number): { a: number; need: number } {
  const isBitfield = f.bitWidth !== null;
  let a = alignOf(strip(f.type), t);
  let need = f.attrs.aligned ?? 0;
  if (alignmentRequired(f.type)) need = Math.max(need, alignOf(f.type, t));
  if (isBitfield) a = Math.max(a, need);
  else {
    const rec = baseRecord(f.type);
    if (rec) need = Math.max(need, layoutRecord(rec, t).required ?? 0);
  }
  if (maxField) a = Math.min(a, maxField);
  if (f.attrs.packed) a = 1;
  return { a: Math.max(a, need), need };
}

/** A type whose alignment MSVC never lets #pragma pack lower: a typedef or record declared with
 *  __declspec(align)/aligned(), an array of one, or a typedef of one. */
function alignmentRequired(ty: CType): boolean {
  for (;;) {
    if (ty.kind === 'typedef') {
      if (ty.attrs.aligned) return true;
      ty = ty.to;
    } else if (ty.kind === 'array') ty = ty.of;
    else return ty.kind === 'record' && !!ty.decl.attrs.aligned;
  }
}

/** The record an array (of arrays) of records, or a record, holds. */
function baseRecord(ty: CType): RecordDecl | undefined {
  for (;;) {
    if (ty.kind === 'typedef') ty = ty.to;
    else if (ty.kind === 'array') ty = ty.of;
    else return ty.kind === 'record' ? ty.decl : undefined;
  }
}
