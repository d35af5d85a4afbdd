// Only regular files are read: a FIFO or a device given as FILE, -include (command line or
// compilation database), #include, -p or --btf-base is refused at once with what it is (a FIFO
// without a writer used to block forever, /dev/zero never ends), and a file that cannot be read says
// why ("Is a directory", "Permission denied"), not "No such file or directory".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceCli, TSX as tsx } from '../support/source-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'layoutof-files-'));
function run(args: string[], opts: { uid?: number } = {}) {
  // (The time limit turns a hang into a failure.)
  const r = sourceCli(['--no-cache', ...args], { cwd: dir, timeout: 30_000, ...opts });
  assert.equal(r.signal, null, `${args.join(' ')}: ended by ${r.signal} (a hang?)`);
  return r;
}
const posix = process.platform !== 'win32' && spawnSync('mkfifo', [join(dir, 'fifo')]).status === 0;
writeFileSync(join(dir, 'i.h'), 'struct s { int a; };\n');

test('FILE that is not a regular file says what it is', { skip: !posix && 'needs mkfifo' }, () => {
  for (const [file, want] of [
    ['fifo', 'fifo: not a regular file (a FIFO)'],
    ['/dev/zero', '/dev/zero: not a regular file (a character device)'],
    [tmpdir(), `${tmpdir()}: Is a directory`],
    ['nope.h', 'nope.h: No such file or directory'],
  ]) {
    const r = run([file!]);
    assert.equal(r.code, 1, file);
    assert.equal(r.err, `layoutof: error: ${want}\n`);
  }
});

test(
  'an unreadable file says Permission denied',
  {
    skip:
      (!posix && 'POSIX only') ||
      (process.getuid?.() === 0 && !existsSync(join(process.cwd(), 'dist/cli/run.js')) && 'not built'),
  },
  () => {
    const p = join(dir, 'secret.h');
    writeFileSync(p, 'struct s { int a; };\n');
    chmodSync(p, 0o000);
    // As root (CI) the mode does not stop a read: run as nobody, from a directory nobody may enter.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(p, 0, 0);
    // (tsx cannot start as nobody: the built tool runs instead.)
    const r = asRoot
      ? spawnSync(process.execPath, [join(process.cwd(), 'dist/cli/run.js'), '--no-cache', p], {
          encoding: 'utf8',
          uid: 65534,
          gid: 65534,
          timeout: 30_000,
        })
      : spawnSync(process.execPath, ['--import', tsx, join(process.cwd(), 'src/cli/run.ts'), '--no-cache', p], {
          encoding: 'utf8',
          timeout: 30_000,
        });
    assert.equal(r.stderr, `layoutof: error: ${p}: Permission denied\n`);
    assert.equal(r.status, 1);
  },
);

test('-include and #include of a FIFO or a device are refused, not read', { skip: !posix && 'needs mkfifo' }, () => {
  for (const inc of ['fifo', '/dev/zero']) {
    const r = run(['-include', inc, 'i.h', 's']);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`error: ${inc}: not a regular file \\(a (FIFO|character device)\\)`));
    assert.match(r.out, /struct s \{/, 'the rest is still analysed');
  }
  writeFileSync(join(dir, 'inc.h'), '#include "fifo"\nstruct t { int a; };\n');
  const r = run(['inc.h', 't']);
  assert.equal(r.code, 1);
  assert.match(r.err, /inc\.h:1:\d+: error: fifo: not a regular file \(a FIFO\)/);
});

test(
  'a compilation database: its -include of a FIFO, and -p naming a FIFO, are refused',
  { skip: !posix && 'needs mkfifo' },
  () => {
    writeFileSync(
      join(dir, 'compile_commands.json'),
      JSON.stringify([{ directory: dir, file: 'i.h', command: 'cc -include fifo -c i.h' }]),
    );
    const r = run(['-p', '.', 'i.h', 's']);
    assert.equal(r.code, 1);
    assert.match(r.err, /fifo: not a regular file \(a FIFO\)/);
    const p = run(['-p', 'fifo', 'i.h']);
    assert.equal(p.code, 1);
    assert.equal(p.err, 'layoutof: error: fifo: not a regular file (a FIFO)\n');
  },
);

test('--btf-base naming a FIFO or a device is refused', { skip: !posix && 'needs mkfifo' }, () => {
  // (Any binary will do: the base is read first.)
  writeFileSync(
    join(dir, 'split.btf'),
    Buffer.from([0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]),
  );
  for (const base of ['fifo', '/dev/zero']) {
    const r = run(['--btf-base', base, 'split.btf']);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`^layoutof: error: ${base}: cannot read the base BTF: not a regular file`));
  }
});
