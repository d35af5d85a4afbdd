// Issue 20's small-unit benchmark: one userland library's header (zlib.h, where gcc needs some
// 12 ms), where start-up is the whole cost. layoutof against a bare `node -e 0` (the floor of any
// Node tool; target: at most 1.3 times it) and `gcc -fsyntax-only` on the same header, by turns in
// one run, each figure the median of the pairs' ratios. Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

// Wall time; and CPU time (task-clock, all threads) where perf is installed: on a shared machine the
// wall clock says more about the neighbours than about the tool.
const perf = spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', 'true']).status === 0;
const perfOut = join(env.LAYOUTOF_CACHE_DIR, 'perf.txt');
function time(cmd, args, cwd) {
  const [c, a] = perf ? ['perf', ['stat', '-x,', '-e', 'task-clock', '-o', perfOut, '--', cmd, ...args]] : [cmd, args];
  const t = process.hrtime.bigint();
  const r = spawnSync(c, a, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const cpu = perf ? Number(/^([\d.]+),msec,task-clock/m.exec(readFileSync(perfOut, 'utf8'))?.[1]) / 1000 : NaN;
  return { s, cpu };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = Number(process.env.BENCH_RUNS ?? 15);
const bin = join(process.cwd(), 'bin/layoutof');
const edited = join(env.LAYOUTOF_CACHE_DIR, 'edited.h');
// The floors of a start from a snapshot: an empty user snapshot, and ours answering --version
// (started as bin/layoutof starts it, without the shell).
const emptyJs = join(env.LAYOUTOF_CACHE_DIR, 'empty.js');
const emptyBlob = join(env.LAYOUTOF_CACHE_DIR, 'empty.blob');
writeFileSync(emptyJs, "require('v8').startupSnapshot.setDeserializeMainFunction(() => {});\n");
spawnSync('node', ['--snapshot-blob', emptyBlob, '--build-snapshot', emptyJs], { env, stdio: 'ignore' });
const ourBlob = join(process.cwd(), 'dist/layoutof.blob');
const cases = {
  'node -e 0': ['node', ['-e', '0']],
  'gcc -fsyntax-only': ['gcc', ['-fsyntax-only', header]],
  'node, empty snapshot': ['node', ['--v8-pool-size=1', '--snapshot-blob', emptyBlob]],
  'layoutof --version': ['node', ['--v8-pool-size=1', '--snapshot-blob', ourBlob, '--', '--version']],
  // The same query again: its answer is kept (the shell answers from a few stats).
  'layoutof, repeated': [bin, [header, 'z_stream']],
  // A query never asked (a new working directory each time: a fresh key), with what is remembered
  // between runs (the compiler's search list); and with nothing remembered (--no-cache).
  'layoutof, new query': [bin, [header, 'z_stream'], 'new'],
  'layoutof --no-cache': [bin, ['--no-cache', header, 'z_stream']],
  // The same query of a header that includes it, edited before each run (as while working on it):
  // the kept answer is checked, found stale and replaced each time.
  'layoutof, edited': [bin, [edited, 'z_stream'], 'edit'],
};
// (No blob, as without esbuild: those floors are left out.)
if (!existsSync(emptyBlob)) delete cases['node, empty snapshot'];
if (!existsSync(ourBlob)) delete cases['layoutof --version'];
const t = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
let edits = 0;
const cwd = (how) => {
  if (how === 'edit') writeFileSync(edited, `#include <${header}>\n/* edit ${edits++} */\n`);
  return how === 'new' ? mkdtempSync(join(env.LAYOUTOF_CACHE_DIR, 'cwd-')) : undefined;
};
for (const [cmd, args, how] of Object.values(cases)) time(cmd, args, cwd(how)); // page cache, memo, snapshot
for (let k = 0; k < runs; k++)
  for (const [name, [cmd, args, how]] of Object.entries(cases)) t[name].push(time(cmd, args, cwd(how)));
const pair = (a, b, k) => median(t[a].map((x, i) => x[k] / t[b][i][k]));
const ms = (name, k) => (median(t[name].map((x) => x[k])) * 1000).toFixed(0).padStart(5);
console.log(`small unit (${header}), median of ${runs} interleaved runs${perf ? ' (CPU: task-clock)' : ''}:`);
for (const name of Object.keys(cases))
  console.log(`  ${name.padEnd(22)} ${ms(name, 's')} ms wall${perf ? `  ${ms(name, 'cpu')} ms CPU` : ''}`);
for (const name of Object.keys(cases).filter((n) => n.startsWith('layoutof') || n.includes('snapshot'))) {
  const of = (k) =>
    `${pair(name, 'node -e 0', k).toFixed(2)} x node -e 0, ${pair(name, 'gcc -fsyntax-only', k).toFixed(1)} x gcc`;
  console.log(`  ${name.padEnd(22)} wall ${of('s')}${perf ? `; CPU ${of('cpu')}` : ''}`);
}
console.log('  (medians of pair ratios; target: a small unit at most 1.3 x node -e 0)');
rmSync(env.LAYOUTOF_CACHE_DIR, { recursive: true, force: true });
