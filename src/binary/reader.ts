// A bounds-checked byte reader over one DataView: every read checks its range in one place and throws
// a BinaryError carrying the file offset, so corrupt or truncated input ends in a clear message.

export class BinaryError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

export class ByteReader {
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array, public little = true) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number {
    return this.bytes.byteLength;
  }
  check(off: number, n: number, what: string): void {
    if (!(off >= 0 && n >= 0 && off + n <= this.bytes.byteLength)) {
      throw new BinaryError(`truncated or corrupt input: ${what} at offset 0x${off.toString(16)} (+${n}) is past the end (${this.bytes.byteLength} bytes)`, off);
    }
  }
  u8(off: number): number {
    this.check(off, 1, 'byte');
    return this.view.getUint8(off);
  }
  u16(off: number): number {
    this.check(off, 2, 'u16');
    return this.view.getUint16(off, this.little);
  }
  u32(off: number): number {
    this.check(off, 4, 'u32');
    return this.view.getUint32(off, this.little);
  }
  i32(off: number): number {
    this.check(off, 4, 'i32');
    return this.view.getInt32(off, this.little);
  }
  u64(off: number): number {
    this.check(off, 8, 'u64');
    const v = this.view.getBigUint64(off, this.little);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new BinaryError(`value 0x${v.toString(16)} too large`, off);
    return Number(v);
  }
  /** A 64-bit datum (DW_FORM_data8, an address) as a number: values past 2^53 are read as signed
   *  (0xffffffffffffffff is -1, as in an array's DW_AT_upper_bound) and otherwise approximate, since
   *  nothing a layout needs is that large. */
  u64loose(off: number): number {
    this.check(off, 8, 'u64');
    const v = this.view.getBigUint64(off, this.little);
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : Number(BigInt.asIntN(64, v));
  }
  /** NUL-terminated string starting at off, within [off, end). */
  cstr(off: number, end = this.bytes.byteLength): string {
    this.check(off, 0, 'string');
    let i = off;
    const lim = Math.min(end, this.bytes.byteLength);
    while (i < lim && this.bytes[i] !== 0) i++;
    if (i >= lim) throw new BinaryError(`unterminated string at offset 0x${off.toString(16)}`, off);
    let s = '';
    for (let k = off; k < i; k++) s += String.fromCharCode(this.bytes[k]!);
    return s;
  }
  sub(off: number, n: number, what: string): Uint8Array {
    this.check(off, n, what);
    return this.bytes.subarray(off, off + n);
  }
}
