// Runs every test/**/*.test.ts with node's test runner (TypeScript through tsx, no type-check here;
// `npm run typecheck` does that). Extra arguments filter test files by substring.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const filters = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.test.ts') && (filters.length === 0 || filters.some((f) => p.includes(f)))) files.push(p);
  }
})('test');
files.sort();
// The tools the tests run cache their answers (src/cli/cache.ts): in a directory of this run's own,
// not the user's ~/.cache.
const env = { ...process.env };
const own = !env.LAYOUTOF_CACHE_DIR;
if (own) env.LAYOUTOF_CACHE_DIR = mkdtempSync(join(tmpdir(), 'layoutof-test-cache-'));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit', env });
if (own) rmSync(env.LAYOUTOF_CACHE_DIR, { recursive: true, force: true });
process.exit(r.status ?? 1);
