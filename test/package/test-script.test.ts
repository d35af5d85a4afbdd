// The test tooling itself: scripts/install-test-deps.sh against stand-ins for apt-get, dpkg, id and
// the compilers (a PATH of stubs, so nothing on this machine is changed), and scripts/run-tests.mjs's
// list of skipped tests and its CI rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = process.cwd();
const script = join(repo, 'scripts/install-test-deps.sh');
const TOOLS = [
  'gcc',
  'objcopy',
  'make',
  'clang',
  'pahole',
  'bpftool',
  'chromium',
  'xz',
  'pkg-config',
  ...[
    'i686-linux-gnu',
    'aarch64-linux-gnu',
    'arm-linux-gnueabihf',
    'riscv64-linux-gnu',
    'powerpc64le-linux-gnu',
    's390x-linux-gnu',
  ].map((t) => `${t}-gcc`),
];
const common = existsSync('/usr/src')
  ? readdirSync('/usr/src').find((d) => /^linux-headers-.*-common$/.test(d))
  : undefined;
const amd64Headers = existsSync('/usr/src') && readdirSync('/usr/src').some((d) => /^linux-headers-.*-amd64$/.test(d));

interface Stubs {
  readonly uid?: number;
  /** apt-get's behaviour: 'ok' installs what it is asked to (writes the stub), 'fail' cannot find
   *  the packages, 'lock-once' finds the lock held on its first call, 'lock' on every call. */
  readonly apt?: 'ok' | 'fail' | 'lock-once' | 'lock';
  readonly absent?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Leave .cache/kernel-arm64 out (fetched then through dpkg --add-architecture). */
  readonly noArm64?: boolean;
}

/** Runs the script in a new directory with a PATH of stubs only; returns its status, its stderr and
 *  the stubs' log of what they were asked to do. */
function runDeps(s: Stubs): { code: number | null; err: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-deps-'));
  const bin = join(dir, 'bin');
  const log = join(dir, 'log');
  mkdirSync(bin);
  writeFileSync(log, '');
  const stub = (name: string, body: string): void =>
    writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  for (const t of [
    'bash',
    'ls',
    'sed',
    'basename',
    'sort',
    'tr',
    'grep',
    'mktemp',
    'cat',
    'rm',
    'mkdir',
    'sleep',
    'tail',
    'touch',
  ]) {
    const real = ['/usr/bin', '/bin'].map((d) => join(d, t)).find((p) => existsSync(p));
    if (real) symlinkSync(real, join(bin, t));
  }
  for (const t of TOOLS) if (!s.absent?.includes(t)) stub(t, 'exit 0');
  stub('id', `echo ${s.uid ?? 0}`);
  stub('uname', 'echo x86_64');
  // apt-get install PKG... makes each package's command (clang -> clang; gcc-T -> T-gcc).
  stub(
    'apt-get',
    [
      `echo "apt-get $*" >> '${log}'`,
      `n=$(cat '${dir}/apt-calls' 2>/dev/null || echo 0); echo $((n + 1)) > '${dir}/apt-calls'`,
      s.apt === 'lock' || s.apt === 'lock-once'
        ? `[ "${s.apt}" = lock ] || [ "$n" = 0 ] && { echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)" >&2; exit 100; }`
        : '',
      s.apt === 'fail'
        ? 'for a; do case $a in install) echo "E: Unable to locate package clang" >&2; exit 100 ;; esac; done'
        : '',
      'inst=0; for a; do case $a in install) inst=1 ;; download) touch pkg.deb ;; -*|DPkg*) ;; *) [ $inst = 1 ] || continue',
      `  case $a in gcc-*) c=\${a#gcc-}-gcc ;; dwarves) c=pahole ;; binutils) c=objcopy ;; xz-utils) c=xz ;; *) c=$a ;; esac; printf '#!/bin/sh\\n' > '${bin}'/$c; chmod +x '${bin}'/$c ;; esac; done`,
    ].join('\n'),
  );
  stub('dpkg', `echo "dpkg $*" >> '${log}'`);
  stub('dpkg-deb', `echo "dpkg-deb $*" >> '${log}'; mkdir -p usr/src`);
  if (!s.noArm64) mkdirSync(join(dir, '.cache/kernel-arm64/usr/src'), { recursive: true });
  mkdirSync(join(dir, '.cache/kernel-image-amd64'), { recursive: true });
  for (const f of ['vmlinux', 'vmlinux.btf']) writeFileSync(join(dir, '.cache/kernel-image-amd64', f), '');
  // (pkg-config's stub says every third-party library's module is there.)
  mkdirSync(join(dir, '.cache/sqlite-amalgamation'), { recursive: true });
  writeFileSync(join(dir, '.cache/sqlite-amalgamation/sqlite3.c'), '');
  const env: NodeJS.ProcessEnv = { PATH: bin, LAYOUTOF_APT_LOCK_WAIT: '3', ...s.env };
  const r = spawnSync(join(bin, 'bash'), [script], { cwd: dir, encoding: 'utf8', env });
  const out = { code: r.status, err: r.stderr, log: readFileSync(log, 'utf8') };
  rmSync(dir, { recursive: true, force: true });
  return out;
}

