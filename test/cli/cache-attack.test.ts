// The result cache cannot be turned against its user (it matters where LAYOUTOF_CACHE_DIR is shared):
// a symlink, FIFO or device planted in an entry is never read, written nor waited on; a forged exit
// status or a corrupt entry is discarded and the answer recomputed; a cache directory owned by
// another user is not used; what is stored is readable by its owner only. Each attack is tried on
// the shell fast path (LAYOUTOF_NODE=/bin/false: an answer can only come from it) and on Node's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(process.cwd(), 'bin/layoutof');
const built = existsSync(join(process.cwd(), 'dist/cli/run.js'));
const posix =
  process.platform !== 'win32' &&
  spawnSync('sh', ['-c', 'command -v sha1sum && command -v stat && command -v mkfifo']).status === 0;
const root = process.getuid?.() === 0;
const skip = (!built && 'not built (npm run build)') || (!posix && 'needs POSIX tools (sha1sum, stat, mkfifo)');

/** A one-file project with its compilation database and its own cache, the answer stored once. */
function project(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `layoutof-attack-${name}-`));
  const cache = join(dir, 'cache');
  writeFileSync(join(dir, 'a.c'), 'struct rec { char c; int i; };\n');
  writeFileSync(
    join(dir, 'compile_commands.json'),
    JSON.stringify([{ directory: dir, file: 'a.c', command: 'cc -c a.c' }]),
  );
  const env = { ...process.env, LAYOUTOF_CACHE_DIR: cache, LAYOUTOF_NO_CACHE: '' };
  const run = (node = true) => {
    // (The time limit turns a hang into a failure.)
    const r = spawnSync(bin, ['-p', '.', 'a.c', 'rec'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: node ? env : { ...env, LAYOUTOF_NODE: '/bin/false' },
    });
    assert.equal(r.signal, null, 'ended by a signal (a hang?)');
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const good = (r: { code: number | null; out: string; err: string }, what: string) => {
    assert.equal(r.code, 0, `${what}: ${r.err}`);
    assert.match(r.out, /^struct rec \{/, what);
    assert.match(r.out, /size: 8,/, what);
    assert.doesNotMatch(r.err + r.out, /^\s+at |SECRET|FORGED/m, what);
  };
  good(run(), 'first run');
  good(run(false), 'stored: the shell answers');
  const entry = () => join(cache, 'sh', readdirSync(join(cache, 'sh'))[0]!);
  const json = () =>
    join(
      cache,
      readdirSync(cache).find((f) => f.endsWith('.json'))!,
    );
  return { dir, cache, run, good, entry, json };
}

test("cache files are this user's only: directories 0700, files 0600; an old 0755 root is made 0700", { skip }, () => {
  const p = project('modes');
  for (const d of [p.cache, join(p.cache, 'sh'), p.entry()]) assert.equal(statSync(d).mode & 0o777, 0o700, d);
  for (const f of [p.json(), ...readdirSync(p.entry()).map((f) => join(p.entry(), f))])
    assert.equal(statSync(f).mode & 0o777, 0o600, f);
  chmodSync(p.cache, 0o755);
  rmSync(join(p.cache, 'sh'), { recursive: true });
  p.good(p.run(), 'after chmod');
  assert.equal(statSync(p.cache).mode & 0o777, 0o700);
});

test(
  "an entry's out linked to another file is not printed (shell or Node), and the entry is rewritten",
  { skip },
  () => {
    const p = project('outlink');
    const secret = join(p.dir, 'secret');
    writeFileSync(secret, 'SECRET\n');
    unlinkSync(join(p.entry(), 'out'));
    symlinkSync(secret, join(p.entry(), 'out'));
    const sh = p.run(false);
    assert.notEqual(sh.code, 0, 'the shell does not answer');
    assert.doesNotMatch(sh.out, /SECRET/);
    p.good(p.run(), 'Node answers');
    p.good(p.run(false), 'and the shell again, from a rewritten entry');
  },
);

test("an entry's used linked to a file does not truncate it on a hit", { skip }, () => {
  const p = project('usedlink');
  const victim = join(p.dir, 'victim');
  writeFileSync(victim, 'precious\n');
  unlinkSync(join(p.entry(), 'used'));
  symlinkSync(victim, join(p.entry(), 'used'));
  assert.notEqual(p.run(false).code, 0);
  p.good(p.run(), 'Node answers');
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
  p.good(p.run(false), 'the shell, from a rewritten entry');
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
});

test("a FIFO or a device as an entry's file is not waited on", { skip }, () => {
  const p = project('fifo');
  for (const f of ['out', 'rc', 'paths', 'used']) {
    unlinkSync(join(p.entry(), f));
    assert.equal(spawnSync('mkfifo', [join(p.entry(), f)]).status, 0);
    assert.notEqual(p.run(false).code, 0, `${f}: the shell does not answer`);
    p.good(p.run(), `${f}: Node answers`);
  }
  // A device: a symlink to one (refused as a link), and, as root, a device node itself.
  unlinkSync(join(p.entry(), 'out'));
  symlinkSync('/dev/zero', join(p.entry(), 'out'));
  assert.notEqual(p.run(false).code, 0);
  p.good(p.run(), 'Node answers');
  if (root) {
    unlinkSync(join(p.entry(), 'out'));
    assert.equal(spawnSync('mknod', [join(p.entry(), 'out'), 'c', '1', '5']).status, 0);
    assert.notEqual(p.run(false).code, 0);
    p.good(p.run(), 'Node answers');
  }
  // Node's own entry as a FIFO.
  rmSync(join(p.cache, 'sh'), { recursive: true });
  const j = p.json();
  unlinkSync(j);
  assert.equal(spawnSync('mkfifo', [j]).status, 0);
  p.good(p.run(), 'Node answers past a FIFO entry');
});

test("a forged exit status is not used: only 0-255 from the shell, and Node's entry is validated", { skip }, () => {
  const p = project('rc');
  for (const rc of ['300', '-1', '', 'abc', '1 ; reboot']) {
    writeFileSync(join(p.entry(), 'rc'), `${rc}\n`);
    const sh = p.run(false);
    assert.notEqual(sh.code, 300 % 256, `rc ${rc}`);
    assert.equal(sh.code, 1, `rc ${rc}: not answered (/bin/false ran)`);
    p.good(p.run(), `rc ${rc}: Node answers`);
  }
});

test('a corrupt or forged Node entry is discarded and the answer recomputed, never a stack trace', { skip }, () => {
  const p = project('json');
  rmSync(join(p.cache, 'sh'), { recursive: true });
  const valid = JSON.parse(readFileSync(p.json(), 'utf8'));
  const forms: [string, unknown][] = [
    ['version 2', { version: 2 }],
    ['null', null],
    ['an array', []],
    ['stdout a number', { ...valid, stdout: 5 }],
    ['code "abc"', { ...valid, code: 'abc' }],
    ['code 300', { ...valid, stdout: 'FORGED\n', code: 300 }],
    ['files of the wrong shape', { ...valid, files: [[1, 2]] }],
    ['absent not strings', { ...valid, absent: [null] }],
  ];
  for (const [what, e] of forms) {
    const j = p.json();
    writeFileSync(j, JSON.stringify(e));
    p.good(p.run(), what);
    assert.deepEqual(
      Object.keys(JSON.parse(readFileSync(p.json(), 'utf8'))).sort(),
      Object.keys(valid).sort(),
      `${what}: replaced by a valid entry`,
    );
    rmSync(join(p.cache, 'sh'), { recursive: true, force: true });
  }
  writeFileSync(p.json(), '{"version":3,"stdout":"trunc');
  p.good(p.run(), 'truncated');
  // A valid entry planted as a symlink is not followed.
  rmSync(join(p.cache, 'sh'), { recursive: true, force: true });
  const forged = join(p.dir, 'forged.json');
  writeFileSync(forged, JSON.stringify({ ...valid, stdout: 'FORGED\n' }));
  const j = p.json();
  unlinkSync(j);
  symlinkSync(forged, j);
  p.good(p.run(), 'a symlinked entry');
});

test('a cache directory owned by another user is not used', { skip: skip || (!root && 'needs root (chown)') }, () => {
  const p = project('owner');
  // Forge both entries, then give the cache to nobody (uid 65534).
  writeFileSync(join(p.entry(), 'out'), 'FORGED\n');
  const j = p.json();
  writeFileSync(j, JSON.stringify({ ...JSON.parse(readFileSync(j, 'utf8')), stdout: 'FORGED\n' }));
  const chownAll = (d: string, uid: number): void => {
    chownSync(d, uid, uid);
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) chownAll(join(d, e.name), uid);
      else chownSync(join(d, e.name), uid, uid);
    }
  };
  chownAll(p.cache, 65534);
  assert.notEqual(p.run(false).code, 0, 'the shell does not answer from it');
  p.good(p.run(), 'Node neither');
  assert.equal(readdirSync(p.cache).filter((f) => f.endsWith('.json')).length, 1, 'nor writes there');
  // The root ours, one entry directory another user's: that entry is refused.
  chownAll(p.cache, 0);
  rmSync(join(p.cache, 'sh'), { recursive: true });
  unlinkSync(p.json());
  p.good(p.run(), 'recomputed');
  p.good(p.run(false), 'stored again');
  writeFileSync(join(p.entry(), 'out'), 'FORGED\n');
  chownAll(p.entry(), 65534);
  assert.notEqual(p.run(false).code, 0, "another user's entry is not answered from");
  // A file of another user's inside an entry of ours.
  chownAll(p.entry(), 0);
  chownSync(join(p.entry(), 'out'), 65534, 65534);
  assert.notEqual(p.run(false).code, 0, "another user's file is not printed");
  p.good(p.run(), 'Node answers');
});
