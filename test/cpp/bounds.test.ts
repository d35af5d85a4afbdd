// Hostile preprocessor input (issue 23's reproductions) run through the command line with a 1 GB
// heap: each ends in a located error or the right answer, never in V8's heap limit or a stack
// trace. No timing is asserted (the machine is shared); the child is killed after a generous bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'layoutof-cpp-bounds-'));

function run(name: string, text: string | Buffer): { code: number | null; out: string; err: string } {
  const p = join(dir, name);
  writeFileSync(p, text);
  const r = spawnSync(
    process.execPath,
    ['--max-old-space-size=1024', '--import', 'tsx', 'src/cli/run.ts', '--no-cache', p],
    {
      encoding: 'utf8',
      timeout: 180_000,
      maxBuffer: 64 << 20,
    },
  );
  assert.equal(r.signal, null, `${name}: killed by ${r.signal}\n${r.stderr.slice(0, 2000)}`);
  assert.doesNotMatch(r.stderr, /heap limit|^\s+at /m, `${name}: ${r.stderr.slice(0, 2000)}`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** `#define X0 x`, `#define Xi X(i-1) X(i-1)`: X(levels) is 2^levels tokens. */
function doubling(levels: number): string {
  let s = '#define X0 x\n';
  for (let i = 1; i <= levels; i++) s += `#define X${i} X${i - 1} X${i - 1}\n`;
  return s;
}

const LOCATED = (line: number) =>
  new RegExp(
    `:${line}:\\d+: error: macro expansion (produced more than \\d+ tokens|of more than \\d+ tokens at once); giving up`,
  );

test('an object-like doubling chain ends in a located error', () => {
  const r = run('doubling.c', doubling(24) + 'struct s { int a[X24]; };\n');
  assert.equal(r.code, 1);
  assert.match(r.err, LOCATED(26));
});

test('a doubling chain in #if ends in a located error', () => {
  const r = run('doubling-if.c', doubling(22) + '#if X22\n#endif\nstruct s { int a; };\n');
  assert.equal(r.code, 1);
  assert.match(r.err, LOCATED(24));
});

test('nested function-like macros B(B(1)) end in a located error, also in #if and under #', () => {
  const defs = '#define A(x) x x x x x x x x x x\n#define B(x) A(A(A(A(A(x)))))\n';
  const arr = run('nested.c', defs + 'struct s { int a[B(B(1))]; };\n');
  assert.equal(arr.code, 1);
  assert.match(arr.err, LOCATED(3));
  const cond = run('nested-if.c', defs + '#if B(B(1))\n#endif\n');
  assert.match(cond.err, LOCATED(3));
  const str = run('nested-str.c', defs + '#define S(x) #x\n#define XS(x) S(x)\nchar c[sizeof XS(B(B(1)))];\n');
  assert.match(str.err, LOCATED(5));
});

test('pasting or stringizing again and again (a spelling doubled each time) ends in a located error', () => {
  const nest = (f: string, n: number) => `${f}(`.repeat(n) + 'x' + ')'.repeat(n);
  const paste = run('paste.c', `#define P(a) a##a\n#define Q(a) P(a)\nint ${nest('Q', 40)};\n`);
  assert.match(
    paste.err,
    /paste\.c:3:\d+: error: macro expansion makes a token of more than \d+ characters; giving up/,
  );
  const str = run('str.c', `#define S(a) #a\n#define T(a) S(a) S(a)\n#define U(a) T(a)\nchar *c = ${nest('U', 40)};\n`);
  assert.match(str.err, /str\.c:4:\d+: error: macro expansion makes a token of more than \d+ characters; giving up/);
});

test('long macro chains are linear: 200,000 object-like and 5,000 function-like levels', () => {
  let objs = '';
  const n = 200_000;
  for (let i = 0; i < n; i++) objs += `#define M${i} M${i + 1}\n`;
  const o = run('chain.c', objs + `#define M${n} 3\nstruct s { char a[M0]; };\n`);
  assert.equal(o.code, 0, o.err);
  assert.match(o.out, /\/\* size: 3,/);
  let fns = '';
  for (let i = 0; i < 5000; i++) fns += `#define F${i}(x) F${i + 1}(x)\n`;
  const f = run('fchain.c', fns + '#define F5000(x) x\nstruct s { char a[F0(5)]; };\n');
  assert.equal(f.code, 0, f.err);
  assert.match(f.out, /\/\* size: 5,/);
});

test('null characters are whitespace with a warning per run, as gcc reads them; a flood of them is cheap', () => {
  const small = run('nul.c', Buffer.from('struct s { int a;\0 };\n\0\0int x\0;\n', 'latin1'));
  assert.equal(small.code, 0, small.err);
  assert.deepEqual(
    small.err
      .trim()
      .split('\n')
      .map((l) => l.replace(/^.*nul\.c:/, '')),
    [
      '1:18: warning: null character(s) ignored',
      '2:1: warning: null character(s) ignored',
      '2:8: warning: null character(s) ignored',
    ],
  );
  const flood = run('flood.c', Buffer.concat([Buffer.from('struct s { int a; };\n'), Buffer.alloc(16 << 20)]));
  assert.equal(flood.code, 0, flood.err);
  assert.match(flood.out, /\/\* size: 4,/);
  assert.equal(flood.err.trim().split('\n').length, 1);
});

test('floods of tokens on one line: made a piece at a time, a directive line bounded, located errors', () => {
  const semis = run('semis.c', 'struct s { int a; };\n' + ';'.repeat(16 << 20));
  assert.match(semis.err, /semis\.c:2:\d+: error: translation unit has more than \d+ tokens; giving up/);
  const cond = run('if.c', '#if 1 ' + '+1'.repeat(3 << 20) + '\n#endif\nstruct s { int a; };\n');
  assert.equal(cond.code, 1);
  assert.match(cond.err, /if\.c:1:\d+: error: directive line of more than \d+ tokens; the rest is ignored/);
});

test('a UTF-8 byte order mark at the start of a file is skipped, as gcc does', () => {
  const r = run('bom.c', Buffer.from('\xef\xbb\xbf#define N 3\nstruct s { char a[N]; };\n', 'latin1'));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\/\* size: 3,/);
});
