// Records past 2^50 bytes: src/layout/big.ts lays them out in bigint. Held to the plain path (sysv.ts)
// on generated records that fit both, and both to gcc: sizes and offsets read from gcc through
// _Static_assert on 64-bit constants (exact at any magnitude), and gcc's own errors past its limit
// (PTRDIFF_MAX) on x86_64, aarch64 and i686 (2^31 - 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { analyzeSourceText } from '../../src/api.js';
import { Diagnostics } from '../../src/core/diag.js';
import { MemoryFileSystem } from '../../src/core/fs.js';
import { SourceManager } from '../../src/core/source.js';
import type { RecordDecl } from '../../src/cparse/ctype.js';
import { parseDeclarations } from '../../src/cparse/parser.js';
import { preprocessStream } from '../../src/cpp/preprocess.js';
import { layoutMsvcBig, layoutSysvBig } from '../../src/layout/big.js';
import { layoutRecord } from '../../src/layout/layout.js';
import { findTarget, type Target } from '../../src/target/target.js';
import { generateProgram, rng } from '../support/gen.js';
import { haveTool } from '../support/gcc-truth.js';

function decls(source: string, target: Target): RecordDecl[] {
  const sources = new SourceManager();
  const diags = new Diagnostics();
  const fs = new MemoryFileSystem({ '/g.c': source });
  const pp = preprocessStream('/g.c', {
    fs,
    target,
    sources,
    diags,
    include: { quote: [], angled: [], system: [], builtin: [], after: [] },
    macros: [],
    forcedIncludes: [],
  });
  return parseDeclarations(pp, { target, diags }).records.filter((d) => d.fields);
}

test('the bigint layout agrees with the plain one on records that fit both', () => {
  const targets: [string, { noInt128?: boolean; longBits?: number }][] = [
    ['x86_64-linux-gnu', {}],
    ['i686-linux-gnu', { noInt128: true, longBits: 32 }],
    ['aarch64-linux-gnu', {}],
    ['arm-linux-gnueabihf', { noInt128: true, longBits: 32 }],
  ];
  let compared = 0;
  for (const [triple, opts] of targets) {
    const t = findTarget(triple)!;
    for (let seed = 1; seed <= 40; seed++) {
      const g = generateProgram(seed, 12, opts);
      for (const d of decls(g.source, t)) {
        let plain;
        try {
          plain = layoutRecord(d, t);
        } catch {
          continue;
        }
        const big = layoutSysvBig(d, t);
        const where = `${triple} seed ${seed} ${d.tag} ${d.name}`;
        assert.equal(big.exact!.size, BigInt(plain.size), where);
        assert.equal(big.align, plain.align, where);
        assert.equal(big.userAlign, plain.userAlign, where);
        assert.deepEqual(big.fields, plain.fields, where);
        assert.deepEqual(
          big.exact!.bitOffsets,
          plain.fields.map((f) => BigInt(f.bitOffset)),
          where,
        );
        compared++;
      }
    }
  }
  assert.ok(compared > 1000, `${compared} records compared`);
});

test("the bigint layout of Microsoft's rules agrees with the plain one on records that fit both", () => {
  const t = findTarget('x86_64-windows-msvc')!;
  let compared = 0;
  for (let seed = 1; seed <= 40; seed++) {
    for (const d of decls(generateProgram(seed, 12, { msvc: true }).source, t)) {
      let plain;
      try {
        plain = layoutRecord(d, t);
      } catch {
        continue;
      }
      const big = layoutMsvcBig(d, t);
      const where = `seed ${seed} ${d.tag} ${d.name}`;
      assert.deepEqual({ ...big, exact: undefined }, { ...plain, exact: undefined }, where);
      assert.equal(big.exact, undefined, where); // (exact values only past 2^50 bytes)
      compared++;
    }
  }
  assert.ok(compared > 300, `${compared} records compared`);
});

