// The command line end to end: formats, NAME selection, exit codes, usage errors, suggestions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'layoutof-cli-'));
function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const conn = file(
  'conn.h',
  `#include <stdint.h>
struct node { struct node *next, **pprev; };
/* A connection */
struct conn {
\tstruct node list;\t/* hash chain */
\tuint16_t port;
\t/* Addresses */
\tuint32_t addr;
\tuint64_t bytes;\t/* counted */
\tunsigned int flags : 3;
\tchar tail;
};
typedef struct { char c; long l; } pair_t;
`,
);

test('text format: pahole-like lines, holes and summary', () => {
  const r = run([conn, 'conn']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^struct conn \{/);
  assert.match(r.out, /\tstruct node\s+list;\s+\/\*\s+0\s+16 \*\//);
  assert.match(r.out, /\/\* XXX 2 bytes hole: addr \(uint32_t\) needs 4-byte alignment \*\//);
  assert.match(r.out, /unsigned int\s+flags:3;\s+\/\*\s+32: 0\s+4 \*\//);
  assert.match(r.out, /\/\* size: 40, cachelines: 1, members: 6 \*\//);
  assert.match(r.out, /\tchar\s+tail;\s+\/\*\s+33\s+1 \*\//);
  assert.match(r.out, /\/\* XXX 5 bits hole: tail \(char\) needs 1-byte alignment \*\//);
  assert.match(r.out, /\/\* XXX 6 bytes of tail padding: the size is rounded to the record's 8-byte alignment, set by/);
  assert.match(r.out, /\/\* padding: 6 \*\//);
  // pahole's own text, line for line: the same lines with pahole's hole notes and no tail note.
  const pahole = run([conn, '--format', 'pahole', 'conn']);
  assert.equal(
    pahole.out,
    r.out
      .replace(/(XXX \d+ (?:bytes?|bits?) hole): .*? \*\//g, '$1, try to pack */')
      .replace(/\t\/\* XXX \d+ bytes? of tail padding: .*\n\n/, ''),
  );
});

test('json format follows the schema', () => {
  const r = run([conn, '--format', 'json', 'conn', 'pair_t']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.target, 'x86_64-linux-gnu');
  const [c, p] = j.records;
  assert.deepEqual(
    [c.name, c.kind, c.size, c.align, c.line, c.tailPadding, c.cachelines],
    ['conn', 'struct', 40, 8, 4, 6, 1],
  );
  assert.deepEqual(c.members[0], {
    name: 'list',
    type: 'struct node',
    offset: 0,
    size: 16,
    align: 8,
    comment: 'hash chain',
  });
  assert.deepEqual(c.members[2].leadingComment, 'Addresses');
  assert.deepEqual([c.members[4].bitOffset, c.members[4].bitSize, c.members[4].size], [256, 3, 4]);
  assert.deepEqual(c.holes, [{ offset: 18, size: 2, cause: 'alignment', member: 'addr', align: 4 }]);
  assert.deepEqual([p.name, p.typedef, p.size], [null, 'pair_t', 16]);
});

test('markdown format: headings, hole rows, summary', () => {
  const r = run([conn, '--format', 'markdown', 'conn']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\| Offset \| Size \| Type \| Name \| Comment \|/);
  assert.match(r.out, /\| \| \| \| \| \*\*Addresses\*\* \|/);
  assert.match(r.out, /\| 18 \| 2 \| \| \| _2-byte hole: addr \(uint32\\_t\) needs 4-byte alignment_ \|/);
  assert.match(
    r.out,
    /\| 34 \| 6 \| \| \| _6 bytes of tail padding: the size is rounded to the record's 8-byte alignment, set by/,
  );
  assert.match(r.out, /\*\*40 bytes\*\*/);
});

test('without NAME: every record of FILE itself; --all adds the headers', () => {
  const own = run([conn, '--format', 'json']);
  assert.deepEqual(
    JSON.parse(own.out).records.map((r: { name: string | null }) => r.name),
    ['node', 'conn', null],
  );
  const all = run([conn, '--format', 'json', '--all']);
  assert.ok(JSON.parse(all.out).records.length >= 3);
});

test('memory for N objects with allocator rounding and a hash table', () => {
  const r = run([
    conn,
    'conn',
    '--count',
    '1000000',
    '--object-align',
    '64',
    '--hash-buckets',
    '4096',
    '--bucket-size',
    '8',
  ]);
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.out,
    /struct conn: 1,000,000 objects × 64 bytes \(40 rounded up to 64\) = 64,000,000 bytes \(61\.0 MiB\)/,
  );
  assert.match(r.out, /hash table: 4,096 buckets × 8 bytes = 32,768 bytes/);
});

test('exit codes and messages: unknown NAME suggests, usage errors, input errors', () => {
  const bad = run([conn, 'con']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /no struct, union or typedef named 'con'; did you mean 'conn'/);
  assert.equal(run([]).code, 2);
  assert.equal(run(['--format', 'xml', conn]).code, 2);
  assert.equal(run(['--bogus']).code, 2);
  assert.equal(run([join(dir, 'missing.h')]).code, 1);
  const broken = file('broken.h', 'struct a { int x; };\nstruct b { nonsense_t y; int z; };\n');
  const r = run([broken]);
  assert.equal(r.code, 1);
  assert.match(r.err, /broken\.h:2:12: error: unknown type name 'nonsense_t'/);
  assert.match(r.out, /struct a \{/);
  assert.match(run(['--help']).out, /Usage: layoutof/);
  assert.match(run(['--version']).out, /^layoutof \d/);
});

test('no color on pipes; NO_COLOR respected', () => {
  const r = run([conn, 'conn'], { NO_COLOR: '1' });
  assert.doesNotMatch(r.out, /\x1b\[/);
});

test("--list-targets and --compare-targets: a porter's side-by-side view", () => {
  const list = run(['--list-targets']);
  for (const t of [
    'x86_64-linux-gnu',
    'i686-linux-gnu',
    'aarch64-linux-gnu',
    'arm-linux-gnueabihf',
    'riscv64-linux-gnu',
    'powerpc64le-linux-gnu',
    's390x-linux-gnu',
    'x86_64-windows-msvc',
  ]) {
    assert.match(list.out, new RegExp(`^${t} `, 'm'));
  }
  const src = file('port.h', 'struct msg { char tag; long id; void *p; unsigned flags : 3; };\n');
  const r = run(['--compare-targets', 'x86_64-linux-gnu,i686-linux-gnu,x86_64-windows-msvc', '-nostdinc', src, 'msg']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^\* id\s+long\s+8 \+8\s+4 \+4\s+4 \+4$/m);
  assert.match(r.out, /^  tag\s+char\s+0 \+1\s+0 \+1\s+0 \+1$/m);
  assert.match(r.out, /^  \(size\)\s+32\s+16\s+24$/m);
  const j = JSON.parse(
    run(['--compare-targets', 'x86_64-linux-gnu,s390x-linux-gnu', '--format', 'json', '-nostdinc', src, 'msg']).out,
  );
  assert.deepEqual(j.members.find((m: { path: string }) => m.path === 'flags').cells, [
    { offset: 24, size: 4, bitOffset: 192, bitSize: 3 },
    { offset: 24, size: 4, bitOffset: 192, bitSize: 3 },
  ]);
  assert.equal(run(['--compare-targets', 'x86_64-linux-gnu,vax', src, 'msg']).code, 2);
});

test('--diff A B: moved, added and removed members, holes, records only on one side; unknown NAME', () => {
  const a = file(
    'diff-a.h',
    'struct s { char a; int b; char c; long d; };\nstruct t { int x; };\nstruct gone { int y; };\n',
  );
  const b = file(
    'diff-b.h',
    'struct s { char a; char c; int b; long d; short e; };\nstruct t { int x; };\nstruct newer { int y; };\n',
  );
  const r = run(['--diff', a, b]);
  assert.equal(r.code, 1, r.err); // different, as diff(1) says it
  assert.match(r.out, /struct s: size 24 -> 24/);
  assert.match(r.out, /~ c moved: 8 \(1\) -> 1 \(1\)/);
  assert.match(r.out, /\+ e at 16 \(2\)/);
  assert.match(r.out, /- hole of 7 at 9 closed/);
  assert.match(r.out, /~ tail padding 0 -> 6/);
  assert.match(r.out, /only in .*diff-a\.h: 1 \(struct gone\)/);
  assert.match(r.out, /1 changed, 1 identical/);
  const j = JSON.parse(run(['--diff', a, b, 's', '--format', 'json']).out);
  assert.equal(j.changed.length, 1);
  assert.deepEqual(
    j.changed[0].changes.map((c: { path: string; kind: string }) => `${c.kind} ${c.path}`),
    ['moved c', 'moved d', 'added e'],
  );
  const md = run(['--diff', a, b, '--format', 'markdown']).out;
  assert.match(md, /### `struct s`: 24 → 24 bytes/);
  assert.match(md, /\| `e` \| added \| {2}\| 16 \(2\) \|/);
  assert.match(md, /Only after: `struct newer`\./);
  const bad = run(['--diff', a, b, 'ss']);
  assert.equal(bad.code, 2); // trouble
  assert.match(bad.err, /did you mean 's'/);
  assert.equal(run(['--diff', a]).code, 2);
});

test('--comments and --expand in the text view; unions get their size line', () => {
  const r = run([conn, '--comments', '--expand', 'conn']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\t\/\* Addresses \*\/\n\tuint32_t\s+addr;/);
  assert.match(r.out, /list;\s+\/\*\s+0\s+16 \*\/ \/\/ hash chain/);
  assert.match(
    r.out,
    /\tstruct node \{\n\t\tstruct node \*\s+next;\s+\/\*\s+0\s+8 \*\/\n\t\tstruct node \*\*\s+pprev;\s+\/\*\s+8\s+8 \*\/\n\t\} list;\s+\/\*\s+0\s+16 \*\//,
  );
  const t = run([conn, 'pair_t']);
  assert.match(t.out, /^typedef struct \{\n[\s\S]*\n\} pair_t;\n$/);
  const u = file('u.h', 'union u { char c; long l; struct { int a, b; } s; };\n');
  const ru = run([u, 'u']);
  assert.equal(ru.code, 0, ru.err);
  assert.match(ru.out, /^union u \{\n\tchar\s+c;\s+\/\*\s+0\s+1 \*\//);
  assert.match(ru.out, /\/\* size: 8, cachelines: 1, members: 3 \*\//);
});