const hostSkip =
  !amd64Headers && 'Debian linux-headers-*-amd64 not installed (the stubs stand in for commands, not for /usr/src)';

test('install-test-deps: nothing missing, nothing changed', { skip: hostSkip }, () => {
  const r = runDeps({});
  assert.equal(r.code, 0, r.err);
  assert.equal(r.log, '');
  assert.doesNotMatch(r.err, /system change/);
});

test('install-test-deps: as root, a package that cannot be installed fails the run, loudly', { skip: hostSkip }, () => {
  const r = runDeps({ absent: ['clang'], apt: 'fail' });
  assert.equal(r.code, 1);
  assert.match(r.err, /system change: apt-get update, apt-get install clang\n/);
  assert.match(r.err, /error: clang is still not installed \(no clang\)/);
  assert.match(
    r.err,
    /error: test prerequisites missing: clang; running as root: a missing prerequisite fails the run/,
  );
  assert.match(r.log, /^apt-get -o DPkg::Lock::Timeout=3 install -y -qq --no-install-recommends clang$/m);
});

test(
  'install-test-deps: waits while another apt holds the lock, then installs; fails when it never lets go',
  { skip: hostSkip },
  () => {
    const r = runDeps({ absent: ['clang', 'aarch64-linux-gnu-gcc'], apt: 'lock-once' });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /apt-get update: another apt holds the lock; retrying/);
    assert.match(r.log, /install -y -qq --no-install-recommends clang gcc-aarch64-linux-gnu libc6-dev-arm64-cross/);
    const held = runDeps({ absent: ['clang'], apt: 'lock' });
    assert.equal(held.code, 1);
    assert.match(held.err, /retrying/);
    assert.match(held.err, /Could not get lock/);
    assert.match(held.err, /error: clang is still not installed/);
  },
);

test('install-test-deps: not root: a warning and skips; in CI an error', { skip: hostSkip }, () => {
  const user = runDeps({ uid: 1000, absent: ['clang'], env: { CI: 'false' } });
  assert.equal(user.code, 0, user.err);
  assert.match(
    user.err,
    /warning: clang is not installed, and only root can install it \(apt-get install clang\) \(the tests that need it will be skipped\)/,
  );
  assert.equal(user.log, '', 'no apt-get, no dpkg');
  const ci = runDeps({ uid: 1000, absent: ['clang'], env: { CI: 'true' } });
  assert.equal(ci.code, 1);
  assert.match(ci.err, /error: clang is not installed, and only root can install it/);
  assert.match(ci.err, /CI is set: a missing prerequisite fails the run/);
});

test(
  'install-test-deps: says so when it adds the arm64 architecture to dpkg',
  { skip: hostSkip || (!common && 'no Debian linux-headers-*-common in /usr/src') },
  () => {
    const r = runDeps({ noArm64: true, apt: 'ok' });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /system change: dpkg --add-architecture arm64, apt-get update/);
    const abi = common!.replace(/^linux-headers-/, '').replace(/-common$/, '');
    assert.match(
      r.log,
      /^dpkg --print-foreign-architectures\ndpkg --add-architecture arm64\napt-get -o DPkg::Lock::Timeout=3 update -qq\n/,
    );
    assert.match(
      r.log,
      new RegExp(
        `apt-get -o DPkg::Lock::Timeout=3 download -qq linux-headers-${abi}-arm64:arm64\ndpkg-deb -x ./pkg.deb .`,
      ),
    );
  },
);

test('run-tests: skipped tests listed at the end; in CI a skip fails the run unless no package could remedy it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-skips-'));
  try {
    const file = join(dir, 'fixture.ts');
    const run = (body: string, env: NodeJS.ProcessEnv) => {
      writeFileSync(file, `import { test } from 'node:test';\n${body}\ntest('runs', () => {});\n`);
      // (Without the variable that makes a nested test runner report to this one.)
      const { NODE_TEST_CONTEXT: _, ...outer } = process.env;
      const r = spawnSync(process.execPath, ['scripts/run-tests.mjs', file], {
        encoding: 'utf8',
        env: { ...outer, ...env },
      });
      return { code: r.status, out: r.stdout };
    };
    const two =
      "test('needs clang', { skip: 'clang not installed' }, () => {});\ntest('inner', async (t) => { t.skip('zstd: binutils < 2.40'); });";
    const local = run(two, { CI: '' });
    assert.equal(local.code, 0);
    assert.match(
      local.out,
      new RegExp(
        `\n2 skipped tests:\n  ${file.replace(/[.]/g, '\\.')}: needs clang \\(clang not installed\\)\n  \\S+: inner \\(zstd: binutils < 2\\.40\\)\n$`,
      ),
    );
    const ci = run(two, { CI: 'true' });
    assert.equal(ci.code, 1);
    assert.match(ci.out, /CI is set: 1 of them skipped for a prerequisite that should have been installed/);
    assert.equal(run("test('btf', { skip: 'no /sys/kernel/btf/vmlinux' }, () => {});", { CI: 'true' }).code, 0);
    const none = run('', { CI: 'true' });
    assert.equal(none.code, 0);
    assert.doesNotMatch(none.out, /skipped tests?:/);
    // A failure still fails, with or without skips.
    assert.equal(run("test('bad', () => { throw new Error('x'); });", { CI: '' }).code, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
