// DWARF's attribute values of every form, read through a unit's cursor that owns where the last
// value ended (no module-level state); dwarf-sections.ts has the LEB128 cursor and the abbreviations.

import type { ByteReader } from './reader.js';
import { DW_FORM } from './dwarf-const.js';
import { Leb, SLOTS, type Abbrev, type AbbrevTable, type DwarfSections } from './dwarf-sections.js';

export type AttrValue = number | string | Uint8Array | { ref: number } | { sig: bigint };

/** One unit's attribute reader: its format (offset and address sizes) and string base; `end` is
 *  where the last value read ended. */
export class Unit {
  /** Where the last readForm's value ended. */
  end = 0;
  strOffBase = 8;
  readonly info: ByteReader;
  /** Its offset size * 256 + address size (what Abbrev.fixed is computed for). */
  readonly sizes: number;
  constructor(
    readonly sec: DwarfSections,
    readonly unitStart: number,
    readonly version: number,
    readonly is64: boolean,
    readonly addrSize: number,
    /** The unit's abbreviation table (for DIEs the scan stepped over, such as enumerators). */
    readonly abbrevs: AbbrevTable,
  ) {
    this.info = sec.info;
    this.sizes = (is64 ? 8 : 4) * 256 + addrSize;
  }

  /** A section offset (4 or 8 bytes by the unit's format) at q. */
  private secOff(q: number): number {
    return this.is64 ? this.info.u64(q) : this.info.u32(q);
  }

  /** String `i` of the unit's .debug_str_offsets table (DW_FORM_strx*); `p` for the error. */
  private strx(i: number, p: number): string {
    const { strOffsets, str } = this.sec;
    if (!strOffsets || !str) throw this.info.fail('DW_FORM_strx without .debug_str_offsets', p);
    const o = this.is64 ? strOffsets.u64(this.strOffBase + i * 8) : strOffsets.u32(this.strOffBase + i * 4);
    return this.sec.strAt(str, o);
  }

  private str(r: ByteReader | undefined, what: string, p: number): string {
    if (!r) throw this.info.fail(`DW_FORM_${what} without .debug_${what === 'strp' ? 'str' : 'line_str'}`, p);
    return this.sec.strAt(r, this.secOff(p));
  }

  /** The value of an attribute of `form` at p (sets end). */
  readForm(form: number, p: number, implicit?: number): AttrValue {
    const r = this.info;
    const off = this.is64 ? 8 : 4;
    let n: number;
    // (The forms compilers write most first.)
    switch (form) {
      case DW_FORM.strp: {
        this.end = p + off;
        // (A string met before, from the memo without a call: calls are not inlined here.)
        const o = this.sec.str && !this.is64 ? r.u32(p) : -1;
        return (o >= 0 ? this.sec.strMemo[o] : undefined) ?? this.str(this.sec.str, 'strp', p);
      }
      case DW_FORM.data1:
      case DW_FORM.flag:
      case DW_FORM.addrx1:
        this.end = p + 1;
        return r.u8(p);
      case DW_FORM.ref4:
        this.end = p + 4;
        return { ref: this.unitStart + r.u32(p) };
      case DW_FORM.data2:
      case DW_FORM.addrx2:
        this.end = p + 2;
        return r.u16(p);
      case DW_FORM.flag_present:
        this.end = p;
        return 1;
      case DW_FORM.implicit_const:
        this.end = p;
        return implicit ?? 0;
      case DW_FORM.line_strp:
        this.end = p + off;
        return this.str(this.sec.lineStr, 'line_strp', p);
      case DW_FORM.data4:
      case DW_FORM.ref_sup4:
      case DW_FORM.addrx4:
        this.end = p + 4;
        return r.u32(p);
      case DW_FORM.sdata: {
        const c = new Leb(r, p);
        n = c.s();
        this.end = c.pos;
        return n;
      }
      case DW_FORM.udata:
      case DW_FORM.addrx:
      case DW_FORM.loclistx:
      case DW_FORM.rnglistx:
      case DW_FORM.GNU_addr_index:
      case DW_FORM.GNU_str_index: {
        const c = new Leb(r, p);
        n = c.u();
        this.end = c.pos;
        return n;
      }
      case DW_FORM.addr:
        this.end = p + this.addrSize;
        return this.addrSize === 8 ? r.u64loose(p) : r.u32(p);
      case DW_FORM.block2:
        n = r.u16(p);
        this.end = p + 2 + n;
        return r.sub(p + 2, n, 'block2');
      case DW_FORM.block4:
        n = r.u32(p);
        this.end = p + 4 + n;
        return r.sub(p + 4, n, 'block4');
      case DW_FORM.data8:
        this.end = p + 8;
        return r.u64loose(p);
      case DW_FORM.string: {
        const t = r.cstr(p);
        this.end = p + t.length + 1;
        return t;
      }
      case DW_FORM.block:
      case DW_FORM.exprloc: {
        const c = new Leb(r, p);
        n = c.u();
        this.end = c.pos + n;
        return r.sub(c.pos, n, 'block');
      }
      case DW_FORM.block1:
        n = r.u8(p);
        this.end = p + 1 + n;
        return r.sub(p + 1, n, 'block1');
      case DW_FORM.ref_addr:
        this.end = p + off;
        return { ref: this.secOff(p) };
      case DW_FORM.ref1:
        this.end = p + 1;
        return { ref: this.unitStart + r.u8(p) };
      case DW_FORM.ref2:
        this.end = p + 2;
        return { ref: this.unitStart + r.u16(p) };
      case DW_FORM.ref8:
        this.end = p + 8;
        return { ref: this.unitStart + r.u64(p) };
      case DW_FORM.ref_udata: {
        const c = new Leb(r, p);
        n = c.u();
        this.end = c.pos;
        return { ref: this.unitStart + n };
      }
      case DW_FORM.indirect: {
        const c = new Leb(r, p);
        n = c.u();
        return this.readForm(n, c.pos);
      }
      case DW_FORM.sec_offset:
      case DW_FORM.strp_sup:
      case DW_FORM.GNU_ref_alt:
        this.end = p + off;
        return this.secOff(p);
      case DW_FORM.strx: {
        const c = new Leb(r, p);
        n = c.u();
        this.end = c.pos;
        return this.strx(n, p);
      }
      case DW_FORM.data16:
        this.end = p + 16;
        return r.sub(p, 16, 'data16');
      case DW_FORM.ref_sig8:
        r.check(p, 8, 'ref_sig8');
        this.end = p + 8;
        return { sig: r.view.getBigUint64(p, r.little) };
      case DW_FORM.ref_sup8:
        this.end = p + 8;
        return r.u64(p);
      case DW_FORM.strx1:
        this.end = p + 1;
        return this.strx(r.u8(p), p);
      case DW_FORM.strx2:
        this.end = p + 2;
        return this.strx(r.u16(p), p);
      case DW_FORM.strx3:
        this.end = p + 3;
        return this.strx(r.u8(p) | (r.u16(p + 1) << 8), p);
      case DW_FORM.strx4:
        this.end = p + 4;
        return this.strx(r.u32(p), p);
      case DW_FORM.addrx3:
        this.end = p + 3;
        return r.u8(p) | (r.u16(p + 1) << 8);
      case DW_FORM.GNU_strp_alt:
        this.end = p + off;
        return ''; // a string in the dwz file
      default:
        throw r.fail(`unknown DWARF form 0x${form.toString(16)}`, p);
    }
  }

