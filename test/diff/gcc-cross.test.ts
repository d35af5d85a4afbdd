// The differential proof for every Linux target against Debian's cross compilers (compile-only; gcc's
// answers read from the object with the cross binutils), and each target's own system headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { findTarget } from '../../src/target/target.js';
import { systemIncludeDirs } from '../../src/cli/sysinc.js';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { gccTruth, haveTool, type Toolchain } from '../support/gcc-truth.js';
import { runGenerated, seedRange } from '../support/differential.js';
import { compareRecord, probesForTagged } from '../support/compare.js';
import { packageHeaders, sweepHeaders } from '../support/header-sweep.js';

const DEBIAN_ARCH: Record<string, string> = {
  'i686-linux-gnu': 'i386',
  'aarch64-linux-gnu': 'arm64',
  'arm-linux-gnueabihf': 'armhf',
  'riscv64-linux-gnu': 'riscv64',
  'powerpc64le-linux-gnu': 'ppc64el',
  's390x-linux-gnu': 's390x',
};
const TRIPLES = [
  'i686-linux-gnu',
  'aarch64-linux-gnu',
  'arm-linux-gnueabihf',
  'riscv64-linux-gnu',
  'powerpc64le-linux-gnu',
  's390x-linux-gnu',
];
const batches = Number(process.env.LAYOUTOF_CROSS_BATCHES ?? 20);

for (const triple of TRIPLES) {
  const target = findTarget(triple)!;
  const tc: Toolchain = {
    cc: `${triple}-gcc`,
    nm: `${triple}-nm`,
    objcopy: `${triple}-objcopy`,
    flags: [],
    endian: target.endian,
  };
  const skip = !haveTool(tc.cc) && `${tc.cc} not installed (apt-get install gcc-${triple})`;

  test(`${triple}: generated records match ${tc.cc}`, { skip }, () => {
    runGenerated(target, tc, seedRange(500, batches), 250, {
      noInt128: target.noInt128,
      longBits: target.ints.long.size * 8,
    });
  });

  test(`${triple}: its own system headers match ${tc.cc}`, { skip }, () => {
    const headers = [
      'stdio.h',
      'signal.h',
      'sys/stat.h',
      'ucontext.h',
      'termios.h',
      'pthread.h',
      'sys/socket.h',
      'netinet/in.h',
      'time.h',
      'elf.h',
      'sys/user.h',
      'fenv.h',
      'setjmp.h',
      'sys/procfs.h',
    ];
    const src = '#define _GNU_SOURCE 1\n' + headers.map((h) => `#include <${h}>\n`).join('');
    const ours = analyzeSourceText(src, {
      target,
      fs: new NodeFileSystem(),
      include: { quote: [], angled: [], system: [], builtin: systemIncludeDirs(triple) ?? [], after: [] },
    });
    const errs = ours.diagnostics.list
      .filter((d) => d.severity === 'error')
      .map((d) => formatDiagnostic(d, ours.sources));
    assert.deepEqual(errs.slice(0, 5), []);
    const { probes, ours: recs } = probesForTagged(ours.records);
    const truth = gccTruth(src, probes, tc);
    const diffs = probes.flatMap((p, i) => compareRecord(recs[i], p, truth[i]!));
    assert.deepEqual(diffs.slice(0, 20), [], `${diffs.length} differences over ${probes.length} records`);
    assert.ok(probes.length > 50, `only ${probes.length} records`);
    console.log(`# ${triple}: ${probes.length} system-header records match`);
  });

  // Every header of the target's glibc and Linux development packages.
  for (const pkg of [`libc6-dev-${DEBIAN_ARCH[triple]}-cross`, `linux-libc-dev-${DEBIAN_ARCH[triple]}-cross`]) {
    const list = skip ? undefined : packageHeaders(pkg);
    test(
      `${triple}: every header of ${pkg} matches ${tc.cc}`,
      { skip: skip || (!list && `${pkg} not installed`), timeout: 600_000 },
      () => {
        const run = sweepHeaders(
          list!,
          pkg.startsWith('libc6') ? '#define _GNU_SOURCE 1\n' : '',
          target,
          tc,
          systemIncludeDirs(triple) ?? [],
        );
        assert.deepEqual(run.errors.slice(0, 10), [], 'our front end reported errors');
        assert.deepEqual(run.diffs.slice(0, 30), [], `${run.diffs.length} differences over ${run.records} records`);
        assert.ok(run.headers >= list!.length * 0.9, `only ${run.headers} of ${list!.length} headers compile`);
        console.log(
          `# ${triple}: ${run.headers} of ${list!.length} headers of ${pkg} in ${run.units} units, ${run.records} records match`,
        );
      },
    );
  }
}
