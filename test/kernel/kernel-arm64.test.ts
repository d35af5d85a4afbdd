// --kernel on another architecture's build tree (Debian's linux-headers-*-arm64, unpacked by
// scripts/install-test-deps.sh): the target comes from its .config, and every record of the IPVS unit
// matches Debian's aarch64 cross gcc given the same tree, includes and kbuild's arm64 flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSource } from '../../src/api.js';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { kernelSourceOptions, kernelTree } from '../../src/kernel/kbuild.js';
import type { Record } from '../../src/model/model.js';
import { compareRecord, probesForTagged } from '../support/compare.js';
import { gccTruth, haveTool } from '../support/gcc-truth.js';

const root = join(process.cwd(), '.cache/kernel-arm64/usr/src');
const dir = process.env.LAYOUTOF_ARM64_KERNEL_DIR ?? (existsSync(root) ? readdirSync(root).filter((d) => d.endsWith('-arm64')).map((d) => join(root, d))[0] : undefined);
const skip = !dir ? 'no unpacked linux-headers-*-arm64 (scripts/install-test-deps.sh fetches it as root)' : !haveTool('aarch64-linux-gnu-gcc') && 'aarch64-linux-gnu-gcc not installed';

test('--kernel on an arm64 tree: target from .config, every IPVS record matches aarch64 gcc', { skip, timeout: 300_000 }, () => {
  const fs = new NodeFileSystem();
  const tree = kernelTree(dir!, fs, 'lo_arm64');
  assert.equal(tree.target.triple, 'aarch64-linux-gnu');
  const tmp = mkdtempSync(join(tmpdir(), 'layoutof-arm64-'));
  const file = join(tmp, 'probe.c');
  const source = '#include <linux/module.h>\n#include <net/ip_vs.h>\n';
  writeFileSync(file, source);
  const res = analyzeSource(file, kernelSourceOptions(tree, fs));
  const errors = res.diagnostics.list.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, res.sources));
  assert.deepEqual(errors.slice(0, 5), []);
  const conn = res.records.find((r) => r.name === 'ip_vs_conn');
  assert.equal(conn?.size, 288);
  const { probes, ours } = probesForTagged(res.records);
  // gcc gets the real flags and computes its own predefined macros.
  const flags = ['-nostdinc', ...tree.include.angled.map((d) => `-I${d}`), ...tree.forcedIncludes.flatMap((f) => ['-include', f]),
    '-D__KERNEL__', '-DMODULE', '-DKBUILD_BASENAME="lo_arm64"', '-DKBUILD_MODNAME="lo_arm64"', '-D__KBUILD_MODNAME=kmod_lo_arm64', ...tree.flags];
  const truth = gccTruth(source, probes, { cc: 'aarch64-linux-gnu-gcc', nm: 'aarch64-linux-gnu-nm', objcopy: 'aarch64-linux-gnu-objcopy', flags, endian: 'little', cwd: dir });
  const diffs = probes.flatMap((p, i) => compareRecord(ours[i], p, truth[i]!));
  assert.deepEqual(diffs.slice(0, 20), [], `${diffs.length} differences over ${probes.length} records`);
  console.log(`# arm64 kernel tree: ${probes.length} named records match aarch64-linux-gnu-gcc`);
});
