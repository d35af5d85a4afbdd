// gcc's rules for what declares a member, which #pragma pack values it takes and which alignments it
// accepts (issue 21): each case gives gcc 12's size where gcc accepts the code, and gcc's diagnostics
// (message, line and, where our token is gcc's, column). When gcc is installed the sizes and messages
// are checked against it directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { compareRecord, probeFor } from '../support/compare.js';
import { gccTruth, haveTool } from '../support/gcc-truth.js';

const PACKED = 'struct p { char a; int b; long c; };';

/** [source, record, gcc's size (null: gcc rejects the code), diagnostics as `line:col: severity: message`;
 *  a column of 0 means ours is at another token of the same line (gcc reports alignments at the tag). */
const CASES: [string, string, number | null, string[]][] = [
  // What declares a member.
  ['struct a { struct b { int x; }; int y; };', 'a', 4, ['1:31: warning: declaration does not declare anything']],
  ['struct a { union g1; int y; };', 'a', 4, ['1:20: warning: declaration does not declare anything']],
  [
    'struct d { long b; char };',
    'd',
    8,
    ['1:25: warning: declaration does not declare anything', '1:25: warning: no semicolon at end of struct or union'],
  ],
  ['struct d { long b; int; };', 'd', 8, ['1:23: warning: declaration does not declare anything']],
  [
    'typedef struct { int q; } T;\nstruct d { T; int x; };',
    'd',
    4,
    ['2:13: warning: declaration does not declare anything'],
  ],
  [
    'struct d { long b; struct named { int q; }; enum e { E1 }; char c; };',
    'd',
    16,
    ['1:43: warning: declaration does not declare anything', '1:58: warning: declaration does not declare anything'],
  ],
  ['struct d { long b; struct { int q; }; union { char c; }; };', 'd', 16, []],
  ['struct d2 { int *; int x; };', 'd2', null, ["1:18: error: expected identifier or '(' before ';' token"]],
  [
    'struct u { int c; int d e; long f; };',
    'u',
    null,
    ["1:25: error: expected ':', ',', ';', '}' or '__attribute__' before 'e'"],
  ],
  ['struct u3 { int c : 3 x; };', 'u3', null, ["1:23: error: expected ',', ';' or '}' before 'x'"]],
  [
    'struct u5 { int c 5; };',
    'u5',
    null,
    ["1:19: error: expected ':', ',', ';', '}' or '__attribute__' before numeric constant"],
  ],
  ['struct v { void v; int x; };', 'v', null, ["1:17: error: variable or field 'v' declared void"]],
  ['struct v { int *p : 3; };', 'v', null, ["1:17: error: bit-field 'p' has invalid type"]],
  ['struct v { float f : 3; };', 'v', null, ["1:18: error: bit-field 'f' has invalid type"]],
  ['struct d { int z; };\nstruct v { struct d s : 3; };', 'v', null, ["2:21: error: bit-field 's' has invalid type"]],
  [
    'struct q { char c; _Alignas(int) int x; _Alignas(2) long y; };',
    'q',
    null,
    ["1:58: error: '_Alignas' specifiers cannot reduce alignment of 'y'"],
  ],
  // Members of incomplete type, and flexible array members where gcc refuses them.
  ['struct s { struct nope a[3]; };', 's', null, ["1:24: error: array type has incomplete element type 'struct nope'"]],
  ['struct t { enum nope e; int x; };', 't', null, ["1:22: error: field 'e' has incomplete type"]],
  ['struct x { union { struct nope n; }; };', 'x', null, ["1:32: error: field 'n' has incomplete type"]],
  ['struct a { int x; int f(void); };', 'a', null, ["1:23: error: field 'f' declared as a function"]],
  ['struct b { void a[3]; int y; };', 'b', null, ["1:17: error: declaration of 'a' as array of voids"]],
  ['struct w { int a[]; int b; };', 'w', null, ['1:16: error: flexible array member not at end of struct']],
  ['union u { int a; char f[]; };', 'u', null, ['1:23: error: flexible array member in union']],
  [
    'struct t { int :3; char f[]; };',
    't',
    null,
    ['1:25: error: flexible array member in a struct with no named members'],
  ],
  ['struct r { struct { int a; }; char f[]; };', 'r', 4, []],
  // #pragma pack: a value gcc does not take, or a malformed pragma, is ignored whole.
  [`#pragma pack(3)\n${PACKED}`, 'p', 16, ['1:9: warning: alignment must be a small power of two, not 3']],
  [
    `#pragma pack(push,1,2,3,)\n${PACKED}`,
    'p',
    16,
    ["1:9: warning: malformed '#pragma pack(push[, id][, <n>])' - ignored"],
  ],
  [
    `#pragma pack(1)\n#pragma pack(push,3)\n${PACKED}`,
    'p',
    13,
    ['2:9: warning: alignment must be a small power of two, not 3'],
  ],
  [
    `#pragma pack(1)\n#pragma pack(push,3)\n#pragma pack(pop)\n${PACKED}`,
    'p',
    13,
    [
      '2:9: warning: alignment must be a small power of two, not 3',
      "3:9: warning: '#pragma pack (pop)' encountered without matching '#pragma pack (push)'",
    ],
  ],
  [
    `#pragma pack(push,2)\n#pragma pack(pop,3)\n${PACKED}`,
    'p',
    14,
    ["2:9: warning: malformed '#pragma pack(pop[, id])' - ignored"],
  ],
  [`#pragma pack(32)\n${PACKED}`, 'p', 16, ['1:9: warning: alignment must be a small power of two, not 32']],
  [`#pragma pack(push,x,2)\n#pragma pack(push,4)\n#pragma pack(pop,x)\n${PACKED}`, 'p', 16, []],
  [`#pragma pack(0x2)\n${PACKED}`, 'p', 14, []],
  // Alignments: a power of 2 up to 2^28; aligned(0) is ignored with a warning, _Alignas(0) silently.
  ['struct q { _Alignas(0) int x; char c; };', 'q', 8, []],
  [
    'struct q { long x __attribute__((aligned(0))); char c; };',
    'q',
    16,
    ["1:0: warning: requested alignment '0' is not a positive power of 2"],
  ],
  [
    'struct q { char c; _Alignas(3) int x; };',
    'q',
    null,
    ["1:0: error: requested alignment '3' is not a positive power of 2"],
  ],
  [
    'struct q { char c; _Alignas(-1) int x; };',
    'q',
    null,
    ["1:0: error: requested alignment '-1' is not a positive power of 2"],
  ],
  [
    'struct q { char c; int x __attribute__((aligned(1ULL<<62))); };',
    'q',
    null,
    ["1:0: error: requested alignment '4611686018427387904' exceeds maximum 268435456"],
  ],
  [
    'struct q { char c; int x __attribute__((aligned(1<<29))); };',
    'q',
    null,
    ["1:0: error: requested alignment '536870912' exceeds maximum 268435456"],
  ],
  [
    'struct q { int x; } __attribute__((aligned(3)));',
    'q',
    null,
    ["1:0: error: requested alignment '3' is not a positive power of 2"],
  ],
  ['struct q { char c; int x __attribute__((aligned(1<<28))); };', 'q', 1 << 29, []],
  // Enumerations: the implicit next value overflows the last one's type.
  [
    'enum e { A = 0x7fffffff, B };\nstruct s { enum e x; };',
    's',
    null,
    ['1:26: error: overflow in enumeration values'],
  ],
  [
    'enum e { A = 0xffffffffffffffff, B };\nstruct s { enum e x; };',
    's',
    null,
    ['1:34: error: overflow in enumeration values'],
  ],
  [
    'enum e { A = 0x7fffffffffffffff, B, C };\nstruct s { enum e x; };',
    's',
    null,
    ['1:34: error: overflow in enumeration values'],
  ],
  ['enum e { A = 0x7fffffff, B = 1 };\nstruct s { enum e x; };', 's', 4, []],
  [
    'enum e { A = -1, B = 0xffffffffffffffff };\nstruct s { char c; enum e x; };',
    's',
    16,
    ['1:18: warning: enumeration values exceed range of largest integer'],
  ],
  [
    'enum e { A = (__int128)1 << 64 };\nstruct s { char c; enum e x; };',
    's',
    16,
    ['1:10: warning: enumeration values exceed range of largest integer'],
  ],
  ['enum e { A = -1, B = 0x7fffffffffffffff };\nstruct s { char c; enum e x; };', 's', 16, []],
];

