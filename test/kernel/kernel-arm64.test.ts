// --kernel on another architecture's build tree (Debian's linux-headers-*-arm64, unpacked by
// scripts/install-test-deps.sh): the target comes from its .config, and every record of the IPVS unit
// matches Debian's aarch64 cross gcc given the same tree, includes and kbuild's arm64 flags.
// And the kernel header sweep on that tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSource } from '../../src/api.js';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { kernelSourceOptions, kernelTree, type KernelTree } from '../../src/kernel/kbuild.js';
import { compareRecord, probesForTagged } from '../support/compare.js';
import { gccTruth, haveTool } from '../support/gcc-truth.js';
import { sweepUnits } from '../support/kernel.js';
import { splitUntilCompiles } from '../support/header-sweep.js';

const root = join(process.cwd(), '.cache/kernel-arm64/usr/src');
const dir =
  process.env.LAYOUTOF_ARM64_KERNEL_DIR ??
  (existsSync(root)
    ? readdirSync(root)
        .filter((d) => d.endsWith('-arm64'))
        .map((d) => join(root, d))[0]
    : undefined);
const skip = !dir
  ? 'no unpacked linux-headers-*-arm64 (scripts/install-test-deps.sh fetches it as root)'
  : !haveTool('aarch64-linux-gnu-gcc') && 'aarch64-linux-gnu-gcc not installed';

test(
  '--kernel on an arm64 tree: target from .config, every IPVS record matches aarch64 gcc',
  { skip, timeout: 300_000 },
  () => {
    const fs = new NodeFileSystem();
    const tree = kernelTree(dir!, fs, 'lo_arm64');
    assert.equal(tree.target.triple, 'aarch64-linux-gnu');
    const tmp = mkdtempSync(join(tmpdir(), 'layoutof-arm64-'));
    const file = join(tmp, 'probe.c');
    const source = '#include <linux/module.h>\n#include <net/ip_vs.h>\n';
    writeFileSync(file, source);
    const res = analyzeSource(file, kernelSourceOptions(tree, fs));
    const errors = res.diagnostics.list
      .filter((d) => d.severity === 'error')
      .map((d) => formatDiagnostic(d, res.sources));
    assert.deepEqual(errors.slice(0, 5), []);
    const conn = res.records.find((r) => r.name === 'ip_vs_conn');
    assert.equal(conn?.size, 288);
    const { probes, ours } = probesForTagged(res.records);
    // gcc gets the real flags and computes its own predefined macros.
    const flags = gccFlags(tree);
    const truth = gccTruth(source, probes, {
      cc: 'aarch64-linux-gnu-gcc',
      nm: 'aarch64-linux-gnu-nm',
      objcopy: 'aarch64-linux-gnu-objcopy',
      flags,
      endian: 'little',
      cwd: dir,
    });
    const diffs = probes.flatMap((p, i) => compareRecord(ours[i], p, truth[i]!));
    assert.deepEqual(diffs.slice(0, 20), [], `${diffs.length} differences over ${probes.length} records`);
    console.log(`# arm64 kernel tree: ${probes.length} named records match aarch64-linux-gnu-gcc`);
  },
);

function gccFlags(tree: KernelTree): string[] {
  return [
    '-nostdinc',
    ...tree.include.angled.map((d) => `-I${d}`),
    ...tree.forcedIncludes.flatMap((f) => ['-include', f]),
    '-D__KERNEL__',
    '-DMODULE',
    '-DKBUILD_BASENAME="lo_arm64"',
    '-DKBUILD_MODNAME="lo_arm64"',
    '-D__KBUILD_MODNAME=kmod_lo_arm64',
    ...tree.flags,
  ];
}

// The kernel header sweep (see kernel-sweep.test.ts) on the arm64 tree, against aarch64 gcc.
test(
  '--kernel on an arm64 tree: every kernel header that compiles matches aarch64 gcc',
  { skip, timeout: 1_800_000 },
  () => {
    const fs = new NodeFileSystem();
    const tree = kernelTree(dir!, fs, 'lo_arm64');
    const options = kernelSourceOptions(tree, fs);
    const flags = gccFlags(tree);
    const tmp = mkdtempSync(join(tmpdir(), 'layoutof-arm64-sweep-'));
    const sourceOf = (hs: readonly string[]) => ['linux/module.h', ...hs].map((h) => `#include <${h}>\n`).join('');
    const compiles = (hs: readonly string[]): boolean => {
      const file = join(tmp, 'check.c');
      writeFileSync(file, sourceOf(hs));
      return (
        spawnSync('aarch64-linux-gnu-gcc', ['-fsyntax-only', '-w', ...flags, file], { cwd: dir, stdio: 'ignore' })
          .status === 0
      );
    };
    const dropped: string[] = [];
    let listed = 0;
    let records = 0;
    const diffs: string[] = [];
    const errors: string[] = [];
    sweepUnits().forEach((unit, u) => {
      listed += unit.length;
      for (const hs of splitUntilCompiles(unit, compiles, dropped)) {
        const source = sourceOf(hs);
        const file = join(tmp, `unit${u}.c`);
        writeFileSync(file, source);
        const res = analyzeSource(file, options);
        for (const d of res.diagnostics.list) if (d.severity === 'error') errors.push(formatDiagnostic(d, res.sources));
        const { probes, ours } = probesForTagged(res.records);
        const truth = gccTruth(source, probes, {
          cc: 'aarch64-linux-gnu-gcc',
          nm: 'aarch64-linux-gnu-nm',
          objcopy: 'aarch64-linux-gnu-objcopy',
          flags,
          endian: 'little',
          cwd: dir,
        });
        probes.forEach((p, i) => diffs.push(...compareRecord(ours[i], p, truth[i]!).map((d) => `unit ${u}: ${d}`)));
        records += probes.length;
      }
    });
    rmSync(tmp, { recursive: true, force: true });
    assert.deepEqual(errors.slice(0, 10), [], `our front end reported ${errors.length} errors`);
    assert.deepEqual(diffs.slice(0, 30), [], `${diffs.length} differences over ${records} records`);
    assert.ok(
      dropped.length <= listed * 0.05,
      `${dropped.length} of ${listed} headers do not compile for arm64: ${dropped.join(' ')}`,
    );
    console.log(
      `# arm64 kernel sweep: ${listed - dropped.length} of ${listed} headers, ${records} named records (counted per unit) match aarch64 gcc`,
    );
  },
);
