// i386 rules that random records reach only rarely (3 in 15,000 went wrong before these were right):
// an 8-byte union or struct whose members all have scalar modes is capped to 4-byte alignment as a
// member (gcc's x86_field_alignment on a DImode record), zero-sized members ([0], an empty struct)
// included, even when it holds an _Atomic long long (which keeps 8 only as a member itself); and
// aligned(4) on a long long, whose __alignof__ is 8, makes nothing user-aligned. The figures are
// i686-linux-gnu-gcc 12's, and checked against it directly when it is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import { findTarget } from '../../src/target/target.js';
import { gccTruth, haveTool, type Toolchain } from '../support/gcc-truth.js';
import { compareRecord, probesForTagged } from '../support/compare.js';

const target = findTarget('i686-linux-gnu')!;
const SRC = `struct S1 { char c; _Atomic long long x; };
union U1 { _Atomic long long x; short s; };
union U6 { _Atomic long long x; int z[0]; };
union U7 { _Atomic long long x; struct { unsigned short : 0; } __attribute__((packed)); };
struct S4 { char c; union U7 u; };
struct S5 { char c; union U6 u; };
union U9 { long long b : 16; unsigned long long a __attribute__((aligned(4))); _Atomic long long x; };
struct S6 { char c; union U9 u; };
`;
// [record, size, align, member offsets in bytes]
const EXPECT: [string, number, number, Record<string, number>][] = [
  ['S1', 16, 8, { c: 0, x: 8 }],
  ['U1', 8, 4, {}],
  ['U6', 8, 4, {}],
  ['U7', 8, 4, {}],
  ['S4', 12, 4, { c: 0, u: 4 }],
  ['S5', 12, 4, { c: 0, u: 4 }],
  ['U9', 8, 4, {}],
  ['S6', 12, 4, { c: 0, u: 4 }],
];

test('i686: DImode records are capped to 4 as members, zero-sized members and _Atomic long long included', () => {
  const recs = analyzeSourceText(SRC, { target }).records;
  for (const [name, size, align, offsets] of EXPECT) {
    const r = recs.find((x) => x.name === name);
    assert.ok(r, name);
    assert.deepEqual([r.size, r.align], [size, align], `${name}: size, align`);
    for (const [m, off] of Object.entries(offsets))
      assert.equal(r.members.find((x) => x.name === m)?.bitOffset, off * 8, `${name}.${m}`);
  }
});

test(
  'i686: the same records against i686-linux-gnu-gcc',
  { skip: !haveTool('i686-linux-gnu-gcc') && 'i686-linux-gnu-gcc not installed' },
  () => {
    const tc: Toolchain = {
      cc: 'i686-linux-gnu-gcc',
      nm: 'i686-linux-gnu-nm',
      objcopy: 'i686-linux-gnu-objcopy',
      flags: [],
      endian: 'little',
    };
    const { probes, ours } = probesForTagged(analyzeSourceText(SRC, { target }).records);
    const truth = gccTruth(SRC, probes, tc);
    assert.deepEqual(
      probes.flatMap((p, i) => compareRecord(ours[i], p, truth[i]!)),
      [],
    );
    assert.equal(probes.length, EXPECT.length);
  },
);
