// Issue 5's DWARF benchmark (and issue 20's libc goal): every struct of an object's DWARF as text,
// layoutof against `pahole` on the same file, by turns in one run (median of the pairs' ratios, wall
// and CPU). Two objects: the kernel IPVS unit built by kbuild with -g (1 MB; needs
// linux-headers-*-amd64), and a large one, Debian's libc6-dbg debug file for libc.so.6 (DWARF 5,
// zlib-compressed, ~1,500 units; fetched with apt-get download into .cache/ when missing).
// LAYOUTOF_DWARF_OBJ names another object instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, ratio, run } from './support/pairs.mjs';

let obj = process.env.LAYOUTOF_DWARF_OBJ;
if (!obj) {
  const headers = existsSync('/usr/src')
    ? readdirSync('/usr/src')
        .filter((d) => /^linux-headers-.*-amd64$/.test(d))
        .map((d) => join('/usr/src', d))
        .pop()
    : undefined;
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
const objects = [obj];
if (!process.env.LAYOUTOF_DWARF_OBJ) {
  const big = libcDebug();
  if (big) objects.push(big);
  else console.log('dwarf: libc6-dbg not available (apt-get download libc6-dbg); only the kernel unit is measured');
}

/** libc.so.6's detached debug file from libc6-dbg: installed, or unpacked into .cache/libc6-dbg. */
function libcDebug() {
  const id = /Build ID: ([0-9a-f]+)/.exec(
    spawnSync('readelf', ['-n', '/lib/x86_64-linux-gnu/libc.so.6'], { encoding: 'utf8' }).stdout ?? '',
  )?.[1];
  if (!id) return undefined;
  const rel = join('usr/lib/debug/.build-id', id.slice(0, 2), id.slice(2) + '.debug');
  for (const root of ['/', '.cache/libc6-dbg']) if (existsSync(join(root, rel))) return join(root, rel);
  mkdirSync('.cache/libc6-dbg', { recursive: true });
  const dl = spawnSync(
    'sh',
    [
      '-c',
      'cd .cache/libc6-dbg && apt-get download -qq libc6-dbg && dpkg-deb -x libc6-dbg_*.deb . && rm -f libc6-dbg_*.deb',
    ],
    { stdio: 'ignore' },
  );
  return dl.status === 0 && existsSync(join('.cache/libc6-dbg', rel)) ? join('.cache/libc6-dbg', rel) : undefined;
}

const env = { ...process.env, LAYOUTOF_NO_CACHE: '1' };
const runs = Number(process.env.BENCH_RUNS ?? 5);
const hasPahole = spawnSync('pahole', ['--version']).status === 0;
// Cold runs only (LAYOUTOF_NO_CACHE): a repeated query would be answered from the result cache.
// By turns, so that a machine slowing down or speeding up weighs on both alike.
for (const o of objects) {
  const ours = [];
  const theirs = [];
  for (let k = 0; k < runs; k++) {
    ours.push(run('bin/layoutof', [o], { env }));
    if (hasPahole) theirs.push(run('pahole', [o], { env }));
  }
  console.log(`all structs of ${o} (DWARF) as text, cold, medians of ${runs}:`);
  console.log(`  layoutof   ${fmt(ours)}`);
  // The target is for a large object; a 1 MB module is mostly Node's start-up and a cold JIT.
  const target =
    o === objects[objects.length - 1] && objects.length > 1
      ? 'goal <= 1.0 (issue 20)'
      : objects.length > 1
        ? 'no target (a small object)'
        : 'goal <= 1.0 (for a large object)';
  if (hasPahole) console.log(`  pahole     ${fmt(theirs)}   ${ratio(ours, theirs)}   ${target}`);
  else console.log('  pahole not installed (apt-get install dwarves)');
}
