// gcc's record layout for the SysV ABIs: members placed in bits at their alignment (DECL_ALIGN, see
// DeclAlign), bitfields under PCC_BITFIELD_TYPE_MATTERS (no straddling an aligned unit of the declared
// type), packed, aligned() and #pragma pack as gcc's stor-layout.c applies them.

import type { CType, RecordDecl } from '../cparse/ctype.js';
import type { Target } from '../target/target.js';
import { OUT_OF_RANGE } from './errors.js';
import { ceilTo, MAX_EXACT_BYTES, tooLarge, type FieldLayout, type RecordLayout } from './layout.js';
import { intModeAlign, minAlignOf, typeUserAligned } from './modes.js';
import { alignOf, fieldSize, strip } from './sizeof.js';

export function layoutSysv(decl: RecordDecl, t: Target): RecordLayout {
  const fields = decl.fields!;
  const isUnion = decl.tag === 'union';
  const packAll = !!decl.attrs.packed || !!t.packAll;
  const pack = (decl.pack ?? t.defaultPack ?? 0) * 8; // bits, 0 = none
  let offset = 0; // bits, next free position (structs)
  let end = 0; // bits, end of data
  let align = 8 * Math.max(1, t.minRecordAlign); // bits
  let recordUser = !!decl.attrs.aligned;
  // gcc's offset_align (bits): record positions are kept as bytes in multiples of it plus bits below
  // it (the largest alignment, or the record's own aligned() if larger).
  const offsetAlign = Math.max(t.biggestAlign, decl.attrs.aligned ?? 0) * 8;
  const out: FieldLayout[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const ty = f.type;
    const size = fieldSize(decl, i, t);
    // (Past MAX_EXACT_BYTES layoutRecord starts over in bigint: see big.ts.)
    if (offset > MAX_EXACT_BYTES * 8) throw OUT_OF_RANGE;
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
        // (Packing does not apply to it; gcc describes no unnamed bitfield, so it has no forced one.)
        if (new DeclAlign(userAlign, ty, false, 0, t).pass(null, 0).user) recordUser = true;
        out.push({ bitOffset: isUnion ? 0 : offset, bitSize: 0, size, align: a / 8 });
        continue;
      }
      // Like any member, a bitfield is aligned to its own alignment (an aligned() on it; gcc's
      // DECL_ALIGN, see DeclAlign), which gcc raises to an integer mode's when the bitfield is as wide
      // as one and the position allows: it is then laid out as an ordinary member of that mode, and
      // the unit-span rule (below) no longer applies.
      const da = new DeclAlign(userAlign, ty, packed, pack, t).pass(w, isUnion ? 0 : offset);
      const promoted = !da.bitfield;
      // (i386's x86_field_alignment caps what no aligned() asked for.)
      const desired = !da.user && !packed && t.fieldAlignCap ? Math.min(da.bits, t.fieldAlignCap * 8) : da.bits;
      // gcc: under #pragma pack a bitfield contributes min(type, pack) to the record's alignment even
      // when packed, and is placed at the next bit with no straddle check (as packed ones are).
      let a = pack ? Math.min(natural, pack) : packed ? 8 : natural;
      a = Math.max(a, desired);
      let pos = isUnion ? 0 : offset;
      if (!isUnion) {
        // gcc keeps the position as bytes, a multiple of the offset alignment (see offsetAlign), plus
        // bits: an alignment below the offset alignment rounds the bits only (which may then reach
        // it), a larger one the bytes.
        let base = offset - (offset % offsetAlign);
        let bits = offset - base;
        if (desired >= offsetAlign) {
          base = ceilTo(ceilTo(offset, 8), desired);
          bits = 0;
        } else bits = ceilTo(bits, desired);
        pos = base + bits;
        // gcc's excess_unit_span: a bitfield may not span more units of its type's alignment than
        // the type itself holds (none, for a type aligned beyond its size). It rounds the bits, so a
        // type aligned beyond the offset alignment moves the bitfield past the bytes by its own.
        if (
          !promoted &&
          !packed &&
          !pack &&
          Math.floor(((pos % natural) + w + natural - 1) / natural) > Math.floor(unitBits / natural)
        ) {
          pos = base + ceilTo(bits, natural);
        }
      }
      if (f.name !== null || t.unnamedBitfieldAffectsAlign) align = Math.max(align, a);
      // A bitfield's type counts for the record when the bitfield is named (as its alignment does,
      // see align above), and in a struct when it is laid out as one (gcc's unit-span rule, which
      // packing and #pragma pack turn off).
      const spans = !isUnion && da.bitfield && !packed && !pack;
      if (da.user || ((f.name !== null || t.unnamedBitfieldAffectsAlign || spans) && typeUserAligned(ty, t)))
        recordUser = true;
      if (!isUnion && moved(offset, pos)) da.pass(w, pos);
      out.push(
        da.user
          ? { bitOffset: pos, bitSize: w, size, align: a / 8, forcedAlign: da.bits / 8 }
          : { bitOffset: pos, bitSize: w, size, align: a / 8 },
      );
      if (!isUnion) offset = pos + w;
      end = Math.max(end, pos + w);
      continue;
    }
    let a = packed ? 8 : natural;
    if (userAlign) a = Math.max(a, userAlign);
    if (pack) a = Math.min(a, pack);
    const pos = isUnion ? 0 : ceilTo(offset, a);
    align = Math.max(align, a);
    const da = new DeclAlign(userAlign, ty, packed, pack, t);
    if (da.pass(null, 0).user) recordUser = true;
    if (!isUnion && moved(offset, pos)) da.pass(null, pos);
    out.push(
      da.user
        ? { bitOffset: pos, size, align: a / 8, forcedAlign: da.bits / 8 }
        : { bitOffset: pos, size, align: a / 8 },
    );
    if (!isUnion) offset = pos + size * 8;
    end = Math.max(end, pos + size * 8);
    if (end > MAX_EXACT_BYTES * 8) throw OUT_OF_RANGE;
  }
  if (decl.attrs.aligned) align = Math.max(align, decl.attrs.aligned * 8);
  const bytes = ceilTo(Math.ceil(end / 8), align / 8);
  if (bytes > MAX_EXACT_BYTES) throw OUT_OF_RANGE;
  if (t.pointer.size < 8 && bytes > 2 ** (t.pointer.size * 8 - 1) - 1) throw tooLarge(decl);
  return { size: bytes, align: align / 8, fields: out, userAlign: recordUser };
}

