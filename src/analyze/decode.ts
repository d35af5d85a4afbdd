// Raw bytes read as a record of the model on a target (pahole's --prettify for any ABI): every member's
// value, bitfields included. One rule reads every integer and bitfield: bit k of the object is bit
// k%8 of byte k/8 counted from the least significant end on little-endian targets and from the most
// significant end on big-endian ones, and a field's first bit in memory is its least (resp. most)
// significant; gcc numbers bitfields so on both (DW_AT_data_bit_offset), and plain integers follow.

import type { RecordType, TypeRef } from '../model/model.js';
import type { Target } from '../target/target.js';
import { classify, fieldsOf, type FloatFormat } from './scalar.js';
import { requireWhole } from './exact.js';

export type Decoded =
  | { readonly kind: 'int'; readonly value: bigint; readonly enumName?: string; readonly bool?: boolean }
  | { readonly kind: 'float'; readonly value: number; readonly im?: number }
  | { readonly kind: 'pointer'; readonly value: bigint }
  | { readonly kind: 'array'; readonly items: readonly Decoded[]; readonly chars?: boolean }
  | { readonly kind: 'record'; readonly fields: readonly (readonly [string, Decoded])[] }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

export class DecodeError extends Error {}

/** The bits [bit, bit + width) of `bytes` as an unsigned integer, in the target's bit order. */
export function readBits(bytes: Uint8Array, bit: number, width: number, endian: 'little' | 'big'): bigint {
  let v = 0n;
  for (let i = 0; i < width; i++) {
    const k = bit + i;
    const byte = bytes[k >> 3]!;
    const set = endian === 'little' ? (byte >> (k & 7)) & 1 : (byte >> (7 - (k & 7))) & 1;
    if (set) v |= 1n << BigInt(endian === 'little' ? i : width - 1 - i);
  }
  return v;
}

export function signExtend(v: bigint, width: number): bigint {
  return width > 0 && v >> BigInt(width - 1) === 1n ? v - (1n << BigInt(width)) : v;
}

/** `record` read from `bytes` at byte `offset` (the object must lie wholly inside). */
export function decodeRecord(record: RecordType, bytes: Uint8Array, offset: number, target: Target): Decoded {
  requireWhole([record], 'the decoding'); // (IncompleteRecordError; InexactRecordError past 2^50 bytes)
  if (offset < 0 || offset + record.size > bytes.length)
    throw new DecodeError(`${record.size} bytes at offset ${offset} do not fit in ${bytes.length}`);
  return new Reader(bytes, target).record(record, offset * 8);
}

class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    private readonly target: Target,
  ) {}

  record(r: RecordType, bit: number): Decoded {
    const fields: [string, Decoded][] = [];
    for (const f of fieldsOf(r)) {
      const at = bit + f.bitOffset;
      const m = f.member;
      fields.push([
        f.name,
        m.bitSize !== undefined ? this.bitfield(m.type, at, m.bitSize) : this.value(m.type, at, m.size),
      ]);
    }
    return { kind: 'record', fields };
  }

  private int(bit: number, width: number, signed: boolean): bigint {
    const v = readBits(this.bytes, bit, width, this.target.endian);
    return signed ? signExtend(v, width) : v;
  }

  private bitfield(t: TypeRef, bit: number, width: number): Decoded {
    const s = classify(t, this.target);
    const signed = (s.kind === 'int' || s.kind === 'enum') && s.signed;
    const value = this.int(bit, width, signed);
    if (s.kind === 'enum') return withEnumName(value, s.values);
    return s.kind === 'int' && s.bool ? { kind: 'int', value, bool: true } : { kind: 'int', value };
  }

  value(t: TypeRef, bit: number, size: number): Decoded {
    const s = classify(t, this.target);
    switch (s.kind) {
      case 'int': {
        const value = this.int(bit, s.size * 8, s.signed);
        return s.bool ? { kind: 'int', value, bool: true } : { kind: 'int', value };
      }
      case 'enum':
        return withEnumName(this.int(bit, s.size * 8, s.signed), s.values);
      case 'pointer':
        return { kind: 'pointer', value: this.int(bit, s.size * 8, false) };
      case 'float': {
        if (!s.complex) return { kind: 'float', value: this.float(bit, s.size, s.format) };
        const half = s.size / 2;
        return {
          kind: 'float',
          value: this.float(bit, half, s.format),
          im: this.float(bit + half * 8, half, s.format),
        };
      }
      case 'array': {
        const es = s.length ? size / s.length : 0;
        const items: Decoded[] = [];
        for (let i = 0; i < s.length; i++) items.push(this.value(s.of, bit + i * es * 8, es));
        const e = classify(s.of, this.target);
        return { kind: 'array', items, ...(e.kind === 'int' && e.size === 1 && !e.bool ? { chars: true } : {}) };
      }
      case 'record':
        return this.record(s.record, bit);
      case 'opaque':
        return { kind: 'bytes', bytes: this.bytes.slice(bit >> 3, (bit >> 3) + size) };
    }
  }

  private float(bit: number, size: number, format: FloatFormat): number {
    const raw = readBits(this.bytes, bit, size * 8, this.target.endian);
    return floatFromBits(raw, format, this.target.endian);
  }
}

