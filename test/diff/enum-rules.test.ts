// GCC's types for enumeration constants too big for int (found in the kernel's drm_mm.h, where
// `DRM_MM_INSERT_ONCE = BIT(31)` made `enum drm_mm_insert_mode` 8 bytes here and 4 in gcc): such a
// constant has its initializer's type (at least int's width) until the enum's closing brace, and the
// enumeration's type after it; constants that fit in int are int throughout. Figures are gcc 12's
// (x86_64 and i686), checked against gcc directly when it is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import { findTarget } from '../../src/target/target.js';
import type { Member } from '../../src/model/model.js';
import { gccTruth, haveTool, HOST_TOOLCHAIN, type Toolchain } from '../support/gcc-truth.js';
import { compareRecord, probesForTagged } from '../support/compare.js';

const SRC = `#define BIT(n) (1UL << (n))
enum m { A, B, C, ONCE = BIT(31), HIGHEST = C | ONCE, LOWEST = B | ONCE };
struct s1 { long x; enum m mode; };
enum m2 { X = ONCE | 1 };
struct s2 { char a[sizeof(ONCE)]; enum m2 b; char c; };
enum m3 { P = BIT(31), Q = sizeof(P), R };
struct s3 { char a[Q]; char b[R]; enum m3 e; };
enum n { N1 = -1, N2 = BIT(31) };
struct s4 { enum n e; char c; };
enum u { U1 = 0xffffffffU, U2 = U1 - 1, U3 = (U1 + 1) > 0 };
struct s5 { enum u e; char c; char d[U3 + 1]; };
enum big { G1 = 1ULL << 40, G2 };
struct s6 { char c; enum big e; char d[sizeof(G2)]; };
`;
// x86_64: [record, size, {member: [offset, size]}]
const EXPECT: [string, number, Record<string, [number, number]>][] = [
  ['s1', 16, { x: [0, 8], mode: [8, 4] }],
  ['s2', 12, { a: [0, 4], b: [4, 4], c: [8, 1] }],
  ['s3', 24, { a: [0, 8], b: [8, 9], e: [20, 4] }],
  ['s4', 16, { e: [0, 8], c: [8, 1] }],
  ['s5', 8, { e: [0, 4], c: [4, 1], d: [5, 1] }],
  ['s6', 24, { c: [0, 1], e: [8, 8], d: [16, 8] }],
];

test("enumeration constants too big for int: their own type inside the enum, the enum's after it", () => {
  const recs = analyzeSourceText(SRC, {}).records;
  for (const [name, size, members] of EXPECT) {
    const r = recs.find((x) => x.name === name);
    assert.ok(r, name);
    assert.equal(r.size, size, `${name}: size`);
    for (const [member, [off, sz]] of Object.entries(members)) {
      const m: Member | undefined = r.members.find((x) => x.name === member);
      assert.deepEqual([m?.bitOffset, m?.size], [off * 8, sz], `${name}.${member}: offset, size`);
    }
  }
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
    `enumeration constants too big for int, against ${tc.cc}`,
    { skip: !haveTool(tc.cc) && `${tc.cc} not installed` },
    () => {
      const { probes, ours } = probesForTagged(analyzeSourceText(SRC, { target: findTarget(triple)! }).records);
      const truth = gccTruth(SRC, probes, tc);
      assert.deepEqual(
        probes.flatMap((p, i) => compareRecord(ours[i], p, truth[i]!)),
        [],
      );
      assert.equal(probes.length, EXPECT.length);
    },
  );
}
