// gcc's SysV record layout again, in bigint: for the records the plain path (sysv.ts, in numbers)
// gives up on because a position passes 2^50 bytes; Microsoft's (msvc.ts) likewise, at the end. gcc
// lays out objects up to PTRDIFF_MAX bytes (2^63 - 1 on 64-bit targets); past it, "type 'struct s' is
// too large". Alignments stay numbers
// (gcc caps them at 2^28 bytes): only positions and sizes grow. test/layout/big.test.ts holds this
// file to sysv.ts on records that fit both, and both to gcc.

import type { RecordDecl } from '../cparse/ctype.js';
import type { Target } from '../target/target.js';
import { MAX_EXACT_BYTES, tooLarge, type FieldLayout, type RecordLayout } from './layout.js';
import { minAlignOf, typeUserAligned } from './modes.js';
import { memberAlign } from './msvc.js';
import { fieldSize, maxObjectSize, sizeOfBig } from './sizeof.js';
import { DeclAlign } from './sysv.js';

const ceil = (v: bigint, a: number): bigint => {
  if (a <= 1) return v;
  const b = BigInt(a);
  return ((v + b - 1n) / b) * b;
};
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const lowBit = (v: bigint): bigint => v & -v;
/** What DeclAlign may assume of a position's alignment (bits, a number; 0: any). Alignments are at
 *  most 2^31 bits, so a position aligned beyond 2^30 bits is as good as aligned to everything. */
const known = (pos: bigint): number => (pos === 0n ? 0 : lowBit(pos) >= 1n << 30n ? 2 ** 30 : Number(lowBit(pos)));
const moved = (before: bigint, at: bigint): boolean => before !== at && lowBit(before) !== lowBit(at);

/** layoutSysv's rules step for step (see the comments there), positions in bigint bits. */
export function layoutSysvBig(decl: RecordDecl, t: Target): RecordLayout {
  const fields = decl.fields!;
  const isUnion = decl.tag === 'union';
  const packAll = !!decl.attrs.packed || !!t.packAll;
  const pack = (decl.pack ?? t.defaultPack ?? 0) * 8;
  let offset = 0n;
  let end = 0n;
  let align = 8 * Math.max(1, t.minRecordAlign);
  let recordUser = !!decl.attrs.aligned;
  const offsetAlign = BigInt(Math.max(t.biggestAlign, decl.attrs.aligned ?? 0) * 8);
  const out: FieldLayout[] = [];
  const bitOffsets: bigint[] = [];
  const sizes: bigint[] = [];
  const push = (pos: bigint, size: bigint, fl: Omit<FieldLayout, 'bitOffset' | 'size'>): void => {
    out.push({ bitOffset: Number(pos), size: Number(size), ...fl });
    bitOffsets.push(pos);
    sizes.push(size);
  };
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const ty = f.type;
    const size = fieldSize(decl, i, t, sizeOfBig);
    const natural = minAlignOf(ty, t) * 8;
    const userAlign = (f.attrs.aligned ?? 0) * 8;
    const packed = packAll || !!f.attrs.packed;
    if (f.bitWidth !== null) {
      const w = f.bitWidth;
      const unitBits = Number(size) * 8; // (a bitfield's type is a scalar)
      if (w === 0) {
        const a = Math.max(natural, userAlign);
        if (!isUnion) {
          offset = ceil(offset, a);
          end = max(end, offset);
        }
        if (t.zeroWidthBitfieldAffectsAlign) align = Math.max(align, a);
        if (new DeclAlign(userAlign, ty, false, 0, t).pass(null, 0).user) recordUser = true;
        push(isUnion ? 0n : offset, size, { bitSize: 0, align: a / 8 });
        continue;
      }
      const da = new DeclAlign(userAlign, ty, packed, pack, t).pass(w, isUnion ? 0 : known(offset));
      const desired = !da.user && !packed && t.fieldAlignCap ? Math.min(da.bits, t.fieldAlignCap * 8) : da.bits;
      let a = pack ? Math.min(natural, pack) : packed ? 8 : natural;
      a = Math.max(a, desired);
      let pos = isUnion ? 0n : offset;
      if (!isUnion) {
        let base = offset - (offset % offsetAlign);
        let bits = offset - base;
        if (BigInt(desired) >= offsetAlign) {
          base = ceil(ceil(offset, 8), desired);
          bits = 0n;
        } else bits = ceil(bits, desired);
        pos = base + bits;
        const within = Number(pos % BigInt(natural));
        if (
          da.bitfield &&
          !packed &&
          !pack &&
          Math.floor((within + w + natural - 1) / natural) > Math.floor(unitBits / natural)
        )
          pos = base + ceil(bits, natural);
      }
      if (f.name !== null || t.unnamedBitfieldAffectsAlign) align = Math.max(align, a);
      const spans = !isUnion && da.bitfield && !packed && !pack;
      if (da.user || ((f.name !== null || t.unnamedBitfieldAffectsAlign || spans) && typeUserAligned(ty, t)))
        recordUser = true;
      if (!isUnion && moved(offset, pos)) da.pass(w, known(pos));
      push(pos, size, da.user ? { bitSize: w, align: a / 8, forcedAlign: da.bits / 8 } : { bitSize: w, align: a / 8 });
      if (!isUnion) offset = pos + BigInt(w);
      end = max(end, pos + BigInt(w));
      continue;
    }
    let a = packed ? 8 : natural;
    if (userAlign) a = Math.max(a, userAlign);
    if (pack) a = Math.min(a, pack);
    const pos = isUnion ? 0n : ceil(offset, a);
    align = Math.max(align, a);
    const da = new DeclAlign(userAlign, ty, packed, pack, t);
    if (da.pass(null, 0).user) recordUser = true;
    if (!isUnion && moved(offset, pos)) da.pass(null, known(pos));
    push(pos, size, da.user ? { align: a / 8, forcedAlign: da.bits / 8 } : { align: a / 8 });
    if (!isUnion) offset = pos + size * 8n;
    end = max(end, pos + size * 8n);
  }
  if (decl.attrs.aligned) align = Math.max(align, decl.attrs.aligned * 8);
  const bytes = ceil((end + 7n) / 8n, align / 8);
  if (bytes > maxObjectSize(t)) throw tooLarge(decl);
  return {
    size: Number(bytes),
    align: align / 8,
    fields: out,
    userAlign: recordUser,
    exact: { size: bytes, bitOffsets, sizes },
  };
}

