// bin/layoutof starts the bundled tool from its V8 start-up snapshot (dist/layoutof.blob, made by
// scripts/build.mjs): it must answer exactly as the unbundled modules do, including errors and exit
// codes and the result cache, and fall back to the modules when Node cannot use the blob (exit 14).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(process.cwd(), 'bin/layoutof');
const blob = join(process.cwd(), 'dist/layoutof.blob');
const skip = !existsSync(blob) && 'no start-up snapshot (npm run build with esbuild installed)';

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync(bin, args, { encoding: 'utf8', env: { ...process.env, LAYOUTOF_NO_CACHE: '1', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('the start-up snapshot answers as the modules do: output, diagnostics, exit codes', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-snap-'));
  writeFileSync(join(dir, 'bad.h'), 'struct ok { char c; long l; };\nstruct bad { int x y; };\n');
  const cases = [
    ['examples/ip_vs_conn.h', 'ip_vs_conn'],
    ['--format', 'json', '--target', 'aarch64-linux-gnu', 'examples/ip_vs_conn.h'],
    ['--format', 'markdown', '--count', '1000', 'examples/ip_vs_conn.h', 'ip_vs_conn'],
    [join(dir, 'bad.h')],
    ['examples/ip_vs_conn.h', 'no_such_record'],
    ['--bogus'],
    ['--version'],
  ];
  for (const args of cases) {
    const snap = run(args);
    const mods = run(args, { LAYOUTOF_NO_SNAPSHOT: '1' });
    assert.deepEqual(snap, mods, args.join(' '));
  }
  // The answers above came from the snapshot: a Node that logs how it was started shows it.
  const log = join(dir, 'argv');
  const logging = join(dir, 'node');
  writeFileSync(logging, `#!/bin/sh\necho "$@" >> '${log}'\nexec "${process.execPath}" "$@"\n`);
  chmodSync(logging, 0o755);
  assert.equal(run(cases[0]!, { LAYOUTOF_NODE: logging }).code, 0);
  assert.match(
    readFileSync(log, 'utf8'),
    /^--v8-pool-size=[1-4] --snapshot-blob \S+layoutof\.blob -- examples\/ip_vs_conn\.h ip_vs_conn$/m,
  );
  assert.equal(run(cases[3]!).code, 1, 'a source error exits 1 through the snapshot too');
  assert.equal(run(cases[5]!).code, 2);
});

test('a blob Node cannot use (exit 14) falls back to the modules; the bundle runs as a script', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-snap-'));
  // A Node that refuses every snapshot, as one of another version does.
  const fake = join(dir, 'node');
  writeFileSync(
    fake,
    `#!/bin/sh\ncase " $* " in *" --snapshot-blob "*) echo refused >&2; exit 14 ;; esac\nexec "${process.execPath}" "$@"\n`,
  );
  chmodSync(fake, 0o755);
  const want = run(['examples/ip_vs_conn.h', 'ip_vs_conn'], { LAYOUTOF_NO_SNAPSHOT: '1' });
  const r = run(['examples/ip_vs_conn.h', 'ip_vs_conn'], { LAYOUTOF_NODE: fake });
  assert.equal(r.code, 0);
  assert.equal(r.out, want.out);
  // V8 flags in NODE_OPTIONS make Node refuse any snapshot, with a message: not a word of it shows.
  const opts = run(['examples/ip_vs_conn.h', 'ip_vs_conn'], { NODE_OPTIONS: '--max-old-space-size=4096' });
  assert.deepEqual(opts, { ...want, code: 0 });
  const script = spawnSync(process.execPath, ['dist/layoutof.cjs', 'examples/ip_vs_conn.h', 'ip_vs_conn'], {
    encoding: 'utf8',
  });
  assert.equal(script.status, 0, script.stderr);
  assert.equal(script.stdout, want.out);
});

test(
  'a reader that stops early ends the run quietly, with status 141 as for SIGPIPE (snapshot and modules)',
  { skip },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-pipe-'));
    // Some 400 KB of text: far more than a pipe holds, so writes go on after `head` has exited.
    writeFileSync(
      join(dir, 'many.h'),
      Array.from({ length: 3000 }, (_, i) => `struct s${i} { char c; long l; int i; };\n`).join(''),
    );
    for (const env of [{}, { LAYOUTOF_NO_SNAPSHOT: '1' }]) {
      const r = spawnSync(
        'bash',
        ['-c', 'set -o pipefail; "$0" "$1" | head -n 1; echo "rc=${PIPESTATUS[0]}"', bin, join(dir, 'many.h')],
        {
          encoding: 'utf8',
          env: { ...process.env, LAYOUTOF_NO_CACHE: '1', ...env },
        },
      );
      assert.equal(r.stderr, '', 'no EPIPE stack trace');
      assert.equal(r.stdout, 'struct s0 {\nrc=141\n');
    }
  },
);

test('Node starts without NODE_EXTRA_CA_CERTS (it would parse every certificate first; layoutof makes no TLS connection)', () => {
  // Node warns on stderr when the file cannot be loaded: proof that it read the variable at start-up.
  const missing = join(mkdtempSync(join(tmpdir(), 'layoutof-ca-')), 'none.pem');
  const direct = spawnSync(process.execPath, ['-e', '0'], {
    encoding: 'utf8',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: missing },
  });
  assert.match(direct.stderr, /extra certs/i);
  for (const env of [{}, { LAYOUTOF_NO_SNAPSHOT: '1' }]) {
    const r = run(['examples/ip_vs_conn.h', 'ip_vs_conn'], { ...env, NODE_EXTRA_CA_CERTS: missing });
    assert.equal(r.code, 0);
    assert.equal(r.err, '');
  }
});
