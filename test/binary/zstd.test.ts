// zstd-compressed debug sections (SHF_COMPRESSED, ELFCOMPRESS_ZSTD): the same object uncompressed,
// zlib- and zstd-compressed by objcopy gives the same layouts, and a damaged zstd stream is an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { analyzeBinary } from '../../src/binary/index.js';
import { generateProgram } from '../support/gen.js';
import { haveTool } from '../support/gcc-truth.js';

const zlib = (_k: string, d: Uint8Array) => new Uint8Array(inflateSync(d));

test('zstd-compressed DWARF reads the same as zlib and uncompressed, and damage is an error', { skip: (!haveTool('gcc') || !haveTool('objcopy')) && 'gcc/objcopy not installed' }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-zstd-'));
  try {
    const prog = generateProgram(4242, 120);
    const src = join(dir, 'z.c');
    writeFileSync(src, prog.source + prog.tags.map((_, i) => `${prog.probes[i]!.ctype} *use_${i};\n`).join(''));
    const plain = join(dir, 'plain.o');
    assert.equal(spawnSync('gcc', ['-std=gnu11', '-w', '-c', '-g', '-fno-eliminate-unused-debug-types', '-o', plain, src]).status, 0);
    const variant = (kind: string): string | undefined => {
      const out = join(dir, `${kind}.o`);
      return spawnSync('objcopy', [`--compress-debug-sections=${kind}`, plain, out]).status === 0 ? out : undefined;
    };
    const zs = variant('zstd');
    if (!zs) return t.skip('this objcopy cannot write zstd sections (binutils < 2.40)');
    const zl = variant('zlib')!;
    // The sections really are compressed, with zstd.
    assert.match(spawnSync('readelf', ['-t', zs], { encoding: 'utf8' }).stdout, /ZSTD/);

    const read = (p: string) => analyzeBinary(new Uint8Array(readFileSync(p)), { path: p, decompress: zlib });
    const base = read(plain);
    assert.deepEqual(base.diagnostics.list, []);
    assert.ok(base.records.length >= 100, `${base.records.length} records`);
    for (const p of [zl, zs]) {
      const r = read(p);
      assert.deepEqual(r.diagnostics.list, [], p);
      assert.deepEqual(r.records, base.records, p);
    }

    // Damage inside the zstd stream of .debug_info: an error naming the section, not a crash.
    const bytes = new Uint8Array(readFileSync(zs));
    const magic = Buffer.from(bytes).indexOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
    assert.ok(magic > 0);
    for (const at of [magic, magic + 4, magic + 12, magic + 40]) {
      const bad = bytes.slice();
      bad[at] ^= 0xff;
      const r = analyzeBinary(bad, { path: 'bad.o', decompress: zlib });
      assert.ok(r.diagnostics.errors > 0 || r.records.length <= base.records.length, `flip at ${at}`);
    }
    const bad = bytes.slice();
    bad[magic] ^= 0xff;
    const r = analyzeBinary(bad, { path: 'bad.o', decompress: zlib });
    assert.ok(r.diagnostics.list.some((d) => /zstd decompression failed/.test(d.message)), JSON.stringify(r.diagnostics.list));
    // The command line: exit 1 and a one-line message, no stack trace.
    const badPath = join(dir, 'bad.o');
    writeFileSync(badPath, bad);
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', badPath], { encoding: 'utf8' });
    assert.equal(cli.status, 1, cli.stderr);
    assert.match(cli.stderr, /zstd decompression failed/);
    assert.doesNotMatch(cli.stderr, /\n\s+at /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
