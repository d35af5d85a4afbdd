// Where gcc applies an attribute written among a declaration's specifiers after a struct, union or
// enum tag that has no body: to the declaration, not the type (the uapi xt_string.h's
// `struct ts_config __attribute__((aligned(8))) *config;` makes the pointer member 8-aligned on
// 32-bit targets). Right after the keyword, in a reference, gcc ignores it. Checked against gcc and
// i686 gcc directly when they are installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import { findTarget } from '../../src/target/target.js';
import { gccTruth, haveTool, HOST_TOOLCHAIN, type Toolchain } from '../support/gcc-truth.js';
import { compareRecord, probesForTagged } from '../support/compare.js';

const SRC = `struct ts { int x; };
enum en { E0, E1 };
struct A { char c; struct ts __attribute__((aligned(8))) *p; };
struct B { char c; struct ts __attribute__((aligned(16))) t; };
struct D { char c; struct __attribute__((aligned(16))) ts *p; };
struct E { char c; enum en __attribute__((aligned(8))) e; };
union U { char c; struct ts __attribute__((aligned(32))) *p; };
`;

test('i686: an attribute after a bodiless tag belongs to the member', () => {
  const recs = analyzeSourceText(SRC, { target: findTarget('i686-linux-gnu')! }).records;
  const at = (r: string, m: string) => recs.find((x) => x.name === r)!.members.find((x) => x.name === m)!.bitOffset / 8;
  assert.deepEqual([at('A', 'p'), at('B', 't'), at('D', 'p'), at('E', 'e')], [8, 16, 4, 8]);
  assert.deepEqual(
    ['A', 'B', 'D', 'E', 'U'].map((n) => recs.find((x) => x.name === n)!.size),
    [16, 32, 8, 16, 32],
  );
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
  test(
    `attributes after a bodiless tag, against ${tc.cc}`,
    { skip: !haveTool(tc.cc) && `${tc.cc} not installed` },
    () => {
      const { probes, ours } = probesForTagged(analyzeSourceText(SRC, { target: findTarget(triple)! }).records);
      const truth = gccTruth(SRC, probes, tc);
      assert.deepEqual(
        probes.flatMap((p, i) => compareRecord(ours[i], p, truth[i]!)),
        [],
      );
      assert.equal(probes.length, 6);
    },
  );
}

// Bitfields of types aligned apart from their size (a typedef's aligned()). One aligned beyond its
// size starts at that alignment: gcc's unit-span rule counts units of the alignment, and the type
// holds none of them; but gcc rounds only the bit position below its offset alignment (the largest
// alignment: 8 bytes on arm and s390x, 16 elsewhere), so a type aligned beyond that moves the
// bitfield to the next such boundary plus its own alignment. A bitfield as wide as an integer mode
// is laid out as an ordinary member of that mode where the position allows, with no unit-span rule:
// it is aligned to the mode, not to its type.
const OVER_ALIGNED_BITFIELDS = `typedef int aint16 __attribute__((aligned(16)));
typedef short ashort8 __attribute__((aligned(8)));
typedef int aint2 __attribute__((aligned(2)));
typedef short ashort32 __attribute__((aligned(32)));
struct OB1 { char c; aint16 bf : 4; };
struct OB2 { char c; ashort8 a : 3, b : 3; char d; ashort8 e : 9; };
struct OB3 { aint16 bf : 4; char c; aint16 bg : 1; };
struct OB4 { char c; aint2 bf : 20; aint2 bg : 20; };
union OU1 { char c; aint16 bf : 4; };
struct __attribute__((packed)) OB5 { char c; aint16 bf : 4; };
struct OB6 { char c; ashort32 bf : 4; char d; ashort32 bg : 16; };
struct OB7 { long long l; char c; aint16 bf : 32; aint16 bg : 12; };
struct OB8 { char c; short s; aint2 bf : 32; char d; aint2 bg : 32; };
struct OB9 { int i; ashort32 bf : 3; } __attribute__((aligned(64)));
struct OB10 { char c[9]; aint16 bf : 4; ashort32 bg : 16; };
`;
const OVER_ALIGNED_RECORDS = 11;

const CROSS: [string, Toolchain][] = [
  'i686-linux-gnu',
  'aarch64-linux-gnu',
  'arm-linux-gnueabihf',
  'riscv64-linux-gnu',
  'powerpc64le-linux-gnu',
  's390x-linux-gnu',
].map((t) => [t, { cc: `${t}-gcc`, nm: `${t}-nm`, objcopy: `${t}-objcopy`, flags: [], endian: findTarget(t)!.endian }]);

for (const [triple, tc] of [['x86_64-linux-gnu', HOST_TOOLCHAIN] as [string, Toolchain], ...CROSS]) {
  test(
    `bitfields of over-aligned types, against ${tc.cc}`,
    { skip: !haveTool(tc.cc) && `${tc.cc} not installed` },
    () => {
      const { probes, ours } = probesForTagged(
        analyzeSourceText(OVER_ALIGNED_BITFIELDS, { target: findTarget(triple)! }).records,
      );
      const truth = gccTruth(OVER_ALIGNED_BITFIELDS, probes, tc);
      assert.deepEqual(
        probes.flatMap((p, i) => compareRecord(ours[i], p, truth[i]!)),
        [],
      );
      assert.equal(probes.length, OVER_ALIGNED_RECORDS);
    },
  );
}
