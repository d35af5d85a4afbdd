// A bounds-checked byte reader over one DataView: every read checks its range in one place and throws
// a BinaryError carrying where it was, so corrupt or truncated input ends in a located message.

/** Where a reader's bytes came from: the section (when they are one) and the file offset of their
 *  first byte, or none when they were decompressed (then offsets are given within the section). */
export interface ByteOrigin {
  readonly section?: string;
  readonly fileOffset?: number;
}

/** Corrupt or unusable input, at `offset` within `origin` (the whole file when there is none). */
export class BinaryError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly origin?: ByteOrigin,
  ) {
    super(message);
  }
  /** `file+0xOFF`, or `file: .debug_info+0xOFF` inside a decompressed section. */
  where(path: string): string {
    const o = this.origin;
    if (o?.section !== undefined && o.fileOffset === undefined)
      return `${path}: ${o.section}+0x${this.offset.toString(16)}`;
    return `${path}+0x${(this.offset + (o?.fileOffset ?? 0)).toString(16)}`;
  }
}

export class ByteReader {
  readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    public little = true,
    readonly origin?: ByteOrigin,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number {
    return this.bytes.byteLength;
  }
  /** An error at `off` in these bytes. */
  fail(message: string, off: number): BinaryError {
    return new BinaryError(message, off, this.origin);
  }
  check(off: number, n: number, what: string): void {
    if (!(off >= 0 && n >= 0 && off + n <= this.bytes.byteLength)) {
      const at = this.origin?.section ? ` of ${this.origin.section}` : '';
      throw this.fail(
        `truncated or corrupt input: ${what} at offset 0x${off.toString(16)}${at} (+${n}) ` +
          `is past the end (${this.bytes.byteLength} bytes)`,
        off,
      );
    }
  }
  u8(off: number): number {
    // (An index past the end, or not one, reads undefined: then the checked read says why.)
    const b = this.bytes[off];
    if (b !== undefined) return b;
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
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.fail(`value 0x${v.toString(16)} too large`, off);
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
    if (i >= lim) throw this.fail(`unterminated string at offset 0x${off.toString(16)}`, off);
    let s = '';
    for (let k = off; k < i; k++) s += String.fromCharCode(this.bytes[k]!);
    return s;
  }
  sub(off: number, n: number, what: string): Uint8Array {
    this.check(off, n, what);
    return this.bytes.subarray(off, off + n);
  }
}

/** A record that an impossible value in the input left incomplete: what was wrong and where. */
export interface RecordIssue {
  readonly message: string;
  readonly offset: number;
  readonly origin?: ByteOrigin;
}

/** Issues per record, collected while records are built (a record keeps its members up to the first
 *  one that could not be read, and is reported, never passed off as complete). */
export class RecordIssues<R extends object> {
  readonly map = new Map<R, RecordIssue[]>();
  add(rec: R, e: BinaryError): void {
    let l = this.map.get(rec);
    if (!l) this.map.set(rec, (l = []));
    if (l.length < 16) l.push({ message: e.message, offset: e.offset, origin: e.origin });
  }
}