/** Records past 2^53 bytes, their sizes and offsets as gcc has them (checked below). */
const HUGE = `struct s { char a[1ULL << 62]; char b; long c; };
struct t2 { char c; struct s x; };
struct u { char a[(1ULL << 62) + 1]; char b; long c; };
struct w { char a[0x7ffffffffffffff0ULL]; long x; };
struct y { char a[0x7ffffffffffffff0ULL]; char x[15]; };
struct r { char a[1ULL << 61]; char b[1ULL << 61]; char c[1ULL << 61]; char d[(1ULL << 61) - 1]; };
struct bf { char a[(1ULL << 62) + 3]; int b : 3; int c : 31; _Alignas(64) char d; };
union un { char a[(1ULL << 62) + 5]; long b; };
struct a9 { char a[0x7ffffffffffffff0ULL]; int b : 3; int c : 31; };
`;

test('records up to PTRDIFF_MAX bytes are exact, as gcc has them (x86_64, aarch64)', () => {
  const want: Record<string, [bigint, Record<string, bigint>]> = {
    s: [(1n << 62n) + 16n, { a: 0n, b: 1n << 62n, c: (1n << 62n) + 8n }],
    t2: [(1n << 62n) + 24n, { c: 0n, x: 8n }],
    u: [(1n << 62n) + 16n, { b: (1n << 62n) + 1n, c: (1n << 62n) + 8n }],
    w: [0x7ffffffffffffff8n, { x: 0x7ffffffffffffff0n }],
    y: [0x7fffffffffffffffn, { x: 0x7ffffffffffffff0n }],
    r: [0x7fffffffffffffffn, { b: 1n << 61n, c: 1n << 62n, d: 3n << 61n }],
    bf: [(1n << 62n) + 128n, { d: (1n << 62n) + 64n }],
    un: [(1n << 62n) + 8n, { a: 0n, b: 0n }],
    a9: [0x7ffffffffffffff8n, {}],
  };
  for (const triple of ['x86_64-linux-gnu', 'aarch64-linux-gnu']) {
    const res = analyzeSourceText(HUGE, { target: findTarget(triple)! });
    for (const [name, [size, offsets]] of Object.entries(want)) {
      const r = res.find(name)!;
      assert.equal(r.incomplete, undefined, `${triple} ${name}`);
      assert.equal(r.exactSize, size, `${triple} ${name}`);
      for (const [m, off] of Object.entries(offsets)) {
        const i = r.members.findIndex((x) => x.name === m);
        assert.equal(r.members[i]!.exact!.bitOffset / 8n, off, `${triple} ${name}.${m}`);
      }
    }
    const bf = res.find('bf')!;
    assert.deepEqual(
      bf.members.map((m) => m.exact!.bitOffset - ((1n << 62n) + 3n) * 8n),
      [-(((1n << 62n) + 3n) * 8n), 0n, 8n, 61n * 8n],
    );
    const cc = triple.startsWith('x86_64') ? 'gcc' : `${triple}-gcc`;
    if (!haveTool(cc)) continue;
    let checks = HUGE;
    for (const [name, [size, offsets]] of Object.entries(want)) {
      const kind = name === 'un' ? 'union' : 'struct';
      checks += `_Static_assert(sizeof(${kind} ${name}) == ${size}ULL, "${name}");\n`;
      for (const [m, off] of Object.entries(offsets))
        checks += `_Static_assert(__builtin_offsetof(${kind} ${name}, ${m}) == ${off}ULL, "${name}.${m}");\n`;
    }
    const g = spawnSync(cc, ['-fsyntax-only', '-x', 'c', '-'], { input: checks, encoding: 'utf8' });
    assert.equal(g.status, 0, g.stderr);
  }
});

/** gcc's errors, in its words and at its line and column (ASCII quotes). */
function gccErrors(cc: string, flags: string[], src: string): string[] {
  const g = spawnSync(cc, [...flags, '-fsyntax-only', '-x', 'c', '-'], { input: src, encoding: 'utf8' });
  return [...g.stderr.matchAll(/^<stdin>:(\d+):(\d+): error: (.*)$/gm)].map(
    (m) => `${m[1]}:${m[2]}: ${m[3]!.replace(/[‘’]/g, "'")}`,
  );
}

const REFUSED = `struct t { char c; struct s x[2]; };
struct x { char a[0x7ffffffffffffff0ULL]; char x[16]; };
struct z { long a[1ULL << 60]; };
struct q { char a[1ULL << 61]; char b[1ULL << 61]; char c[1ULL << 61]; char d[1ULL << 61]; };
struct a1 { char a[1ULL << 63]; };
struct a2 { long a[1ULL << 62]; };
struct a3 { char a[1ULL << 40][1ULL << 40]; };
union a6 { char a[0x7fffffffffffffffULL]; long b; };
struct a7 { char c; char x[0x7ffffffffffffff0ULL]; _Alignas(16) char y; };
`;

