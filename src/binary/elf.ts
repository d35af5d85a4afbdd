// ELF32/64, little- and big-endian: the section header table and section names, enough to find .BTF
// and the debug sections. (ELF gABI "Sections"; field offsets from the System V ABI.) The file is read
// through a BinarySource, by section: a 2 GB binary costs what its headers and debug sections do.

import { BinaryError, ByteReader } from './reader.js';

/** Bytes read on demand: a file's size and a ranged read (a Uint8Array is wrapped as one). */
export interface BinarySource {
  readonly size: number;
  /** `length` bytes from `offset` (within size: callers check). */
  read(offset: number, length: number): Uint8Array;
}

export function bytesSource(bytes: Uint8Array): BinarySource {
  return { size: bytes.length, read: (o, n) => bytes.subarray(o, o + n) };
}

export interface ElfSection {
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly entsize: number;
}

export interface ElfFile {
  readonly class64: boolean;
  readonly little: boolean;
  readonly machine: number;
  readonly type: number;
  readonly sections: readonly ElfSection[];
  readonly source: BinarySource;
}

export const EM_NAMES: Record<number, string> = {
  3: 'i386',
  62: 'x86_64',
  183: 'aarch64',
  40: 'arm',
  243: 'riscv',
  21: 'ppc64',
  22: 's390',
};
export const SHT_NOBITS = 8;
export const SHF_COMPRESSED = 0x800;

export function isElf(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

/** Bytes [off, off + n) of the file, checked against its size. */
function readAt(src: BinarySource, off: number, n: number, what: string): Uint8Array {
  if (!(off >= 0 && n >= 0 && off + n <= src.size)) {
    throw new BinaryError(
      `truncated or corrupt input: ${what} at offset 0x${off.toString(16)} (+${n}) is past the end (${src.size} bytes)`,
      off,
    );
  }
  return src.read(off, n);
}

export function readElf(input: Uint8Array | BinarySource): ElfFile {
  const src = input instanceof Uint8Array ? bytesSource(input) : input;
  const head = src.read(0, Math.min(src.size, 64));
  if (!isElf(head)) throw new BinaryError('not an ELF file', 0);
  const h = new ByteReader(head);
  const cls = h.u8(4);
  const data = h.u8(5);
  if (cls !== 1 && cls !== 2) throw new BinaryError(`bad ELF class ${cls}`, 4);
  if (data !== 1 && data !== 2) throw new BinaryError(`bad ELF data encoding ${data}`, 5);
  const class64 = cls === 2;
  h.little = data === 1;
  const type = h.u16(16);
  const machine = h.u16(18);
  const shoff = class64 ? h.u64(0x28) : h.u32(0x20);
  const shentsize = h.u16(class64 ? 0x3a : 0x2e);
  let shnum = h.u16(class64 ? 0x3c : 0x30);
  let shstrndx = h.u16(class64 ? 0x3e : 0x32);
  if (shoff === 0) return { class64, little: h.little, machine, type, sections: [], source: src };
  if (shentsize < (class64 ? 64 : 40))
    throw new BinaryError(`bad section header size ${shentsize}`, class64 ? 0x3a : 0x2e);
  // Section 0 first: with extended numbering it holds the real count and string-table index.
  let table = new ByteReader(readAt(src, shoff, shentsize, 'section header table'), h.little, { fileOffset: shoff });
  const raw = (i: number) => {
    const o = i * shentsize;
    const r = table;
    return class64
      ? {
          name: r.u32(o),
          type: r.u32(o + 4),
          flags: r.u64(o + 8),
          offset: r.u64(o + 0x18),
          size: r.u64(o + 0x20),
          link: r.u32(o + 0x28),
          info: r.u32(o + 0x2c),
          entsize: r.u64(o + 0x38),
        }
      : {
          name: r.u32(o),
          type: r.u32(o + 4),
          flags: r.u32(o + 8),
          offset: r.u32(o + 0x10),
          size: r.u32(o + 0x14),
          link: r.u32(o + 0x18),
          info: r.u32(o + 0x1c),
          entsize: r.u32(o + 0x24),
        };
  };
  if (shnum === 0) shnum = raw(0).size; // extended numbering
  if (shstrndx === 0xffff) shstrndx = raw(0).link;
  if (shnum > 1_000_000 || shoff + shnum * shentsize > src.size)
    throw new BinaryError(`section header table (${shnum} entries) past the end of the file`, shoff);
  table = new ByteReader(readAt(src, shoff, shnum * shentsize, 'section header table'), h.little, {
    fileOffset: shoff,
  });
  const hdrs = Array.from({ length: shnum }, (_, i) => raw(i));
  const strtab = hdrs[shstrndx];
  let names: ByteReader | undefined;
  if (strtab && strtab.type !== SHT_NOBITS && strtab.offset + strtab.size <= src.size)
    names = new ByteReader(src.read(strtab.offset, strtab.size));
  const sections = hdrs.map((s) => {
    let name = '';
    if (names) {
      try {
        name = names.cstr(s.name);
      } catch {
        name = '';
      }
    }
    return { ...s, name };
  });
  return { class64, little: h.little, machine, type, sections, source: src };
}

export function sectionBytes(elf: ElfFile, s: ElfSection): Uint8Array {
  if (s.type === SHT_NOBITS) return new Uint8Array(0);
  return readAt(elf.source, s.offset, s.size, `section ${s.name}`);
}
