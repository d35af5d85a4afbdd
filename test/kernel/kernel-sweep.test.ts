// "Any kernel header must work": every header of Debian's linux-headers that compiles in a module
// after <linux/module.h> (3,637 of the 3,831 in include/, without uapi, trace, asm-generic and
// dt-bindings), in translation units of up to 120 headers, laid out by layoutof's --kernel emulation
// and by gcc with kbuild's flags; every named struct and union, member offset and bitfield position
// must agree.
//
// test/kernel/sweep-headers.txt lists the headers, one translation unit per paragraph, each of which
// compiled with gcc when test/support/make-sweep-list.ts made the list. Debian's package moves on, so a
// unit that no longer compiles is halved until its parts do, and a header that does not compile alone
// is dropped and named in the log; the test fails if more than 5% are dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSource } from '../../src/api.js';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { kernelSourceOptions, kernelTree } from '../../src/kernel/kbuild.js';
import { compareRecord, probesForTagged } from '../support/compare.js';
import { gccTruth, haveTool } from '../support/gcc-truth.js';
import { findKernelHeaders, kbuildProbe, type KbuildProbe } from '../support/kernel.js';

const headers = findKernelHeaders();
const skip = !headers ? 'Debian linux-headers-*-amd64 not installed' : !haveTool('make') ? 'make not installed' : false;

const units = readFileSync(new URL('./sweep-headers.txt', import.meta.url), 'utf8')
  .split(/\n\s*\n/)
  .map((p) => p.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')))
  .filter((u) => u.length > 0);

const sourceOf = (hs: readonly string[]): string => ['linux/module.h', ...hs].map((h) => `#include <${h}>\n`).join('');

test('every kernel header that compiles in a module matches gcc with kbuild\'s flags', { skip, timeout: 1_800_000 }, () => {
  // One real module build for kbuild's compiler command; every unit is then compiled with it directly.
  const probe: KbuildProbe = kbuildProbe(headers!, 'lo_sweep', '#include <linux/module.h>\n');
  const compiles = (hs: readonly string[]): boolean => {
    const file = join(probe.dir, 'check.c');
    writeFileSync(file, sourceOf(hs));
    return spawnSync(probe.cc, ['-fsyntax-only', '-w', ...probe.flags, file], { cwd: probe.cwd, stdio: 'ignore' }).status === 0;
  };
  const dropped: string[] = [];
  const split = (hs: readonly string[]): string[][] => {
    if (compiles(hs)) return [[...hs]];
    if (hs.length === 1) {
      dropped.push(hs[0]!);
      return [];
    }
    const m = hs.length >> 1;
    return [...split(hs.slice(0, m)), ...split(hs.slice(m))];
  };

  const fs = new NodeFileSystem();
  const tree = kernelTree(headers!, fs, 'lo_sweep');
  const options = kernelSourceOptions(tree, fs);
  let listed = 0;
  let records = 0;
  const distinct = new Set<string>();
  const diffs: string[] = [];
  const errors: string[] = [];
  units.forEach((unit, u) => {
    listed += unit.length;
    for (const hs of split(unit)) {
      const source = sourceOf(hs);
      const file = join(probe.dir, `unit${u}.c`);
      writeFileSync(file, source);
      const res = analyzeSource(file, options);
      for (const d of res.diagnostics.list) if (d.severity === 'error') errors.push(formatDiagnostic(d, res.sources));
      const { probes, ours } = probesForTagged(res.records);
      const truth = gccTruth(source, probes, { cc: probe.cc, nm: 'nm', objcopy: 'objcopy', flags: probe.flags, endian: 'little', cwd: probe.cwd });
      probes.forEach((p, i) => diffs.push(...compareRecord(ours[i], p, truth[i]!).map((d) => `unit ${u}: ${d}`)));
      records += probes.length;
      for (const p of probes) distinct.add(p.ctype);
    }
  });
  if (dropped.length) console.log(`# kernel sweep: ${dropped.length} listed headers no longer compile and were left out: ${dropped.join(' ')}`);
  assert.deepEqual(errors.slice(0, 10), [], `our front end reported ${errors.length} errors`);
  assert.deepEqual(diffs.slice(0, 30), [], `${diffs.length} differences over ${records} records`);
  assert.ok(dropped.length <= listed * 0.05, `${dropped.length} of ${listed} headers no longer compile`);
  console.log(`# kernel sweep: ${listed - dropped.length} headers in ${units.length} units, ${records} named records (${distinct.size} distinct) match gcc`);
});
