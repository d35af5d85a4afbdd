// docs/ip_vs_conn.svg (the picture the README shows) is what scripts/make-picture.mjs makes from the
// example header with the current renderer, and it is the JSON's layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseXml } from './xml.js';
import { checkSvg, type JRecord } from './check.js';

test('docs/ip_vs_conn.svg is current and right', () => {
  const r = spawnSync(process.execPath, ['scripts/make-picture.mjs', '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const json = spawnSync(
    process.execPath,
    ['dist/cli/run.js', '--no-cache', 'examples/ip_vs_conn.h', 'ip_vs_conn', '--format', 'json'],
    { encoding: 'utf8' },
  );
  assert.deepEqual(
    checkSvg(parseXml(readFileSync('docs/ip_vs_conn.svg', 'utf8')), JSON.parse(json.stdout) as { records: JRecord[] }),
    [],
  );
});