test("past PTRDIFF_MAX: gcc's error, at its line and column", () => {
  const src = `struct s { char a[1ULL << 62]; char b; long c; };\n${REFUSED}`;
  for (const [triple, cc, flags] of [
    ['x86_64-linux-gnu', 'gcc', []],
    ['aarch64-linux-gnu', 'aarch64-linux-gnu-gcc', []],
  ] as const) {
    const res = analyzeSourceText(src, { target: findTarget(triple)! });
    const ours = res.records.flatMap((r) => r.incomplete?.errors ?? []).map((e) => e.replace(/^\/input\.c:/, ''));
    assert.equal(ours.length, 9, ours.join('\n'));
    if (!haveTool(cc)) continue;
    assert.deepEqual(ours, gccErrors(cc, [...flags], src));
  }
});

const I686 = `struct a1 { char a[0x80000000U]; };
struct a2 { char a[0x7fffffff]; };
struct a3 { char a[0x7fffffff]; char b; };
struct a4 { int a[0x20000000]; };
struct a5 { char a[0x7ffffff0]; int b; };
struct a6 { char a[0x7ffffff0]; char b[16]; };
struct a8 { char a[1ULL << 62]; };
struct a9 { char c; struct a5 x[2]; };
struct b1 { int a[0x40000000]; };
union b2 { char a[0x7ffffff0]; char b[0x7ffffff0]; };
struct b3 { char a[0x40000000]; char b[0x40000000]; };
_Static_assert(sizeof(struct a2) == 0x7fffffff, "a2");
_Static_assert(sizeof(struct a5) == 0x7ffffff4, "a5");
_Static_assert(sizeof(union b2) == 0x7ffffff0, "b2");
`;

test("i686's limit is 2^31 - 1 bytes, in gcc's words", () => {
  const res = analyzeSourceText(I686, { target: findTarget('i686-linux-gnu')! });
  assert.equal(res.find('a2')!.size, 0x7fffffff);
  assert.equal(res.find('a5')!.size, 0x7ffffff4);
  assert.equal(res.find('b2')!.size, 0x7ffffff0);
  const ours = res.records.flatMap((r) => r.incomplete?.errors ?? []).map((e) => e.replace(/^\/input\.c:/, ''));
  assert.equal(ours.length, 8, ours.join('\n'));
  const cc = haveTool('i686-linux-gnu-gcc') ? 'i686-linux-gnu-gcc' : undefined;
  if (!cc) return;
  assert.deepEqual(ours, gccErrors(cc, [], I686));
});

test('sizeof and offsetof are exact in constant expressions, as gcc has them', () => {
  const src = `struct s { char a[(1ULL << 62) + 1]; char b; long c; struct { int x[3]; } in[2]; };
struct k { char a[sizeof(struct s) - (1ULL << 62)]; char b[__builtin_offsetof(struct s, c) - (1ULL << 62)];
  char c[__builtin_offsetof(struct s, in[1].x[2]) - (1ULL << 62)]; };
_Static_assert(sizeof(struct s) == (1ULL << 62) + 40, "s");
_Static_assert(__builtin_offsetof(struct s, in[1].x[2]) == (1ULL << 62) + 36, "x");
`;
  const res = analyzeSourceText(src);
  assert.equal(res.diagnostics.errors, 0);
  assert.deepEqual(
    res.find('k')!.members.map((m) => m.size),
    [40, 8, 36],
  );
  const bad = analyzeSourceText(`${src}_Static_assert(sizeof(struct s) == (1ULL << 62) + 41, "off by one");\n`);
  assert.equal(bad.diagnostics.errors, 1);
  if (haveTool('gcc')) assert.deepEqual(gccErrors('gcc', [], src), []);
});

test('after a member past 2^50 bytes, the member that fails is the one named', () => {
  const res = analyzeSourceText(
    'struct bad { int x[1ULL << 63]; };\nstruct w { char a[1ULL << 62]; char b; struct bad y; };\n',
  );
  const w = res.find('w')!;
  assert.deepEqual(w.incomplete?.errors, ["/input.c:2:51: member 'y' has type 'struct bad', which is incomplete"]);
  assert.deepEqual(
    w.members.map((m) => m.exact?.bitOffset),
    [0n, (1n << 62n) * 8n],
  );
});

