// Type-feedback priming (src/cli/prime.ts) runs a synthetic unit before a --kernel or -p query: it
// must leave no trace in the answer (records, ids, diagnostics, exit code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPrimer } from '../../src/cli/prime.js';
import { DEFAULT_TARGET } from '../../src/target/target.js';

test('priming before a -p query changes nothing in its answer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-prime-'));
  mkdirSync(join(dir, 'inc'));
  writeFileSync(
    join(dir, 'inc/cfg.h'),
    '#define N 3\ntypedef struct { int q; } anon_t;\nstruct s0 { char c; long l; };\n',
  );
  writeFileSync(
    join(dir, 'a.c'),
    '#include <cfg.h>\nstruct rec { char c[N]; anon_t a; struct s0 s; int bad y; };\nenum e { A = sizeof(struct rec) };\n',
  );
  writeFileSync(
    join(dir, 'compile_commands.json'),
    JSON.stringify([{ directory: dir, file: 'a.c', command: 'cc -Iinc -c a.c' }]),
  );
  const run = (prime: string) =>
    spawnSync(join(process.cwd(), 'bin/layoutof'), ['-p', dir, '--no-cache', '--all', '--format', 'json', 'a.c'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, LAYOUTOF_PRIME: prime },
    });
  const primed = run('1');
  const plain = run('0');
  assert.equal(primed.stdout, plain.stdout);
  assert.equal(primed.stderr, plain.stderr);
  assert.equal(primed.status, plain.status);
  assert.match(primed.stderr, /a\.c:2:\d+: error/);
  assert.ok(JSON.parse(primed.stdout).records.some((r: { name: string }) => r.name === 'rec'));
});

test('the primer parses to its end, with only the errors it means to have', () => {
  const res = runPrimer(DEFAULT_TARGET);
  const names = res.records.map((r) => r.name);
  // Every pass's structs, the file-scope section's last (m2) included.
  for (const n of ['s0', 'm0', 's1', 'm1', 's2', 'm2']) assert.ok(names.includes(n), `primer record ${n}`);
  const errors = res.diagnostics.list.filter((d) => d.severity === 'error').map((d) => d.message);
  // a.h ends inside its guard, and the unit ends in a declaration without its ';'.
  assert.deepEqual(errors.sort(), ["expected ';' before 'end of input'", 'unterminated conditional directive']);
});
