// Issue 5's benchmark: every struct of /sys/kernel/btf/vmlinux as text, layoutof against
// `pahole -F btf` on the same file, in one run (median and min wall time, ratios). Three layoutof
// figures: cold (--no-cache: Node starts, the BTF is read and every record laid out and printed),
// repeated (the same query again, answered from the result cache by bin/layoutof without Node), and
// one struct by name (task_struct, against pahole -C). Run `npm run build` first.
// And Node's floor: a script that only starts Node, reads the file and writes layoutof's finished
// answer (computed beforehand): what no program on Node can go below, whatever it computes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const file = process.env.LAYOUTOF_BTF ?? '/sys/kernel/btf/vmlinux';
if (!existsSync(file)) {
  console.log(`btf: skipped (no ${file})`);
  process.exit(0);
}
const hasPahole = spawnSync('pahole', ['--version']).status === 0;
const cache = mkdtempSync(join(tmpdir(), 'layoutof-btfbench-'));
const env = { ...process.env, LAYOUTOF_CACHE_DIR: cache, LAYOUTOF_NO_CACHE: '' };
function time(cmd, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'], env });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, ok: r.status === 0 };
}
const runs = Number(process.env.BENCH_RUNS ?? 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs) => Math.min(...xs);
// layoutof and pahole by turns, so that a machine slowing down or speeding up weighs on both alike.
const cold = [];
const warm = [];
const one = [];
const theirs = [];
const theirsOne = [];
time('bin/layoutof', [file]); // fills the cache for the repeated query
const answer = join(cache, 'answer.txt');
writeFileSync(answer, spawnSync('bin/layoutof', ['--no-cache', file], { maxBuffer: 1 << 30 }).stdout);
const floorScript = `const fs = require('node:fs'); fs.readFileSync(${JSON.stringify(file)}); fs.writeSync(1, fs.readFileSync(${JSON.stringify(answer)}, 'latin1'));`;
const floor = [];
for (let k = 0; k < runs; k++) {
  cold.push(time('bin/layoutof', ['--no-cache', file]).ms);
  warm.push(time('bin/layoutof', [file]).ms);
  one.push(time('bin/layoutof', ['--no-cache', file, 'task_struct']).ms);
  floor.push(time(process.execPath, ['-e', floorScript]).ms);
  if (hasPahole) {
    theirs.push(time('pahole', ['-F', 'btf', file]).ms);
    theirsOne.push(time('pahole', ['-F', 'btf', '-C', 'task_struct', file]).ms);
  }
}
rmSync(cache, { recursive: true, force: true });
const fmt = (xs) => `${median(xs).toFixed(0)} ms (min ${min(xs).toFixed(0)})`;
const ratio = (a, b) => `ratio ${(median(a) / median(b)).toFixed(2)} (of the mins ${(min(a) / min(b)).toFixed(2)})`;
console.log(`${file} as text, median (and min) of ${runs}:`);
if (hasPahole) console.log(`  pahole -F btf                    ${fmt(theirs)}`);
else console.log('  pahole not installed (apt-get install dwarves)');
console.log(
  `  layoutof, cold (--no-cache)      ${fmt(cold)}${hasPahole ? `   ${ratio(cold, theirs)}   target <= 1.0` : ''}`,
);
console.log(`  layoutof, repeated (cache hit)   ${fmt(warm)}${hasPahole ? `   ${ratio(warm, theirs)}` : ''}`);
console.log(`  Node alone: start, read, print   ${fmt(floor)}${hasPahole ? `   ${ratio(floor, theirs)}` : ''}`);
if (hasPahole) console.log(`  pahole -F btf -C task_struct     ${fmt(theirsOne)}`);
console.log(`  layoutof ... task_struct, cold   ${fmt(one)}${hasPahole ? `   ${ratio(one, theirsOne)}` : ''}`);
