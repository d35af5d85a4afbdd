// Microsoft layout rules that random records reach only rarely (1 in 1,000 of them went wrong before
// these were right): the figures are clang 14's for --target=x86_64-windows-msvc, and when clang is
// installed every record here is also checked against it directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { findTarget } from '../../src/target/target.js';
import { haveTool } from '../support/gcc-truth.js';

const target = findTarget('x86_64-windows-msvc')!;

// [C source, record, size, align, member offsets in bytes (optional)]
const CASES: [string, string, number, number, Record<string, number>?][] = [
  // A record declared aligned passes its whole alignment (4, not its declspec's 2) on as required
  // alignment, which #pragma pack does not lower, up through a record that holds it.
  [
    'struct __declspec(align(2)) A { _Bool b : 1; long l; };\nstruct B { long x; struct A a; };\n#pragma pack(push, 2)\nstruct C { long l; struct B b; };\n#pragma pack(pop)',
    'C',
    16,
    4,
    { l: 0, b: 4 },
  ],
  // In a union, a zero-width bitfield right after a bitfield raises the size to its type's size.
  ['union U1 { signed m : 31; unsigned long long : 0; unsigned short s; };', 'U1', 8, 2],
  ['union __declspec(align(4)) U2 { signed m : 31; unsigned long long : 0; unsigned short s; };', 'U2', 8, 4],
  ['enum e { E0 };\nunion U3 { short a; short b : 14; enum e : 0; };', 'U3', 4, 2],
  // ... but not after an ordinary member.
  ['union U4 { short a; long long : 0; };', 'U4', 2, 2],
  // A record without data: 4 bytes, or its alignment when that was declared 4 or more.
  ['#pragma pack(push, 8)\nunion __declspec(align(64)) U5 { signed : 0; };\n#pragma pack(pop)', 'U5', 64, 64],
  ['struct S1 { int : 0; };', 'S1', 4, 1],
  ['struct __declspec(align(2)) S2 { int : 0; };', 'S2', 4, 2],
  ['struct __declspec(align(8)) S3 { int : 0; };', 'S3', 8, 8],
  // An aligned typedef (and an array of it) keeps its alignment under #pragma pack.
  [
    'typedef __declspec(align(8)) char tc_a8;\n#pragma pack(push, 4)\nstruct S4 { char c; tc_a8 d; };\n#pragma pack(pop)',
    'S4',
    16,
    8,
    { c: 0, d: 8 },
  ],
  [
    'typedef __declspec(align(8)) char tc_a8;\n#pragma pack(push, 2)\nstruct S7 { char c; tc_a8 arr[2]; };\n#pragma pack(pop)',
    'S7',
    16,
    8,
    { c: 0, arr: 8 },
  ],
  // __declspec(align) on a bitfield aligns it but adds nothing to the record's required alignment.
  [
    '#pragma pack(push, 1)\nstruct S5 { char c; __declspec(align(4)) int b : 3; char d; };\n#pragma pack(pop)\nstruct S6 { char x; struct S5 s; };',
    'S6',
    16,
    4,
    { x: 0, s: 4 },
  ],
  // #pragma pack above the pointer size is ignored.
  ['#pragma pack(push, 16)\nstruct S8 { char c; long long d; };\n#pragma pack(pop)', 'S8', 16, 8, { c: 0, d: 8 }],
];

test('x86_64-windows-msvc: required alignment, zero-width bitfields in unions, records without data', () => {
  for (const [src, name, size, align, offsets] of CASES) {
    const r = analyzeSourceText(src, { target }).records.find((x) => x.name === name);
    assert.ok(r, `${name} laid out`);
    assert.deepEqual([r.size, r.align], [size, align], `${name}: size, align`);
    for (const [m, off] of Object.entries(offsets ?? {}))
      assert.equal(r.members.find((x) => x.name === m)?.bitOffset, off * 8, `${name}.${m}`);
  }
});

test('x86_64-windows-msvc: the same figures from clang', { skip: !haveTool('clang') && 'clang not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-msvc-'));
  CASES.forEach(([src, name, size, align], i) => {
    const kw = new RegExp(`(struct|union)[^{]* ${name} \\{`).exec(src)![1];
    const file = join(dir, `c${i}.c`);
    writeFileSync(file, `${src}\nint probe_size = sizeof(${kw} ${name});\n`);
    const r = spawnSync(
      'clang',
      [
        '--target=x86_64-windows-msvc',
        '-fms-extensions',
        '-Wno-everything',
        '-fsyntax-only',
        '-Xclang',
        '-fdump-record-layouts',
        file,
      ],
      { encoding: 'utf8' },
    );
    const dump = r.stdout
      .split('*** Dumping AST Record Layout')
      .find((d) => new RegExp(`^\\s*0 \\| ${kw} ${name}$`, 'm').test(d));
    assert.ok(dump, `clang laid out ${name}`);
    assert.match(dump, new RegExp(`\\[sizeof=${size}, align=${align}\\]`), `${name} per clang`);
  });
});
