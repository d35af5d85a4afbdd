// Kernel headers, proven: the same translation unit laid out by layoutof (--kernel emulation of kbuild)
// and by gcc with the exact flags kbuild used for a real module build; every record, member offset and
// bitfield position must agree. Needs Debian's linux-headers-amd64 (scripts/install-test-deps.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../src/api.js';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { analyzeRecord } from '../../src/analyze/layout-view.js';
import type { RecordType } from '../../src/model/model.js';
import { kernelSourceOptions, kernelTree } from '../../src/kernel/kbuild.js';
import { compareRecord, probesForTagged, signaturesByName, withoutForcedAlign } from '../support/compare.js';
import { gccTruth, haveTool } from '../support/gcc-truth.js';
import { findKernelHeaders, kbuildProbe } from '../support/kernel.js';
import { analyzeBinary } from '../../src/binary/index.js';
import { copyFileSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const headers = findKernelHeaders();
const skip = !headers ? 'Debian linux-headers-*-amd64 not installed' : !haveTool('make') ? 'make not installed' : false;

const TUS: [string, string][] = [
  ['ipvs', '#include <linux/module.h>\n#include <net/ip_vs.h>\n'],
  [
    'subsystems',
    [
      'linux/module.h',
      'linux/sched.h',
      'linux/netdevice.h',
      'linux/skbuff.h',
      'linux/fs.h',
      'linux/blkdev.h',
      'linux/mm_types.h',
      'linux/bpf.h',
      'linux/tcp.h',
      'net/sock.h',
      'linux/perf_event.h',
      'linux/cgroup.h',
      'linux/kvm_host.h',
      'linux/pci.h',
      'linux/usb.h',
    ]
      .map((h) => `#include <${h}>\n`)
      .join(''),
  ],
];

function compareTu(
  name: string,
  source: string,
): { compared: number; diffs: string[]; records: RecordType[]; object: string } {
  const probe = kbuildProbe(headers!, `lo_${name}`, source);
  const fs = new NodeFileSystem();
  const tree = kernelTree(headers!, fs, `lo_${name}`);
  const res = analyzeSource(probe.file, kernelSourceOptions(tree, fs));
  const errors = res.diagnostics.list
    .filter((d) => d.severity === 'error')
    .map((d) => formatDiagnostic(d, res.sources));
  assert.deepEqual(errors.slice(0, 10), [], `${name}: our front end reported ${errors.length} errors`);
  const { probes, ours } = probesForTagged(res.records);
  const truth = gccTruth(source, probes, {
    cc: probe.cc,
    nm: 'nm',
    objcopy: 'objcopy',
    flags: probe.flags,
    endian: 'little',
    cwd: probe.cwd,
  });
  const diffs: string[] = [];
  probes.forEach((p, i) => diffs.push(...compareRecord(ours[i], p, truth[i]!)));
  return {
    compared: probes.length,
    diffs,
    records: res.records as RecordType[],
    object: probe.file.replace(/\.c$/, '.o'),
  };
}

let ipvs: RecordType[] = [];
let ipvsObject = '';
for (const [name, source] of TUS) {
  test(
    `kernel translation unit '${name}': every struct and union matches gcc with kbuild's flags`,
    { skip, timeout: 600_000 },
    () => {
      const run = compareTu(name, source);
      assert.deepEqual(run.diffs.slice(0, 30), [], `${run.diffs.length} differences over ${run.compared} records`);
      assert.ok(run.compared > 1000, `only ${run.compared} records`);
      console.log(`# kernel ${name}: ${run.compared} named records match gcc`);
      if (name === 'ipvs') {
        ipvs = run.records;
        ipvsObject = run.object;
      }
    },
  );
}

test(
  'struct ip_vs_conn: 288 bytes, 5 cachelines, 5 holes of 23 bytes, 4 bytes of padding in timer_list',
  { skip },
  () => {
    const conn = ipvs.find((r) => r.name === 'ip_vs_conn');
    assert.ok(conn, 'ip_vs_conn analysed');
    const v = analyzeRecord(conn, 64);
    assert.equal(conn.size, 288);
    assert.equal(v.cachelines, 5);
    assert.equal(v.holes.length, 5);
    assert.equal(
      v.holes.reduce((a, h) => a + h.size, 0),
      23,
    );
    assert.deepEqual(
      v.paddings.members.map((p) => [p.name, p.padding]),
      [['timer', 4]],
    );
    const timer = conn.members.find((m) => m.name === 'timer');
    assert.equal(timer?.size, 40);
  },
);

// Three readings of one build (pahole's btfdiff idea): the source analysis, the module's DWARF, and BTF
// encoded from that DWARF by pahole -J, must agree on every named record's size and members (those
// of anonymous members too), and source and DWARF on which members are explicitly aligned (BTF
// records no alignments).
test(
  'three readings of the kbuild-built module agree: source, DWARF, BTF',
  { skip: skip || (!haveTool('pahole') && 'pahole (dwarves) not installed') },
  () => {
    assert.ok(ipvsObject, 'the ipvs translation unit ran');
    const dwarf = analyzeBinary(new Uint8Array(readFileSync(ipvsObject)), { path: ipvsObject });
    assert.equal(dwarf.format, 'dwarf');
    const btfObj = ipvsObject.replace(/\.o$/, '.btf.o');
    copyFileSync(ipvsObject, btfObj);
    const r = spawnSync('pahole', ['-J', btfObj], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const btf = analyzeBinary(new Uint8Array(readFileSync(btfObj)), { path: btfObj, preferBtf: true });
    assert.equal(btf.format, 'btf');
    const src = signaturesByName(ipvs);
    const dw = signaturesByName(dwarf.records);
    const bt = signaturesByName(btf.records);
    const diffs: string[] = [];
    let compared = 0;
    for (const [n, s] of src) {
      if (!dw.has(n)) continue; // a declaration-only type in DWARF
      compared++;
      if (dw.get(n) !== s) diffs.push(`${n}: source ${s}\n   dwarf ${dw.get(n)}`);
      if (bt.has(n) && bt.get(n) !== withoutForcedAlign(s)) diffs.push(`${n}: source ${s}\n     btf ${bt.get(n)}`);
    }
    assert.deepEqual(
      diffs.slice(0, 5).map((d) => d.slice(0, 400)),
      [],
      `${diffs.length} disagreements over ${compared} records`,
    );
    assert.ok(compared > 1000, `only ${compared} records in common`);
    console.log(`# three readings of the ipvs module: ${compared} records agree (source, DWARF, BTF)`);
  },
);
