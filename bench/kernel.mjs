// Issue 3's benchmark: `layoutof --kernel <debian headers> probe.c ip_vs_conn` (and issue 20's
// `--all --format json`) against the same translation unit's `gcc -fsyntax-only` with kbuild's exact
// flags (taken from a real V=1 module build), all in one run: median wall time, peak RSS, and the
// ratio. Needs linux-headers-*-amd64 and a build.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { kbuildProbe, kernelHeaders } from './support/kbuild.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const headers = kernelHeaders();
if (!headers) {
  console.log('kernel: skipped (no /usr/src/linux-headers-*-amd64; apt-get install linux-headers-amd64)');
  process.exit(0);
}
const { file, cc, flags } = kbuildProbe(
  headers,
  '#include <linux/module.h>\n#include <net/ip_vs.h>\nMODULE_LICENSE("GPL");\n',
  'layoutof-kbench-',
);

// Wall time from the clock here (milliseconds matter for the cached query), peak RSS from time(1).
function measure(cmd, args, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /([\d.]+) (\d+)\s*$/.exec(r.stderr);
  return { s, kb: Number(m?.[2] ?? NaN) };
}
const runs = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs) => Math.min(...xs);
// gcc and layoutof by turns, so that a machine slowing down or speeding up weighs on both alike.
const gcc = [];
const ours = [];
const all = [];
for (let k = 0; k < runs; k++) {
  gcc.push(measure(cc, ['-fsyntax-only', ...flags, file], headers));
  ours.push(measure('bin/layoutof', ['--no-cache', '--kernel', headers, file, 'ip_vs_conn'], process.cwd()));
  // Every record of the unit (issue 20: no slower than gcc either).
  all.push(
    measure('bin/layoutof', ['--no-cache', '--kernel', headers, file, '--all', '--format', 'json'], process.cwd()),
  );
}
process.env.LAYOUTOF_CACHE_DIR = mkdtempSync(join(tmpdir(), 'layoutof-kcache-'));
measure('bin/layoutof', ['--kernel', headers, file, 'ip_vs_conn'], process.cwd()); // fills the cache
const warm = Array.from({ length: runs }, () =>
  measure('bin/layoutof', ['--kernel', headers, file, 'ip_vs_conn'], process.cwd()),
);
const g = median(gcc.map((x) => x.s));
const o = median(ours.map((x) => x.s));
const w = median(warm.map((x) => x.s));
const row = (label, xs) =>
  `  ${label}${median(xs.map((x) => x.s)).toFixed(3)} s (min ${min(xs.map((x) => x.s)).toFixed(3)})   peak ${(Math.max(...xs.map((x) => x.kb)) / 1024).toFixed(0)} MB`;
console.log(`kernel TU (module.h + net/ip_vs.h), median (and min) of ${runs}:`);
console.log(row('gcc -fsyntax-only (kbuild flags)  ', gcc));
console.log(row('layoutof --kernel ... ip_vs_conn  ', ours));
console.log(row('layoutof ... --all --format json  ', all));
console.log(row('layoutof, repeated (cache hit)    ', warm));
// Where the cold run's time goes: the same unit analysed again and again in one Node process, once
// V8 has optimised the code (rounds 3 to 6): what is left of a cold run above this is V8 warming up.
const warmScript = `
const { kernelTree, kernelSourceOptions } = await import(${JSON.stringify(new URL('../dist/kernel/kbuild.js', import.meta.url).href)});
const { NodeFileSystem } = await import(${JSON.stringify(new URL('../dist/cli/nodefs.js', import.meta.url).href)});
const { analyzeSource } = await import(${JSON.stringify(new URL('../dist/api.js', import.meta.url).href)});
const ms = [];
for (let k = 0; k < 6; k++) {
  const t0 = performance.now();
  const fs = new NodeFileSystem();
  analyzeSource(${JSON.stringify(file)}, kernelSourceOptions(kernelTree(${JSON.stringify(headers)}, fs), fs)).find('ip_vs_conn');
  ms.push(performance.now() - t0);
}
console.log(JSON.stringify(ms.slice(2)));`;
const inProcess = JSON.parse(
  spawnSync(process.execPath, ['--input-type=module', '-e', warmScript], { encoding: 'utf8' }).stdout || '[]',
).map((x) => x / 1000);
if (inProcess.length)
  console.log(
    `  layoutof in one process, warm     ${median(inProcess).toFixed(3)} s (min ${min(inProcess).toFixed(3)})   (rounds 3-6: V8's code optimised)`,
  );
// Each layoutof run is timed right after a gcc run: the median of those pairs' ratios is the figure a
// machine whose speed drifts from one minute to the next disturbs least.
const pairs = median(ours.map((x, k) => x.s / gcc[k].s));
const allPairs = median(all.map((x, k) => x.s / gcc[k].s));
console.log(
  `  ratio cold ${(o / g).toFixed(2)} (of the mins ${(min(ours.map((x) => x.s)) / min(gcc.map((x) => x.s))).toFixed(2)}, of each pair ${pairs.toFixed(2)}; target <= 1.0)   ratio repeated ${(w / g).toFixed(3)} (target <= 0.1)`,
);
console.log(
  `  ratio --all --format json ${(median(all.map((x) => x.s)) / g).toFixed(2)} (of each pair ${allPairs.toFixed(2)}; target <= 1.0)`,
);
