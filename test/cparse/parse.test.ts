// Declarations → layouts through the whole source pipeline; numbers checked against gcc when written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { flatten } from '../support/compare.js';

function rec(src: string, name: string) {
  const r = analyzeSourceText(src);
  const errs = r.diagnostics.list.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, r.sources));
  const found = r.records.find((x) => x.name === name) ?? r.typedefs.get(name);
  return { r: found!, errs, all: r };
}

test('declarators: pointers, arrays, function pointers, nested parentheses', () => {
  const { r, errs } = rec(
    `struct d { int (*fp)(int); void (*(*fpp)(void))(int); char *argv[3]; int (*pa)[4]; int a[2][3]; const char *const cp; struct d *self; };`,
    'd',
  );
  assert.deepEqual(errs, []);
  const sizes = r.members.map((m) => [m.name, m.bitOffset / 8, m.size]);
  assert.deepEqual(sizes, [
    ['fp', 0, 8],
    ['fpp', 8, 8],
    ['argv', 16, 24],
    ['pa', 40, 8],
    ['a', 48, 24],
    ['cp', 72, 8],
    ['self', 80, 8],
  ]);
  assert.equal(r.size, 88);
});

test('constant expressions: sizeof, _Alignof, offsetof, casts, ?:, enums, builtins', () => {
  const { r, errs } = rec(
    `struct in { char c; long l; };
     enum { N = sizeof(struct in) / 2, M = N << 1 };
     struct e {
       char a[sizeof(struct in)];
       char b[_Alignof(long double)];
       char c[__builtin_offsetof(struct in, l)];
       char d[(unsigned char)300];
       char f[1 ? 3 : 1/0];
       char g[M];
       char h[__builtin_choose_expr(1, 5, 6)];
       char i[__builtin_types_compatible_p(int, signed) + __builtin_types_compatible_p(int, long)];
       char j[sizeof(int[3][2])];
       char k[-1 < 0u ? 1 : 2];
     };`,
    'e',
  );
  assert.deepEqual(errs, []);
  assert.deepEqual(
    r.members.map((m) => m.size),
    [16, 16, 8, 44, 3, 16, 5, 1, 24, 2],
  );
});

test('attributes in every position, mode, vector_size, typeof, _Atomic, packed enums', () => {
  const { r, errs } = rec(
    `typedef int v4si __attribute__((vector_size(16)));
     typedef unsigned int u8m __attribute__((mode(QI)));
     enum __attribute__((packed)) small { S1, S2 };
     struct __attribute__((packed)) p { char c; int i; };
     struct a {
       char c;
       v4si v;
       u8m m;
       __typeof__(((struct p *)0)->i) t;
       _Atomic(struct { short s; char x[2]; }) at;
       enum small e;
       __attribute__((aligned(32))) char late;
     } __attribute__((aligned(8)));`,
    'a',
  );
  assert.deepEqual(errs, []);
  const off = r.members.map((m) => [m.name, m.bitOffset / 8, m.size]);
  assert.deepEqual(off, [
    ['c', 0, 1],
    ['v', 16, 16],
    ['m', 32, 1],
    ['t', 36, 4],
    ['at', 40, 4],
    ['e', 44, 1],
    ['late', 64, 1],
  ]);
  assert.equal(r.size, 96);
  assert.equal(r.align, 32);
});

test('function bodies, statement expressions and initializers are skipped', () => {
  const { r, errs } = rec(
    `static inline int f(int x) { struct inner { int q; } v = { ({ int y = x; y; }) }; if (x) { return 1; } return v.q; }
     int table[] = { [0] = 1, [3] = 2 };
     struct s { int a; char b[sizeof(table) / sizeof(table[0])]; };`,
    's',
  );
  assert.deepEqual(errs, []);
  assert.equal(r.members[1]!.size, 4);
});

test('comments: trailing, leading blocks, kernel-doc @member', () => {
  const { r } = rec(
    `/**
      * struct c - a commented record
      * @b: documented in kernel-doc
      *     over two lines
      */
     struct c {
       int a; /* trailing a */
       /* group heading */
       int b;
       // line one
       // line two
       int d; // trailing d
     };`,
    'c',
  );
  assert.equal(r.comment, 'struct c - a commented record');
  assert.deepEqual(
    r.members.map((m) => [m.name, m.comment, m.leadingComment]),
    [
      ['a', 'trailing a', undefined],
      ['b', 'documented in kernel-doc over two lines', 'group heading'],
      ['d', 'trailing d', 'line one\nline two'],
    ],
  );
});

