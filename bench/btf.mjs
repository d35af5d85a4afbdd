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
const ours = median(Array.from({ length: runs }, () => time('bin/layoutof', [file]).ms));
console.log(`all structs of ${file} as text:`);
console.log(`  layoutof         ${ours.toFixed(0)} ms`);
if (hasPahole) {
  const p = median(Array.from({ length: runs }, () => time('pahole', ['-F', 'btf', file]).ms));
  console.log(`  pahole -F btf    ${p.toFixed(0)} ms   ratio ${(ours / p).toFixed(2)}   target <= 1.0`);
} else console.log('  pahole not installed (apt-get install dwarves)');