function withEnumName(value: bigint, values: readonly { name: string; value: bigint }[]): Decoded {
  const e = values.find((v) => v.value === value);
  return e ? { kind: 'int', value, enumName: e.name } : { kind: 'int', value };
}

/** An IEEE or x87 bit pattern (as read by readBits) as the nearest double. */
export function floatFromBits(raw: bigint, format: FloatFormat, endian: 'little' | 'big'): number {
  const dv = new DataView(new ArrayBuffer(8));
  switch (format) {
    case 'binary32':
      dv.setUint32(0, Number(raw));
      return dv.getFloat32(0);
    case 'binary64':
      dv.setBigUint64(0, raw);
      return dv.getFloat64(0);
    case 'bfloat16':
      dv.setUint32(0, Number(raw) * 0x10000);
      return dv.getFloat32(0);
    case 'binary16':
      return ieee(raw, 5, 10);
    case 'binary128':
      return ieee(raw, 15, 112);
    case 'x87': {
      const mant = raw & ((1n << 64n) - 1n);
      const exp = Number((raw >> 64n) & 0x7fffn);
      const sign = (raw >> 79n) & 1n ? -1 : 1;
      if (exp === 0x7fff) return mant << 1n === 0n ? sign * Infinity : NaN;
      return sign * Number(mant) * 2 ** ((exp === 0 ? 1 : exp) - 16383 - 63);
    }
    case 'ibm128': {
      // Two doubles, the high one first in memory: the pattern's first 64 bits on either byte order.
      const first = endian === 'big' ? raw >> 64n : raw & ((1n << 64n) - 1n);
      const second = endian === 'big' ? raw & ((1n << 64n) - 1n) : raw >> 64n;
      return floatFromBits(first, 'binary64', endian) + floatFromBits(second, 'binary64', endian);
    }
  }
}

function ieee(raw: bigint, expBits: number, mantBits: number): number {
  const mant = raw & ((1n << BigInt(mantBits)) - 1n);
  const exp = Number((raw >> BigInt(mantBits)) & ((1n << BigInt(expBits)) - 1n));
  const sign = (raw >> BigInt(expBits + mantBits)) & 1n ? -1 : 1;
  const bias = 2 ** (expBits - 1) - 1;
  if (exp === 2 ** expBits - 1) return mant === 0n ? sign * Infinity : NaN;
  // Keep 60 bits of the mantissa: plenty for a double's 53.
  const drop = Math.max(0, mantBits - 60);
  const m = Number(mant >> BigInt(drop)) / 2 ** (mantBits - drop);
  return exp === 0 ? sign * m * 2 ** (1 - bias) : sign * (1 + m) * 2 ** (exp - bias);
}
