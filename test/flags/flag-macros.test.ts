// What each applied flag does to the predefined macros, against `<cc> FLAGS -dM -E`: every macro the
// flag adds, changes or removes for gcc must come out the same for us.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { commandTarget, gccMacros, parseGccArgs, targetVariant } from '../../src/kernel/gcc-flags.js';
import { predefinedMacros } from '../../src/target/predefined.js';
import { DEFAULT_TARGET } from '../../src/target/target.js';
import { haveTool } from '../support/gcc-truth.js';

function parse(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const x = /^#define (\S+)(?: (.*))?$/.exec(line);
    if (x) m.set(x[1]!, x[2] ?? '');
  }
  return m;
}

const gccMacrosOf = (cc: string, flags: string[]): Map<string, string> =>
  parse(spawnSync(cc, [...flags, '-dM', '-E', '-x', 'c', '/dev/null'], { encoding: 'utf8' }).stdout);

function ours(cc: string, flags: string[]): Map<string, string> {
  const g = parseGccArgs(flags);
  const target = targetVariant(commandTarget(cc, g, DEFAULT_TARGET), g.layout);
  const m = parse(predefinedMacros(target));
  for (const [kind, arg] of gccMacros(target, g)) {
    if (kind === 'U') m.delete(arg);
    else {
      const eq = arg.indexOf('=');
      m.set(eq < 0 ? arg : arg.slice(0, eq), eq < 0 ? '1' : arg.slice(eq + 1));
    }
  }
  return m;
}

const CASES: [string, string[]][] = [
  ['gcc', ['-pthread']],
  ['gcc', ['-fopenmp']],
  ['gcc', ['-std=c99']],
  ['gcc', ['-std=c11']],
  ['gcc', ['-std=gnu89']],
  ['gcc', ['-ansi']],
  ['gcc', ['-std=iso9899:199409']],
  ['gcc', ['-std=c2x']],
  ['gcc', ['-funsigned-char']],
  ['gcc', ['-fshort-wchar']],
  ['gcc', ['-O2']],
  ['gcc', ['-Os']],
  ['gcc', ['-fpic']],
  ['gcc', ['-fPIC']],
  ['gcc', ['-fpie']],
  ['gcc', ['-fno-pie']],
  ['gcc', ['-march=haswell']],
  ['gcc', ['-march=x86-64-v2']],
  ['gcc', ['-march=znver3']],
  ['gcc', ['-mavx2']],
  ['gcc', ['-fexceptions']],
  ['gcc', ['-fstack-protector-strong']],
  ['gcc', ['-m32']],
  ['gcc', ['-m32', '-std=c99']],
  ['gcc', ['-Wp,-DFOO=2,-UBAR']],
  ['gcc', ['--define-macro=FOO=3']],
  ['aarch64-linux-gnu-gcc', ['-march=armv8.2-a+crypto']],
  ['aarch64-linux-gnu-gcc', ['-mcpu=neoverse-n1']],
  ['aarch64-linux-gnu-gcc', ['-fshort-enums']],
  ['aarch64-linux-gnu-gcc', ['-fsigned-char']],
  ['arm-linux-gnueabihf-gcc', ['-mfpu=neon']],
  ['arm-linux-gnueabihf-gcc', ['-fshort-enums', '-fshort-wchar']],
];

for (const [cc, flags] of CASES) {
  test(`${cc} ${flags.join(' ')}: the macros it changes`, { skip: !haveTool(cc) && `no ${cc}` }, () => {
    const base = gccMacrosOf(cc, []);
    const withFlags = gccMacrosOf(cc, flags);
    const changed = new Set([...base.keys(), ...withFlags.keys()].filter((k) => base.get(k) !== withFlags.get(k)));
    // (-fshort-wchar's charset name and the float macros of -m32 are not modelled; see docs/gcc-flags.md.)
    for (const k of changed)
      if (/^__GNUC_WIDE_EXECUTION_CHARSET_NAME$|^__(FLT|DBL|LDBL|FLT\d+X?|DEC)\w*__$|^__FLT_EVAL_METHOD/.test(k))
        changed.delete(k);
    const mine = ours(cc, flags);
    const diffs = [...changed]
      .filter((k) => mine.get(k) !== withFlags.get(k))
      .map((k) => `${k}: ours ${mine.get(k) ?? '(undefined)'}, gcc ${withFlags.get(k) ?? '(undefined)'}`);
    assert.deepEqual(diffs, []);
  });
}