test('anonymous members flatten with absolute offsets; bitfields keep bit positions', () => {
  const { r } = rec(
    `struct f { char c; union { int i; struct { short s; unsigned b : 3, : 0, d : 5; }; }; long tail; };`,
    'f',
  );
  const flat = [...flatten(r)].map(([n, m]) => [n, m.bitOffset, m.bitSize]);
  assert.deepEqual(flat, [
    ['c', 0, undefined],
    ['i', 32, undefined],
    ['s', 32, undefined],
    ['b', 48, 3],
    ['d', 64, 5],
    ['tail', 128, undefined],
  ]);
  assert.equal(r.size, 24);
});

test('errors: position, recovery at ; and }, nothing else lost', () => {
  const { all, errs } = rec(
    `struct ok1 { int a; };
     struct bad { int a; unknown_t b; int c; };
     int x = ;
     struct ok2 { char z : 3; int w : 40; };
     struct ok3 { long q; };`,
    'ok3',
  );
  assert.deepEqual(errs, [
    "/input.c:2:26: error: unknown type name 'unknown_t'",
    "/input.c:4:35: error: width of 'w' exceeds its type",
  ]);
  // (A record an error touched is marked, not given a size: see docs/incomplete-records.md.)
  assert.deepEqual(
    all.records.map((r) => [r.name, r.incomplete ? 'incomplete' : r.size]),
    [
      ['ok1', 4],
      ['bad', 'incomplete'],
      ['ok2', 'incomplete'],
      ['ok3', 8],
    ],
  );
});

test('hostile nesting ends in an error, not a crash', () => {
  const deep = 'struct s { char a[' + '('.repeat(5000) + '1' + ')'.repeat(5000) + ']; };\nstruct t { int x; };';
  const { errs, all } = rec(deep, 't');
  assert.match(errs.join('\n'), /nested too deeply/);
  assert.ok(all.records.some((r) => r.name === 't'));
  const decl = 'int ' + '('.repeat(3000) + 'x' + ')'.repeat(3000) + ';\nstruct u { int y; };';
  const d2 = rec(decl, 'u');
  assert.match(d2.errs.join('\n'), /nested too deeply/);
  assert.ok(d2.all.records.some((r) => r.name === 'u'));
});

test('an integer constant takes the first type its value fits (C11 6.4.4.1), at every boundary, LP64 and ILP32', async () => {
  const { numberValue } = await import('../../src/cparse/values.js');
  const { findTarget } = await import('../../src/target/target.js');
  const { token, TK } = await import('../../src/cpp/token.js');
  const kind = (text: string, triple: string) => {
    const v = numberValue(token(TK.Number, text, 0, 0, 0), findTarget(triple)!);
    return v.type.kind === 'int' ? `${v.type.ik} ${v.value}` : v.type.kind;
  };
  const cases: [string, string, string][] = [
    ['2147483647', 'int 2147483647', 'int 2147483647'],
    ['2147483648', 'long 2147483648', 'llong 2147483648'],
    ['0x7fffffff', 'int 2147483647', 'int 2147483647'],
    ['0x80000000', 'uint 2147483648', 'uint 2147483648'],
    ['0xffffffff', 'uint 4294967295', 'uint 4294967295'],
    ['0x100000000', 'long 4294967296', 'llong 4294967296'],
    ['4294967295U', 'uint 4294967295', 'uint 4294967295'],
    ['4294967296U', 'ulong 4294967296', 'ullong 4294967296'],
    ['2147483648L', 'long 2147483648', 'llong 2147483648'],
    ['9223372036854775807', 'long 9223372036854775807', 'llong 9223372036854775807'],
    ['0x8000000000000000', 'ulong 9223372036854775808', 'ullong 9223372036854775808'],
    ['0xffffffffffffffffULL', 'ullong 18446744073709551615', 'ullong 18446744073709551615'],
    ['18446744073709551615', 'ullong 18446744073709551615', 'ullong 18446744073709551615'],
  ];
  for (const [text, lp64, ilp32] of cases) {
    assert.equal(kind(text, 'x86_64-linux-gnu'), lp64, text);
    assert.equal(kind(text, 'i686-linux-gnu'), ilp32, text);
  }
});
