// Options and messages that say what to do: target short names, the closest spelling of an unknown
// option, --color, -V, NAMEs printed beside an unknown one, an empty file, a cap on repeated errors,
// Debian's -common kernel tree, a header name not found, and a closed stdout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTarget, TARGETS } from '../../src/target/target.js';
import { haveTool } from '../support/gcc-truth.js';
import { findKernelHeaders } from '../support/kernel.js';

const dir = mkdtempSync(join(tmpdir(), 'layoutof-opt-'));
function run(args: string[], env: { [k: string]: string } = {}) {
  const r = spawnSync(process.execPath, ['dist/cli/run.js', '--no-cache', ...args], {
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
const src = file('s.h', 'struct s { char c; long l; };\nstruct t { int x; };\n');

test('--target takes the short names people type, each the triple it means', () => {
  const expect: [string, string][] = [
    ['arm64', 'aarch64-linux-gnu'],
    ['aarch64', 'aarch64-linux-gnu'],
    ['i386', 'i686-linux-gnu'],
    ['i686', 'i686-linux-gnu'],
    ['x86_64', 'x86_64-linux-gnu'],
    ['amd64', 'x86_64-linux-gnu'],
    ['armhf', 'arm-linux-gnueabihf'],
    ['arm', 'arm-linux-gnueabihf'],
    ['ppc64le', 'powerpc64le-linux-gnu'],
    ['powerpc64le', 'powerpc64le-linux-gnu'],
    ['ppc64el', 'powerpc64le-linux-gnu'],
    ['riscv64', 'riscv64-linux-gnu'],
    ['s390x', 's390x-linux-gnu'],
    ['win64', 'x86_64-windows-msvc'],
    ['msvc', 'x86_64-windows-msvc'],
    ['ARM64', 'aarch64-linux-gnu'],
    ['X86_64-Linux-GNU', 'x86_64-linux-gnu'],
  ];
  for (const [alias, triple] of expect) assert.equal(findTarget(alias)?.triple, triple, alias);
  for (const t of TARGETS) assert.equal(findTarget(t.triple), t);
  // Names that would pick one of several ABIs are refused, not guessed.
  for (const n of ['x86', 'powerpc', 'windows', 'arm-linux-gnueabi']) assert.equal(findTarget(n), undefined, n);
  const r = run(['--target', 'arm64', '--format', 'json', '-nostdinc', src, 's']);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).target, 'aarch64-linux-gnu');
  const bad = run(['--target', 'arm46', src]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown target 'arm46'; did you mean .*'arm64'/);
});

test('an unknown option gets the closest spelling', () => {
  const r = run(['--formt', 'json', src]);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown option '--formt'; did you mean '--format'\?/);
  assert.match(run(['--cachline=32', src]).err, /did you mean '--cacheline'/);
  assert.doesNotMatch(run(['--zzzzzzzz', src]).err, /did you mean/);
  const flag = run(['--diff=' + src, src, src]);
  assert.equal(flag.code, 2);
  assert.match(flag.err, /option '--diff' takes no value/);
});

