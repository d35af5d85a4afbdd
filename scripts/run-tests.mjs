// Runs every test/**/*.test.ts with node's test runner (TypeScript through tsx, no type-check here;
// `npm run typecheck` does that). Extra arguments filter test files by substring (or name a file).
// Skipped tests are listed at the end; in CI (CI set, not "false") a skip is a failure unless its
// reason is one no installed package can remedy (docs/testing.md).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const filters = process.argv.slice(2);
const files = filters.filter((f) => f.endsWith('.ts') && existsSync(f) && statSync(f).isFile());
(function walk(dir) {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p);
    else if (
      p.endsWith('.test.ts') &&
      !files.includes(p) &&
      (filters.length === 0 || filters.some((f) => p.includes(f)))
    )
      files.push(p);
  }
})('test');
files.sort();
// The tools the tests run cache their answers (src/cli/cache.ts): in a directory of this run's own,
// not the user's ~/.cache.
const env = { ...process.env };
const own = !env.LAYOUTOF_CACHE_DIR;
if (own) env.LAYOUTOF_CACHE_DIR = mkdtempSync(join(tmpdir(), 'layoutof-test-cache-'));
const work = mkdtempSync(join(tmpdir(), 'layoutof-test-skips-'));
const skipsFile = join(work, 'skips.jsonl');
const reporter = new URL('./skips-reporter.mjs', import.meta.url).href;
const r = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${reporter}`,
    `--test-reporter-destination=${skipsFile}`,
    ...files,
  ],
  { stdio: 'inherit', env },
);
if (own) rmSync(env.LAYOUTOF_CACHE_DIR, { recursive: true, force: true });
const skips = existsSync(skipsFile)
  ? readFileSync(skipsFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
rmSync(work, { recursive: true, force: true });

// What no package installs: the running kernel's BTF, the binutils release of the distribution.
const UNREMEDIABLE = [/\/sys\/kernel\/btf\/vmlinux|no vmlinux BTF/, /binutils < \d/];
const ci = !!process.env.CI && process.env.CI !== 'false';
let status = r.status ?? 1;
if (skips.length > 0) {
  const where = (s) => {
    const abs = s.file.startsWith('file:') ? new URL(s.file).pathname : s.file;
    const rel = relative(process.cwd(), abs);
    return !abs ? '?' : rel.startsWith('..') ? abs : rel;
  };
  console.log(`\n${skips.length} skipped test${skips.length === 1 ? '' : 's'}:`);
  for (const s of skips) console.log(`  ${where(s)}: ${s.name}${s.reason ? ` (${s.reason})` : ''}`);
  const blocking = skips.filter((s) => !UNREMEDIABLE.some((re) => re.test(s.reason)));
  if (ci && blocking.length > 0) {
    console.log(
      `\nCI is set: ${blocking.length} of them skipped for a prerequisite that should have been installed (scripts/install-test-deps.sh); failing the run.`,
    );
    if (status === 0) status = 1;
  }
}
process.exit(status);
