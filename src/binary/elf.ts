// ELF32/64, little- and big-endian: the section header table and section names, enough to find .BTF
// and the debug sections. (ELF gABI "Sections"; field offsets from the System V ABI.)

import { BinaryError, ByteReader } from './reader.js';

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
  readonly reader: ByteReader;
}

export const EM_NAMES: Record<number, string> = { 3: 'i386', 62: 'x86_64', 183: 'aarch64', 40: 'arm', 243: 'riscv', 21: 'ppc64', 22: 's390' };

export function isElf(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

export function readElf(bytes: Uint8Array): ElfFile {
  if (!isElf(bytes)) throw new BinaryError('not an ELF file', 0);
  const r = new ByteReader(bytes);
  const cls = r.u8(4);
  const data = r.u8(5);
  if (cls !== 1 && cls !== 2) throw new BinaryError(`bad ELF class ${cls}`, 4);
  if (data !== 1 && data !== 2) throw new BinaryError(`bad ELF data encoding ${data}`, 5);
  const class64 = cls === 2;
  r.little = data === 1;
  const type = r.u16(16);
  const machine = r.u16(18);
  const shoff = class64 ? r.u64(0x28) : r.u32(0x20);
  const shentsize = r.u16(class64 ? 0x3a : 0x2e);
  let shnum = r.u16(class64 ? 0x3c : 0x30);
  let shstrndx = r.u16(class64 ? 0x3e : 0x32);
  if (shoff === 0) return { class64, little: r.little, machine, type, sections: [], reader: r };
  if (shentsize < (class64 ? 64 : 40)) throw new BinaryError(`bad section header size ${shentsize}`, class64 ? 0x3a : 0x2e);
  const raw = (i: number) => {
    const o = shoff + i * shentsize;
    return class64
      ? { name: r.u32(o), type: r.u32(o + 4), flags: r.u64(o + 8), offset: r.u64(o + 0x18), size: r.u64(o + 0x20), link: r.u32(o + 0x28), info: r.u32(o + 0x2c), entsize: r.u64(o + 0x38) }
      : { name: r.u32(o), type: r.u32(o + 4), flags: r.u32(o + 8), offset: r.u32(o + 0x10), size: r.u32(o + 0x14), link: r.u32(o + 0x18), info: r.u32(o + 0x1c), entsize: r.u32(o + 0x24) };
  };
  if (shnum === 0) shnum = raw(0).size; // extended numbering
  if (shstrndx === 0xffff) shstrndx = raw(0).link;
  if (shnum > 1_000_000 || shoff + shnum * shentsize > bytes.length) throw new BinaryError(`section header table (${shnum} entries) past the end of the file`, shoff);
  const hdrs = Array.from({ length: shnum }, (_, i) => raw(i));
  const strtab = hdrs[shstrndx];
  const sections = hdrs.map((h) => {
    let name = '';
    if (strtab && strtab.type !== 8) {
      try {
        name = r.cstr(strtab.offset + h.name, strtab.offset + strtab.size);
      } catch {
        name = '';
      }
    }
    return { ...h, name };
  });
  return { class64, little: r.little, machine, type, sections, reader: r };
}

export function sectionBytes(elf: ElfFile, s: ElfSection): Uint8Array {
  if (s.type === 8) return new Uint8Array(0); // SHT_NOBITS
  return elf.reader.sub(s.offset, s.size, `section ${s.name}`);
}
