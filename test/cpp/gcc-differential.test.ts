// The preprocessor against gcc: the token stream of real system headers must equal `gcc -E -P`'s,
// and the predefined macros must equal `gcc -dM -E`'s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preprocess } from '../../src/cpp/preprocess.js';
import { lex } from '../../src/cpp/lexer.js';
import { TK } from '../../src/cpp/token.js';
import { Diagnostics } from '../../src/core/diag.js';
import { SourceManager } from '../../src/core/source.js';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { systemIncludeDirs } from '../../src/cli/sysinc.js';
import { DEFAULT_TARGET, findTarget } from '../../src/target/target.js';
import { predefinedMacros } from '../../src/target/predefined.js';
import { haveTool } from '../support/gcc-truth.js';

const skip = !haveTool('gcc') && 'gcc not installed';

function ours(file: string): string[] {
  const r = preprocess(file, {
    fs: new NodeFileSystem(),
    target: DEFAULT_TARGET,
    sources: new SourceManager(),
    diags: new Diagnostics(),
    macros: [],
    forcedIncludes: [],
    functionBodies: 'keep',
    include: { quote: [], angled: [], system: [], builtin: systemIncludeDirs() ?? [], after: [] },
  });
  return r.tokens.filter((t) => t.kind !== TK.EOF && t.kind !== TK.Pragma).map((t) => t.text);
}

test('token stream of system headers equals gcc -E', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-cpp-'));
  const file = join(dir, 'a.c');
  const headers = [
    'stdio.h',
    'stdlib.h',
    'signal.h',
    'pthread.h',
    'sys/stat.h',
    'netinet/in.h',
    'netinet/tcp.h',
    'elf.h',
    'math.h',
    'wchar.h',
    'stdint.h',
    'stddef.h',
    'limits.h',
    'float.h',
    'stdarg.h',
    'stdatomic.h',
    'sys/socket.h',
    'linux/bpf.h',
    'ucontext.h',
  ];
  writeFileSync(
    file,
    '#define _GNU_SOURCE 1\n' +
      headers.map((h) => `#include <${h}>\n`).join('') +
      '#define str(x) #x\n#define xstr(x) str(x)\nconst char *v = xstr(__LINE__) xstr(__SIZEOF_LONG_DOUBLE__) xstr(INT64_MAX) xstr(UINTPTR_MAX);\n',
  );
  const gccText = execFileSync('gcc', ['-E', '-P', file], { encoding: 'latin1', maxBuffer: 1 << 28 }).replace(
    /^#pragma.*$/gm,
    '',
  );
  const sm = new SourceManager();
  const theirs = lex(sm.add('gcc', gccText))
    .tokens.filter((t) => t.kind !== TK.EOF)
    .map((t) => t.text);
  const mine = ours(file);
  let i = 0;
  while (i < mine.length && i < theirs.length && mine[i] === theirs[i]) i++;
  assert.equal(
    i,
    Math.max(mine.length, theirs.length),
    `first difference at token ${i}: ours «${mine.slice(i, i + 12).join(' ')}» gcc «${theirs.slice(i, i + 12).join(' ')}»`,
  );
  assert.ok(mine.length > 10000);
});