  /** readForm's `ref` for a reference form at p (no object made), -1 for a form of another class. */
  refAt(form: number, p: number): number {
    const r = this.info;
    switch (form) {
      case DW_FORM.ref4:
        this.end = p + 4;
        return this.unitStart + r.u32(p);
      case DW_FORM.ref1:
      case DW_FORM.ref2:
      case DW_FORM.ref8:
      case DW_FORM.ref_udata:
      case DW_FORM.ref_addr:
      case DW_FORM.indirect: {
        const v = this.readForm(form, p);
        return typeof v === 'object' && 'ref' in v ? v.ref : -1;
      }
      default:
        return -1;
    }
  }

  /** A constant-class value at p, exactly (readForm's numbers lose bits past 2^53): `bytes` is the
   *  width of a DW_FORM_data<n> (whose sign the consumer must know from the type), 0 when the form
   *  says the sign itself (sdata, udata, implicit_const). Undefined for a form of another class. */
  readConst(form: number, p: number, implicit?: number): { value: bigint; bytes: number } | undefined {
    const r = this.info;
    switch (form) {
      case DW_FORM.data1:
        return { value: BigInt(r.u8(p)), bytes: 1 };
      case DW_FORM.data2:
        return { value: BigInt(r.u16(p)), bytes: 2 };
      case DW_FORM.data4:
        return { value: BigInt(r.u32(p)), bytes: 4 };
      case DW_FORM.data8:
      case DW_FORM.data16: {
        const n = form === DW_FORM.data8 ? 8 : 16;
        r.check(p, n, n === 8 ? 'data8' : 'data16');
        const lo = r.view.getBigUint64(p, r.little);
        if (n === 8) return { value: lo, bytes: 8 };
        const hi = r.view.getBigUint64(p + 8, r.little);
        return { value: r.little ? (hi << 64n) | lo : (lo << 64n) | hi, bytes: 16 };
      }
      case DW_FORM.sdata:
      case DW_FORM.udata: {
        // LEB128 to at most 128 bits (the widest constant a C enumerator has).
        let v = 0n;
        let shift = 0n;
        let b = 0x80;
        for (let q = p; b & 0x80; q++) {
          if (shift >= 133n) throw r.fail('LEB128 value too long', q);
          b = r.u8(q);
          v |= BigInt(b & 0x7f) << shift;
          shift += 7n;
        }
        if (form === DW_FORM.sdata && b & 0x40) v -= 1n << shift;
        return { value: v, bytes: 0 };
      }
      case DW_FORM.implicit_const:
        return { value: BigInt(implicit ?? 0), bytes: 0 };
      default:
        return undefined;
    }
  }

