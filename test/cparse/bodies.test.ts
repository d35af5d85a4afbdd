// Records defined inside function bodies: found only when asked for (the default path steps over
// bodies), each with its function as scope; statements the parser does not parse are stepped over
// without errors; the command line finds one by NAME without --function-bodies. Layouts against gcc's
// DWARF are test/diff/function-bodies.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { sourceCli } from '../support/source-cli.js';
import { validate } from '../cli/json-schema.js';
import { findKernelHeaders } from '../support/kernel.js';

function bodies(src: string, functionBodies = true) {
  const r = analyzeSourceText(src);
  const b = functionBodies ? analyzeSourceText(src, { functionBodies: true }) : r;
  const errs = b.diagnostics.list.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, b.sources));
  return { plain: r, res: b, errs, scoped: b.records.filter((x) => x.scope !== undefined) };
}

test('function bodies: skipped by default, parsed when asked, each record with its function', () => {
  const src = `struct s { char c; };
    int f(void) { struct s { long l; } a; struct t { struct s x; char y; } b; (void)a; (void)b; return 0; }
    static inline int g(int n) { union s { int i; char c[sizeof(n) > 2 ? 8 : 4]; } u; return sizeof u; }`;
  const { plain, errs, scoped, res } = bodies(src);
  assert.deepEqual(errs, []);
  assert.deepEqual(
    plain.records.map((r) => r.name),
    ['s'],
  );
  assert.deepEqual(
    scoped.map((r) => [r.scope, r.kind, r.name, r.size]),
    [
      ['f', 'struct', 's', 8],
      ['f', 'struct', 't', 16],
      ['g', 'union', 's', 8],
    ],
  );
  // The file-scope tag is still the file-scope record, and `f::s` names the one in f.
  assert.equal(res.find('s')?.size, 1);
  assert.equal(res.find('f::s')?.size, 8);
  assert.equal(res.find('g::s')?.kind, 'union');
  assert.equal(res.find('t')?.scope, 'f');
  assert.equal(res.find('h::s'), undefined);
  // An anonymous record is known by the variable it declares (not a member's or a typedef's type).
  const anon = bodies(
    'void k(void) { static const struct { char a; struct { int x; } in; } tab[2] = { 0 }; typedef struct { int y; } Y; Y v; }',
  );
  assert.deepEqual(
    anon.scoped.map((r) => [r.variable, r.typedef, r.size]),
    [
      [undefined, undefined, 4],
      ['tab', undefined, 8],
      [undefined, 'Y', 4],
    ],
  );
  assert.equal(anon.res.find('k::tab')?.size, 8);
  assert.equal(anon.res.find('tab'), undefined);
  // A member whose size only the run time knows (GNU C allows it in a body): no layout, and why.
  const vla = bodies('void h(int n) { struct v { int a; char c[n]; } x; (void)x; }');
  assert.deepEqual(vla.errs, [
    "/input.c:1:40: error: variably modified 'c': its size is known only at run time, so the record has no fixed layout",
  ]);
  assert.ok(vla.scoped[0]?.incomplete);
});

test('function bodies: statements stepped over, declarations found wherever they may stand', () => {
  const src = `typedef int T;
    struct q { int a; };
    #define FOREACH(i, n) for (int i = 0; i < (n); i++)
    void *malloc(unsigned long);
    int f(int T, int (*cb)(int)) {
      int r = T * 2, a[3] = { [1] = 2 }, *p = &r;
      r = r > 0 ? r : -r;
      if (r) r++; else if (r < 0) { r--; }
      while (r > 100) { r /= 2; continue; }
      FOREACH(i, 3) { struct in_for { char c; int i; } v = { 0, i }; r += v.i; }
      switch (r) { case 1: case 2 ... 4: r = 0; break; default: { struct in_case { short s; } w = { 1 }; r = w.s; } }
      r += ({ int t = 2; struct in_stmt_expr { char a, b; } e = { 1, 2 }; t + e.b; });
      r += sizeof(struct q) + cb(r) + (int)(long)malloc(sizeof(struct { char z[3]; }));
      __asm__ volatile("" ::: "memory");
    again:
      do { r--; } while (r > 10);
      if (r > 5) goto again;
      { typedef char T; struct in_block { T t[3]; } b = { { 1 } }; r += b.t[0]; }
      __attribute__((fallthrough));
      return r + a[1] + *p;
    }`;
  const { errs, scoped } = bodies(src);
  assert.deepEqual(errs, []);
  assert.deepEqual(
    scoped.map((r) => `${r.name}:${r.size}`),
    ['in_for:8', 'in_case:2', 'in_stmt_expr:2', 'in_block:3'],
  );
});

