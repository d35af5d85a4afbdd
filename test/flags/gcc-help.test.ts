// Every option gcc lists in --help=common and --help=target (its own, and each installed cross gcc's)
// is a gcc flag to layoutof: applied when it changes macros or layouts, accepted and ignored otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { gccFlagArity, parseGccArgs } from '../../src/kernel/gcc-flags.js';
import { haveTool } from '../support/gcc-truth.js';

/** The option spellings of `cc --help=...`, each made into a word gcc would accept (`<n>` → 1). */
function helpFlags(cc: string, cls: string): string[] {
  const out = spawnSync(cc, [`--help=${cls}`], { encoding: 'utf8' }).stdout;
  const words = new Set<string>();
  for (const line of out.split('\n')) {
    const m = /^ {2}(-\S+)/.exec(line);
    if (!m) continue;
    let w = m[1]!.replace(/<[^>]*>/g, '1').replace(/\[[^\]]*\]/g, '');
    if (w.endsWith('=')) w += '1';
    words.add(w);
  }
  return [...words];
}

for (const cc of [
  'gcc',
  'aarch64-linux-gnu-gcc',
  'arm-linux-gnueabihf-gcc',
  'i686-linux-gnu-gcc',
  'riscv64-linux-gnu-gcc',
]) {
  for (const cls of ['common', 'target']) {
    test(
      `${cc} --help=${cls}: every option is a gcc flag (applied or ignored)`,
      { skip: !haveTool(cc) && `no ${cc}` },
      () => {
        const flags = helpFlags(cc, cls);
        assert.ok(flags.length > 20, `${cc} lists ${flags.length} options`);
        const refused = flags.filter(
          (f) => gccFlagArity([f, 'value'], 0) === 0 || parseGccArgs([f, 'value']).rest.length > 1,
        );
        assert.deepEqual(refused, []);
      },
    );
  }
}

test('a flag that takes a value as the next word consumes it; a joined one does not', () => {
  assert.equal(gccFlagArity(['-o', 'x.o'], 0), 2);
  assert.equal(gccFlagArity(['--param', 'max-inline-insns=1'], 0), 2);
  assert.equal(gccFlagArity(['-fno-common', 'a.c'], 0), 1);
  assert.equal(gccFlagArity(['a.c'], 0), 0);
  assert.equal(gccFlagArity(['--no-such-thing'], 0), 0);
  assert.deepEqual(parseGccArgs(['-o', 'x.o', '-MF', 'x.d', 'a.c']).rest, ['a.c']);
});
