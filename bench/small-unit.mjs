// Issue 20's small-unit benchmark: one userland library's header (zlib.h, where gcc needs some
// 12 ms), where start-up is the whole cost. layoutof against a bare `node -e 0` (the floor of any
// Node tool; target: at most 1.3 times it) and `gcc -fsyntax-only` on the same header, by turns in
// one run, each figure the median of the pairs' ratios. Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const header = process.env.BENCH_HEADER ?? '/usr/include/zlib.h';
if (!existsSync(header)) {
  console.log(`small unit: skipped (no ${header}; apt-get install zlib1g-dev)`);
  process.exit(0);
}
// Both Node processes start in the same environment, without NODE_EXTRA_CA_CERTS (which Node parses
// before running anything; bin/layoutof drops it, so a bare node would otherwise be the slower).
const env = {
  ...process.env,
  NODE_EXTRA_CA_CERTS: '',
  LAYOUTOF_CACHE_DIR: mkdtempSync(join(tmpdir(), 'layoutof-sb-')),
};
delete env.NODE_OPTIONS;
delete env.LAYOUTOF_NO_CACHE;

function time(cmd, args, cwd) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return s;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = Number(process.env.BENCH_RUNS ?? 15);
const bin = join(process.cwd(), 'bin/layoutof');
const cases = {
  'node -e 0': ['node', ['-e', '0']],
  'gcc -fsyntax-only': ['gcc', ['-fsyntax-only', header]],
  // The same query again: its answer is kept (the shell answers from a few stats).
  'layoutof, repeated': [bin, [header, 'z_stream']],
  // A query never asked (a new working directory each time: a fresh key), with what is remembered
  // between runs (the compiler's search list); and with nothing remembered (--no-cache).
  'layoutof, new query': [bin, [header, 'z_stream'], true],
  'layoutof --no-cache': [bin, ['--no-cache', header, 'z_stream']],
};
const t = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const cwd = (fresh) => (fresh ? mkdtempSync(join(env.LAYOUTOF_CACHE_DIR, 'cwd-')) : undefined);
for (const [cmd, args, fresh] of Object.values(cases)) time(cmd, args, cwd(fresh)); // page cache, memo, snapshot
for (let k = 0; k < runs; k++)
  for (const [name, [cmd, args, fresh]] of Object.entries(cases)) t[name].push(time(cmd, args, cwd(fresh)));
const pair = (a, b) => median(t[a].map((x, i) => x / t[b][i]));
console.log(`small unit (${header}), median of ${runs} interleaved runs:`);
for (const name of Object.keys(cases))
  console.log(`  ${name.padEnd(22)} ${(median(t[name]) * 1000).toFixed(0).padStart(5)} ms`);
for (const name of Object.keys(cases).filter((n) => n.startsWith('layoutof')))
  console.log(
    `  ${name.padEnd(22)} ${pair(name, 'node -e 0').toFixed(2)} x node -e 0 (target <= 1.3), ${pair(name, 'gcc -fsyntax-only').toFixed(1)} x gcc   (medians of pair ratios)`,
  );
rmSync(env.LAYOUTOF_CACHE_DIR, { recursive: true, force: true });
