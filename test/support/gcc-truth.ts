// Ground truth from a real gcc without running its output: for each record we emit constant objects
// (sizeof, _Alignof, offsetof of every named non-bitfield member; for every bitfield a union of the
// record and a byte array with only that bitfield set to all ones), compile with `cc -c`, and read the
// bytes back with nm (symbol offsets) and objcopy (section contents). Works for any cross gcc.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProbeRecord {
  /** How to name the type in C: "struct foo", "union bar", or a typedef name. */
  readonly ctype: string;
  /** Named members to check: dotted paths are not needed (anonymous members are reachable by name). */
  readonly fields: readonly string[];
  /** Members of `fields` whose size (sizeof) is checked too. */
  readonly sized?: readonly string[];
  readonly bitfields: readonly { readonly name: string; readonly bool?: boolean }[];
}

export interface TruthRecord {
  readonly size: number;
  readonly align: number;
  readonly offsets: ReadonlyMap<string, number>;
  readonly sizes: ReadonlyMap<string, number>;
  readonly bits: ReadonlyMap<string, { bitOffset: number; bitSize: number }>;
}

export interface Toolchain {
  readonly cc: string;
  readonly nm: string;
  readonly objcopy: string;
  readonly flags: readonly string[];
  readonly endian: 'little' | 'big';
  /** Directory to run the compiler in (kbuild's flags use paths relative to the object tree). */
  readonly cwd?: string;
  /** Bytes of `unsigned long long` facts (always 8). */
}

export const HOST_TOOLCHAIN: Toolchain = { cc: 'gcc', nm: 'nm', objcopy: 'objcopy', flags: [], endian: 'little' };

export function haveTool(cmd: string): boolean {
  const r = spawnSync(cmd, ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

/** Compiles `source` + probes; returns the truth per probe, or throws with gcc's message. */
export function gccTruth(
  source: string,
  probes: readonly ProbeRecord[],
  tc: Toolchain = HOST_TOOLCHAIN,
): TruthRecord[] {
  let c = source + '\n';
  // The probes name members and types as our model has them, after macro expansion; a header may
  // define a macro of the same name afterwards (resolv.h's `#define p_type __p_type`, after elf.h's
  // Elf32_Phdr.p_type), which must not rewrite the probe.
  const names = new Set<string>();
  for (const p of probes)
    for (const w of [...p.ctype.split(/\W+/), ...p.fields, ...p.bitfields.map((b) => b.name)])
      if (w && w !== 'struct' && w !== 'union') names.add(w);
  for (const n of names) c += `#undef ${n}\n`;
  probes.forEach((p, i) => {
    const facts = [
      `sizeof(${p.ctype})`,
      `_Alignof(${p.ctype})`,
      ...p.fields.map((f) => `__builtin_offsetof(${p.ctype}, ${f})`),
      ...(p.sized ?? []).map((f) => `sizeof(((${p.ctype} *)0)->${f})`),
    ];
    c += `const unsigned long long lo_f${i}[] __attribute__((section(".lo_probe"))) = { ${facts.join(', ')} };\n`;
    p.bitfields.forEach((b, k) => {
      c += `const union { ${p.ctype} s; unsigned char b[sizeof(${p.ctype})]; } lo_b${i}_${k} __attribute__((section(".lo_probe"))) = { .s = { .${b.name} = ${b.bool ? 1 : -1} } };\n`;
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-gcc-'));
  try {
    const src = join(dir, 'p.c');
    const obj = join(dir, 'p.o');
    const bin = join(dir, 'p.bin');
    writeFileSync(src, c);
    const r = spawnSync(
      tc.cc,
      [
        '-std=gnu11',
        '-w',
        '-c',
        '-O0',
        ...(tc.cc.includes('clang') ? [] : ['-fno-toplevel-reorder']),
        ...tc.flags,
        '-o',
        obj,
        src,
      ],
      { encoding: 'utf8', cwd: tc.cwd, maxBuffer: 1 << 26 },
    );
    if (r.status !== 0)
      throw new Error(`${tc.cc} failed:\n${r.stderr.slice(0, 20000)}\n--- source ---\n${c.slice(0, 20000)}`);
    execFileSync(tc.objcopy, ['-O', 'binary', '--only-section=.lo_probe', obj, bin]);
    const bytes = new Uint8Array(readFileSync(bin));
    const syms = new Map<string, { off: number; size: number }>();
    const nm = execFileSync(tc.nm, ['-S', '--defined-only', obj], { encoding: 'utf8', maxBuffer: 1 << 26 });
    for (const line of nm.split('\n')) {
      // ELF gives sizes; COFF (clang's Windows objects) does not, and none are needed: the facts
      // arrays' lengths are known and a bitfield probe is as large as its record.
      const m = /^([0-9a-f]+) (?:([0-9a-f]+) )?\w (lo_\w+)$/.exec(line.trim());
      if (m) syms.set(m[3]!, { off: parseInt(m[1]!, 16), size: m[2] ? parseInt(m[2], 16) : -1 });
    }
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const base = Math.min(...[...syms.values()].map((s) => s.off));
    return probes.map((p, i) => {
      const f = syms.get(`lo_f${i}`)!;
      const word = (k: number): number => Number(dv.getBigUint64(f.off - base + 8 * k, tc.endian === 'little'));
      const offsets = new Map<string, number>();
      p.fields.forEach((name, k) => offsets.set(name, word(2 + k)));
      const sizes = new Map<string, number>();
      (p.sized ?? []).forEach((name, k) => sizes.set(name, word(2 + p.fields.length + k)));
      const bits = new Map<string, { bitOffset: number; bitSize: number }>();
      const recSize = word(0);
      p.bitfields.forEach((b, k) => {
        const sym = syms.get(`lo_b${i}_${k}`)!;
        const s = { off: sym.off, size: sym.size >= 0 ? sym.size : recSize };
        let first = -1;
        let count = 0;
        for (let j = 0; j < s.size; j++) {
          const byte = bytes[s.off - base + j]!;
          for (let bit = 0; bit < 8; bit++) {
            const set = tc.endian === 'little' ? (byte >> bit) & 1 : (byte >> (7 - bit)) & 1;
            if (set) {
              if (first < 0) first = j * 8 + bit;
              count++;
            }
          }
        }
        bits.set(b.name, { bitOffset: first, bitSize: count });
      });
      return { size: recSize, align: word(1), offsets, sizes, bits };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
