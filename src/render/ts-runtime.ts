// The helpers every generated TypeScript module carries (it depends on nothing): accessors for each
// scalar kind over a DataView, bitfields read and written in the bytes that hold them, the long double
// and half formats, and the indexed view arrays are given as. `LE` is the module's byte order.
// Bit order follows the target's: the first bit in memory is a field's least significant one on
// little-endian targets and its most significant one on big-endian ones (as gcc numbers bitfields).

export const TS_RUNTIME = `const V: unique symbol = Symbol('view');
const O: unique symbol = Symbol('byteOffset');

/** A record's bytes inside its DataView. */
export function bytesOf(x: { readonly [V]: DataView; readonly [O]: number }, size: number): Uint8Array {
  return new Uint8Array(x[V].buffer, x[V].byteOffset + x[O], size);
}

type Get<T> = (v: DataView, o: number) => T;
type Put<T> = (v: DataView, o: number, x: T) => void;

/** An array member: \`length\` elements of \`stride\` bytes, read and written by index. */
export class CArray<T> implements Iterable<T> {
  constructor(
    private readonly v: DataView,
    private readonly o: number,
    readonly length: number,
    private readonly stride: number,
    private readonly g: Get<T>,
    private readonly s?: Put<T>,
  ) {}
  /** Element i (a flexible array member has length 0 and takes any index). */
  get(i: number): T {
    return this.g(this.v, this.at(i));
  }
  set(i: number, x: T): void {
    if (!this.s) throw new TypeError('elements of this array are views: set their members');
    this.s(this.v, this.at(i), x);
  }
  private at(i: number): number {
    if (!Number.isInteger(i) || i < 0 || (this.length > 0 && i >= this.length))
      throw new RangeError(\`index \${i} out of 0..\${this.length - 1}\`);
    return this.o + i * this.stride;
  }
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
  toArray(): T[] {
    return [...this];
  }
}

function spanOf(v: DataView, o: number, n: number): bigint {
  let acc = 0n;
  for (let j = 0; j < n; j++) {
    const b = BigInt(v.getUint8(o + j));
    acc = LE ? acc | (b << BigInt(8 * j)) : (acc << 8n) | b;
  }
  return acc;
}
function putSpan(v: DataView, o: number, n: number, acc: bigint): void {
  for (let j = 0; j < n; j++) {
    const shift = BigInt(8 * (LE ? j : n - 1 - j));
    v.setUint8(o + j, Number((acc >> shift) & 0xffn));
  }
}
/** The bitfield of \`width\` bits starting \`bit\` bits into byte o, as a bigint. */
function getBitsBig(v: DataView, o: number, bit: number, width: number, signed: boolean): bigint {
  const n = (bit + width + 7) >> 3;
  const shift = BigInt(LE ? bit : n * 8 - bit - width);
  const w = BigInt(width);
  const x = (spanOf(v, o, n) >> shift) & ((1n << w) - 1n);
  return signed && x >> (w - 1n) ? x - (1n << w) : x;
}
function setBitsBig(v: DataView, o: number, bit: number, width: number, x: bigint): void {
  const n = (bit + width + 7) >> 3;
  const shift = BigInt(LE ? bit : n * 8 - bit - width);
  const mask = ((1n << BigInt(width)) - 1n) << shift;
  putSpan(v, o, n, (spanOf(v, o, n) & ~mask) | ((BigInt.asUintN(width, x) << shift) & mask));
}
function getBits(v: DataView, o: number, bit: number, width: number, signed: boolean): number {
  return Number(getBitsBig(v, o, bit, width, signed));
}
function setBits(v: DataView, o: number, bit: number, width: number, x: number): void {
  setBitsBig(v, o, bit, width, BigInt(Math.trunc(x)));
}

const i8: Get<number> = (v, o) => v.getInt8(o);
const u8: Get<number> = (v, o) => v.getUint8(o);
const i16: Get<number> = (v, o) => v.getInt16(o, LE);
const u16: Get<number> = (v, o) => v.getUint16(o, LE);
const i32: Get<number> = (v, o) => v.getInt32(o, LE);
const u32: Get<number> = (v, o) => v.getUint32(o, LE);
const i64: Get<bigint> = (v, o) => v.getBigInt64(o, LE);
const u64: Get<bigint> = (v, o) => v.getBigUint64(o, LE);
const i128: Get<bigint> = (v, o) => getBitsBig(v, o, 0, 128, true);
const u128: Get<bigint> = (v, o) => getBitsBig(v, o, 0, 128, false);
const f32: Get<number> = (v, o) => v.getFloat32(o, LE);
const f64: Get<number> = (v, o) => v.getFloat64(o, LE);
const s8: Put<number> = (v, o, x) => v.setInt8(o, x);
const s16: Put<number> = (v, o, x) => v.setInt16(o, x, LE);
const s32: Put<number> = (v, o, x) => v.setInt32(o, x, LE);
const s64: Put<bigint> = (v, o, x) => v.setBigInt64(o, BigInt.asIntN(64, x), LE);
const s128: Put<bigint> = (v, o, x) => setBitsBig(v, o, 0, 128, x);
const sf32: Put<number> = (v, o, x) => v.setFloat32(o, x, LE);
const sf64: Put<number> = (v, o, x) => v.setFloat64(o, x, LE);
const bool: Get<boolean> = (v, o) => v.getUint8(o) !== 0;
const sbool: Put<boolean> = (v, o, x) => v.setUint8(o, x ? 1 : 0);

/** IEEE formats wider or narrower than a double: sign, \`e\` exponent bits, \`m\` mantissa bits. */
function ieeeGet(raw: bigint, e: number, m: number): number {
  const mant = raw & ((1n << BigInt(m)) - 1n);
  const exp = Number((raw >> BigInt(m)) & ((1n << BigInt(e)) - 1n));
  const sign = (raw >> BigInt(e + m)) & 1n ? -1 : 1;
  const bias = 2 ** (e - 1) - 1;
  if (exp === 2 ** e - 1) return mant === 0n ? sign * Infinity : NaN;
  const drop = Math.max(0, m - 60);
  const f = Number(mant >> BigInt(drop)) / 2 ** (m - drop);
  return exp === 0 ? sign * f * 2 ** (1 - bias) : sign * (1 + f) * 2 ** (exp - bias);
}
function ieeeSet(x: number, e: number, m: number): bigint {
  const d = new DataView(new ArrayBuffer(8));
  d.setFloat64(0, x);
  const raw = d.getBigUint64(0);
  const sign = raw >> 63n;
  const exp = Number((raw >> 52n) & 0x7ffn);
  const mant = raw & ((1n << 52n) - 1n);
  const bias = 2 ** (e - 1) - 1;
  let outExp: number;
  let outMant: bigint;
  if (exp === 0x7ff) [outExp, outMant] = [2 ** e - 1, mant ? 1n << BigInt(m - 1) : 0n];
  else if (exp === 0 && mant === 0n) [outExp, outMant] = [0, 0n];
  else {
    // Normalise (a double's subnormals too), then round to m bits, to nearest even.
    let E = exp === 0 ? -1022 : exp - 1023;
    let M = exp === 0 ? mant : mant | (1n << 52n);
    while (M < 1n << 52n) [M, E] = [M << 1n, E - 1];
    let biased = E + bias;
    let sh = 52 - m + (biased <= 0 ? 1 - biased : 0);
    if (biased <= 0) biased = 0;
    if (sh < 0) [M, sh] = [M << BigInt(-sh), 0];
    const half = sh > 0 ? 1n << BigInt(sh - 1) : 0n;
    const rest = M & ((1n << BigInt(sh)) - 1n);
    M >>= BigInt(sh);
    if (sh > 0 && (rest > half || (rest === half && (M & 1n)))) M += 1n;
    if (biased === 0 && M >> BigInt(m)) biased = 1;
    if (biased > 0 && M >> BigInt(m + 1)) [M, biased] = [M >> 1n, biased + 1];
    if (biased >= 2 ** e - 1) [outExp, outMant] = [2 ** e - 1, 0n];
    else [outExp, outMant] = [biased, M & ((1n << BigInt(m)) - 1n)];
  }
  return (sign << BigInt(e + m)) | (BigInt(outExp) << BigInt(m)) | outMant;
}
const f16: Get<number> = (v, o) => ieeeGet(BigInt(u16(v, o)), 5, 10);
const sf16: Put<number> = (v, o, x) => v.setUint16(o, Number(ieeeSet(x, 5, 10)), LE);
const bf16: Get<number> = (v, o) => new DataView(new Uint32Array([u16(v, o) * 0x10000]).buffer).getFloat32(0, true);
const sbf16: Put<number> = (v, o, x) => v.setUint16(o, Number(ieeeSet(x, 8, 7)), LE);
const f128: Get<number> = (v, o) => ieeeGet(getBitsBig(v, o, 0, 128, false), 15, 112);
const sf128: Put<number> = (v, o, x) => setBitsBig(v, o, 0, 128, ieeeSet(x, 15, 112));
/** x87 extended: 64-bit mantissa with its integer bit, 15-bit exponent, sign; little-endian only. */
const x87: Get<number> = (v, o) => {
  const mant = v.getBigUint64(o, true);
  const se = v.getUint16(o + 8, true);
  const exp = se & 0x7fff;
  const sign = se & 0x8000 ? -1 : 1;
  if (exp === 0x7fff) return mant << 1n === 0n ? sign * Infinity : NaN;
  return sign * Number(mant) * 2 ** ((exp === 0 ? 1 : exp) - 16383 - 63);
};
const sx87: Put<number> = (v, o, x) => {
  const raw = ieeeSet(x, 15, 63);
  const exp = (raw >> 63n) & 0x7fffn;
  const mant = raw & ((1n << 63n) - 1n);
  v.setBigUint64(o, exp === 0n ? mant : mant | (1n << 63n), true);
  v.setUint16(o + 8, Number(raw >> 63n), true);
};
/** IBM double-double: the high double first, the low one holds the rest. */
const ibm128: Get<number> = (v, o) => f64(v, o) + f64(v, o + 8);
const sibm128: Put<number> = (v, o, x) => (sf64(v, o, x), sf64(v, o + 8, 0));
`;
