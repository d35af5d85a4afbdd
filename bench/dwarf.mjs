// Issue 5's DWARF benchmark: every struct of a large object's DWARF as text, layoutof against `pahole`
// on the same file, in one run. The object is the kernel IPVS unit built by kbuild with -g (needs
// linux-headers-*-amd64); LAYOUTOF_DWARF_OBJ names another object instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let obj = process.env.LAYOUTOF_DWARF_OBJ;
if (!obj) {
  const headers = existsSync('/usr/src') ? readdirSync('/usr/src').filter((d) => /^linux-headers-.*-amd64$/.test(d)).map((d) => join('/usr/src', d)).pop() : undefined;
  if (!headers) {
    console.log('dwarf: skipped (no linux-headers-*-amd64 and no LAYOUTOF_DWARF_OBJ)');
    process.exit(0);
  }
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-dbench-'));
  writeFileSync(join(dir, 'probe.c'), '#include <linux/module.h>\n#include <net/ip_vs.h>\nMODULE_LICENSE("GPL");\n');
  writeFileSync(join(dir, 'Kbuild'), 'obj-m := probe.o\nccflags-y += -g -fno-eliminate-unused-debug-types\n');
  spawnSync('make', ['-C', headers, `M=${dir}`, 'modules'], { stdio: 'ignore' });
  obj = join(dir, 'probe.o');
}
const time = (cmd, args) => {
  const t = process.hrtime.bigint();
  spawnSync(cmd, args, { stdio: 'ignore', maxBuffer: 1 << 30 });
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const runs = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ours = median(Array.from({ length: runs }, () => time(process.execPath, ['bin/layoutof', obj])));
console.log(`all structs of ${obj} (DWARF) as text:`);
console.log(`  layoutof   ${ours.toFixed(0)} ms`);
if (spawnSync('pahole', ['--version']).status === 0) {
  const p = median(Array.from({ length: runs }, () => time('pahole', [obj])));
  console.log(`  pahole     ${p.toFixed(0)} ms   ratio ${(ours / p).toFixed(2)}   target <= 2.0`);
} else console.log('  pahole not installed (apt-get install dwarves)');