test('function bodies: a NAME found in a body without the flag; --function-bodies lists them all', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-bodies-'));
  try {
    const file = join(dir, 'u.c');
    writeFileSync(
      file,
      `struct top { int x; };
      void a(void) { struct s { char c; int i; } v; (void)v; }
      void b(void) { struct s { char c; } v; typedef struct { double d; } L; L l; (void)v; (void)l; }\n`,
    );
    const one = sourceCli(['--no-cache', file, 's', '--format', 'json']);
    assert.equal(one.code, 0, one.err);
    const doc = JSON.parse(one.out);
    assert.deepEqual(validate(JSON.parse(readFileSync('schema/layoutof.schema.json', 'utf8')), doc), []);
    assert.deepEqual(
      doc.records.map((r: { name: string; scope: string; size: number }) => [r.scope, r.name, r.size]),
      [
        ['a', 's', 8],
        ['b', 's', 1],
      ],
    );
    const picked = sourceCli(['--no-cache', file, 'b::L']);
    assert.equal(picked.code, 0, picked.err);
    assert.match(picked.out, /^typedef struct \{ \/\* in function b \*\/\n/);
    const md = sourceCli(['--no-cache', file, 'a::s', '--format', 'markdown']);
    assert.match(md.out, /^### `struct s` \(in function `a`\)/);
    const asserts = sourceCli(['--no-cache', file, 'a::s', '--format', 'c-asserts']);
    assert.match(
      asserts.out,
      /\/\* struct s: defined in function a, put these inside it \*\/\n_Static_assert\(sizeof\(struct s\) == 8/,
    );
    const plain = sourceCli(['--no-cache', file]);
    assert.deepEqual(plain.out.match(/^\S.*\{.*$/gm), ['struct top {']);
    const all = sourceCli(['--no-cache', file, '--function-bodies']);
    assert.deepEqual(all.out.match(/^\S.*\{.*$/gm), [
      'struct top {',
      'struct s { /* in function a */',
      'struct s { /* in function b */',
      'typedef struct { /* in function b */',
    ]);
    const missing = sourceCli(['--no-cache', file, 'nowhere']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no struct, union or typedef named 'nowhere'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('function bodies: any statement soup ends, and the records after the function are still found', () => {
  // Fragments of statements and declarations, shuffled into a body: whatever the walker makes of
  // them, it must stop where skipping the body stops, and not throw.
  const parts = [
    'x = y * z;',
    'T * p;',
    'if (a) { b; } else c;',
    'for (int i = 0; i < n; i++) ;',
    'case 3:',
    'lbl:',
    '({ int q; q; });',
    'struct r { int a; } v;',
    'typedef int T;',
    'int T;',
    'sizeof(struct { char c; });',
    'do ; while (0);',
    'goto lbl;',
    'switch (x) { default: ; }',
    'enum { E = 1 } e;',
    '(void)0;',
    ';',
    'a ? b : c;',
    '__asm__("nop");',
    'return;',
    'struct s;',
    'char buf[E + 1];',
    '{',
    '}',
    ':',
  ];
  let seed = 7;
  let found = 0;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  for (let round = 0; round < 200; round++) {
    let body = '';
    let open = 0;
    for (let k = 0; k < 12; k++) {
      const p = parts[rand(parts.length)]!;
      if (p === '}' && open === 0) continue;
      if (p === '{') open++;
      if (p === '}') open--;
      body += p + ' ';
    }
    body += '}'.repeat(open);
    const src = `typedef int T; void f(int n, int a, int b, int c, int x, int y, int z) { ${body} }\nstruct after { char c; int i; };`;
    // (Unbalanced brackets can swallow the rest when bodies are skipped too: the same outcome is asked.)
    const skipped = analyzeSourceText(src).find('after')?.size;
    const r = analyzeSourceText(src, { functionBodies: true });
    assert.equal(r.find('after')?.size, skipped, src);
    if (skipped !== undefined) found++;
  }
  assert.ok(found > 50, `only ${found} of 200 soups leave the struct after them`);
});

const KERNEL = findKernelHeaders();
test(
  "function bodies: a kernel unit's inline functions parse without an error and change no file-scope record",
  { skip: !KERNEL && 'no /usr/src/linux-headers-*-amd64', timeout: 300_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-bodies-'));
    try {
      writeFileSync(
        join(dir, 'probe.c'),
        '#include <linux/module.h>\n#include <net/ip_vs.h>\nMODULE_LICENSE("GPL");\n',
      );
      const run = (extra: string[]) => {
        const r = sourceCli(['--no-cache', '--kernel', KERNEL!, 'probe.c', '--all', '--format', 'json', ...extra], {
          cwd: dir,
        });
        assert.equal(r.code, 0, r.err);
        return JSON.parse(r.out).records as { scope?: string }[];
      };
      const plain = run([]);
      const withBodies = run(['--function-bodies']);
      const scoped = withBodies.filter((r) => r.scope !== undefined);
      assert.deepEqual(
        withBodies.filter((r) => r.scope === undefined),
        plain,
      );
      // get_unaligned's `const struct { u32 x; } __packed *__pptr` and the like, in static inlines.
      assert.ok(scoped.length >= 10, `only ${scoped.length} records in the headers' function bodies`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
