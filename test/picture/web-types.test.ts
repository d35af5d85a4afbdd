// The web page's sources (web/*.ts, with the engine they bundle) type-check against the DOM's types:
// esbuild bundles them without checking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('web/ type-checks (tsc -p web/tsconfig.json)', () => {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'web/tsconfig.json'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
