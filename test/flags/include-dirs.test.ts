// A -I directory that repeats a system directory is dropped, as gcc drops it ("ignoring duplicate
// directory"): the header then resolves to the file gcc finds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cli } from './cli.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDuplicateDirs } from '../../src/kernel/gcc-flags.js';

/** sys/h.h and local/h.h define struct s differently; main.c includes <h.h>. */
function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-incdirs-'));
  mkdirSync(join(dir, 'sys'));
  mkdirSync(join(dir, 'local'));
  writeFileSync(join(dir, 'sys/h.h'), 'struct s { char c; };\n');
  writeFileSync(join(dir, 'local/h.h'), 'struct s { char c; long l; };\n');
  writeFileSync(join(dir, 'main.c'), '#include <h.h>\nstruct s v;\n');
  return dir;
}

/** The size gcc gives struct s with these flags (from its DWARF, via sizeof in a constant). */
function gccSize(dir: string, flags: string[]): number {
  writeFileSync(join(dir, 'probe.c'), '#include <h.h>\nchar probe[sizeof(struct s)];\n');
  const r = spawnSync('gcc', [...flags, '-c', 'probe.c', '-o', 'probe.o'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const nm = spawnSync('nm', ['-S', 'probe.o'], { cwd: dir, encoding: 'utf8' }).stdout;
  return parseInt(/^\S+ (\S+) [BC] probe$/m.exec(nm)![1]!, 16);
}

const FLAGS = ['-Isys', '-Ilocal', '-isystem', 'sys'];

test('-I DIR -isystem DIR: the -I is dropped, so <h.h> comes from the next -I as for gcc', () => {
  const dir = tree();
  const want = gccSize(dir, FLAGS);
  assert.equal(want, 16);
  const r = cli([...FLAGS, 'main.c', 's', '--format', 'json'], dir);
  assert.equal(r.code, 0, r.err);
  assert.equal((JSON.parse(r.out) as { records: { size: number }[] }).records[0]!.size, want);
});

test('-p: the same through a compile database', () => {
  const dir = tree();
  writeFileSync(
    join(dir, 'compile_commands.json'),
    JSON.stringify([{ directory: dir, file: 'main.c', arguments: ['gcc', ...FLAGS, '-c', 'main.c'] }]),
  );
  const r = cli(['-p', dir, 'main.c', 's', '--format', 'json'], dir);
  assert.equal(r.code, 0, r.err);
  assert.equal((JSON.parse(r.out) as { records: { size: number }[] }).records[0]!.size, gccSize(dir, FLAGS));
});

test('dropDuplicateDirs: -I of a builtin directory, repeats within a chain, -isystem before builtin', () => {
  const out = dropDuplicateDirs({
    quote: ['/q', '/usr/include/', '/q'],
    angled: ['/usr/include', '/a', '/a/', '/s'],
    system: ['/s', '/usr/local/include'],
    builtin: ['/usr/local/include', '/usr/include'],
    after: ['/usr/include', '/z'],
  });
  assert.deepEqual(out, {
    quote: ['/q'],
    angled: ['/a'],
    system: ['/s', '/usr/local/include'],
    builtin: ['/usr/include'],
    after: ['/z'],
  });
});
