// The binding formats on the command line: each --format reaches its renderer, repeated --target and
// --compare-targets give c-asserts blocks, and bad values are usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'layoutof-bind-cli-'));
const header = join(dir, 'h.h');
writeFileSync(header, 'struct s { char c; long l; unsigned f : 3; };\nstruct t { int i; };\n');
function run(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync('bin/layoutof', ['--no-cache', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('c-asserts: one block per --target, or per --compare-targets target', () => {
  const r = run(['--format', 'c-asserts', '--target', 'x86_64-linux-gnu', '--target', 'i686-linux-gnu', header]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.match(/^#if defined/gm)?.length, 2);
  assert.match(r.out, /_Static_assert\(offsetof\(struct s, l\) == 8, /);
  assert.match(r.out, /_Static_assert\(offsetof\(struct s, l\) == 4, /);
  const c = run(['--format', 'c-asserts', '--compare-targets', 'aarch64,s390x', header, 't']);
  assert.equal(c.code, 0, c.err);
  assert.match(c.out, /defined\(__aarch64__\)/);
  assert.match(c.out, /defined\(__s390x__\)/);
  assert.doesNotMatch(c.out, /struct s\b/);
  const k = run(['--format', 'c-asserts', '--assert-style', 'kernel', header]);
  assert.match(k.out, /^static_assert\(sizeof\(struct s\) == 24\);$/m);
});

test('ts, ctypes and koffi reach their renderers', () => {
  assert.match(run(['--format', 'ts', header, 's']).out, /^export class s \{$/m);
  assert.match(run(['--format', 'ctypes', header]).out, /^class t\(_Structure\):$/m);
  assert.match(
    run(['--format', 'koffi', header]).out,
    /^export const s = koffi\.struct\("s", \{ _bytes: koffi\.array\('uint64_t', 3\) \}\);$/m,
  );
  // A later --format wins.
  assert.match(run(['--format', 'ts', '--format', 'json', header]).out, /^\{/);
});

test('usage errors: unknown format or assert style, --decode without one NAME', () => {
  const f = run(['--format', 'rust', header]);
  assert.equal(f.code, 2);
  assert.match(
    f.err,
    /unknown format 'rust' \(text, markdown, json, svg, html, c-asserts, ts, ctypes, koffi, pahole; c with --reorganize\)/,
  );
  assert.equal(run(['--format', 'c-asserts', '--assert-style', 'linux', header]).code, 2);
  assert.equal(run(['--decode', header, header, 's', 't']).code, 2);
  const two = run(['--format', 'ts', '--target', 'x86_64', '--target', 's390x', header]);
  assert.equal(two.code, 2);
  assert.match(two.err, /--format ts is for one target/);
  assert.match(run(['--help']).out, /--check BASELINE\.json/);
});
