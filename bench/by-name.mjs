// Issue 20's by-name benchmark: a record by name alone (`--kernel DIR ip_vs_conn`), cold (the result
// cache emptied before each run) with the index already built, against the same query with its
// header named (`--kernel DIR net/ip_vs.h ip_vs_conn`) and against the unit by-name lookup runs
// (<linux/module.h> forced in before the header), by turns in one run, each figure the median of
// the pairs' ratios; and the index's first build. Run `npm run build` first.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernelHeaders } from './support/kbuild.mjs';
import { fmt, ratio, run } from './support/pairs.mjs';

const headers = kernelHeaders();
if (!headers) {
  console.log('by-name: skipped (no /usr/src/linux-headers-*-amd64)');
  process.exit(0);
}
const cache = mkdtempSync(join(tmpdir(), 'layoutof-bnbench-'));
process.env.LAYOUTOF_CACHE_DIR = cache; // (this process's own check below uses it too)
delete process.env.LAYOUTOF_NO_CACHE;
const env = process.env;

// The index's first build, timed inside the process (a scan of every header of the tree).
const { kernelIndexTree } = await import(new URL('../dist/cli/by-name.js', import.meta.url).href);
const { NodeFileSystem } = await import(new URL('../dist/cli/nodefs.js', import.meta.url).href);
const { openIndex, treeDefs } = await import(new URL('../dist/cli/name-index.js', import.meta.url).href);
const tree = kernelIndexTree(headers, new NodeFileSystem());
const build = (useCache) => {
  const t = process.hrtime.bigint();
  const c = process.cpuUsage();
  const stats = { fresh: false, scanned: 0, reused: 0, listed: 0 };
  treeDefs(openIndex(tree.roots, useCache), tree, stats);
  const { user, system } = process.cpuUsage(c);
  return { ...stats, ms: Number(process.hrtime.bigint() - t) / 1e6, cpu: (user + system) / 1000 };
};
const firstBuild = build(false);
// The CLI's own first run builds and keeps it (that run is not timed with the others).
const first = run('bin/layoutof', ['--kernel', headers, 'ip_vs_conn'], { env });
const module = join(tree.base, 'include/linux/module.h');

// The results go (and bin/layoutof's own answers from the shell); what a user's cache keeps across
// queries stays: the index, and which \`stat\` prints identities as the shell reads them (else each
// run spawns it once more).
const KEEP = new Set(['index', 'stat.ok', 'sysinc']);
const clearResults = () => {
  for (const e of readdirSync(cache)) if (!KEEP.has(e)) rmSync(join(cache, e), { recursive: true, force: true });
};
const runs = Number(process.env.BENCH_RUNS ?? 5);
const byName = [];
const named = [];
const withModule = [];
for (let k = 0; k < runs; k++) {
  clearResults();
  byName.push(run('bin/layoutof', ['--kernel', headers, 'ip_vs_conn'], { env }));
  clearResults();
  named.push(run('bin/layoutof', ['--kernel', headers, 'net/ip_vs.h', 'ip_vs_conn'], { env }));
  clearResults();
  withModule.push(run('bin/layoutof', ['--kernel', headers, '-include', module, 'net/ip_vs.h', 'ip_vs_conn'], { env }));
}
if ([first, ...byName, ...named, ...withModule].some((r) => r.status !== 0)) {
  console.log('by-name: a query failed');
  process.exitCode = 1;
}
console.log(`a record by name alone (ip_vs_conn), cold, the index built; ${runs} runs by turns:`);
console.log(
  `  the index's first build: ${firstBuild.ms.toFixed(0)} ms wall, ${firstBuild.cpu.toFixed(0)} ms CPU (${firstBuild.scanned} headers scanned)`,
);
console.log(`  first by-name run, building the index:            ${fmt([first])}`);
console.log(`  layoutof --kernel DIR net/ip_vs.h ip_vs_conn:      ${fmt(named)}`);
console.log(`  ... -include linux/module.h net/ip_vs.h ip_vs_conn: ${fmt(withModule)}   ${ratio(withModule, named)}`);
console.log(`  layoutof --kernel DIR ip_vs_conn:                  ${fmt(byName)}   ${ratio(byName, named)}`);
const check = build(true);
console.log(
  `  the check that the kept index is fresh (read and stats, in this process): ${check.ms.toFixed(0)} ms wall, ` +
    `${check.cpu.toFixed(0)} ms CPU (${check.reused} headers, ${check.scanned} scanned)`,
);
rmSync(cache, { recursive: true, force: true });
