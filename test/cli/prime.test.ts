// Type-feedback priming (src/cli/prime.ts) runs a synthetic unit before a --kernel or -p query: it
// must leave no trace in the answer (records, ids, diagnostics, exit code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('priming before a -p query changes nothing in its answer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-prime-'));
  mkdirSync(join(dir, 'inc'));
  writeFileSync(join(dir, 'inc/cfg.h'), '#define N 3\ntypedef struct { int q; } anon_t;\nstruct s0 { char c; long l; };\n');
  writeFileSync(join(dir, 'a.c'), '#include <cfg.h>\nstruct rec { char c[N]; anon_t a; struct s0 s; int bad y; };\nenum e { A = sizeof(struct rec) };\n');
  writeFileSync(join(dir, 'compile_commands.json'), JSON.stringify([{ directory: dir, file: 'a.c', command: 'cc -Iinc -c a.c' }]));
  const run = (prime: string) => spawnSync(join(process.cwd(), 'bin/layoutof'), ['-p', dir, '--no-cache', '--all', '--format', 'json', 'a.c'], { cwd: dir, encoding: 'utf8', env: { ...process.env, LAYOUTOF_PRIME: prime } });
  const primed = run('1');
  const plain = run('0');
  assert.equal(primed.stdout, plain.stdout);
  assert.equal(primed.stderr, plain.stderr);
  assert.equal(primed.status, plain.status);
  assert.match(primed.stderr, /a\.c:2:\d+: error/);
  assert.ok(JSON.parse(primed.stdout).records.some((r: { name: string }) => r.name === 'rec'));
});