/** clang's Microsoft layout counts a record's bits in 64 bits: past 2^61 - 1 bytes its answer wraps
 *  (sizeof a 2^61 + 8 byte struct is 8), so such a record is refused as too large, as gcc words it. */
const maxMsvcBytes = (t: Target): bigint => {
  const m = maxObjectSize(t);
  return m < (1n << 61n) - 1n ? m : (1n << 61n) - 1n;
};

/** layoutMsvc's rules step for step (see the comments there), positions in bigint bytes. */
export function layoutMsvcBig(decl: RecordDecl, t: Target): RecordLayout {
  const fields = decl.fields!;
  const isUnion = decl.tag === 'union';
  // Bytes, in bigint, but the bit positions within a storage unit; alignments stay numbers.
  const declPack = decl.pack ?? t.defaultPack;
  let maxField = declPack && declPack <= t.pointer.size ? declPack : 0;
  if (decl.attrs.packed || t.packAll) maxField = 1;
  let size = 0n;
  let alignment = 1;
  let required = t.pointer.size >= 8 ? 1 : 0;
  let afterBitfield = false; // the last field was a bitfield of non-zero width
  let unitSize = 0;
  let remaining = 0; // bits left in the current storage unit
  const out: FieldLayout[] = [];
  const bitOffsets: bigint[] = [];
  const sizes: bigint[] = [];
  const push = (bits: bigint, fsize: bigint, fl: Omit<FieldLayout, 'bitOffset' | 'size'>): void => {
    out.push({ bitOffset: Number(bits), size: Number(fsize), ...fl });
    bitOffsets.push(bits);
    sizes.push(fsize);
  };
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const fsize = fieldSize(decl, i, t, sizeOfBig);
    const isBitfield = f.bitWidth !== null;
    const { a, need } = memberAlign(f, t, maxField);
    if (!isBitfield) required = Math.max(required, need);
    if (!isBitfield) {
      afterBitfield = false;
      alignment = Math.max(alignment, a);
      const off = isUnion ? 0n : ceil(size, a);
      push(off * 8n, fsize, { align: a });
      size = max(size, off + fsize);
      continue;
    }
    const unit = Number(fsize); // (a bitfield's type is a scalar)
    const w = Math.min(f.bitWidth!, unit * 8);
    if (w === 0) {
      if (!afterBitfield) {
        push(isUnion ? 0n : size * 8n, fsize, { bitSize: 0, align: a });
        continue;
      }
      afterBitfield = false;
      if (isUnion) {
        push(0n, fsize, { bitSize: 0, align: 1 });
        size = max(size, fsize);
      } else {
        size = ceil(size, a);
        alignment = Math.max(alignment, a);
        push(size * 8n, fsize, { bitSize: 0, align: a });
      }
      continue;
    }
    if (!isUnion && afterBitfield && unitSize === unit && w <= remaining) {
      push(size * 8n - BigInt(remaining), fsize, { bitSize: w, align: a });
      remaining -= w;
      continue;
    }
    afterBitfield = true;
    unitSize = unit;
    if (isUnion) {
      push(0n, fsize, { bitSize: w, align: 1 });
      size = max(size, fsize);
    } else {
      const off = ceil(size, a);
      push(off * 8n, fsize, { bitSize: w, align: a });
      size = off + fsize;
      alignment = Math.max(alignment, a);
      remaining = unit * 8 - w;
    }
  }
  size = ceil(size, alignment);
  required = Math.max(required, decl.attrs.aligned ?? 0);
  if (required) {
    alignment = Math.max(alignment, required);
    const step = Math.max(maxField ? Math.min(alignment, maxField) : alignment, required);
    size = ceil(size, step);
  }
  if (size === 0n) size = BigInt(required >= 4 ? alignment : 4);
  if (size > maxMsvcBytes(t)) throw tooLarge(decl);
  const exact = size > MAX_EXACT_BYTES ? { exact: { size, bitOffsets, sizes } } : {};
  return { size: Number(size), align: alignment, fields: out, required, ...exact };
}
