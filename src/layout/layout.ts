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
const MAX_EXACT_BYTES = 2 ** 50;

/** The error for a record, or its member `field`, past MAX_EXACT_BYTES: gcc's words when gcc too
 *  refuses it ("size of array 'a' is too large", "type 'struct s' is too large"). */
function tooLarge(decl: RecordDecl, bytes: number, field?: number): LayoutError {
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

const ceilTo = (v: number, a: number): number => (a <= 1 ? v : Math.ceil(v / a) * a);

function layoutSysv(decl: RecordDecl, t: Target): RecordLayout {
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
    const size = sizeOfField(ty, t);
    if (size > MAX_EXACT_BYTES || offset > MAX_EXACT_BYTES * 8) throw tooLarge(decl, Math.max(size, offset / 8), i);
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
    if (end > MAX_EXACT_BYTES * 8) throw tooLarge(decl, end / 8, i);
  }
  if (decl.attrs.aligned) align = Math.max(align, decl.attrs.aligned * 8);
  const bytes = ceilTo(Math.ceil(end / 8), align / 8);
  if (bytes > MAX_EXACT_BYTES) throw tooLarge(decl, bytes);
  return { size: bytes, align: align / 8, fields: out, userAlign: recordUser };
}

/** Whether gcc lays a member out a second time: when it was placed at a position whose alignment
 *  (its lowest set bit) differs from that of the position the record had reached (bits). */
const moved = (before: number, at: number): boolean => before !== at && (before & -before) !== (at & -at);

/** The alignment gcc gives a member and whether it records it as the user's (DECL_ALIGN and
 *  DECL_USER_ALIGN; the latter is emitted as DW_AT_alignment, and pahole prints it as
 *  __attribute__((__aligned__(N)))), as its layout_decl settles them in one pass (see pass). gcc runs
 *  a pass when it places the member and, if the member then moved (see moved), a second one on the
 *  first's result: under #pragma pack that second pass hands the user flag back to the type. */
class DeclAlign {
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

/** gcc's TYPE_USER_ALIGN for a member's type: a typedef or record that carries an aligned() (a record
 *  also through its members, see userAligned), or an array of one, unless a strict-alignment target
 *  gave the array a scalar mode of its alignment (see userAligned). (An enumeration's aligned()
 *  aligns it but is not recorded as the user's.) */
function typeUserAligned(ty: CType, t: Target): boolean {
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
function layoutMsvc(decl: RecordDecl, t: Target): RecordLayout {
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
    const fsize = sizeOfField(f.type, t);
    if (fsize > MAX_EXACT_BYTES || size > MAX_EXACT_BYTES) throw tooLarge(decl, Math.max(fsize, size), i);
    const isBitfield = f.bitWidth !== null;
    // The member's alignment: its type's without a top-level typedef, capped by pack, at least the
    // required one.
    let a = alignOf(strip(f.type), t);
    let need = f.attrs.aligned ?? 0;
    if (alignmentRequired(f.type)) need = Math.max(need, alignOf(f.type, t));
    if (isBitfield) a = Math.max(a, need);
    else {
      const rec = baseRecord(f.type);
      if (rec) need = Math.max(need, layoutRecord(rec, t).required ?? 0);
      required = Math.max(required, need);
    }
    if (maxField) a = Math.min(a, maxField);
    if (f.attrs.packed) a = 1;
    a = Math.max(a, need);
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
  if (size > MAX_EXACT_BYTES) throw tooLarge(decl, size);
  return { size, align: alignment, fields: out, required };
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
  if (s.kind === 'record' && !userAligned(s.decl, t) && sizeOf(s, t) === 8 && hasIntMode(s, t)) return t.fieldAlignCap;
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
      const size = sizeOf(ty, t);
      return (size === 1 || size === 2 || size === 4 || size === 8 || size === 16) && hasIntMode(ty.of, t, depth + 1);
    }
    case 'record': {
      if (!ty.decl.fields || depth > 16) return false;
      const size = sizeOf(ty, t);
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
      if (ty.length !== 1) return sizedMode(sizeOf(ty, t), alignOf(ty, t), t);
      if (elem === 'soft') return undefined;
      return alignOf(ty, t) < elem ? 'soft' : elem;
    }
    case 'record': {
      if (!ty.decl.fields || depth > 16) return undefined;
      const size = sizeOf(ty, t);
      let spanning: number | undefined;
      for (const f of ty.decl.fields) {
        if (f.bitWidth !== null || zeroSized(f.type, t)) continue;
        const m = strictMode(f.type, t, depth + 1);
        if (m === undefined) return undefined;
        // (A union takes a spanning member's mode only when it is an integer one.)
        if (typeof m === 'number' && sizeOf(f.type, t) === size && (ty.decl.tag === 'struct' || intModeClass(f.type)))
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
function intModeAlign(size: number, t: Target): number | undefined {
  if (size === 16 && t.noInt128) return undefined;
  const int = Object.values(t.ints).find((x) => x.size === size);
  return int ? (int.prefAlign ?? int.align) : undefined;
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
      // Its size, however large (gcc places an 8192-byte vector 8192-aligned), unless the ABI caps it.
      return Math.min(ty.size, t.vectorAlign ?? ty.size);
  }
}
