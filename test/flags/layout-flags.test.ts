// gcc flags that change layouts or macros, on the command line and through -p, against gcc itself
// compiled with the same flags (and the cross gcc a compile command names).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cli } from './cli.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { commandTarget, gccMacros, parseGccArgs, targetVariant } from '../../src/kernel/gcc-flags.js';
import { DEFAULT_TARGET } from '../../src/target/target.js';
import { compareRecord, probesForTagged } from '../support/compare.js';
import { gccTruth, haveTool, type Toolchain } from '../support/gcc-truth.js';

const SOURCE = `
enum e { A, B };
enum big { BIG = 70000 };
struct s_enum { char c; enum e e; enum big b; };
struct s_mixed { char c; double d; long long ll; short s; };
struct s_bits { char a:3; int b:5; short s:4; long long l:7; char z; };
#pragma pack(push, 8)
struct s_pragma { char c; double d; };
#pragma pack(pop)
#pragma pack()
struct s_reset { char c; double d; };
struct s_char { char c; int x[(char)-1 < 0 ? 1 : 2]; };
struct s_biggest { char c; struct { int i; } __attribute__((aligned)) a; };
struct s_ld { char c; long double ld; };
struct s_user { char c; int i __attribute__((aligned(8))); };
#ifdef _REENTRANT
struct s_reentrant { char c; int i; };
#endif
#if __STDC_VERSION__ == 199901L && defined __STRICT_ANSI__
struct s_c99 { char c; short s; };
#endif
#ifdef __AVX2__
struct s_avx2 { char c; int i; };
#endif
#ifdef __ARM_FEATURE_ATOMICS
struct s_lse { char c; long l; };
#endif
`;

const host: Toolchain = { cc: 'gcc', nm: 'nm', objcopy: 'objcopy', flags: [], endian: 'little' };
const cross = (triple: string): Toolchain => ({
  cc: `${triple}-gcc`,
  nm: `${triple}-nm`,
  objcopy: `${triple}-objcopy`,
  flags: [],
  endian: 'little',
});

/** Lays SOURCE out as `compiler flags...` would and compares every record with that compiler's. */
function check(compiler: string, flags: string[], tc: Toolchain, expectNames: string[] = []): void {
  const g = parseGccArgs(flags);
  const target = targetVariant(commandTarget(compiler, g, DEFAULT_TARGET), g.layout);
  const res = analyzeSourceText(SOURCE, { target, macros: gccMacros(target, g) });
  assert.equal(res.diagnostics.errors, 0, res.diagnostics.list.map((d) => d.message).join('\n'));
  const { probes, ours } = probesForTagged(res.records);
  const truth = gccTruth(SOURCE, probes, {
    ...tc,
    flags: [...tc.flags, ...flags.filter((f) => !f.startsWith('--target'))],
  });
  const diffs = probes.flatMap((p, i) => compareRecord(ours[i], p, truth[i]!));
  assert.deepEqual(diffs, [], `${compiler} ${flags.join(' ')}`);
  for (const n of expectNames) assert.ok(res.find(n), `${n} with ${flags.join(' ')}`);
  // Records the flags leave out must be absent for gcc too: gccTruth compiled every probe above.
}

const cases: [string, string[], string[]][] = [
  ['gcc', ['-fshort-enums'], []],
  ['gcc', ['-fpack-struct'], []],
  ['gcc', ['-fpack-struct=2'], []],
  ['gcc', ['-mms-bitfields'], []],
  ['gcc', ['-m32', '-mms-bitfields'], []],
  ['gcc', ['-funsigned-char'], []],
  ['gcc', ['-pthread'], ['s_reentrant']],
  ['gcc', ['-std=c99'], ['s_c99']],
  ['gcc', ['-ansi'], []],
  ['gcc', ['-m32'], []],
  ['gcc', ['-m32', '-malign-double'], []],
  ['gcc', ['-mlong-double-64'], []],
  ['gcc', ['-march=haswell'], ['s_avx2']],
  ['gcc', ['-march=x86-64-v4'], ['s_avx2']],
  ['gcc', ['-Wp,-D_REENTRANT,-DUNUSED=1'], ['s_reentrant']],
  ['gcc', ['--define-macro', '_REENTRANT'], ['s_reentrant']],
  ['gcc', ['--define-macro=_REENTRANT', '-O2', '-g', '-Wall', '-fPIC'], ['s_reentrant']],
];
for (const [cc, flags, names] of cases) {
  test(`${cc} ${flags.join(' ')}: every record as gcc lays it out`, () => check(cc, flags, host, names));
}

for (const [triple, flags, names] of [
  ['aarch64-linux-gnu', ['-march=armv8.1-a'], ['s_lse']],
  ['aarch64-linux-gnu', ['-fsigned-char', '-fshort-enums'], []],
  ['arm-linux-gnueabihf', ['-fpack-struct=4'], []],
  ['i686-linux-gnu', ['-mms-bitfields'], []],
] as [string, string[], string[]][]) {
  test(
    `${triple}-gcc ${flags.join(' ')}: the cross compiler's target and layouts`,
    { skip: !haveTool(`${triple}-gcc`) && `no ${triple}-gcc` },
    () => check(`/usr/bin/${triple}-gcc-12`, flags, cross(triple), names),
  );
}

