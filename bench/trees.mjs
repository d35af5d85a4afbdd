// Issue 20's whole-tree benchmark: `--every-header` over a kernel tree (default the whole tree, the
// goal's measure; BENCH_SHARD=1/10 for a quick slice, where each process's warm-up weighs more) against
// `gcc -fsyntax-only` with kbuild's flags over the same units, the same number of jobs at once.
// (A record by name alone is bench/by-name.mjs's.)
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { kbuildProbe, kernelHeaders } from './support/kbuild.mjs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const headers = kernelHeaders();
if (!headers) {
  console.log('trees: skipped (no /usr/src/linux-headers-*-amd64)');
  process.exit(0);
}
const jobs = Number(process.env.BENCH_JOBS ?? availableParallelism());
const shard = process.env.BENCH_SHARD ?? '1/1';

// kbuild's compiler command, from a real module build.
const { dir, cc, flags } = kbuildProbe(
  headers,
  '#include <linux/module.h>\nMODULE_LICENSE("GPL");\n',
  'layoutof-tbench-',
);

// Wall time, and CPU time (user + system, children included, from time(1)): on a shared machine the
// wall clock says more about the neighbours than about the tool.
function time(cmd, args, env = process.env) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', cmd, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env,
    encoding: 'utf8',
  });
  const m = /([\d.]+) ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr) ?? [];
  return { s: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), code: r.status, err: r.stderr };
}
function timeAsync(cmd, args, cwd) {
  return new Promise((res) => {
    let err = '';
    const p = spawn('/usr/bin/time', ['-f', '%e %U %S', cmd, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', () => {
      const m = /([\d.]+) ([\d.]+) ([\d.]+)\s*$/.exec(err) ?? [];
      res(Number(m[2]) + Number(m[3]));
    });
  });
}

// --every-header against gcc over the same units.
const { everyHeaderUnits, shardOf } = await import(new URL('../dist/cli/every-header.js', import.meta.url).href);
const { parseArgs } = await import(new URL('../dist/cli/args.js', import.meta.url).href);
const args = ['--kernel', headers, '--every-header', '--shard', shard, '--no-cache', '--format', 'json'];
const [si, sn] = shard.split('/').map(Number);
const units = shardOf(everyHeaderUnits(parseArgs(args)), [si, sn]);
const unitFiles = units.map((u, i) => {
  const f = join(dir, `unit${i}.c`);
  writeFileSync(f, ['linux/module.h', ...u.files].map((h) => `#include <${h}>\n`).join(''));
  return f;
});
async function gccAll() {
  const t0 = process.hrtime.bigint();
  let next = 0;
  let cpu = 0;
  const one = async () => {
    // (Not `cpu += await ...`: that reads `cpu` before the wait, and the other job's sums are lost.)
    while (next < unitFiles.length) {
      const t = await timeAsync(cc, ['-fsyntax-only', '-w', ...flags, unitFiles[next++]], headers);
      cpu += t;
    }
  };
  await Promise.all(Array.from({ length: jobs }, one));
  return { s: Number(process.hrtime.bigint() - t0) / 1e9, cpu };
}
const g = await gccAll();
const ours = time('bin/layoutof', [...args, '--jobs', String(jobs)]);
const headerCount = units.reduce((n, u) => n + u.files.length, 0);
console.log(`--every-header, ${units.length} units (${headerCount} headers, shard ${shard}), ${jobs} jobs:`);
const row = (label, x, base) =>
  `  ${label}${x.s.toFixed(2)} s wall, ${x.cpu.toFixed(2)} s CPU${base ? `   ratio ${(x.s / base.s).toFixed(2)} wall, ${(x.cpu / base.cpu).toFixed(2)} CPU` : ''}`;
console.log(row('gcc -fsyntax-only (kbuild flags)  ', g));
console.log(
  row('layoutof --every-header           ', ours, g) + (shard === '1/1' ? '   goal <= 1.0 CPU (issue 20)' : ''),
);
// (Each unit whose headers fail compiles again without them: gcc's count is the units'.)
console.log(`  ${/layoutof: note: (.*)/.exec(ours.err)?.[1] ?? ''}`);

rmSync(dir, { recursive: true, force: true });
