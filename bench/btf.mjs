// Issue 5's benchmark: every struct of /sys/kernel/btf/vmlinux as text, layoutof against
// `pahole -F btf` on the same file, in one run (median wall time, ratio). Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const file = process.env.LAYOUTOF_BTF ?? '/sys/kernel/btf/vmlinux';
if (!existsSync(file)) {
  console.log(`btf: skipped (no ${file})`);
  process.exit(0);
}
const hasPahole = spawnSync('pahole', ['--version']).status === 0;
function time(cmd, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, ok: r.status === 0 };
}
const runs = Number(process.env.BENCH_RUNS ?? 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// layoutof and pahole by turns, so that a machine slowing down or speeding up weighs on both alike.
const ours = [];
const theirs = [];
for (let k = 0; k < runs; k++) {
  ours.push(time('bin/layoutof', [file]).ms);
  if (hasPahole) theirs.push(time('pahole', ['-F', 'btf', file]).ms);
}
const o = median(ours);
console.log(`all structs of ${file} as text, median (and min) of ${runs}:`);
console.log(`  layoutof         ${o.toFixed(0)} ms (min ${Math.min(...ours).toFixed(0)})`);
if (hasPahole) {
  const p = median(theirs);
  console.log(`  pahole -F btf    ${p.toFixed(0)} ms (min ${Math.min(...theirs).toFixed(0)})   ratio ${(o / p).toFixed(2)} (of the mins ${(Math.min(...ours) / Math.min(...theirs)).toFixed(2)})   target <= 1.0`);
} else console.log('  pahole not installed (apt-get install dwarves)');
