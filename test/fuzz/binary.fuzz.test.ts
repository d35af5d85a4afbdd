// The binary readers under fast-check, seeded from real objects built here (gcc -g DWARF, zlib- and
// zstd-compressed copies, pahole -J BTF, Debian's vmlinux.btf when cached): bit flips, truncation at
// section boundaries, type references turned into loops, compressed sections claiming huge sizes.
// Every run must end in records (rendered, --expand included) or located errors, never an exception,
// an internal error or a hang. A fixed seed and a brief budget by default; FUZZ_RUNS=N for more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { analyzeBinary } from '../../src/binary/index.js';
import { readElf } from '../../src/binary/elf.js';
import { analyzeRecord } from '../../src/analyze/layout-view.js';
import { renderText } from '../../src/render/text.js';
import { generateProgram } from '../support/gen.js';
import { haveTool } from '../support/gcc-truth.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const zlib = (_k: string, d: Uint8Array, size: number) =>
  new Uint8Array(inflateSync(d, { maxOutputLength: Math.max(1, size + 1) }));

interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Offsets where a section starts or ends (ELF), or the BTF header's sections. */
  readonly cuts: number[];
  /** File offsets of 4-byte type references (DW_AT_type ref4, BTF type ids) and what they may become. */
  readonly refs: number[];
  readonly targets: number[];
  /** File offsets of a compressed section's Elf64_Chdr ch_size. */
  readonly chSizes: number[];
  readonly preferBtf?: boolean;
}

/** Where an error may point: the file and an offset, or a decompressed section and an offset. */
const LOCATED = /^x(\+0x[0-9a-f]+|: \.[\w.]+\+0x[0-9a-f]+)$/;

/** Runs the readers on `bytes` and checks the outcome; returns the error count. */
function check(bytes: Uint8Array, preferBtf = false): number {
  const t0 = Date.now();
  const res = analyzeBinary(bytes, { path: 'x', decompress: zlib, preferBtf });
  for (const d of res.diagnostics.list) {
    assert.match(d.where ?? '', LOCATED, d.message);
    assert.doesNotMatch(d.message, /internal error/, d.message);
  }
  for (const r of res.records.slice(0, 200)) renderText([analyzeRecord(r, 64, { expand: true })]);
  assert.ok(Date.now() - t0 < 20_000, 'bounded time');
  return res.diagnostics.errors;
}