test('--color=auto|always|never; -V', () => {
  const always = run(['--color=always', src, 's']);
  assert.equal(always.code, 0, always.err);
  assert.match(always.out, /\x1b\[/);
  // An explicit --color=always wins over NO_COLOR; --color alone is always, as GNU's.
  assert.match(run(['--color=always', src, 's'], { NO_COLOR: '1' }).out, /\x1b\[/);
  assert.match(run(['--color', src, 's']).out, /\x1b\[/);
  assert.doesNotMatch(run(['--color=never', src, 's']).out, /\x1b\[/);
  assert.doesNotMatch(run(['--color=auto', src, 's']).out, /\x1b\[/); // (not a terminal)
  const bad = run(['--color=sometimes', src]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /'--color' takes auto, always or never, not 'sometimes'/);
  const v = run(['-V']);
  assert.equal(v.code, 0);
  assert.match(v.out, /^layoutof \d+\.\d+/);
});

test('valid NAMEs are printed when one is unknown (exit 1, with the suggestion)', () => {
  const r = run([src, 's', 'tt', 't']);
  assert.equal(r.code, 1);
  assert.match(r.out, /^struct s \{/);
  assert.match(r.out, /struct t \{/);
  assert.match(r.err, /no struct, union or typedef named 'tt'; did you mean 't'/);
});

test('a NAME that is a typedef of no record says what it is, and the record it leads to', () => {
  const t = file('t.h', 'typedef struct s { int a; } s_t, *s_p;\ntypedef int myint;\ntypedef const s_t *table_t[3];\n');
  const r = run([t, 's_p', 'myint', 'table_t', 's_t']);
  assert.equal(r.code, 1);
  assert.match(r.out, /^struct s \{/);
  assert.equal(
    r.err,
    "layoutof: error: 's_p' is a typedef of 'struct s *', not of a struct or union; ask for 's'\n" +
      "layoutof: error: 'myint' is a typedef of 'int', not of a struct or union\n" +
      "layoutof: error: 'table_t' is a typedef of 'const s_t *[3]', not of a struct or union; ask for 's'\n",
  );
});

test('an empty file, or one without records: a note on stderr, exit 0 (gcc accepts it)', () => {
  const r = run([file('empty.h', '')]);
  assert.deepEqual([r.code, r.out], [0, '']);
  assert.match(r.err, /^layoutof: note: no struct or union defined in .*empty\.h\n$/);
  const f = run([file('func.h', 'int f(void);\nenum e { A };\n')]);
  assert.equal(f.code, 0);
  assert.match(f.err, /no struct or union defined/);
});

test('repeated errors stop after 20 with "too many errors"', () => {
  let text = '';
  for (let i = 0; i < 60; i++) text += `t${i} x${i};\n`;
  const r = run([file('many.h', text)]);
  assert.equal(r.code, 1);
  assert.equal(r.err.match(/error:/g)?.length, 20);
  assert.match(r.err, /layoutof: note: too many errors \(more than 20\): 40 more diagnostics not shown\n$/);
  const j = JSON.parse(run(['--format', 'json', join(dir, 'many.h')]).out);
  assert.equal(j.diagnostics.length, 21);
  assert.deepEqual(j.diagnostics[20], {
    severity: 'note',
    message: 'too many errors (more than 20): 40 more diagnostics not shown',
    text: 'layoutof: note: too many errors (more than 20): 40 more diagnostics not shown',
  });
});

const headers = findKernelHeaders();
const common = headers?.replace(/-amd64$/, '-common');
test(
  "--kernel on Debian's -common tree points to the configured tree beside it",
  { skip: (!common || !existsSync(common)) && 'no -common tree' },
  () => {
    const r = run(['--kernel', common!, 'linux/types.h']);
    assert.equal(r.code, 1);
    assert.match(r.err, /architecture-independent half .* --kernel \S+-amd64/);
    assert.doesNotMatch(r.err, /defconfig/);
  },
);

test(
  'a header name not found under --kernel lists the directories searched',
  { skip: !headers && 'no linux-headers' },
  () => {
    const r = run(['--kernel', headers!, 'net/nope.h']);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /layoutof: error: net\/nope\.h: No such file or directory \(looked for as a header name in: \., \S+\/arch\/x86\/include, /,
    );
    assert.ok(readdirSync('/usr/src').length > 0);
  },
);

test('FILE that is a directory or a device says so', () => {
  assert.match(run([dir]).err, /error: .*: Is a directory/);
  assert.match(run(['/dev/null']).err, /error: \/dev\/null: not a regular file/);
});

test('output to a closed stdout exits 141, cached or not', { skip: !haveTool('gcc') && 'gcc not installed' }, () => {
  const c = file('obj.c', 'struct rec { char c; long l; } *use;\n');
  const obj = join(dir, 'obj.o');
  assert.equal(spawnSync('gcc', ['-g', '-c', '-o', obj, c]).status, 0);
  // (A binary's answer is cached: the first run fills the cache, the second closed run would use it.)
  const closed = (args: string[]) =>
    spawnSync('sh', ['-c', 'exec "$@" >&-', 'sh', 'bin/layoutof', ...args], { encoding: 'utf8' });
  assert.equal(spawnSync('bin/layoutof', [obj, 'rec'], { encoding: 'utf8' }).status, 0);
  for (const args of [
    [obj, 'rec'],
    ['--no-cache', src],
  ]) {
    const r = closed(args);
    assert.equal(r.status, 141, args.join(' '));
    assert.match(r.stderr, /standard output is closed/);
  }
});

test('a number past 2^53 is refused where it cannot be exact, not rounded', () => {
  // (--count and the other memory options are exact at any magnitude: test/analyze/magnitude.test.ts.)
  const r = run([src, 's', '--cacheline', '9007199254740993']);
  assert.equal(r.code, 2);
  assert.match(r.err, /option '--cacheline' takes a whole number up to 9007199254740991, not '9007199254740993'/);
});

test('--count is exact past 2^53 (text digits; JSON decimal strings)', () => {
  // struct s is 16 bytes: 16 × (2^53 - 1) = 144115188075855856, which a double rounds to ...860.
  const r = run([
    src,
    's',
    '--count',
    '9007199254740991',
    '--hash-buckets',
    '9007199254740991',
    '--bucket-size',
    '1024',
  ]);
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.out,
    /struct s: 9,007,199,254,740,991 objects × 16 bytes = 144,115,188,075,855,856 bytes \(128\.0 PiB\)/,
  );
  assert.match(
    r.out,
    /hash table: 9,007,199,254,740,991 buckets × 1024 bytes = 9,223,372,036,854,774,784 bytes \(8\.0 EiB\)/,
  );
  assert.match(r.out, /total: 9,367,487,224,930,630,640 bytes/);
  const j = JSON.parse(run([src, 's', '--count', '9007199254740991', '--format', 'json']).out);
  assert.deepEqual(
    [j.memory[0].count, j.memory[0].objects, j.memory[0].total],
    [9007199254740991, '144115188075855856', '144115188075855856'],
  );
});

test('a header not found: the directories #include searched, once', () => {
  const inc = file('inc.c', '#include <nope/x.h>\n#include "y.h"\nstruct s { int a; };\n');
  const r = run([inc, '-I', '/opt/extra', '-iquote', 'q', '-isystem', '/opt/sys']);
  assert.equal(r.code, 1);
  assert.match(
    r.err,
    /inc\.c:1:2: error: nope\/x\.h: No such file or directory\nlayoutof: note: #include <\.\.\.> searched: \/opt\/extra, \/opt\/sys, [^;]*\/usr\/include; #include "\.\.\." searched the including file's directory, q first\n\S*inc\.c:2:2: error: y\.h/,
  );
  assert.equal(r.err.match(/searched/g)?.length, 2);
  const none = run(['-nostdinc', inc]);
  assert.match(none.err, /#include <\.\.\.> searched: \(no directories\)/);
});

test('errors found while laying a record out are reported, in every mode', () => {
  // Records are laid out when first asked for: after the preprocessor's and parser's diagnostics.
  const nope = file('nope.h', 'struct s { struct nope a[3]; };\n');
  const other = file('other.h', 'struct s { int a; };\n');
  for (const args of [
    [nope],
    [nope, 's'],
    ['--compare-targets', 'i386,arm64', nope, 's'],
    ['--diff', nope, other, 's'],
    ['--format', 'json', nope],
  ]) {
    const r = run(args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.err, /error: .*struct nope/, args.join(' '));
  }
});
