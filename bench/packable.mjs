// Issue 16's benchmark: `--packable` over every struct of a vmlinux BTF (.cache/kernel-image-amd64's,
// or LAYOUTOF_BTF), against `pahole --packable` on the same file, by turns in one run (median of the
// pairs' ratios, wall and CPU; goal: no slower). Cold runs (--no-cache). The two answers differ by
// design: pahole ignores explicit alignment (its task_struct saving moves cacheline-aligned
// members). Also the floor under ours: Node's start-up alone, and start-up plus reading the BTF for
// one record. Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fmt, ratio, run } from './support/pairs.mjs';

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
const runs = Number(process.env.BENCH_RUNS ?? 5);
const lines = (r) => r.out.split('\n').filter(Boolean).length;
const ours = [];
const theirs = [];
const node = [];
const read = [];
for (let k = 0; k < runs; k++) {
  ours.push(run('bin/layoutof', ['--no-cache', file, '--packable'], { keep: true }));
  if (hasPahole) theirs.push(run('pahole', ['-F', 'btf', '--packable', file], { keep: true }));
  node.push(run(process.execPath, ['-e', '0']));
  read.push(run('bin/layoutof', ['--no-cache', file, 'task_struct']));
}
console.log(`${file} --packable, medians of ${runs}, by turns:`);
if (hasPahole) console.log(`  pahole --packable          ${fmt(theirs)}   ${lines(theirs[0])} records`);
else console.log('  pahole not installed (apt-get install dwarves)');
console.log(
  `  layoutof --packable        ${fmt(ours)}   ${lines(ours[0]) - 1} records${hasPahole ? `   ${ratio(ours, theirs)}   goal <= 1.0` : ''}`,
);
console.log(`  floor: node -e 0           ${fmt(node)}`);
console.log(`  floor: layoutof, one record of the BTF (start-up and reading it)   ${fmt(read)}`);
