// Compiled type info front end: an ELF object (its DWARF, or its .BTF section with preferBtf or when it
// has no DWARF) or a raw BTF blob (/sys/kernel/btf/vmlinux, /sys/kernel/btf/<module> over its base).

import { Decompress as ZstdStream } from 'fzstd';
import { Diagnostics } from '../core/diag.js';
import type { RecordType } from '../model/model.js';
import { btfRecords, isBtf, parseBtf, type Btf } from './btf.js';
import { isElf, readElf, sectionBytes, type ElfFile } from './elf.js';
import { BinaryError, ByteReader } from './reader.js';
import { dwarfRecords } from './dwarf.js';
import { applyRelocations } from './reloc.js';

export interface BinaryOptions {
  readonly path: string;
  readonly preferBtf?: boolean;
  /** The base BTF for split BTF (a module's over vmlinux). */
  readonly btfBase?: Uint8Array;
  /** zlib decompression for SHF_COMPRESSED sections (the Node CLI passes node:zlib's; zstd is built in). */
  readonly decompress?: (kind: 'zlib' | 'zstd', data: Uint8Array, size: number) => Uint8Array;
  /** Only the structs and unions of these names are wanted (others may be returned too): BTF then
   *  builds just those and what they refer to. */
  readonly names?: readonly string[];
}

export interface BinaryResult {
  readonly records: RecordType[];
  readonly diagnostics: Diagnostics;
  readonly format: 'btf' | 'dwarf' | 'none';
}

export function isBinaryInput(b: Uint8Array): boolean {
  return isElf(b) || isBtf(b);
}

/** Never throws on bad input: corrupt or truncated files become a diagnostic. */
export function analyzeBinary(bytes: Uint8Array, opts: BinaryOptions): BinaryResult {
  const diagnostics = new Diagnostics();
  try {
    if (isElf(bytes) && !opts.preferBtf) {
      const elf = readElf(bytes);
      if (elf.sections.some((x) => x.name === '.debug_info')) return { records: dwarfOf(elf, opts), diagnostics, format: 'dwarf' };
    }
    let base: Btf | undefined;
    if (opts.btfBase) base = parseBtf(btfOf(opts.btfBase, `${opts.path} (base)`));
    const blob = btfOf(bytes, opts.path);
    const btf = parseBtf(blob, base);
    return { records: btfRecords(btf, opts.names && opts.names.length > 0 ? new Set(opts.names) : undefined), diagnostics, format: 'btf' };
  } catch (e) {
    if (e instanceof BinaryError) {
      diagnostics.report({ severity: 'error', message: e.message, where: `${opts.path}+0x${e.offset.toString(16)}` });
      return { records: [], diagnostics, format: 'none' };
    }
    // A check missed somewhere must still not reach the user as a crash.
    if (e instanceof RangeError) {
      diagnostics.report({ severity: 'error', message: `truncated or corrupt input (${e.message})`, where: opts.path });
      return { records: [], diagnostics, format: 'none' };
    }
    throw e;
  }
}

function dwarfOf(elf: ElfFile, opts: BinaryOptions): RecordType[] {
  const get = (name: string): Uint8Array | undefined => {
    const s = elf.sections.find((x) => x.name === name);
    if (!s) return undefined;
    let data = sectionBytes(elf, s);
    if (s.flags & 0x800) data = decompressSection(elf, data, name, opts);
    return applyRelocations(elf, s, data);
  };
  const info = get('.debug_info')!;
  const abbrev = get('.debug_abbrev');
  if (!abbrev) throw new BinaryError('.debug_info without .debug_abbrev', 0);
  return dwarfRecords({
    info, abbrev, str: get('.debug_str'), lineStr: get('.debug_line_str'), strOffsets: get('.debug_str_offsets'),
    little: elf.little, addressSize: elf.class64 ? 8 : 4,
  });
}

/** SHF_COMPRESSED: an Elf_Chdr (type, size, alignment) then the compressed stream. */
function decompressSection(elf: ElfFile, data: Uint8Array, name: string, opts: BinaryOptions): Uint8Array {
  const r = new ByteReader(data, elf.little);
  const type = r.u32(0);
  const size = elf.class64 ? r.u64(8) : r.u32(4);
  const hdr = elf.class64 ? 24 : 12;
  const kind = type === 1 ? 'zlib' : type === 2 ? 'zstd' : undefined;
  if (!kind) throw new BinaryError(`${name}: unknown compression type ${type}`, 0);
  // zstd through fzstd (pure JavaScript, so this works in a browser too); zlib through the host's.
  if (kind === 'zlib' && !opts.decompress) throw new BinaryError(`${name} is ${kind}-compressed and no decompressor is available here`, 0);
  let out: Uint8Array;
  try {
    out = kind === 'zstd' ? zstdSection(data.subarray(hdr), size, name) : opts.decompress!(kind, data.subarray(hdr), size);
  } catch (e) {
    if (e instanceof BinaryError) throw e;
    throw new BinaryError(`${name}: ${kind} decompression failed: ${(e as Error).message}`, 0);
  }
  if (out.length !== size) throw new BinaryError(`${name}: decompressed to ${out.length} bytes, header says ${size}`, 0);
  return out;
}

/** A zstd section through fzstd's streaming decoder (several frames, skippable ones, as lld writes
 *  them): decoded into the size the header gives and stopped as soon as it would exceed it, so a
 *  stream that expands without end costs no more time or memory than the header allows. */
function zstdSection(data: Uint8Array, size: number, name: string): Uint8Array {
  const out = new Uint8Array(size);
  let n = 0;
  const d = new ZstdStream((chunk: Uint8Array) => {
    if (n + chunk.length > size) throw new BinaryError(`${name}: decompressed to more than ${size} bytes, header says ${size}`, 0);
    out.set(chunk, n);
    n += chunk.length;
  });
  d.push(data, true);
  return n === size ? out : out.subarray(0, n);
}

function btfOf(bytes: Uint8Array, path: string): Uint8Array {
  if (isBtf(bytes)) return bytes;
  if (isElf(bytes)) {
    const elf = readElf(bytes);
    const s = elf.sections.find((x) => x.name === '.BTF');
    if (!s) throw new BinaryError(`${path}: no .BTF section and no DWARF (.debug_info); build with -g or pass the BTF blob`, 0);
    return sectionBytes(elf, s);
  }
  throw new BinaryError(`${path}: neither ELF nor BTF`, 0);
}
