// bin/layoutof in an installed package, which carries no snapshot: the first run makes
// dist/layoutof.blob for the Node it runs on and answers as the modules do; a Node that cannot make
// one is noted once (dist/layoutof.blob.failed) and not asked again, until another Node is used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const built = existsSync('dist/layoutof.cjs') && existsSync('dist/cli/run.js');

test(
  'first run: the snapshot is made once; a Node that cannot make it is not asked again',
  { skip: !built && 'not built (npm run build)' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-first-run-'));
    try {
      const root = join(dir, 'layoutof');
      cpSync('bin', join(root, 'bin'), { recursive: true });
      cpSync('dist', join(root, 'dist'), { recursive: true, filter: (f) => !/layoutof\.blob/.test(f) });
      symlinkSync(join(process.cwd(), 'node_modules'), join(root, 'node_modules'));
      const blob = join(root, 'dist/layoutof.blob');
      const log = join(dir, 'log');
      // A Node that cannot build a snapshot (and logs how it is started).
      const broken = join(dir, 'node');
      writeFileSync(
        broken,
        `#!/bin/sh\necho "$@" >> '${log}'\ncase " $* " in *" --build-snapshot "*) exit 1 ;; esac\nexec "${process.execPath}" "$@"\n`,
        { mode: 0o755 },
      );
      const args = ['examples/ip_vs_conn.h', 'ip_vs_conn'];
      const run = (env: NodeJS.ProcessEnv) =>
        spawnSync(join(root, 'bin/layoutof'), args, {
          encoding: 'utf8',
          env: { ...process.env, LAYOUTOF_NO_CACHE: '1', ...env },
        });
      const want = run({ LAYOUTOF_NO_SNAPSHOT: '1' });
      assert.equal(want.status, 0, want.stderr);
      assert.equal(existsSync(blob), false);

      for (let i = 0; i < 2; i++) {
        const r = run({ LAYOUTOF_NODE: broken });
        assert.deepEqual([r.status, r.stdout, r.stderr], [0, want.stdout, ''], 'the modules answer, quietly');
      }
      assert.equal(readFileSync(log, 'utf8').match(/--build-snapshot/g)?.length, 1, 'asked once');
      assert.ok(existsSync(`${blob}.failed`));
      assert.equal(existsSync(blob), false);

      // Another Node (this one) makes it, and the next run starts from it.
      const first = run({});
      assert.deepEqual([first.status, first.stdout, first.stderr], [0, want.stdout, '']);
      assert.ok(existsSync(blob));
      assert.equal(existsSync(`${blob}.failed`), false);
      writeFileSync(log, '');
      const logging = join(dir, 'logging-node');
      writeFileSync(logging, `#!/bin/sh\necho "$@" >> '${log}'\nexec "${process.execPath}" "$@"\n`, { mode: 0o755 });
      assert.equal(run({ LAYOUTOF_NODE: logging }).stdout, want.stdout);
      assert.match(
        readFileSync(log, 'utf8'),
        /^--v8-pool-size=\d --snapshot-blob \S+\/dist\/layoutof\.blob -- examples\/ip_vs_conn\.h ip_vs_conn\n$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
