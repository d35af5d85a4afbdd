// Makes test/kernel/sweep-headers.txt: every header of the installed Debian linux-headers (the source
// tree's include/, without uapi/, trace/, asm-generic/ and dt-bindings/) that compiles in a module
// after <linux/module.h>, packed into translation units of up to 120 headers that compile together.
//   node --import tsx test/support/make-sweep-list.ts [> test/kernel/sweep-headers.txt]
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { kernelTree } from '../../src/kernel/kbuild.js';
import { packUnits } from './header-sweep.js';
import { findKernelHeaders, kbuildProbe } from './kernel.js';

const SKIP_DIRS = new Set(['uapi', 'trace', 'asm-generic', 'dt-bindings', 'math-emu', 'vdso']);
const UNIT = 120;

const dir = findKernelHeaders();
if (!dir) throw new Error('no /usr/src/linux-headers-*-amd64');
const tree = kernelTree(dir, new NodeFileSystem());
const include = join(tree.srcTree, 'include');
const all: string[] = [];
(function walk(d: string, top: boolean): void {
  for (const e of readdirSync(d).sort()) {
    const p = join(d, e);
    if (statSync(p).isDirectory()) {
      if (!(top && SKIP_DIRS.has(e))) walk(p, false);
    } else if (e.endsWith('.h') && !top) all.push(relative(include, p));
  }
})(include, true);

const probe = kbuildProbe(dir, 'lo_list', '#include <linux/module.h>\n');
let n = 0;
/** A translation unit of `hs` after <linux/module.h>, in a file of its own; the compiler's arguments. */
function unit(hs: readonly string[]): string[] {
  const file = join(probe.dir, `c${n++}.c`);
  writeFileSync(file, ['linux/module.h', ...hs].map((h) => `#include <${h}>\n`).join(''));
  return ['-fsyntax-only', '-w', ...probe.flags, file];
}
function compiles(hs: readonly string[]): Promise<boolean> {
  return new Promise((res) =>
    spawn(probe.cc, unit(hs), { cwd: probe.cwd, stdio: 'ignore' }).on('exit', (c) => res(c === 0)),
  );
}

// Each header alone, as many at once as there are CPUs.
const alone: boolean[] = new Array(all.length).fill(false);
let next = 0;
await Promise.all(
  Array.from({ length: cpus().length }, async () => {
    while (next < all.length) {
      const i = next++;
      alone[i] = await compiles([all[i]!]);
      if (process.stderr.isTTY) process.stderr.write(`\r${i + 1}/${all.length}`);
    }
  }),
);
const ok = all.filter((_, i) => alone[i]);

// Then units (one at a time, so synchronously).
const compilesNow = (hs: readonly string[]): boolean =>
  spawnSync(probe.cc, unit(hs), { cwd: probe.cwd, stdio: 'ignore' }).status === 0;
const units = packUnits(ok, UNIT, compilesNow, []);
const out = [
  `# Made by test/support/make-sweep-list.ts from ${dir}: ${ok.length} of ${all.length} headers compile`,
  `# in a module after <linux/module.h>; ${units.length} translation units (paragraphs) that compile together.`,
  '',
  ...units.map((u) => u.join('\n') + '\n'),
].join('\n');
process.stdout.write(out);
rmSync(probe.dir, { recursive: true, force: true });
if (process.stderr.isTTY) process.stderr.write('\n');
