// Compressed debug sections (SHF_COMPRESSED, zlib and zstd): the same object uncompressed, zlib- and
// zstd-compressed by objcopy gives the same layouts, so does a zstd section of several frames (lld
// writes one per 1 MiB shard), and a damaged stream, a wrong header size or a decompression bomb is an
// error, at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { analyzeBinary } from '../../src/binary/index.js';
import { readElf } from '../../src/binary/elf.js';
import { generateProgram } from '../support/gen.js';
import { haveTool } from '../support/gcc-truth.js';

const zlib = (_k: string, d: Uint8Array) => new Uint8Array(inflateSync(d));

const le32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24];

/** A zstd frame of stored (raw) blocks: single segment, 4-byte content size, no checksum. */
function rawFrame(data: Uint8Array): Uint8Array {
  const parts = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xa0, ...le32(data.length)])];
  for (let o = 0; o === 0 || o < data.length; o += 1 << 17) {
    const n = Math.min(1 << 17, data.length - o);
    const h = (n << 3) | (o + n >= data.length ? 1 : 0);
    parts.push(Buffer.from([h & 255, (h >> 8) & 255, h >> 16]), Buffer.from(data.subarray(o, o + n)));
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** An ELF64 little-endian file with section `name` holding `data` instead (put at the end of the file). */
function replaceSection(elf: Uint8Array, name: string, data: Uint8Array): Uint8Array {
  const i = readElf(elf).sections.findIndex((s) => s.name === name);
  const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const hdr = Number(dv.getBigUint64(0x28, true)) + i * dv.getUint16(0x3a, true);
  const at = (elf.length + 7) & ~7;
  const out = new Uint8Array(at + data.length);
  out.set(elf);
  out.set(data, at);
  const ov = new DataView(out.buffer);
  ov.setBigUint64(hdr + 0x18, BigInt(at), true);
  ov.setBigUint64(hdr + 0x20, BigInt(data.length), true);
  return out;
}

test(
  'zstd-compressed DWARF reads the same as zlib and uncompressed, and damage is an error',
  { skip: (!haveTool('gcc') || !haveTool('objcopy')) && 'gcc/objcopy not installed' },
  (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-zstd-'));
    try {
      const prog = generateProgram(4242, 120);
      const src = join(dir, 'z.c');
      writeFileSync(src, prog.source + prog.tags.map((_, i) => `${prog.probes[i]!.ctype} *use_${i};\n`).join(''));
      const plain = join(dir, 'plain.o');
      assert.equal(
        spawnSync('gcc', ['-std=gnu11', '-w', '-c', '-g', '-fno-eliminate-unused-debug-types', '-o', plain, src])
          .status,
        0,
      );
      const variant = (kind: string): string | undefined => {
        const out = join(dir, `${kind}.o`);
        return spawnSync('objcopy', [`--compress-debug-sections=${kind}`, plain, out]).status === 0 ? out : undefined;
      };
      const zs = variant('zstd');
      if (!zs) return t.skip('this objcopy cannot write zstd sections (binutils < 2.40)');
      const zl = variant('zlib')!;
      // The sections really are compressed (SHF_COMPRESSED), with zstd (ch_type 2), .debug_info among them.
      assert.match(
        spawnSync('readelf', ['-t', zs], { encoding: 'utf8' }).stdout,
        /\] \.debug_info\n(?:.*\n){2}.*\]: COMPRESSED\n\s+ZSTD,/,
      );

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
      assert.ok(
        r.diagnostics.list.some((d) => /zstd decompression failed/.test(d.message)),
        JSON.stringify(r.diagnostics.list),
      );
      // The command line: exit 1 and a one-line message, no stack trace.
      const badPath = join(dir, 'bad.o');
      writeFileSync(badPath, bad);
      const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', badPath], { encoding: 'utf8' });
      assert.equal(cli.status, 1, cli.stderr);
      assert.match(cli.stderr, /zstd decompression failed/);
      assert.doesNotMatch(cli.stderr, /\n\s+at /);

      // .debug_info as a skippable frame and then several frames: the same records. A header size one off
      // either way is an error (fzstd would pad or cut the section to fit a buffer of that size).
      const elf = readElf(bytes);
      const info = elf.sections.find((s) => s.name === '.debug_info')!;
      const chdr = bytes.subarray(info.offset, info.offset + 24);
      const dv = new DataView(chdr.buffer, chdr.byteOffset, 24);
      assert.equal(dv.getUint32(0, true), 2);
      const size = Number(dv.getBigUint64(8, true));
      assert.ok(size > 3000, `${size}`);
      const plainBytes = new Uint8Array(readFileSync(plain));
      const plainInfo = readElf(plainBytes).sections.find((s) => s.name === '.debug_info')!;
      const raw = plainBytes.subarray(plainInfo.offset, plainInfo.offset + plainInfo.size);
      assert.equal(raw.length, size);
      const skippable = Uint8Array.of(0x50, 0x2a, 0x4d, 0x18, ...le32(5), 1, 2, 3, 4, 5);
      const frames = [
        skippable,
        ...[0, 1000, 1001, 3000].map((a, k, cut) => rawFrame(raw.subarray(a, cut[k + 1] ?? size))),
      ];
      const multi = analyzeBinary(
        replaceSection(bytes, '.debug_info', new Uint8Array(Buffer.concat([chdr, ...frames]))),
        { path: 'multi.o', decompress: zlib },
      );
      assert.deepEqual(multi.diagnostics.list, []);
      assert.deepEqual(multi.records, base.records);
      for (const wrong of [size - 1, size + 1]) {
        const b = bytes.slice();
        new DataView(b.buffer).setBigUint64(info.offset + 8, BigInt(wrong), true);
        const r = analyzeBinary(b, { path: 'size.o', decompress: zlib });
        // Shorter than the stream: decoding stops at the header's size (bounded memory and time).
        const said = wrong < size ? `more than ${wrong}` : `${size}`;
        assert.deepEqual(
          r.diagnostics.list.map((d) => d.message),
          [`.debug_info: decompressed to ${said} bytes, header says ${wrong}`],
        );
      }
      // A bomb: 20,000 RLE blocks of 128 KiB (2.6 GB) from 80 KB, in a section whose header says 4 KiB.
      // Decoding stops at the header's size: an error at once, not gigabytes.
      const blocks: number[] = [];
      for (let k = 0; k < 20_000; k++) {
        const h = ((1 << 17) << 3) | (1 << 1) | (k === 19_999 ? 1 : 0); // size, RLE, last
        blocks.push(h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, 0x41);
      }
      const bomb = Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38, ...blocks]); // no content size, 128 KiB window
      const small = chdr.slice();
      new DataView(small.buffer).setBigUint64(8, 4096n, true);
      const started = Date.now();
      const boom = analyzeBinary(replaceSection(bytes, '.debug_info', new Uint8Array(Buffer.concat([small, bomb]))), {
        path: 'bomb.o',
        decompress: zlib,
      });
      assert.deepEqual(
        boom.diagnostics.list.map((d) => d.message),
        ['.debug_info: decompressed to more than 4096 bytes, header says 4096'],
      );
      assert.ok(Date.now() - started < 5000, 'stopped early');

      // The same for zlib through the command line (Node's inflate, capped at the header's size).
      const zbytes = new Uint8Array(readFileSync(zl));
      const zhdr = Buffer.alloc(24);
      zhdr.writeUInt32LE(1, 0);
      zhdr.writeBigUInt64LE(4096n, 8);
      zhdr.writeBigUInt64LE(1n, 16);
      const zbomb = join(dir, 'zbomb.o');
      writeFileSync(
        zbomb,
        replaceSection(
          zbytes,
          '.debug_info',
          new Uint8Array(Buffer.concat([zhdr, deflateSync(Buffer.alloc(64 << 20), { level: 9 })])),
        ),
      );
      const zcli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', zbomb], { encoding: 'utf8' });
      assert.equal(zcli.status, 1, zcli.stderr);
      assert.match(zcli.stderr, /\.debug_info: zlib decompression failed: more than the 4096 bytes its header says/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
