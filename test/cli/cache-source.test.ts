// A plain source query's answer is kept too (src/cli/cache.ts) and never served stale: an edited
// header, a header added earlier in the search path, and a compiler that now reports another search
// list (a fake `cc` on PATH, rewritten) each give a fresh answer, on the shell's path
// (LAYOUTOF_NODE=/bin/false: only it can answer) and on Node's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, shellCacheSkip } from '../support/shell-cache.js';

const skip = shellCacheSkip;

/** `rec`'s size for `args` in `dir` (its bin/ first on PATH, its own cache), from Node or, with node
 *  false, from the shell alone (undefined: it did not answer). */
function sizer(dir: string, args: string[]) {
  const env = {
    ...process.env,
    PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
    LAYOUTOF_CACHE_DIR: join(dir, 'cache'),
    LAYOUTOF_NO_CACHE: '',
  };
  return (node = true): number | undefined => {
    const r = spawnSync(bin, [...args, '--format', 'json', 'a.h', 'rec'], {
      cwd: dir,
      encoding: 'utf8',
      env: node ? env : { ...env, LAYOUTOF_NODE: '/bin/false' },
    });
    if (!node && r.status !== 0) return undefined;
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout).records[0].size as number;
  };
}

/** A fake compiler at `path` whose search list is `sys`, and which ignores `ignored`. */
function fakeCc(path: string, sys: string, ignored?: string) {
  const note = ignored ? `ignoring nonexistent directory "${ignored}"\\n` : '';
  writeFileSync(
    path,
    `#!/bin/sh\nprintf '${note}#include <...> search starts here:\\n ${sys}\\nEnd of search list.\\n' >&2\n`,
  );
  chmodSync(path, 0o755);
}

test('a plain source answer is kept, and recomputed when a header or the compiler changes', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-srccache-'));
  for (const d of ['bin', 'sys1', 'sys2', 'first', 'inc']) mkdirSync(join(dir, d));
  // The compiler's search list: one directory, whose word_t decides rec's size.
  const cc = (sys: string) => fakeCc(join(dir, 'bin/cc'), join(dir, sys), join(dir, 'later'));
  cc('sys1');
  writeFileSync(join(dir, 'sys1/word.h'), 'typedef short word_t;\n');
  writeFileSync(join(dir, 'sys2/word.h'), 'typedef long word_t;\n');
  writeFileSync(join(dir, 'inc/cfg.h'), '#include <word.h>\nstruct pad { char p[1]; };\n');
  writeFileSync(join(dir, 'a.h'), '#include "cfg.h"\nstruct rec { char c; word_t w; struct pad p; };\n');
  const size = sizer(dir, ['-I', 'first', '-I', 'inc']);
  assert.equal(size(false), undefined, 'nothing kept yet');
  assert.equal(size(), 6);
  assert.equal(size(false), 6, 'kept: the shell answers');
  // A header edited (its size kept: only the identity and the contents tell).
  writeFileSync(join(dir, 'inc/cfg.h'), '#include <word.h>\nstruct pad { char p[3]; };\n');
  assert.equal(size(false), undefined, 'an edited header: the shell does not answer');
  assert.equal(size(), 8);
  // A header added earlier in the search path.
  writeFileSync(join(dir, 'first/cfg.h'), '#include <word.h>\nstruct pad { char p[5]; };\n');
  assert.equal(size(false), undefined, 'a header added earlier in the search path');
  assert.equal(size(), 10);
  assert.equal(size(false), 10);
  // The compiler rewritten to report another system directory.
  cc('sys2');
  assert.equal(size(false), undefined, 'another compiler: the shell does not answer');
  assert.equal(size(), 24, "nor Node from its entry; the compiler's report is asked again");
  assert.equal(size(false), 24);
  // A directory the compiler said it ignores, made since: its search list would now include it.
  mkdirSync(join(dir, 'later'));
  assert.equal(size(false), undefined, 'a directory the compiler ignored exists now');
  assert.equal(size(), 24);
});

test('--no-cache neither reads nor writes a plain source answer', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-srcnocache-'));
  writeFileSync(join(dir, 'a.h'), 'struct rec { char c; int i; };\n');
  const env = { ...process.env, LAYOUTOF_CACHE_DIR: join(dir, 'cache'), LAYOUTOF_NO_CACHE: '' };
  const run = (args: string[], node = true) =>
    spawnSync(bin, [...args, 'a.h', 'rec'], {
      cwd: dir,
      encoding: 'utf8',
      env: node ? env : { ...env, LAYOUTOF_NODE: '/bin/false' },
    }).status;
  assert.equal(run(['--no-cache']), 0);
  assert.equal(run(['--no-cache'], false), 1, 'nothing stored: Node was needed');
  assert.equal(run([]), 0);
  assert.equal(run([], false), 0, 'stored without --no-cache');
});

test('a compiler installed after a run that found none gives a fresh answer', { skip }, () => {
  // No x86_64-windows-msvc-gcc anywhere: the system search list is empty, until one is installed.
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-srcnocc-'));
  for (const d of ['bin', 'sys']) mkdirSync(join(dir, d));
  writeFileSync(join(dir, 'sys/word.h'), 'typedef long long word_t;\n');
  writeFileSync(
    join(dir, 'a.h'),
    '#if __has_include(<word.h>)\n#include <word.h>\n#else\ntypedef char word_t;\n#endif\nstruct rec { char c; word_t w; };\n',
  );
  const size = sizer(dir, ['--target', 'x86_64-windows-msvc']);
  assert.equal(size(), 2);
  assert.equal(size(false), 2, 'kept');
  fakeCc(join(dir, 'bin/x86_64-windows-msvc-gcc'), join(dir, 'sys'));
  assert.equal(size(false), undefined, 'a compiler installed since: the shell does not answer');
  assert.equal(size(), 16);
});
