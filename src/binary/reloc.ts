// Relocations applied to the debug sections of relocatable objects (.o, .ko): DWARF's references to
// .debug_str, .debug_abbrev and .debug_line are relocations against section symbols there. Only the
// absolute 32- and 64-bit types each architecture uses in debug sections are needed.

import { BinaryError, ByteReader } from './reader.js';
import { sectionBytes, type ElfFile, type ElfSection } from './elf.js';

// e_machine → { type: width in bytes }
const ABS: Record<number, Record<number, number>> = {
  62: { 1: 8, 10: 4, 11: 4 }, // x86_64: R_X86_64_64, _32, _32S
  3: { 1: 4 }, // i386: R_386_32
  183: { 257: 8, 258: 4 }, // aarch64: ABS64, ABS32
  40: { 2: 4 }, // arm: R_ARM_ABS32
  243: { 1: 4, 2: 8 }, // riscv: R_RISCV_32, _64
  21: { 1: 4, 38: 8 }, // ppc64: ADDR32, ADDR64
  22: { 4: 4, 22: 8 }, // s390: R_390_32, _64
};

const SHT_RELA = 4;
const SHT_REL = 9;

/** A copy of `data` (section `target`) with every relocation against it applied. */
export function applyRelocations(elf: ElfFile, target: ElfSection, data: Uint8Array): Uint8Array {
  if (elf.type !== 1) return data; // ET_REL only
  const idx = elf.sections.indexOf(target);
  const relocs = elf.sections.filter((s) => (s.type === SHT_RELA || s.type === SHT_REL) && s.info === idx);
  if (relocs.length === 0) return data;
  const out = new Uint8Array(data);
  const w = new ByteReader(out, elf.little, { section: target.name });
  const types = ABS[elf.machine] ?? {};
  for (const rs of relocs) {
    const symtab = elf.sections[rs.link];
    if (!symtab) throw new BinaryError(`relocation section ${rs.name} has no symbol table`, rs.offset);
    const r = new ByteReader(sectionBytes(elf, rs), elf.little, { section: rs.name, fileOffset: rs.offset });
    const syms = new ByteReader(sectionBytes(elf, symtab), elf.little, {
      section: symtab.name,
      fileOffset: symtab.offset,
    });
    const symSize = elf.class64 ? 24 : 16;
    const entSize = rs.entsize || (elf.class64 ? (rs.type === SHT_RELA ? 24 : 16) : rs.type === SHT_RELA ? 12 : 8);
    const n = Math.floor(rs.size / entSize);
    for (let i = 0; i < n; i++) {
      const o = i * entSize;
      const off = elf.class64 ? r.u64(o) : r.u32(o);
      let symIdx: number;
      let type: number;
      if (elf.class64) {
        type = r.u32(o + (elf.little ? 8 : 12));
        symIdx = r.u32(o + (elf.little ? 12 : 8));
      } else {
        const info = r.u32(o + 4);
        symIdx = info >>> 8;
        type = info & 0xff;
      }
      const width = types[type];
      if (!width) continue;
      r.check(o, rs.type === SHT_RELA ? (elf.class64 ? 24 : 12) : 8, 'relocation');
      const addend =
        rs.type === SHT_RELA
          ? elf.class64
            ? Number(r.view.getBigInt64(o + 16, elf.little))
            : r.i32(o + 8)
          : width === 8
            ? w.u64(off)
            : w.u32(off);
      const so = symIdx * symSize;
      const value = elf.class64 ? syms.u64(so + 8) : syms.u32(so + 4);
      const v = value + addend;
      w.check(off, width, 'relocation target');
      if (width === 8) w.view.setBigUint64(off, BigInt(Math.max(0, v)), elf.little);
      else w.view.setUint32(off, v >>> 0, elf.little);
    }
  }
  return out;
}