test('a strict-alignment target (riscv64) lays out an aligned record past 2^50 bytes, as gcc', () => {
  const src = `struct __attribute__((aligned(16))) A { char a[1ULL << 62]; };
struct w { char c; struct A x; char d; };
`;
  const w = analyzeSourceText(src, { target: findTarget('riscv64-linux-gnu')! }).find('w')!;
  assert.equal(w.incomplete, undefined);
  assert.equal(w.exactSize, (1n << 62n) + 32n);
  assert.deepEqual(
    w.members.map((m) => m.exact!.bitOffset / 8n),
    [0n, 16n, (1n << 62n) + 16n],
  );
  if (!haveTool('riscv64-linux-gnu-gcc')) return;
  const checks = `${src}_Static_assert(sizeof(struct w) == (1ULL << 62) + 32, "w");
_Static_assert(__builtin_offsetof(struct w, d) == (1ULL << 62) + 16, "d");
`;
  assert.deepEqual(gccErrors('riscv64-linux-gnu-gcc', [], checks), []);
});

/** Random records around and past 2^50 bytes (huge arrays among scalars, bitfields, _Alignas, nested
 *  records, packed): every size and offset we give is gcc's, and a record we refuse gcc refuses. */
function hugeProgram(seed: number): string {
  const rnd = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  let src = '';
  const recs: string[] = [];
  for (let r = 0; r < 3; r++) {
    let body = '';
    const count = 2 + Math.floor(rnd() * 6);
    for (let i = 0; i < count; i++) {
      const x = rnd();
      if (x < 0.2) body += `char f${i}[(1ULL << ${50 + Math.floor(rnd() * 13)}) + ${Math.floor(rnd() * 100)}]; `;
      else if (x < 0.4)
        body += `${pick(['int', 'unsigned', 'long', 'short', 'char'])} f${i} : ${1 + Math.floor(rnd() * 8)}; `;
      else if (x < 0.5) body += `_Alignas(${pick([2, 4, 8, 16, 64])}) char f${i}; `;
      else if (x < 0.6 && recs.length) body += `${pick(recs)} f${i}; `;
      else if (x < 0.65) body += 'int : 0; ';
      else body += `${pick(['char', 'short', 'int', 'long', 'double', 'long double', 'void *'])} f${i}; `;
    }
    const kind = rnd() < 0.2 ? 'union' : 'struct';
    src += `${kind}${rnd() < 0.15 ? ' __attribute__((packed))' : ''} h${seed}_${r} { ${body}};\n`;
    recs.push(`${kind} h${seed}_${r}`);
  }
  return src;
}

test('generated records around 2^50 to 2^63 bytes agree with gcc (x86_64, aarch64)', () => {
  for (const [triple, cc] of [
    ['x86_64-linux-gnu', 'gcc'],
    ['aarch64-linux-gnu', 'aarch64-linux-gnu-gcc'],
  ] as const) {
    if (!haveTool(cc)) continue;
    for (let seed = 1; seed <= 25; seed++) {
      const src = hugeProgram(seed);
      const res = analyzeSourceText(src, { target: findTarget(triple)! });
      let checks = src;
      for (const r of res.records) {
        if (r.incomplete) continue;
        const c = `${r.kind} ${r.name}`;
        checks += `_Static_assert(sizeof(${c}) == ${r.exactSize ?? r.size}ULL, "${r.name}");\n`;
        for (const m of r.members)
          if (m.name !== null && m.bitSize === undefined)
            checks += `_Static_assert(__builtin_offsetof(${c}, ${m.name}) == ${(m.exact?.bitOffset ?? BigInt(m.bitOffset)) / 8n}ULL, "${m.name}");\n`;
      }
      const gcc = gccErrors(cc, ['-w'], checks);
      const refused = res.records.some((r) => r.incomplete);
      assert.ok(!gcc.some((e) => /static assertion failed/.test(e)), `${triple}\n${checks}\n${gcc.join('\n')}`);
      assert.equal(gcc.length > 0, refused, `${triple}\n${checks}\n${gcc.join('\n')}`);
    }
  }
});