/** `line:col: severity: message`, with column 0 where `expected` has 0. */
function shape(diags: string[], expected: string[]): string[] {
  return diags.map((d, i) => (expected[i]?.match(/^\d+:0:/) ? d.replace(/^(\d+):\d+:/, '$1:0:') : d));
}

function ours(src: string) {
  const r = analyzeSourceText(src, { path: '/t.c' });
  const diags = r.diagnostics.list.map((d) => formatDiagnostic(d, r.sources).replace(/^\/t\.c:/, ''));
  return { r, diags };
}

test("member, pack and alignment rules: our diagnostics are gcc's, our sizes gcc's", () => {
  for (const [src, name, size, expected] of CASES) {
    const { r, diags } = ours(src);
    assert.deepEqual(shape(diags, expected), expected, src);
    if (size !== null) assert.equal(r.find(name)?.size, size, src);
  }
});

const gcc = haveTool('gcc');
test('the same cases against gcc', { skip: !gcc && 'gcc not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-members-'));
  const file = join(dir, 't.c');
  for (const [src, name, size, expected] of CASES) {
    writeFileSync(file, src + '\n');
    const g = spawnSync('gcc', ['-fsyntax-only', '-fdiagnostics-plain-output', file], {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    });
    const theirs = g.stderr
      .split('\n')
      .filter((l) => /: (warning|error): /.test(l))
      .map((l) => l.replace(`${file}:`, '').replace(/ \[-W[^\]]*\]$/, ''));
    assert.deepEqual(shape(theirs, expected), expected, src);
    assert.equal(g.status === 0, size !== null, src);
    if (size === null) continue;
    const { r } = ours(src);
    const rec = r.find(name)!;
    const probe = probeFor(rec, `${rec.kind} ${name}`);
    assert.deepEqual(compareRecord(rec, probe, gccTruth(src, [probe])[0]!), [], src);
  }
});
