// "Any kernel header must work": every header of Debian's linux-headers that compiles in a module
// after <linux/module.h> (3,637 of the 3,831 in include/, without uapi, trace, asm-generic and
// dt-bindings), in translation units of up to 120 headers, laid out by layoutof's --kernel emulation
// and by gcc with kbuild's flags; every named struct and union, member offset, member size and bitfield
// position must agree; and the same units read back from their DWARF and BTF agree with the source
// reading.
//
// test/kernel/sweep-headers.txt lists the headers, one translation unit per paragraph, each of which
// compiled with gcc when test/support/make-sweep-list.ts made the list. Debian's package moves on, so a
// unit that no longer compiles is halved until its parts do, and a header that does not compile alone
// is dropped and named in the log; the test fails if more than 5% are dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSource } from '../../src/api.js';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { kernelSourceOptions, kernelTree } from '../../src/kernel/kbuild.js';
import { analyzeBinary } from '../../src/binary/index.js';
import { compareRecord, probesForTagged, signaturesByName, withoutForcedAlign } from '../support/compare.js';
import { gccTruth, haveTool } from '../support/gcc-truth.js';
import { findKernelHeaders, kbuildProbe, sweepUnits, type KbuildProbe } from '../support/kernel.js';
import { splitUntilCompiles } from '../support/header-sweep.js';

const headers = findKernelHeaders();
const skip = !headers ? 'Debian linux-headers-*-amd64 not installed' : !haveTool('make') ? 'make not installed' : false;

const units = sweepUnits();
const sourceOf = (hs: readonly string[]): string => ['linux/module.h', ...hs].map((h) => `#include <${h}>\n`).join('');

// The units as compiled (after any halving) and their records' layouts, for the three readings below.
const compiled: { unit: number; file: string; sigs: Map<string, string> }[] = [];
let probe: KbuildProbe | undefined;

test(
  "every kernel header that compiles in a module matches gcc with kbuild's flags",
  { skip, timeout: 1_800_000 },
  () => {
    // One real module build for kbuild's compiler command; every unit is then compiled with it directly.
    const kb = (probe = kbuildProbe(headers!, 'lo_sweep', '#include <linux/module.h>\n'));
    const compiles = (hs: readonly string[]): boolean => {
      const file = join(kb.dir, 'check.c');
      writeFileSync(file, sourceOf(hs));
      return (
        spawnSync(kb.cc, ['-fsyntax-only', '-w', ...kb.flags, file], { cwd: kb.cwd, stdio: 'ignore' }).status === 0
      );
    };
    const dropped: string[] = [];
    const split = (hs: readonly string[]): string[][] => splitUntilCompiles(hs, compiles, dropped);

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
      split(unit).forEach((hs, k) => {
        const source = sourceOf(hs);
        const file = join(kb.dir, `unit${u}_${k}.c`);
        writeFileSync(file, source);
        const res = analyzeSource(file, options);
        for (const d of res.diagnostics.list) if (d.severity === 'error') errors.push(formatDiagnostic(d, res.sources));
        const { probes, ours } = probesForTagged(res.records);
        const truth = gccTruth(source, probes, {
          cc: kb.cc,
          nm: 'nm',
          objcopy: 'objcopy',
          flags: kb.flags,
          endian: 'little',
          cwd: kb.cwd,
        });
        probes.forEach((p, i) => diffs.push(...compareRecord(ours[i], p, truth[i]!).map((d) => `unit ${u}: ${d}`)));
        records += probes.length;
        for (const p of probes) distinct.add(p.ctype);
        compiled.push({ unit: u, file, sigs: signaturesByName(res.records) });
      });
    });
    if (dropped.length)
      console.log(
        `# kernel sweep: ${dropped.length} listed headers no longer compile and were left out: ${dropped.join(' ')}`,
      );
    assert.deepEqual(errors.slice(0, 10), [], `our front end reported ${errors.length} errors`);
    assert.deepEqual(diffs.slice(0, 30), [], `${diffs.length} differences over ${records} records`);
    assert.ok(dropped.length <= listed * 0.05, `${dropped.length} of ${listed} headers no longer compile`);
    console.log(
      `# kernel sweep: ${listed - dropped.length} headers in ${units.length} units, ${records} named records (${distinct.size} distinct) match gcc`,
    );
  },
);

// Each unit built with debug info, read back from its DWARF and from BTF that pahole -J encodes from
// it: every record both readings have must equal the source reading, member by member (anonymous
// members' too), and the DWARF reading also on which members are explicitly aligned.
test(
  'every kernel header: source, DWARF and BTF readings of each unit agree',
  { skip: skip || (!haveTool('pahole') && 'pahole (dwarves) not installed'), timeout: 1_800_000 },
  () => {
    assert.ok(probe && compiled.length, 'the sweep above ran');
    const kb = probe;
    const diffs: string[] = [];
    let compared = 0;
    for (const { unit, file, sigs: src } of compiled) {
      const obj = file.replace(/\.c$/, '.o');
      const cc = spawnSync(
        kb.cc,
        ['-c', '-w', '-g', '-fno-eliminate-unused-debug-types', ...kb.flags, '-o', obj, file],
        { cwd: kb.cwd, encoding: 'utf8' },
      );
      assert.equal(cc.status, 0, cc.stderr.slice(0, 2000));
      const btfObj = obj.replace(/\.o$/, '.btf.o');
      copyFileSync(obj, btfObj);
      const pj = spawnSync('pahole', ['-J', btfObj], { encoding: 'utf8' });
      assert.equal(pj.status, 0, pj.stderr);
      const dw = signaturesByName(analyzeBinary(new Uint8Array(readFileSync(obj)), { path: obj }).records);
      const bt = signaturesByName(
        analyzeBinary(new Uint8Array(readFileSync(btfObj)), { path: btfObj, preferBtf: true }).records,
      );
      for (const [n, s] of src) {
        if (!dw.has(n)) continue; // declared only
        compared++;
        if (dw.get(n) !== s) diffs.push(`unit ${unit} ${n}: source ${s}\n   dwarf ${dw.get(n)}`);
        if (bt.has(n) && bt.get(n) !== withoutForcedAlign(s))
          diffs.push(`unit ${unit} ${n}: source ${s}\n     btf ${bt.get(n)}`);
      }
      rmSync(obj);
      rmSync(btfObj);
    }
    assert.deepEqual(
      diffs.slice(0, 5).map((d) => d.slice(0, 600)),
      [],
      `${diffs.length} disagreements over ${compared} records`,
    );
    assert.ok(compared > 10_000, `only ${compared} records in common`);
    console.log(`# kernel sweep: three readings agree on ${compared} records (counted per unit)`);
  },
);
