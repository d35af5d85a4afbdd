// The README's library example runs as shown: imported from 'layoutof' (the package's self-reference
// from the repository root, through `exports` and the built dist/), printing what its comment says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

test("the README's library example prints what it says", () => {
  const readme = readFileSync('README.md', 'utf8');
  const code = /^```js\n([\s\S]*?)^```$/m.exec(readme)?.[1];
  assert.ok(code, 'README.md has a ```js example');
  assert.match(code, /from 'layoutof';/);
  const promised = /^\/\/ (.+)$/m.exec(code)?.[1];
  assert.ok(promised, 'the example says in a comment what it prints first');
  const r = spawnSync(process.execPath, ['--input-type=module'], { input: code, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], promised);
  assert.match(r.stdout, /^struct s \{$/m);
});