test('(char)-1 < 0 follows -funsigned-char and -fsigned-char, not only __CHAR_UNSIGNED__', () => {
  const size = (flags: string[]): number | undefined => {
    const g = parseGccArgs(flags);
    const target = targetVariant(DEFAULT_TARGET, g.layout);
    return analyzeSourceText('struct s { int x[(char)-1 < 0 ? 1 : 2]; };', {
      target,
      macros: gccMacros(target, g),
    }).find('s')?.size;
  };
  assert.equal(size([]), 4);
  assert.equal(size(['-funsigned-char']), 8);
  assert.equal(size(['-funsigned-char', '-fsigned-char']), 4);
});

test('-p: a compile command with a cross compiler, -fshort-enums and -include along the include path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-flags-'));
  writeFileSync(
    join(dir, 'a.c'),
    'enum e { A }; struct s { char c; enum e e; long l; };\n#ifndef CONFIG_H\n#error no config\n#endif\n',
  );
  spawnSync('mkdir', ['-p', join(dir, 'inc')]);
  writeFileSync(join(dir, 'inc/config.h'), '#define CONFIG_H 1\n');
  writeFileSync(
    join(dir, 'compile_commands.json'),
    JSON.stringify([
      {
        directory: dir,
        file: 'a.c',
        arguments: [
          '/usr/bin/arm-linux-gnueabihf-gcc-12',
          '-fshort-enums',
          '-Iinc',
          '-include',
          'config.h',
          '-c',
          'a.c',
          '-o',
          'a.o',
        ],
      },
    ]),
  );
  const r = cli(['-p', dir, join(dir, 'a.c'), 's', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const rec = JSON.parse(r.out) as { target: string; records: { size: number }[] };
  assert.equal(rec.target, 'arm-linux-gnueabihf');
  // arm: enum 1 byte, long 4 bytes.
  assert.equal(rec.records[0]!.size, 8);
});

test('-p: an unknown --target is refused with the list of targets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-flags-'));
  writeFileSync(join(dir, 'a.c'), 'struct s { int i; };\n');
  writeFileSync(
    join(dir, 'compile_commands.json'),
    JSON.stringify([{ directory: dir, file: 'a.c', command: 'clang --target=arm64-apple-darwin -c a.c' }]),
  );
  const r = cli(['-p', dir, join(dir, 'a.c')]);
  assert.equal(r.code, 1);
  assert.match(
    r.err,
    /unknown target 'arm64-apple-darwin' \(targets: x86_64-linux-gnu, i686-linux-gnu, aarch64-linux-gnu/,
  );
});

test('the command line accepts gcc flags (pkg-config style) and applies the layout ones', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-flags-'));
  writeFileSync(
    join(dir, 'a.c'),
    'enum e { A }; struct s { char c; enum e e; };\n#ifdef _REENTRANT\nstruct r { int i; };\n#endif\n',
  );
  const r = cli([
    '-pthread',
    '-march=x86-64',
    '-std=gnu11',
    '-O2',
    '-g',
    '-Wall',
    '-fshort-enums',
    '-mno-red-zone',
    '--include-directory=/usr/include',
    '-o',
    'x.o',
    join(dir, 'a.c'),
    '--format',
    'json',
  ]);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out) as { records: { name: string; size: number }[] };
  assert.deepEqual(
    out.records.map((x) => [x.name, x.size]),
    [
      ['s', 2],
      ['r', 4],
    ],
  );
  assert.equal(cli(['-mx32', join(dir, 'a.c')]).code, 2);
  assert.equal(cli(['-m32', '-m128bit-long-double', join(dir, 'a.c')]).code, 2);
});

test("a target triple with a vendor (clang's aarch64-unknown-linux-gnu) is the target without it", () => {
  const t = (args: string[], compiler = 'clang'): string =>
    commandTarget(compiler, parseGccArgs(args), DEFAULT_TARGET).triple;
  assert.equal(t(['--target=aarch64-unknown-linux-gnu']), 'aarch64-linux-gnu');
  assert.equal(t(['-target', 'riscv64-unknown-linux-gnu']), 'riscv64-linux-gnu');
  assert.equal(t([], '/opt/x/bin/riscv64-unknown-linux-gnu-gcc'), 'riscv64-linux-gnu');
  assert.equal(t([], 'gcc-12'), 'x86_64-linux-gnu');
  assert.equal(t(['-m32'], 'x86_64-linux-gnu-gcc-12'), 'i686-linux-gnu');
  assert.throws(() => t([], 'arm-none-eabi-gcc'), /compiles for 'arm-none-eabi', not one of the targets/);
  assert.throws(() => t(['--target=x86_64-apple-darwin']), /unknown target 'x86_64-apple-darwin'/);
});
