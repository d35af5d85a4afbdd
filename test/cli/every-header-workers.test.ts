// --every-header's worker processes (src/cli/every-header.ts, every-header-serve.ts): started from
// bin/layoutof's start-up snapshot when the run has one, answering as the modules and one process do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(process.cwd(), 'bin/layoutof');
const skip = !existsSync('dist/layoutof.blob') && 'no start-up snapshot (npm run build with esbuild installed)';

const run = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, tool = bin) => {
  const r = spawnSync(tool, args, { cwd, encoding: 'utf8', env: { ...process.env, LAYOUTOF_NO_CACHE: '1', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('--every-header: workers from the start-up snapshot answer as the modules and one process', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-workers-'));
  const files: Record<string, string> = {};
  for (let i = 0; i < 6; i++)
    files[`u${i}.c`] = `struct s${i} { char c; long l[${i + 1}]; };\nstruct all { int a; };\n`;
  files['broken.c'] = 'struct broken { undefined_t x; };\n';
  for (const [f, t] of Object.entries(files)) writeFileSync(join(dir, f), t);
  const db = Object.keys(files).map((file) => ({ directory: dir, file, arguments: ['cc', '-c', file] }));
  writeFileSync(join(dir, 'compile_commands.json'), JSON.stringify(db));
  const args = ['-p', dir, '--every-header', '--format', 'json'];
  const one = run([...args, '--jobs', '1'], dir);
  assert.equal(one.code, 1);
  assert.match(one.err, /broken\.c: does not compile/);
  // The tool without its modules (only the script, the bundle and the blob): workers from the blob.
  const tool = join(dir, 'tool');
  mkdirSync(join(tool, 'bin'), { recursive: true });
  mkdirSync(join(tool, 'dist'));
  for (const f of ['bin/layoutof', 'dist/layoutof.cjs', 'dist/layoutof.blob']) copyFileSync(f, join(tool, f));
  chmodSync(join(tool, 'bin/layoutof'), 0o755);
  const three = run([...args, '--jobs', '3'], dir, {}, join(tool, 'bin/layoutof'));
  assert.deepEqual(three, one);
  assert.deepEqual(run([...args, '--jobs', '3'], dir, { LAYOUTOF_NO_SNAPSHOT: '1' }), one);
  // Without an IPC channel the worker's argument is only an unknown option.
  assert.equal(run(['--every-header-worker'], dir).code, 2);
});
