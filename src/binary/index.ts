// Compiled type info front end: an ELF object (its .BTF section; DWARF support is the next step) or a
// raw BTF blob (/sys/kernel/btf/vmlinux, /sys/kernel/btf/<module> over its base) → model Records.

import { Diagnostics } from '../core/diag.js';
import type { Record } from '../model/model.js';
import { btfRecords, isBtf, parseBtf, type Btf } from './btf.js';
import { isElf, readElf, sectionBytes } from './elf.js';
import { BinaryError } from './reader.js';

export interface BinaryOptions {
  readonly path: string;
  readonly preferBtf?: boolean;
  /** The base BTF for split BTF (a module's over vmlinux). */
  readonly btfBase?: Uint8Array;
}

export interface BinaryResult {
  readonly records: Record[];
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
    let base: Btf | undefined;
    if (opts.btfBase) base = parseBtf(btfOf(opts.btfBase, `${opts.path} (base)`));
    const blob = btfOf(bytes, opts.path);
    const btf = parseBtf(blob, base);
    return { records: btfRecords(btf), diagnostics, format: 'btf' };
  } catch (e) {
    if (e instanceof BinaryError) {
      diagnostics.report({ severity: 'error', message: e.message, where: `${opts.path}+0x${e.offset.toString(16)}` });
      return { records: [], diagnostics, format: 'none' };
    }
    throw e;
  }
}

function btfOf(bytes: Uint8Array, path: string): Uint8Array {
  if (isBtf(bytes)) return bytes;
  if (isElf(bytes)) {
    const elf = readElf(bytes);
    const s = elf.sections.find((x) => x.name === '.BTF');
    if (!s) throw new BinaryError(`${path}: no .BTF section (DWARF reading is not supported yet; build with BTF or pass the BTF blob)`, 0);
    return sectionBytes(elf, s);
  }
  throw new BinaryError(`${path}: neither ELF nor BTF`, 0);
}
