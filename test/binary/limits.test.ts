// Bounded on hostile binaries: a compressed section claiming far more than its size allows is refused
// from its header (no allocation, no inflating), naming the section; a sparse 1.9 GB ELF is read by
// section, so it costs what its debug sections do (it cost 1.9 GB of memory when read whole).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { analyzeBinary, DECOMPRESS_FLOOR, DECOMPRESS_RATIO } from '../../src/binary/index.js';
import { readElf } from '../../src/binary/elf.js';
import { haveTool } from '../support/gcc-truth.js';

const skip = (!haveTool('gcc') || !haveTool('objcopy')) && 'gcc/objcopy not installed';
const zlib = (_k: string, d: Uint8Array, size: number) => new Uint8Array(inflateSync(d, { maxOutputLength: size + 1 }));

function build(dir: string, compress?: string): string {
  writeFileSync(join(dir, 'a.c'), 'typedef struct { char c; long l; } anon_t;\nstruct s { int a; anon_t t; } v;\n');
  const obj = join(dir, 'a.o');
  assert.equal(spawnSync('gcc', ['-g', '-c', '-o', obj, join(dir, 'a.c')]).status, 0);
  if (!compress) return obj;
  const out = join(dir, `a-${compress}.o`);
  return spawnSync('objcopy', [`--compress-debug-sections=${compress}`, obj, out]).status === 0 ? out : '';
}

test('a compressed section claiming more than its limit is refused at once, naming it', { skip }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-lim-'));
  try {
    for (const kind of ['zlib', 'zstd']) {
      const obj = build(dir, kind);
      if (!obj) {
        t.diagnostic(`objcopy cannot write ${kind}`);
        continue;
      }
      const bytes = new Uint8Array(readFileSync(obj));
      const info = readElf(bytes).sections.find((s) => s.name === '.debug_info')!;
      assert.ok(info.flags & 0x800, 'compressed');
      const limit = Math.max(DECOMPRESS_FLOOR, DECOMPRESS_RATIO * info.size);
      for (const claim of [2 ** 30, 3 * 2 ** 30, 2 ** 31 + 5, limit + 1]) {
        const b = bytes.slice();
        new DataView(b.buffer).setBigUint64(info.offset + 8, BigInt(claim), true);
        const t0 = Date.now();
        const r = analyzeBinary(b, { path: 'bomb.o', decompress: zlib });
        assert.ok(Date.now() - t0 < 1000);
        assert.equal(r.diagnostics.list.length, 1);
        const d = r.diagnostics.list[0]!;
        assert.equal(d.where, `bomb.o+0x${info.offset.toString(16)}`);
        assert.match(
          d.message,
          new RegExp(
            `^\\.debug_info: ${kind}-compressed section of ${info.size} bytes claims ${claim} bytes decompressed; the limit is \\d+ bytes`,
          ),
        );
      }
      // Undamaged, the section reads.
      assert.deepEqual(analyzeBinary(bytes, { path: 'ok.o', decompress: zlib }).diagnostics.list, []);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  'a sparse 1.9 GB ELF is read by section: little memory, the same answer',
  { skip: (skip || !haveTool('/usr/bin/time')) && 'gcc or /usr/bin/time missing' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-sparse-'));
    try {
      const obj = build(dir);
      const sparse = join(dir, 'sparse.o');
      writeFileSync(sparse, readFileSync(obj));
      truncateSync(sparse, 1900 * 2 ** 20);
      const r = spawnSync(
        '/usr/bin/time',
        ['-f', 'maxrss=%M', process.execPath, '--import', 'tsx', 'src/cli/run.ts', '--no-cache', sparse, 'anon_t'],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^typedef struct \{\n[^]*\} anon_t;\n$/);
      const kb = Number(/maxrss=(\d+)/.exec(r.stderr)![1]);
      assert.ok(kb < 400_000, `${kb} KB`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
