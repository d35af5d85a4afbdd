// Issue 16's benchmark: `--packable` over every struct of a vmlinux BTF (.cache/kernel-image-amd64's,
// or LAYOUTOF_BTF), against `pahole --packable` on the same file in one run (median and min wall
// time, ratio; goal: no slower). Cold runs (--no-cache). The two answers differ by design: pahole
// ignores explicit alignment (its task_struct saving moves cacheline-aligned members). Run
// `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const file =
  process.env.LAYOUTOF_BTF ??
  (existsSync('.cache/kernel-image-amd64/vmlinux.btf')
    ? '.cache/kernel-image-amd64/vmlinux.btf'
    : '/sys/kernel/btf/vmlinux');
if (!existsSync(file)) {
  console.log(`packable: skipped (no ${file})`);
  process.exit(0);
}
const hasPahole = spawnSync('pahole', ['--version']).status === 0;
function time(cmd, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, lines: String(r.stdout).split('\n').filter(Boolean).length };
}
const runs = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs) => Math.min(...xs);
const ours = [];
const theirs = [];
let ourLines = 0;
let theirLines = 0;
for (let k = 0; k < runs; k++) {
  const a = time('bin/layoutof', ['--no-cache', file, '--packable']);
  ours.push(a.ms);
  ourLines = a.lines - 1;
  if (hasPahole) {
    const b = time('pahole', ['-F', 'btf', '--packable', file]);
    theirs.push(b.ms);
    theirLines = b.lines;
  }
}
const fmt = (xs) => `${median(xs).toFixed(0)} ms (min ${min(xs).toFixed(0)})`;
console.log(`${file} --packable, median (and min) of ${runs}:`);
if (hasPahole) console.log(`  pahole --packable          ${fmt(theirs)}   ${theirLines} records`);
else console.log('  pahole not installed (apt-get install dwarves)');
console.log(
  `  layoutof --packable        ${fmt(ours)}   ${ourLines} records${hasPahole ? `   ratio ${(median(ours) / median(theirs)).toFixed(2)} (of the mins ${(min(ours) / min(theirs)).toFixed(2)})   goal <= 1.0` : ''}`,
);
