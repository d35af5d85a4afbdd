// Every entry runs inside the error handler: a kernel tree or compilation database that cannot be
// used is an error with its message wherever it is read (FILE, --diff, --compare-targets, --source),
// a malformed compile_commands.json says what is wrong with it, and what remains (a bug) is reported
// as an internal error, exit 70, with its stack only under LAYOUTOF_DEBUG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceCli, TSX as tsx } from '../support/source-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'layoutof-errors-'));
const run = (args: string[], env: Record<string, string> = {}) =>
  sourceCli(['--no-cache', ...args], { cwd: dir, env: { ...process.env, ...env } });
writeFileSync(join(dir, 'i.h'), 'struct s { int a; };\n');
const noTrace = (err: string) => assert.doesNotMatch(err, /^\s+at /m, 'no stack trace');

test('a kernel tree or compilation database that cannot be used is an error on every path, not an internal one', () => {
  for (const args of [
    ['--kernel', '/nonexistent', '--diff', 'i.h', 'i.h'],
    ['-p', '/nonexistent', '--compare-targets', 'x86_64-linux-gnu,aarch64-linux-gnu', 'i.h', 's'],
    ['-p', '/nonexistent', 'i.h'],
  ]) {
    const r = run(args);
    // (--diff exits as diff(1) does: 2 for trouble.)
    assert.equal(r.code, args.includes('--diff') ? 2 : 1, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, /^layoutof: error: \/nonexistent: /, args.join(' '));
    assert.doesNotMatch(r.err, /internal error/);
    noTrace(r.err);
  }
});

test(
  '--source with a context that cannot be built is an error',
  { skip: spawnSync('gcc', ['--version']).status !== 0 && 'gcc not installed' },
  () => {
    writeFileSync(join(dir, 'o.c'), 'struct q { int a; } v;\n');
    assert.equal(spawnSync('gcc', ['-g', '-c', '-o', join(dir, 'o.o'), join(dir, 'o.c')]).status, 0);
    const r = run(['--source', 'i.h', '-p', '/nonexistent', 'o.o']);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /^layoutof: error: \/nonexistent: No such file or directory/);
  },
);

test('compile_commands.json of the wrong shape is reported, entry and field named', () => {
  const cases: [unknown, RegExp][] = [
    [[{ directory: '.', file: 5, command: 'cc -c i.h' }], /entry 1: "file" must be a string, not a number/],
    [[{ directory: 5, file: 'i.h', command: 'cc -c i.h' }], /entry 1: "directory" must be a string, not a number/],
    [
      [{ directory: '.', file: 'i.h', arguments: ['gcc', null] }],
      /entry 1: "arguments"\[1\] must be a string, not null/,
    ],
    [
      [{ directory: '.', file: 'i.h', arguments: 'gcc -c i.h' }],
      /entry 1: "arguments" must be an array of strings, not a string/,
    ],
    [[{ directory: '.', file: 'i.h' }], /entry 1: needs "arguments" \(an array of strings\) or "command" \(a string\)/],
    [[{ directory: '.', file: 'x.c', command: 'cc' }, null], /entry 2: expected an object/],
    [{ file: 'i.h' }, /expected an array of compile commands/],
  ];
  for (const [db, want] of cases) {
    writeFileSync(join(dir, 'compile_commands.json'), JSON.stringify(db));
    const r = run(['-p', '.', 'i.h']);
    assert.equal(r.code, 1, JSON.stringify(db));
    assert.match(r.err, new RegExp(`^layoutof: error: compile_commands\\.json: ${want.source}`), JSON.stringify(db));
    noTrace(r.err);
  }
  // A well-formed one still works.
  writeFileSync(
    join(dir, 'compile_commands.json'),
    JSON.stringify([{ directory: dir, file: 'i.h', arguments: ['gcc', '-c', 'i.h'] }]),
  );
  assert.equal(run(['-p', '.', 'i.h', 's']).code, 0);
});

// A bug, provoked: stdout's write throws in the middle of a query.
function faulty(env: Record<string, string>) {
  const script = `import { main } from ${JSON.stringify(join(process.cwd(), 'src/cli/main.ts'))};
process.stdout.write = () => { throw new TypeError('boom'); };
process.exitCode = await main(['--no-cache', 'i.h']);`;
  const r = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, LAYOUTOF_DEBUG: '', ...env },
  });
  return { code: r.status, err: r.stderr };
}

test('an internal error is reported as one: exit 70, a request to report it, no stack trace', () => {
  const r = faulty({});
  assert.equal(r.code, 70);
  assert.match(
    r.err,
    /^layoutof: internal error: TypeError: boom\nlayoutof: this is a bug in layoutof: please report it, with the input that caused it/,
  );
  assert.doesNotMatch(r.err, /^layoutof: error:/m, 'not passed off as bad input');
  noTrace(r.err);
});

test('LAYOUTOF_DEBUG adds the stack trace of an internal error', () => {
  const r = faulty({ LAYOUTOF_DEBUG: '1' });
  assert.equal(r.code, 70);
  assert.match(r.err, /^layoutof: internal error: TypeError: boom\n/);
  assert.match(r.err, /^\s+at .*main\.ts/m, 'the stack, for the report');
});
