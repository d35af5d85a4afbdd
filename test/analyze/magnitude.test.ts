// Sizes at any magnitude: exact up to gcc's limit (PTRDIFF_MAX bytes; past 2^50 the model carries
// bigints, see test/layout/big.test.ts), checked against gcc; past it, a located error in gcc's words
// instead of a rounded size, and the record is marked incomplete from the member that crosses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { haveTool } from '../support/gcc-truth.js';

test('a record of 2^49 + 16 bytes is exact, as gcc has it', () => {
  const src = 'struct s { char a[1L << 45][16]; char b; long c; };';
  const r = analyzeSourceText(src).find('s')!;
  assert.equal(r.incomplete, undefined);
  assert.equal(r.size, 2 ** 49 + 16);
  assert.deepEqual(
    r.members.map((m) => m.bitOffset / 8),
    [0, 2 ** 49, 2 ** 49 + 8],
  );
  if (!haveTool('gcc')) return;
  const check = `${src}\n_Static_assert(sizeof(struct s) == (1L << 49) + 16, "size");\n_Static_assert(__builtin_offsetof(struct s, c) == (1L << 49) + 8, "c");\n`;
  const g = spawnSync('gcc', ['-fsyntax-only', '-x', 'c', '-'], { input: check, encoding: 'utf8' });
  assert.equal(g.status, 0, g.stderr);
});

test("past PTRDIFF_MAX bytes: gcc's located error, never a rounded number", () => {
  const res = analyzeSourceText(
    'struct s { char c; char a[1L << 40][1L << 40]; int z; };\nstruct u { int k; struct s in; };',
  );
  const s = res.find('s')!;
  assert.deepEqual(s.incomplete?.errors, [
    "/input.c:1:25: size of array 'a' exceeds maximum object size '9223372036854775807'",
  ]);
  assert.deepEqual(
    s.members.map((m) => m.name),
    ['c'],
  );
  const u = res.find('u')!;
  assert.deepEqual(u.incomplete?.errors, ["/input.c:2:28: member 'in' has type 'struct s', which is incomplete"]);
  const t = analyzeSourceText(
    'struct t { char a[1L << 48][2]; char b[1L << 48][2]; char c[1L << 48][2]; char d[1L << 48][2]; char e[1L << 48][2]; };',
  ).find('t')!;
  assert.equal(t.incomplete, undefined);
  assert.equal(t.exactSize, 5n << 49n);
  assert.deepEqual(
    t.members.map((m) => m.exact!.bitOffset / 8n),
    [0n, 1n << 49n, 2n << 49n, 3n << 49n, 4n << 49n],
  );
});

test('--count and --object-align are exact at any magnitude', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-magnitude-'));
  const f = join(dir, 'm.h');
  writeFileSync(f, 'struct s { long a; char b; };\n');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', '--no-cache', f, ...args], { encoding: 'utf8' });
  const r = run('--count', '9007199254740993');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /9,007,199,254,740,993 objects × 16 bytes = 144,115,188,075,855,888 bytes/);
  const big = '1' + '0'.repeat(399);
  const a = run('--object-align', big);
  assert.equal(a.status, 0, a.stderr);
  assert.ok(a.stdout.includes(`1 objects × ${big} bytes (16 rounded up to ${big})`));
  assert.doesNotMatch(a.stdout, /NaN|Infinity/);
});