/** Whether gcc lays a member out a second time: when it was placed at a position whose alignment
 *  (its lowest set bit) differs from that of the position the record had reached (bits). */
export const moved = (before: number, at: number): boolean => before !== at && (before & -before) !== (at & -at);

/** The alignment gcc gives a member and whether it records it as the user's (DECL_ALIGN and
 *  DECL_USER_ALIGN; the latter is emitted as DW_AT_alignment, and pahole prints it as
 *  __attribute__((__aligned__(N)))), as its layout_decl settles them in one pass (see pass). gcc runs
 *  a pass when it places the member and, if the member then moved (see moved), a second one on the
 *  first's result: under #pragma pack that second pass hands the user flag back to the type. */
export class DeclAlign {
  /** Bits. */
  bits: number;
  user: boolean;
  /** Still laid out as a bitfield (gcc turns one whose width is an integer mode's into a member). */
  bitfield = true;
  private readonly typeBits: number;
  constructor(
    attrBits: number,
    private readonly ty: CType,
    private readonly packed: boolean,
    private readonly pack: number,
    private readonly t: Target,
  ) {
    this.bits = attrBits;
    this.user = attrBits > 0;
    this.typeBits = alignOf(ty, t, true) * 8;
  }

  /** One pass of layout_decl: `width` for a bitfield (null otherwise), `knownBits` the position it
   *  may assume (0: any alignment). A member takes its type's alignment when that is larger, and
   *  with it the type's TYPE_USER_ALIGN, unless packing keeps an own attribute; packing without one
   *  brings it down to a byte; #pragma pack caps it. A bitfield has no type alignment: only an
   *  integer mode of its width, when the position allows that mode's alignment. */
  pass(width: number | null, knownBits: number): this {
    const oldUser = this.user;
    if (width !== null && width !== 0 && this.bitfield) {
      const mode = this.intMode(width);
      const packedBitfield = this.packed;
      const known = knownBits === 0 ? Infinity : knownBits & -knownBits;
      if (mode && !(mode > 8 && packedBitfield) && known >= mode) {
        this.bits = Math.max(this.bits, mode);
        this.bitfield = false;
      }
    } else {
      const declPacked = this.packed && this.typeBits > 8;
      if (!(declPacked && this.user) && this.typeBits > this.bits) {
        this.bits = this.typeBits;
        this.user = typeUserAligned(this.ty, this.t);
      }
      if (declPacked && !oldUser) this.bits = Math.min(this.bits, 8);
    }
    if (this.pack) this.bits = Math.min(this.bits, this.pack);
    return this;
  }

  /** Bits of alignment of the integer mode `width` bits wide, for an integer or enumeration type. */
  private intMode(width: number): number {
    const s = strip(this.ty);
    if ((s.kind !== 'int' && s.kind !== 'enum') || width % 8 !== 0) return 0;
    return (intModeAlign(width / 8, this.t) ?? 0) * 8;
  }
}