function elfSeed(name: string, file: string, preferBtf = false): Seed {
  const bytes = new Uint8Array(readFileSync(file));
  const elf = readElf(bytes);
  const cuts = elf.sections.flatMap((s) => [s.offset, s.offset + s.size]).filter((o) => o > 0 && o < bytes.length);
  const info = elf.sections.find((s) => s.name === '.debug_info');
  const refs: number[] = [];
  const targets: number[] = [];
  if (info && !(info.flags & 0x800) && !preferBtf) {
    // readelf names the DIEs and each DW_AT_type (ref4 in gcc's output) by .debug_info offset.
    const dump = execFileSync('readelf', ['--debug-dump=info', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
    for (const m of dump.matchAll(/<([0-9a-f]+)>\s+DW_AT_type\s*:\s*<0x/g))
      refs.push(info.offset + parseInt(m[1]!, 16));
    for (const m of dump.matchAll(/^ <\d+><([0-9a-f]+)>/gm)) targets.push(parseInt(m[1]!, 16));
  }
  const chSizes = elf.sections.filter((s) => s.flags & 0x800).map((s) => s.offset + 8);
  return { name, bytes, cuts, refs, targets, chSizes, preferBtf };
}

/** A raw BTF blob: the type ids of its PTR, TYPEDEF and qualifier types, and member types. */
function btfSeed(name: string, bytes: Uint8Array): Seed {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hdr = dv.getUint32(4, true);
  const tstart = hdr + dv.getUint32(8, true);
  const tend = tstart + dv.getUint32(12, true);
  const refs: number[] = [];
  let p = tstart;
  let id = 1;
  const per: Record<number, [number, number]> = {
    1: [4, 0],
    3: [12, 0],
    4: [0, 12],
    5: [0, 12],
    6: [0, 8],
    13: [0, 8],
    14: [4, 0],
    15: [0, 12],
    17: [4, 0],
    19: [0, 12],
  };
  while (p + 12 <= tend && refs.length < 20_000) {
    const info = dv.getUint32(p + 4, true);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    if ([2, 8, 9, 10, 11, 18].includes(kind)) refs.push(p + 8);
    if (kind === 4 || kind === 5) for (let i = 0; i < Math.min(vlen, 4); i++) refs.push(p + 12 + 12 * i + 4);
    const [fixed, each] = per[kind] ?? [0, 0];
    p += 12 + fixed + each * vlen;
    id++;
  }
  const targets = Array.from({ length: Math.min(id, 5000) }, (_, i) => i);
  return { name, bytes, cuts: [hdr, tstart, tend, bytes.length - 1], refs, targets, chSizes: [] };
}

function mutate(seed: Seed): fc.Arbitrary<Uint8Array> {
  const n = seed.bytes.length;
  const flips = fc
    .array(fc.tuple(fc.nat(n - 1), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 16 })
    .map((fl) => {
      const b = seed.bytes.slice();
      for (const [at, bit] of fl) b[at]! ^= 1 << bit;
      return b;
    });
  const cut = fc
    .tuple(fc.constantFrom(...seed.cuts), fc.integer({ min: -3, max: 3 }))
    .map(([at, d]) => seed.bytes.slice(0, Math.max(1, Math.min(n, at + d))));
  const gens: fc.Arbitrary<Uint8Array>[] = [flips, cut];
  if (seed.refs.length > 0 && seed.targets.length > 0) {
    // A type reference pointed elsewhere: at itself, another DIE or type, or nothing.
    gens.push(
      fc
        .array(fc.tuple(fc.constantFrom(...seed.refs), fc.oneof(fc.constantFrom(...seed.targets), fc.nat())), {
          minLength: 1,
          maxLength: 4,
        })
        .map((rs) => {
          const b = seed.bytes.slice();
          const dv = new DataView(b.buffer);
          for (const [at, to] of rs) dv.setUint32(at, to >>> 0, true);
          return b;
        }),
    );
  }
  if (seed.chSizes.length > 0) {
    gens.push(
      fc
        .tuple(
          fc.constantFrom(...seed.chSizes),
          fc.oneof(fc.constantFrom(2 ** 30, 3 * 2 ** 30, 2 ** 31, 2 ** 40), fc.nat()),
        )
        .map(([at, size]) => {
          const b = seed.bytes.slice();
          new DataView(b.buffer).setBigUint64(at, BigInt(size), true);
          return b;
        }),
    );
  }
  return fc.oneof(...gens);
}

const tools = ['gcc', 'objcopy', 'readelf'].every(haveTool);
test(
  'binary readers: mutated real objects end in records or located errors',
  { skip: !tools && 'gcc/objcopy/readelf missing' },
  (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-fuzz-'));
    try {
      const prog = generateProgram(99, 40);
      const src = join(dir, 'f.c');
      writeFileSync(src, prog.source + prog.tags.map((_, i) => `${prog.probes[i]!.ctype} *use_${i};\n`).join(''));
      const obj = join(dir, 'f.o');
      assert.equal(
        spawnSync('gcc', [
          '-std=gnu11',
          '-w',
          '-c',
          '-g',
          '-gdwarf-4',
          '-fno-eliminate-unused-debug-types',
          '-o',
          obj,
          src,
        ]).status,
        0,
      );
      const seeds = [elfSeed('DWARF', obj)];
      for (const kind of ['zlib', 'zstd']) {
        const out = join(dir, `f-${kind}.o`);
        if (spawnSync('objcopy', [`--compress-debug-sections=${kind}`, obj, out]).status === 0)
          seeds.push(elfSeed(`DWARF ${kind}`, out));
      }
      if (haveTool('pahole')) {
        const btf = join(dir, 'f-btf.o');
        writeFileSync(btf, readFileSync(obj));
        if (spawnSync('pahole', ['-J', btf]).status === 0) {
          seeds.push(elfSeed('BTF in ELF', btf, true));
          const bytes = new Uint8Array(readFileSync(btf));
          const s = readElf(bytes).sections.find((x) => x.name === '.BTF');
          if (s) seeds.push(btfSeed('BTF', bytes.slice(s.offset, s.offset + s.size)));
        }
      }
      const vmlinux = '.cache/kernel-image-amd64/vmlinux.btf';
      if (existsSync(vmlinux)) seeds.push(btfSeed('vmlinux BTF', new Uint8Array(readFileSync(vmlinux))));
      for (const seed of seeds) {
        assert.equal(check(seed.bytes, seed.preferBtf), 0, `${seed.name} reads clean`);
        let errors = 0;
        // The large vmlinux seed gets a tenth of the budget (each run reads 5 MB of BTF).
        const runs = seed.bytes.length > 1 << 22 ? Math.max(2, Math.ceil(RUNS / 10)) : RUNS;
        fc.assert(
          fc.property(mutate(seed), (b) => {
            errors += check(b, seed.preferBtf) > 0 ? 1 : 0;
          }),
          { seed: SEED, numRuns: runs },
        );
        t.diagnostic(`${seed.name}: ${runs} runs, ${errors} ended in located errors, the rest clean`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