  /** A form's size when it has one whatever its value (skipForm's fixed cases), else -1. */
  fixedSize(form: number): number {
    switch (form) {
      case DW_FORM.flag_present:
      case DW_FORM.implicit_const:
        return 0;
      case DW_FORM.data1:
      case DW_FORM.flag:
      case DW_FORM.ref1:
      case DW_FORM.strx1:
      case DW_FORM.addrx1:
        return 1;
      case DW_FORM.data2:
      case DW_FORM.ref2:
      case DW_FORM.strx2:
      case DW_FORM.addrx2:
        return 2;
      case DW_FORM.strx3:
      case DW_FORM.addrx3:
        return 3;
      case DW_FORM.data4:
      case DW_FORM.ref4:
      case DW_FORM.ref_sup4:
      case DW_FORM.strx4:
      case DW_FORM.addrx4:
        return 4;
      case DW_FORM.data8:
      case DW_FORM.ref8:
      case DW_FORM.ref_sig8:
      case DW_FORM.ref_sup8:
        return 8;
      case DW_FORM.data16:
        return 16;
      case DW_FORM.addr:
        return this.addrSize;
      case DW_FORM.strp:
      case DW_FORM.ref_addr:
      case DW_FORM.sec_offset:
      case DW_FORM.strp_sup:
      case DW_FORM.line_strp:
      case DW_FORM.GNU_ref_alt:
      case DW_FORM.GNU_strp_alt:
        return this.is64 ? 8 : 4;
      default:
        return -1;
    }
  }

  /** Sets ab.fixed for this unit's sizes (`sizes`): the sum of its forms' sizes, or -1 when one has
   *  none (a LEB128, a string, a block, an indirect form). */
  fixAbbrev(ab: Abbrev, sizes: number): void {
    let n = 0;
    let plan: number[] | undefined;
    const at = ab.at?.length === ab.attrs.length ? ab.at : new Int32Array(ab.attrs.length);
    for (let i = 0; i < ab.attrs.length; i++) {
      const k = this.fixedSize(ab.attrs[i]!.form);
      at[i] = plan ? -1 : n;
      if (k >= 0) n += k;
      else {
        (plan ??= []).push(n, ab.attrs[i]!.form);
        n = 0;
      }
    }
    ab.at = at;
    if (!ab.slot && ab.attrs.length < 128) {
      const slot = new Int8Array(SLOTS).fill(-1);
      for (let i = ab.attrs.length - 1; i >= 0; i--) if (ab.attrs[i]!.name < SLOTS) slot[ab.attrs[i]!.name] = i;
      ab.slot = slot;
    }
    if (plan) plan.push(n);
    ab.fixed = plan ? -1 : n;
    ab.plan = plan ? Int32Array.from(plan) : undefined;
    ab.fixedFor = sizes;
  }

  /** The position after the attribute values of `ab` (fixed for this unit) at p. */
  skipAttrs(ab: Abbrev, p: number): number {
    if (ab.fixed >= 0) return p + ab.fixed;
    const plan = ab.plan!;
    p += plan[0]!;
    for (let k = 1; k < plan.length; k += 2) p = this.skipVaried(plan[k]!, p) + plan[k + 1]!;
    return p;
  }

  /** The position after an attribute value of `form` at p, without decoding it. */
  skipForm(form: number, p: number): number {
    const k = this.fixedSize(form);
    return k >= 0 ? p + k : this.skipVaried(form, p);
  }

  /** skipForm for a form of no fixed size. */
  private skipVaried(form: number, p: number): number {
    const r = this.info;
    switch (form) {
      case DW_FORM.sdata:
      case DW_FORM.udata:
      case DW_FORM.ref_udata:
      case DW_FORM.strx:
      case DW_FORM.addrx:
      case DW_FORM.loclistx:
      case DW_FORM.rnglistx:
      case DW_FORM.GNU_addr_index:
      case DW_FORM.GNU_str_index: {
        let q = p;
        while (r.u8(q) & 0x80) q++;
        return q + 1;
      }
      case DW_FORM.string: {
        let q = p;
        while (r.u8(q) !== 0) q++;
        return q + 1;
      }
      case DW_FORM.block1:
        return p + 1 + r.u8(p);
      case DW_FORM.block2:
        return p + 2 + r.u16(p);
      case DW_FORM.block4:
        return p + 4 + r.u32(p);
      case DW_FORM.block:
      case DW_FORM.exprloc: {
        const c = new Leb(r, p);
        const n = c.u();
        return c.pos + n;
      }
      case DW_FORM.indirect: {
        const c = new Leb(r, p);
        const f = c.u();
        return this.skipForm(f, c.pos);
      }
      default:
        throw r.fail(`unknown DWARF form 0x${form.toString(16)}`, p);
    }
  }
}
