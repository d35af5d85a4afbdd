// A fresh clone: `npm ci` installs (with no warning about esbuild's install script, approved in
// package.json), builds through prepare, and `npm start` answers. The clone is this checkout's tracked
// files as they are now, installed with no network (npm's cache holds what the lock names).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const tracked = spawnSync('git', ['ls-files', '-z'], { encoding: 'utf8' });
const skip = tracked.status !== 0 && 'not a git checkout';

test(
  'a fresh clone: npm ci builds through prepare, without install-script warnings; npm start answers',
  { skip, timeout: 600_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-clone-'));
    try {
      for (const f of tracked.stdout.split('\0').filter(Boolean)) {
        if (!existsSync(f)) continue; // deleted in the work tree, not yet committed
        mkdirSync(join(dir, dirname(f)), { recursive: true });
        cpSync(f, join(dir, f));
      }
      const ci = spawnSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' });
      assert.equal(ci.status, 0, ci.stdout + ci.stderr);
      assert.doesNotMatch(ci.stdout + ci.stderr, /install-scripts|allowScripts/);
      for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/layoutof.cjs', 'dist/layoutof.blob'])
        assert.ok(existsSync(join(dir, f)), `prepare built ${f}`);
      const start = spawnSync('npm', ['start', '--silent'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, LAYOUTOF_NO_CACHE: '1' },
      });
      assert.equal(start.status, 0, start.stderr);
      assert.match(start.stdout, /^struct ip_vs_conn \{\n[\s\S]*\/\* size: 280, cachelines: 5, members: 32 \*\/\n/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
