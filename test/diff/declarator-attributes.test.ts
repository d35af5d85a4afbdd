// Attributes inside declarators (issue 22): one that opens a parenthesised declarator applies to the
// type the suffixes make (libxml2's `void (__attribute__((noreturn)) *fp)(void)` must parse), and one
// after a '*' applies to that pointer type, not to the member. Sizes are gcc 12's; checked against
// gcc (and i686 gcc) directly when installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import { typeName } from '../../src/model/print.js';
import { findTarget } from '../../src/target/target.js';
import { compareRecord, probesForTagged } from '../support/compare.js';
import { gccTruth, haveTool, HOST_TOOLCHAIN, type Toolchain } from '../support/gcc-truth.js';

const A16 = '__attribute__((aligned(16)))';
const SRC = `struct s1 { char c; void (__attribute__((noreturn)) *fp)(void); };
struct s2 { char c; int * ${A16} * p; };
struct s3 { char c; int * ${A16} p; };
struct s4 { char c; void (${A16} *fp)(void); };
struct s5 { char c; int * ${A16} * p[2]; };
struct s6 { char c; int * ${A16} * __attribute__((aligned(32))) p; };
struct s7 { char c; int (* ${A16} p)[3]; };
struct s8 { char c; int * const ${A16} * p; int * ${A16} *q; };
struct s9 { char c; int x; int * ${A16} * p; char d[sizeof(*(int * ${A16} *)0)]; };
struct t1 { char c; int (${A16} x)[3]; };
struct t2 { char c; int * __attribute__((packed)) p; };
struct t3 { char c; int * __attribute__((aligned(2))) p; };
struct t4 { char c; int (${A16} *x)[3]; };
`;

test('x86_64: attributes in declarators apply where gcc applies them', () => {
  const r = analyzeSourceText(SRC);
  assert.deepEqual(
    r.diagnostics.list.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
  const size = (n: string) => r.find(n)?.size;
  const want = {
    s1: 16,
    s2: 16,
    s3: 32,
    s4: 16,
    s5: 24,
    s6: 64,
    s7: 32,
    s8: 24,
    s9: 24,
    t1: 32,
    t2: 16,
    t3: 10,
    t4: 16,
  };
  assert.deepEqual(Object.fromEntries(Object.keys(want).map((n) => [n, size(n)])), want);
  // The aligned pointer type is spelled as the pointer it is.
  assert.equal(typeName(r.find('s2')!.members[1]!.type), 'int **');
});

for (const [triple, tc] of [
  ['x86_64-linux-gnu', HOST_TOOLCHAIN],
  [
    'i686-linux-gnu',
    {
      cc: 'i686-linux-gnu-gcc',
      nm: 'i686-linux-gnu-nm',
      objcopy: 'i686-linux-gnu-objcopy',
      flags: [],
      endian: 'little',
    },
  ],
] as [string, Toolchain][]) {
  test(`attributes in declarators, against ${tc.cc}`, { skip: !haveTool(tc.cc) && `${tc.cc} not installed` }, () => {
    const { probes, ours } = probesForTagged(analyzeSourceText(SRC, { target: findTarget(triple)! }).records);
    assert.equal(probes.length, 13);
    const truth = gccTruth(SRC, probes, tc);
    assert.deepEqual(
      probes.flatMap((p, i) => compareRecord(ours[i], p, truth[i]!)),
      [],
    );
  });
}
