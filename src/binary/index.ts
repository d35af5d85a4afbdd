// Compiled type info front end: an ELF object (its DWARF, or its .BTF section with preferBtf or when it
// has no DWARF) or a raw BTF blob (/sys/kernel/btf/vmlinux, /sys/kernel/btf/<module> over its base).
// An ELF is read by section through a BinarySource; compressed sections are inflated under a limit.

import { Diagnostics } from '../core/diag.js';
import type { RecordType } from '../model/model.js';
import { isBtf, parseBtf, type Btf } from './btf.js';
import { btfRecords } from './btf-model.js';
import { bytesSource, isElf, readElf, sectionBytes, SHF_COMPRESSED, type BinarySource, type ElfFile } from './elf.js';
import { BinaryError, ByteReader, RecordIssues } from './reader.js';
import { dwarfRecords } from './dwarf.js';
import { applyRelocations } from './reloc.js';
import { decompressSection, type Decompressor } from './decompress.js';

export type { BinarySource } from './elf.js';
export { DECOMPRESS_RATIO, DECOMPRESS_FLOOR, DECOMPRESS_MAX } from './decompress.js';

export interface BinaryOptions {
  readonly path: string;
  readonly preferBtf?: boolean;
  /** The base BTF for split BTF (a module's over vmlinux). */
  readonly btfBase?: Uint8Array | BinarySource;
  /** Its path, to locate its errors. */
  readonly btfBasePath?: string;
  /** zlib decompression for SHF_COMPRESSED sections (the Node CLI passes node:zlib's; zstd is built in). */
  readonly decompress?: Decompressor;
  /** Only the structs and unions of these names are wanted (others may be returned too): BTF then
   *  builds just those and what they refer to. */
  readonly names?: readonly string[];
}

export interface BinaryResult {
  readonly records: RecordType[];
  readonly diagnostics: Diagnostics;
  readonly format: 'btf' | 'dwarf' | 'none';
  /** Records an impossible value left incomplete (members kept up to the first bad one), with the
   *  located errors (`file+0xOFF: ...`) that say why; each is also a diagnostic. */
  readonly incomplete: ReadonlyMap<RecordType, readonly string[]>;
  /** Typedef names of struct and union definitions (DWARF: `layoutof x.o anon_t`, as pahole -C). */
  readonly typedefs: ReadonlyMap<string, RecordType>;
}

export function isBinaryInput(b: Uint8Array): boolean {
  return isElf(b) || isBtf(b);
}

/** Never throws on bad input: corrupt or truncated files become a located diagnostic. A bug is
 *  thrown on, never reported as bad input. */
