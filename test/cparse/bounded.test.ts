// Hostile declarations end in a located error, in bounded time and memory (issue 23): the built CLI
// runs under a heap limit and a timeout, so a loop that never ends fails here instead of hanging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { formatDiagnostic } from '../../src/core/diag.js';

const dir = mkdtempSync(join(tmpdir(), 'layoutof-bounded-'));

/** The built CLI on `text` with a 256 MB heap and 20 s: its exit code and stderr. */
function cli(text: string, args: string[] = []) {
  const p = join(dir, 'in.h');
  writeFileSync(p, text);
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', 'dist/cli/run.js', '--no-cache', ...args, p], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, LAYOUTOF_DEBUG: '' },
  });
  return { code: r.status, signal: r.signal, err: r.stderr.replaceAll(p, 'in.h') };
}

function errors(src: string): string[] {
  const r = analyzeSourceText(src);
  return r.diagnostics.list.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, r.sources));
}

test('an unterminated __attribute__(( is a located error, not a hang', () => {
  const cases: [string, string][] = [
    ['__attribute__((', "in.h:1:16: error: expected ')' before 'end of input'"],
    ['struct s { int a; } __attribute__((', "in.h:1:36: error: expected ')' before 'end of input'"],
    ['struct s { int a __attribute__((aligned(', "in.h:1:41: error: expected ')' before 'end of input'"],
    ['int x __attribute__((packed,', "in.h:1:29: error: expected ')' before 'end of input'"],
  ];
  for (const [src, first] of cases) {
    const r = cli(src);
    assert.equal(r.signal, null, `${src}: killed (${r.signal})`);
    assert.equal(r.code, 1, `${src}: ${r.err}`);
    assert.equal(r.err.split('\n')[0], first);
    assert.doesNotMatch(r.err, /\n\s+at |heap limit/);
  }
});

const kernel = existsSync('/usr/src')
  ? readdirSync('/usr/src')
      .filter((d) => /^linux-headers-.*-amd64$/.test(d))
      .map((d) => join('/usr/src', d))
      .pop()
  : undefined;
test(
  'an unterminated __attribute__(( after kernel headers, through --kernel',
  { skip: !kernel && 'no linux-headers-*-amd64' },
  () => {
    const r = cli('#include <linux/types.h>\nstruct s { int a; } __attribute__((', ['--kernel', kernel!]);
    assert.equal(r.signal, null);
    assert.equal(r.code, 1, r.err);
    assert.equal(r.err.split('\n')[0], "in.h:2:36: error: expected ')' before 'end of input'");
  },
);

test('every way of nesting without bound is reported as nesting, at its place', () => {
  const n = 20_000;
  const deep: [string, string, RegExp][] = [
    ['unary minus', `char a[${'-'.repeat(n)}1];`, /expression nested too deeply/],
    ['casts', `char a[${'(int)'.repeat(n)}1];`, /expression nested too deeply/],
    ['parentheses', `char a[${'('.repeat(n)}1${')'.repeat(n)}];`, /expression nested too deeply/],
    ['assignments', `char a[${'x='.repeat(n)}1];`, /expression nested too deeply/],
    ['conditionals', `char a[${'1?1:'.repeat(n)}1];`, /expression nested too deeply/],
    ['increments', `char a[sizeof(${'++'.repeat(n)}x)];`, /expression nested too deeply/],
    ['sizeof', `char a[${'sizeof '.repeat(n)}1];`, /expression nested too deeply/],
    ['typeof', `typedef ${'typeof('.repeat(n)}int${')'.repeat(n)} t;`, /declaration nested too deeply/],
    ['_Atomic', `typedef ${'_Atomic('.repeat(n)}int${')'.repeat(n)} t;`, /declaration nested too deeply/],
    ['declarator parentheses', `int ${'('.repeat(n)}x${')'.repeat(n)};`, /declaration nested too deeply/],
    ['array suffixes', `struct s { int x${'[1]'.repeat(n)}; };`, /declaration nested too deeply/],
    ['function suffixes', `int x${'(void)'.repeat(n)};`, /declaration nested too deeply/],
    ['records', `struct s { ${'struct { '.repeat(n)}int x;${'} y;'.repeat(n)} };`, /declaration nested too deeply/],
  ];
  for (const [what, src, re] of deep) {
    const errs = errors(src);
    assert.match(errs[0] ?? '', /^\/input\.c:1:\d+: error: /, what);
    assert.match(errs[0]!, re, what);
  }
});

test('deep nesting through the CLI: a located error, no stack trace', () => {
  const r = cli(`struct s { int x${'[1]'.repeat(100_000)}; };`);
  assert.equal(r.signal, null);
  assert.equal(r.code, 1);
  assert.match(r.err, /^in\.h:1:\d+: error: declaration nested too deeply/);
  assert.doesNotMatch(r.err, /\n\s+at /);
});

test('a flood of tokens with no ; is cut off with a located error, the record before it kept', () => {
  // 16 MB of '@' after a struct: one "declaration" the parser would otherwise hold whole (1.3 GB).
  const p = join(dir, 'flood.h');
  writeFileSync(p, 'struct s { int a; } ' + '@'.repeat(16_000_000));
  const r = spawnSync(process.execPath, ['--max-old-space-size=1024', 'dist/cli/run.js', '--no-cache', p], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.signal, null, `killed (${r.signal})`);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /flood\.h:1:\d+: error: declaration too long: more than 4194304 tokens/);
  assert.match(r.stdout, /^struct s \{\n\tint +a;/);
});
