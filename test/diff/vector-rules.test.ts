// Wide vectors as members, against gcc and its cross compilers with the ISA flags that change them:
// a vector is placed at its size's alignment however large (x86-64, i686, ppc64le, riscv64, s390x
// without the vector facility), capped by the ABI on aarch64 (16), armhf and s390x from z13 (8); C's
// _Alignof of it, and of a struct holding it, stops at BIGGEST_ALIGNMENT (x86: 16, -mavx 32,
// -mavx512f 64; s390x 8) unless an aligned() asked for more. i686's 8-byte vector is 4-aligned in a
// record without MMX (DImode), 8 with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { gccMacros, parseGccArgs, targetVariant } from '../../src/kernel/gcc-flags.js';
import { findTarget } from '../../src/target/target.js';
import { compareRecord, probesForTagged } from '../support/compare.js';
import { gccTruth, haveTool } from '../support/gcc-truth.js';

const SIZES = [8, 16, 32, 64, 128, 256, 8192];
const SRC =
  SIZES.map((n) => `typedef int v${n} __attribute__((vector_size(${n})));\n`).join('') +
  `typedef double d32 __attribute__((vector_size(32)));
typedef char c64 __attribute__((vector_size(64)));
typedef v32 v32a __attribute__((aligned(32)));
` +
  [...SIZES.map((n) => `v${n}`), 'd32', 'c64', 'v32a'].map((t) => `struct s_${t} { char c; ${t} v; };\n`).join('') +
  `struct user { char c; v32 v __attribute__((aligned(32))); };
struct outer { char c; struct s_v32 in; };
union un { char c; v64 v; };
struct two { v16 a; char c; v32 b; short d; };
`;

/** Compiler, its triple, the flags. */
const CASES: [string, string, string[]][] = [
  ['gcc', 'x86_64-linux-gnu', []],
  ['gcc', 'x86_64-linux-gnu', ['-mavx']],
  ['gcc', 'x86_64-linux-gnu', ['-mavx512f']],
  ['gcc', 'x86_64-linux-gnu', ['-march=haswell']],
  ['i686-linux-gnu-gcc', 'i686-linux-gnu', []],
  ['i686-linux-gnu-gcc', 'i686-linux-gnu', ['-mavx']],
  ['i686-linux-gnu-gcc', 'i686-linux-gnu', ['-msse2', '-march=i686']],
  ['i686-linux-gnu-gcc', 'i686-linux-gnu', ['-march=pentium-mmx']],
  ['i686-linux-gnu-gcc', 'i686-linux-gnu', ['-msse2', '-mno-mmx']],
  ['i686-linux-gnu-gcc', 'i686-linux-gnu', ['-march=pentiumpro']],
  ['s390x-linux-gnu-gcc', 's390x-linux-gnu', []],
  ['s390x-linux-gnu-gcc', 's390x-linux-gnu', ['-march=z13']],
  ['s390x-linux-gnu-gcc', 's390x-linux-gnu', ['-march=z15']],
  ['s390x-linux-gnu-gcc', 's390x-linux-gnu', ['-march=z14', '-mno-vx']],
  ['powerpc64le-linux-gnu-gcc', 'powerpc64le-linux-gnu', []],
  ['riscv64-linux-gnu-gcc', 'riscv64-linux-gnu', []],
  ['aarch64-linux-gnu-gcc', 'aarch64-linux-gnu', []],
  ['arm-linux-gnueabihf-gcc', 'arm-linux-gnueabihf', []],
];

for (const [cc, triple, flags] of CASES) {
  test(`vectors as members: ${cc} ${flags.join(' ')}`, { skip: !haveTool(cc) && `${cc} not installed` }, () => {
    const g = parseGccArgs(flags);
    assert.deepEqual(g.rest, []);
    const target = targetVariant(findTarget(triple)!, g.layout, g.codegen);
    const res = analyzeSourceText(SRC, { target, macros: gccMacros(target, g) });
    const errors = res.diagnostics.list.map((d) => formatDiagnostic(d, res.sources));
    assert.deepEqual(errors, []);
    const { probes, ours } = probesForTagged(res.records);
    const truth = gccTruth(SRC, probes, {
      cc,
      nm: 'nm',
      objcopy: cc === 'gcc' ? 'objcopy' : cc.replace(/gcc$/, 'objcopy'),
      flags,
      endian: target.endian,
    });
    const diffs = probes.flatMap((p, i) => compareRecord(ours[i], p, truth[i]!));
    assert.deepEqual(diffs, []);
    assert.equal(probes.length, 14);
  });
}