export function analyzeBinary(input: Uint8Array | BinarySource, opts: BinaryOptions): BinaryResult {
  const diagnostics = new Diagnostics();
  const issues = new RecordIssues<RecordType>();
  const src = input instanceof Uint8Array ? bytesSource(input) : input;
  const done = (
    records: RecordType[],
    format: 'btf' | 'dwarf',
    typedefs: ReadonlyMap<string, RecordType> = new Map(),
  ): BinaryResult => {
    const incomplete = new Map<RecordType, string[]>();
    for (const [rec, list] of issues.map) {
      const msgs = list.map((i) => {
        const where = new BinaryError(i.message, i.offset, i.origin).where(opts.path);
        diagnostics.report({
          severity: 'error',
          message: `${rec.kind} ${rec.name ?? rec.typedef ?? '(anonymous)'} is incomplete: ${i.message}`,
          where,
        });
        return `${where}: ${i.message}`;
      });
      incomplete.set(rec, msgs);
      // The model's mark for a record an error touched (RecordType.incomplete where the model has it):
      // the members kept are those before the first that could not be read.
      (rec as { incomplete?: { errors: readonly string[]; unplaced: readonly unknown[] } }).incomplete = {
        errors: msgs,
        unplaced: [],
      };
    }
    return { records, diagnostics, format, incomplete, typedefs };
  };
  try {
    const head = src.read(0, Math.min(src.size, 8));
    if (isElf(head) && !opts.preferBtf) {
      const elf = readElf(src);
      if (elf.sections.some((x) => x.name === '.debug_info')) {
        const d = dwarfOf(elf, opts, issues);
        return done(d.records, 'dwarf', d.typedefs);
      }
    }
    let base: Btf | undefined;
    if (opts.btfBase) {
      try {
        base = btfOf(
          opts.btfBase instanceof Uint8Array ? bytesSource(opts.btfBase) : opts.btfBase,
          `${opts.path} (base)`,
          opts,
          undefined,
        );
      } catch (e) {
        if (!(e instanceof BinaryError)) throw e;
        throw new BinaryError(
          `the base BTF${opts.btfBasePath ? ` (${e.where(opts.btfBasePath)})` : ''}: ${e.message}`,
          0,
        );
      }
    }
    const btf = btfOf(src, opts.path, opts, base);
    return done(btfRecords(btf, opts.names && opts.names.length > 0 ? new Set(opts.names) : undefined, issues), 'btf');
  } catch (e) {
    if (e instanceof BinaryError) {
      diagnostics.report({ severity: 'error', message: e.message, where: e.where(opts.path) });
      return { records: [], diagnostics, format: 'none', incomplete: new Map(), typedefs: new Map() };
    }
    // Anything else is not the input's fault but a bug (a stack overflow included): it goes on to
    // the caller, whose report says so (the command line's: "internal error: ... please report").
    throw e;
  }
}

function dwarfOf(elf: ElfFile, opts: BinaryOptions, issues: RecordIssues<RecordType>): ReturnType<typeof dwarfRecords> {
  const get = (name: string): ByteReader | undefined => {
    const s = elf.sections.find((x) => x.name === name);
    if (!s) return undefined;
    let data = sectionBytes(elf, s);
    const compressed = (s.flags & SHF_COMPRESSED) !== 0;
    if (compressed) data = decompressSection(data, elf, s, opts.decompress);
    // Offsets are the file's, unless the bytes were inflated (then they are the section's).
    return new ByteReader(
      applyRelocations(elf, s, data),
      elf.little,
      compressed ? { section: name } : { section: name, fileOffset: s.offset },
    );
  };
  const info = get('.debug_info')!;
  const abbrev = get('.debug_abbrev');
  if (!abbrev) throw new BinaryError('.debug_info without .debug_abbrev', 0);
  return dwarfRecords(
    {
      info,
      abbrev,
      str: get('.debug_str'),
      lineStr: get('.debug_line_str'),
      strOffsets: get('.debug_str_offsets'),
      little: elf.little,
      addressSize: elf.class64 ? 8 : 4,
    },
    issues,
  );
}

/** The BTF of a raw blob or an ELF's .BTF section, parsed (over `base` for split BTF). */
function btfOf(src: BinarySource, path: string, opts: BinaryOptions, base: Btf | undefined): Btf {
  const head = src.read(0, Math.min(src.size, 8));
  if (isBtf(head)) return parseBtf(src.read(0, src.size), base);
  if (isElf(head)) {
    const elf = readElf(src);
    const s = elf.sections.find((x) => x.name === '.BTF');
    if (!s) {
      if (opts.preferBtf && elf.sections.some((x) => x.name === '.debug_info'))
        throw new BinaryError('no .BTF section (the file has DWARF: read it without --btf)', 0);
      throw new BinaryError('no .BTF section and no DWARF (.debug_info); build with -g or pass the BTF blob', 0);
    }
    return parseBtf(sectionBytes(elf, s), base, { section: '.BTF', fileOffset: s.offset });
  }
  throw new BinaryError(`neither ELF nor BTF${path.endsWith('(base)') ? ' (the --btf-base file)' : ''}`, 0);
}
