// The generated TypeScript type-checks under --strict whatever the records hold (reserved names, every
// float format, unnamed nested records, flexible arrays), and --decode's text and errors on the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { renderTs } from '../../src/render/ts-binding.js';
import { findTarget } from '../../src/target/target.js';

const dir = mkdtempSync(join(tmpdir(), 'layoutof-ts-'));
function run(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync('bin/layoutof', ['--no-cache', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function file(name: string, text: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const KINDS = `enum mode { M_OFF, M_ON = 3, M_NEG = -1 };
enum big { B_ONE = 1, B_HUGE = 0x100000000LL };
struct number { int class; char constructor; long double ld; _Float16 h; __bf16 bf; _Complex double z;
  __int128 wide; unsigned __int128 uwide; enum mode m : 3; enum big b; int (*fn)(int);
  struct { short a[2][3]; union { float f; unsigned u : 7; }; } inner; _Bool flag : 1; unsigned long long bits : 40; char tail[]; };
typedef struct { struct number n[2]; void *p; } holder_t;
`;

/** KINDS without the types gcc lacks on a target (_Float16 and __bf16 on s390x and ppc64le). */
const forTarget = (triple: string): string =>
  /s390x|powerpc/.test(triple) ? KINDS.replace('__bf16 bf;', '').replace('_Float16 h;', '') : KINDS;

test('the generated module type-checks with tsc --strict on every target', () => {
  const files: string[] = [];
  for (const triple of ['x86_64-linux-gnu', 's390x-linux-gnu', 'powerpc64le-linux-gnu', 'aarch64-linux-gnu']) {
    const target = findTarget(triple)!;
    const src = forTarget(triple);
    const res = analyzeSourceText(src, { target });
    assert.equal(res.diagnostics.errors, 0, res.diagnostics.list.map((d) => d.message).join('; '));
    const text = renderTs(res.records.concat([...res.typedefs.values()].filter((r) => r.name === null)), target);
    assert.match(text, /export class number_ \{/);
    assert.match(text, /get constructor_\(\): number/);
    assert.match(text, /export class holder_t \{/);
    assert.match(text, /export const M_NEG = -1;/);
    assert.match(text, /export const B_HUGE = 4294967296n;/);
    files.push(file(`${triple}.ts`, text));
  }
  const r = spawnSync(
    'node_modules/.bin/tsc',
    [
      '--strict',
      '--noEmit',
      '--target',
      'ES2022',
      '--module',
      'ESNext',
      '--moduleResolution',
      'bundler',
      '--lib',
      'ES2022',
      ...files,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

for (const triple of ['s390x-linux-gnu', 'aarch64-linux-gnu', 'x86_64-linux-gnu', 'powerpc64le-linux-gnu']) {
  test(`${triple}: accessors of every float format and of bitfields write and read back`, async () => {
    const target = findTarget(triple)!;
    const res = analyzeSourceText(forTarget(triple), { target });
    const path = file(`${triple}-rt.ts`, renderTs(res.records, target));
    const mod = await import(path);
    const buf = new DataView(new ArrayBuffer(mod.number_.size + 8));
    const n = new mod.number_(buf);
    n.ld = -2.5;
    n.z = [1.25, -3];
    n.m = -1;
    n.bits = 0xfedcba9876n;
    n.wide = -(1n << 100n);
    n.uwide = (1n << 128n) - 1n;
    assert.deepEqual(
      [n.ld, n.z, n.m, n.bits, n.wide, n.uwide],
      [-2.5, [1.25, -3], -1, 0xfedcba9876n, -(1n << 100n), (1n << 128n) - 1n],
    );
    if ('h' in n) {
      n.h = 1000.5;
      n.bf = -3.5;
      assert.deepEqual([n.h, n.bf], [1000.5, -3.5]);
      n.h = 1024.5; // 12 significant bits: rounds to even
      assert.equal(n.h, 1024);
    }
    n.inner.a.get(1).set(0, -7);
    assert.equal(n.inner.a.get(1).get(0), -7);
    assert.throws(() => n.inner.a.get(2), RangeError);
    assert.throws(() => new mod.number_(buf, 16), RangeError);
  });
}

const DECODE_SRC = `enum color { RED, GREEN = 5 };
struct pkt { char tag[6]; enum color c; short n : 4; unsigned short u : 12; void *p; };
`;

test('--decode: text shows enums by name and char arrays as strings; --count and @OFFSET', () => {
  const src = file('pkt.h', DECODE_SRC);
  const one = new Uint8Array(24);
  one.set([0x61, 0x62, 0x22, 0, 0x7a, 0]); // "ab\"" then padding bytes
  new DataView(one.buffer).setUint32(8, 5, true);
  new DataView(one.buffer).setUint16(12, 0x000f | (0xabc << 4), true);
  new DataView(one.buffer).setBigUint64(16, 0xdeadbeefn, true);
  const data = new Uint8Array(4 + 48);
  data.set(one, 4);
  data.set(one, 28);
  data[28 + 8] = 9; // an enum value with no name
  const bin = file('pkt.bin', data);
  const r = run(['--decode', `${bin}@4`, '--count', '2', src, 'pkt']);
  assert.equal(r.code, 0, r.err);
  assert.equal(
    r.out,
    'pkt @ 4 = {\n\t.tag = "ab\\"",\n\t.c = GREEN,\n\t.n = -1,\n\t.u = 2748,\n\t.p = 0xdeadbeef,\n};\n' +
      'pkt @ 28 = {\n\t.tag = "ab\\"",\n\t.c = 9,\n\t.n = -1,\n\t.u = 2748,\n\t.p = 0xdeadbeef,\n};\n',
  );
  const j = JSON.parse(run(['--decode', `${bin}@0x1c`, '--format', 'json', src, 'struct pkt']).out);
  assert.deepEqual(j.objects[0], {
    name: 'struct pkt',
    offset: 28,
    values: { tag: [97, 98, 34, 0, 122, 0], c: 9, n: -1, u: 2748, p: '0xdeadbeef' },
  });
});

test('--decode: bad requests are reported without a stack trace', () => {
  const src = file('pkt2.h', DECODE_SRC);
  const bin = file('short.bin', new Uint8Array(10));
  const short = run(['--decode', bin, src, 'pkt']);
  assert.equal(short.code, 1);
  assert.match(short.err, /24 bytes at offset 0 do not fit in 10/);
  assert.doesNotMatch(short.err, /\n\s+at /);
  assert.equal(run(['--decode', bin, src]).code, 2);
  assert.equal(run(['--decode', join(dir, 'none.bin'), src, 'pkt']).code, 1);
  assert.match(run(['--decode', bin, src, 'pkk']).err, /no struct, union or typedef named 'pkk'/);
});

test('large integers in JSON are decimal strings', () => {
  const src = file('big.h', 'struct w { unsigned long long u; long long s; int small; };\n');
  const b = new Uint8Array(24);
  const dv = new DataView(b.buffer);
  dv.setBigUint64(0, 0xffffffffffffffffn, true);
  dv.setBigInt64(8, -(1n << 60n), true);
  dv.setInt32(16, -5, true);
  const j = JSON.parse(run(['--decode', file('w.bin', b), '--format', 'json', src, 'w']).out);
  assert.deepEqual(j.objects[0].values, { u: '18446744073709551615', s: String(-(1n << 60n)), small: -5 });
});
