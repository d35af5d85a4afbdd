// --check BASELINE.json end to end (the built CLI): an unchanged input passes, each kind of change is
// listed and exits 1, a baseline of several targets is checked on each, trouble exits 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'layoutof-check-'));
function run(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync('bin/layoutof', ['--no-cache', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const ORIGINAL = `struct msg { unsigned short kind; unsigned short len; unsigned int seq; unsigned char flags : 3; unsigned char prio : 2; long stamp; };
typedef struct { int a; char b; } pair_t;
struct other { char c; };
`;
const header = file('msg.h', ORIGINAL);
const baseline = (targets: string[], name = 'base.json'): string =>
  file(name, targets.map((t) => run(['--target', t, '--format', 'json', header]).out).join(''));
const base = baseline(['x86_64-linux-gnu', 's390x-linux-gnu', 'i686-linux-gnu']);

test('an unchanged input passes on every target of the baseline', () => {
  const r = run(['--check', base, header]);
  assert.equal(r.code, 0, r.err + r.out);
  assert.match(r.out, /^x86_64-linux-gnu: 3 records unchanged$/m);
  assert.match(r.out, /^s390x-linux-gnu: 3 records unchanged$/m);
  assert.match(r.out, /^i686-linux-gnu: 3 records unchanged$/m);
  assert.match(r.out, /layouts unchanged\n$/);
});

const cases: [string, (s: string) => string, RegExp[]][] = [
  [
    'moved',
    (s) => s.replace('unsigned short kind; unsigned short len;', 'unsigned short len; unsigned short kind;'),
    [/~ kind moved: 0 \(2\) -> 2 \(2\)/, /~ len moved: 2 \(2\) -> 0 \(2\)/],
  ],
  ['resized', (s) => s.replace('unsigned int seq;', 'unsigned short seq;'), [/~ seq resized: 4 \(4\) -> 4 \(2\)/]],
  [
    'size and added',
    (s) => s.replace('long stamp;', 'long stamp; int extra;'),
    [/struct msg: size 24 -> 32 \(\+8\)/, /\+ extra at 24 \(4\)/],
  ],
  ['removed', (s) => s.replace('unsigned char prio : 2;', ''), [/- prio was at 8:3 \(1\)/]],
  [
    'bitfield moved',
    (s) => s.replace('flags : 3; unsigned char prio : 2', 'flags : 4; unsigned char prio : 2'),
    [/~ prio moved: 8:3 \(1\) -> 8:4 \(1\)/],
  ],
  [
    'alignment',
    (s) =>
      s.replace('typedef struct { int a; char b; }', 'typedef struct { int a; char b; } __attribute__((aligned(8)))'),
    [/pair_t: alignment 4 -> 8/],
  ],
  [
    'record gone',
    (s) => s.replace('struct other { char c; };', ''),
    [/only in .*base\.json \(x86_64-linux-gnu\): 1 \(struct other\)/],
  ],
];
for (const [what, edit, expect] of cases) {
  test(`a change is reported and exits 1: ${what}`, () => {
    const changed = file(`changed-${what.replace(/\W/g, '')}.h`, edit(ORIGINAL));
    const r = run(['--check', base, changed]);
    assert.equal(r.code, 1, r.err + r.out);
    for (const e of expect) assert.match(r.out, e);
    assert.match(r.out, /layouts changed\n$/);
  });
}

test('--check-only and NAMEs limit the check; JSON output says whether it passed', () => {
  const changed = file('only.h', ORIGINAL.replace('unsigned int seq;', 'unsigned short seq;'));
  assert.equal(run(['--check', base, '--check-only', 'pair_t,other', changed]).code, 0);
  assert.equal(run(['--check', base, changed, 'pair_t']).code, 0);
  const r = run(['--check', base, '--check-only', 'msg', '--format', 'json', changed]);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out);
  assert.equal(j.passed, false);
  assert.equal(j.results.length, 3);
  assert.equal(j.results[0].changed[0].changes[0].path, 'seq');
});

test('a baseline written as one JSON array is read too', () => {
  const arr = file('arr.json', JSON.stringify([JSON.parse(run(['--format', 'json', header]).out)]));
  assert.equal(run(['--check', arr, header]).code, 0);
});

test('trouble exits 2: unreadable, truncated or foreign baselines, unknown targets, missing input', () => {
  assert.equal(run(['--check', join(dir, 'nope.json'), header]).code, 2);
  const cut = run(['--check', file('cut.json', '{"target": "x86_64-linux-gnu", "records": ['), header]);
  assert.equal(cut.code, 2);
  assert.match(cut.err, /cut short/);
  assert.doesNotMatch(cut.err, /at .*\.js:\d+/);
  assert.equal(run(['--check', file('foreign.json', '{"a": 1}'), header]).code, 2);
  assert.equal(run(['--check', file('tgt.json', '{"target": "vax-bsd", "records": []}'), header]).code, 2);
  assert.equal(
    run([
      '--check',
      file('badrec.json', '{"target": "x86_64-linux-gnu", "records": [{"kind": "struct", "size": "x"}]}'),
      header,
    ]).code,
    2,
  );
  assert.equal(run(['--check', base, join(dir, 'missing.h')]).code, 2);
});

test('a DWARF object checked against a source baseline: tagged and typedef-only records compare', () => {
  const obj = join(dir, 'msg.o');
  const use = file('use.c', `#include "${header}"\nstruct msg m; pair_t p; struct other o;\n`);
  const cc = spawnSync('gcc', ['-g', '-c', use, '-o', obj], { encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr);
  const one = baseline(['x86_64-linux-gnu'], 'one.json');
  assert.equal(run(['--check', one, '--check-only', 'msg,other', obj]).code, 0);
  // (The DWARF reader names an anonymous record by its typedef, as pahole -C does.)
  const r = run(['--check', one, obj]);
  assert.equal(r.code, 0, r.err);
});
