// A small unit runs without V8's optimising compiler (src/cli/start.ts): only a source file of its own,
// up to 128 KB, and never with an answer other than the one V8's defaults give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { smallUnitTiers } from '../../src/cli/start.js';
import { sourceCli } from '../support/source-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'layoutof-small-'));
const small = join(dir, 'small.h');
writeFileSync(small, '#include <stddef.h>\nstruct rec { char c; size_t n; struct { short s; } in; };\n');
const large = join(dir, 'large.h');
writeFileSync(large, Array.from({ length: 4000 }, (_, i) => `struct r${i} { char c; long l${i}; };\n`).join(''));

const elf = join(dir, 'tiny.o');
writeFileSync(elf, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]));

test('which queries run as a small unit', () => {
  const inlining = process.env.LAYOUTOF_INLINING;
  delete process.env.LAYOUTOF_INLINING;
  try {
    assert.equal(smallUnitTiers([small, 'rec']), true);
    assert.equal(smallUnitTiers(['--all', '--format', 'json', small]), true);
    assert.equal(smallUnitTiers([large]), false, 'over 128 KB');
    assert.equal(smallUnitTiers([elf]), false, 'a binary (a module BTF file brings vmlinux along)');
    assert.equal(smallUnitTiers(['--kernel', dir, small]), false, 'a kernel unit');
    assert.equal(smallUnitTiers(['-p', dir, small]), false, 'a compilation database');
    assert.equal(smallUnitTiers(['--diff', small, small]), false);
    assert.equal(smallUnitTiers(['-I', dir, 'rec']), false, 'a record by name: no FILE');
    assert.equal(smallUnitTiers(['--no-such-option', small]), false, 'a usage error: main reports it');
    process.env.LAYOUTOF_INLINING = '1';
    assert.equal(smallUnitTiers([small]), false, "LAYOUTOF_INLINING=1: V8's defaults");
  } finally {
    if (inlining === undefined) delete process.env.LAYOUTOF_INLINING;
    else process.env.LAYOUTOF_INLINING = inlining;
  }
});

test("a small unit's answer is the one V8's defaults give", () => {
  const run = (inlining: string) =>
    sourceCli(['--no-cache', '--all', '--format', 'json', small], {
      env: { ...process.env, LAYOUTOF_INLINING: inlining },
    });
  const quick = run('');
  const full = run('1');
  assert.equal(quick.code, 0, quick.err);
  assert.equal(quick.out, full.out);
  assert.equal(quick.err, full.err);
  assert.match(quick.out, /"size": 24/);
});
