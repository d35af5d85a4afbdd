// Microsoft's layout (x86_64-windows-msvc) past 2^50 bytes: exact, as clang's MSVC target lays the
// records out (its -fdump-record-layouts-simple), up to 2^61 - 1 bytes, where clang's bit counts wrap
// (it calls a 2^61 + 8 byte struct 8 bytes), so layoutof refuses the record as too large.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { analyzeSourceText } from '../../src/api.js';
import { findTarget } from '../../src/target/target.js';
import { haveTool } from '../support/gcc-truth.js';

const MSVC = findTarget('x86_64-windows-msvc')!;

// Bitfield storage units, #pragma pack, a union, __declspec(align), and records of such records.
const SRC = `struct b4 { long long x; char c[(1LL << 51) + 1]; int y : 3; int z : 5; char q; };
#pragma pack(2)
struct b6 { char c; struct b4 in; long long l; };
#pragma pack()
union b7 { char a[(1LL << 55) + 3]; int x; };
struct b8 { __declspec(align(32)) char a; union b7 u[3]; short s : 4; short t : 12; short v : 1; };
struct b9 { char a[(1LL << 60) + 1]; char b[(1LL << 60) - 64]; long long c : 7; __declspec(align(16)) char d; };
struct b10 { char c; struct b9 n; };
`;

/** Sizes and member bit offsets, as clang's MSVC target has them (checked against clang below). */
const WANT: Record<string, [bigint, bigint[]]> = {
  b4: [2251799813685272n, [0n, 64n, 18014398509482080n, 18014398509482083n, 18014398509482112n]],
  b6: [2251799813685282n, [0n, 16n, 18014398509482192n]],
  b7: [36028797018963972n, [0n, 0n]],
  b8: [108086391056891936n, [0n, 32n, 864691128455135360n, 864691128455135364n, 864691128455135376n]],
  b9: [2305843009213693920n, [0n, 9223372036854775816n, 18446744073709551168n, 18446744073709551232n]],
  b10: [2305843009213693936n, [0n, 128n]],
};

test("Microsoft's layout is exact past 2^50 bytes, as clang's MSVC target has it", () => {
  const res = analyzeSourceText(SRC, { target: MSVC });
  assert.equal(res.diagnostics.errors, 0);
  for (const [name, [size, bits]] of Object.entries(WANT)) {
    const r = res.find(name)!;
    assert.equal(r.incomplete, undefined, name);
    assert.equal(r.exactSize, size, name);
    assert.deepEqual(
      r.members.map((m) => m.exact!.bitOffset),
      bits,
      name,
    );
  }
  // sizeof in a constant expression is exact too.
  const bad = analyzeSourceText(`${SRC}_Static_assert(sizeof(struct b9) == 2305843009213693921, "");\n`, {
    target: MSVC,
  });
  assert.equal(bad.diagnostics.errors, 1);
  const good = analyzeSourceText(`${SRC}_Static_assert(sizeof(struct b9) == 2305843009213693920, "");\n`, {
    target: MSVC,
  });
  assert.equal(good.diagnostics.errors, 0);
  if (!haveTool('clang')) return;
  // Bit offsets from clang's layout dump; sizes from sizeof (the dump prints them in signed bits).
  const kind = (n: string): string => (n === 'b7' ? 'union' : 'struct');
  const sizes = Object.entries(WANT)
    .map(([n, [size]]) => `_Static_assert(sizeof(${kind(n)} ${n}) == ${size}ULL, "${n}");`)
    .join('\n');
  const c = spawnSync(
    'clang',
    ['--target=x86_64-windows-msvc', '-Xclang', '-fdump-record-layouts-simple', '-fsyntax-only', '-x', 'c', '-'],
    { input: `${SRC}${sizes}\n`, encoding: 'utf8' },
  );
  assert.equal(c.status, 0, c.stderr);
  const dumped = new Map(
    [...c.stdout.matchAll(/Type: (?:struct|union) (\w+)\n[\s\S]*?FieldOffsets: \[([^\]]*)\]/g)].map((m) => [
      m[1]!,
      m[2]!.split(', ').map(BigInt),
    ]),
  );
  for (const [name, [, bits]] of Object.entries(WANT)) assert.deepEqual(dumped.get(name), bits, name);
});

test("past 2^61 - 1 bytes, where clang's MSVC layout wraps, the record is too large", () => {
  const res = analyzeSourceText(
    'struct w { char a[1LL << 60]; char b[1LL << 60]; long long c; };\nstruct ok { char a[1LL << 60]; char b[(1LL << 60) - 8]; };\n',
    { target: MSVC },
  );
  assert.deepEqual(res.find('w')!.incomplete?.errors, ["/input.c:1:8: type 'struct w' is too large"]);
  assert.equal(res.find('ok')!.exactSize, (1n << 61n) - 8n);
});