test('predefined macros equal gcc -dM -E for x86_64', { skip }, () => {
  const parse = (text: string) =>
    new Map(
      text
        .split('\n')
        .filter((l) => l.startsWith('#define '))
        .map((l) => {
          const m = /^#define (\S+)\s?(.*)$/.exec(l)!;
          return [m[1]!, m[2]!.trim()] as [string, string];
        }),
    );
  const gcc = parse(execFileSync('gcc', ['-dM', '-E', '-x', 'c', '/dev/null'], { encoding: 'utf8' }));
  const mine = parse(predefinedMacros(DEFAULT_TARGET));
  const missing = [...gcc.keys()].filter(
    (k) =>
      !mine.has(k) &&
      !/^__(DEC|FLT(32|64|128|16)X?|BFLT16|STDC_IEC_60559|GCC_IEC|SIZEOF_WINT|OPTIMIZE|NO_INLINE|pic|PIC|pie|PIE|SSP|CET|SEG|code_model|k8|tune|MMX|SSE|FXSR|HLE|ATOMIC_HLE|GCC_ASM|HAVE_SPEC|GXX|GNUC_(EXECUTION|WIDE)|REGISTER|SCHAR_WIDTH|INT_WIDTH|LONG_WIDTH|SHRT_WIDTH|PTRDIFF_WIDTH|SIZE_WIDTH|WCHAR_WIDTH|WINT_WIDTH|SIG_ATOMIC_WIDTH|INTPTR_WIDTH|INTMAX_WIDTH|UINT_FAST|UINT_LEAST|INT_FAST|INT_LEAST|LDBL|DBL|FLT)|^_STDC_PREDEF_H$|^__STDC_(IEC|ISO)|^__CHAR_UNSIGNED__$/.test(
        k,
      ),
  );
  assert.deepEqual(missing, []);
  const differ = [...mine]
    .filter(
      ([k, v]) =>
        gcc.has(k) &&
        gcc.get(k) !== v &&
        !/^__(VERSION|GNUC_PATCHLEVEL|NO_INLINE|pie|PIE|pic|PIC|SSP_STRONG|CET|DECIMAL_BID_FORMAT)__?$/.test(k),
    )
    .map(([k, v]) => `${k}: ours ${v}, gcc ${gcc.get(k)}`);
  assert.deepEqual(differ, []);
});

// Every other target: each macro we predefine is one its gcc predefines, with the same spelling (a
// float's digits included: `#x` would show them). gcc defines more (decimal floats, _FloatN limits,
// CPU features) that no header's layout has been seen to need.
for (const triple of [
  'i686-linux-gnu',
  'aarch64-linux-gnu',
  'arm-linux-gnueabihf',
  'riscv64-linux-gnu',
  'powerpc64le-linux-gnu',
  's390x-linux-gnu',
]) {
  const cc = `${triple}-gcc`;
  test(`predefined macros for ${triple} are ${cc}'s`, { skip: !haveTool(cc) && `${cc} not installed` }, () => {
    const parse = (text: string) =>
      new Map(
        text
          .split('\n')
          .filter((l) => l.startsWith('#define '))
          .map((l) => {
            const m = /^#define (\S+)\s?(.*)$/.exec(l)!;
            return [m[1]!, m[2]!.trim()] as [string, string];
          }),
      );
    const gcc = parse(execFileSync(cc, ['-dM', '-E', '-x', 'c', '/dev/null'], { encoding: 'utf8' }));
    const mine = parse(predefinedMacros(findTarget(triple)!));
    const wrong = [...mine]
      .filter(([k, v]) => gcc.get(k) !== v && !/^__(VERSION|GNUC_PATCHLEVEL)__$/.test(k))
      .map(([k, v]) => `${k}: ours ${v}, gcc ${gcc.get(k) ?? '(not defined)'}`);
    assert.deepEqual(wrong, []);
    assert.ok(mine.size > 200, `only ${mine.size} macros`);
  });
}

// The MSVC target: clang's own set for --target=x86_64-pc-windows-msvc (the compiler whose layouts the
// MSVC tests compare against): every macro ours, with clang's spelling, and no GNU or ISO-C markers.
test(
  "predefined macros for x86_64-windows-msvc are clang's",
  { skip: !haveTool('clang') && 'clang not installed' },
  () => {
    const parse = (text: string) =>
      new Map(
        text
          .split('\n')
          .filter((l) => l.startsWith('#define '))
          .map((l) => {
            const m = /^#define (\S+)\s?(.*)$/.exec(l)!;
            return [m[1]!, m[2]!.trim()] as [string, string];
          }),
      );
    const clang = parse(
      execFileSync('clang', ['--target=x86_64-pc-windows-msvc', '-dM', '-E', '-x', 'c', '/dev/null'], {
        encoding: 'utf8',
      }),
    );
    const mine = parse(predefinedMacros(findTarget('x86_64-windows-msvc')!));
    const wrong = [...mine]
      .filter(([k, v]) => clang.get(k) !== v && k !== '__VERSION__')
      .map(([k, v]) => `${k}: ours ${v}, clang ${clang.get(k) ?? '(not defined)'}`);
    assert.deepEqual(wrong, []);
    assert.ok(!mine.has('__GNUC__') && !mine.has('__STDC__') && mine.get('_MSC_VER') === clang.get('_MSC_VER'));
    assert.ok(mine.size > 300, `only ${mine.size} macros`);
  },
);
