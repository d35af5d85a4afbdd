// DWARF against gcc: generated records compiled with -g (DWARF 2, 4 and 5; relocatable objects, so
// relocations are applied; every Linux target, so 32-bit, big-endian and each architecture's relocation
// types are exercised), read back by layoutof, and compared with gcc's own answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { analyzeBinary } from '../../src/binary/index.js';
import { findTarget } from '../../src/target/target.js';
import { generateProgram } from '../support/gen.js';
import { gccTruth, haveTool, type Toolchain } from '../support/gcc-truth.js';
import { compareRecord } from '../support/compare.js';

const CASES: [string, string, string[]][] = [
  ['x86_64-linux-gnu', 'gcc', ['-gdwarf-5']],
  ['x86_64-linux-gnu', 'gcc', ['-gdwarf-4']],
  ['x86_64-linux-gnu', 'gcc', ['-gdwarf-2', '-gstrict-dwarf']],
  ['x86_64-linux-gnu', 'gcc', ['-gdwarf-5', '-gz=zlib']],
  ['i686-linux-gnu', 'i686-linux-gnu-gcc', ['-gdwarf-5']],
  ['aarch64-linux-gnu', 'aarch64-linux-gnu-gcc', ['-gdwarf-4']],
  ['arm-linux-gnueabihf', 'arm-linux-gnueabihf-gcc', ['-gdwarf-5']],
  ['riscv64-linux-gnu', 'riscv64-linux-gnu-gcc', ['-gdwarf-5']],
  ['powerpc64le-linux-gnu', 'powerpc64le-linux-gnu-gcc', ['-gdwarf-5']],
  ['s390x-linux-gnu', 's390x-linux-gnu-gcc', ['-gdwarf-4']],
];

for (const [triple, cc, flags] of CASES) {
  test(`DWARF (${flags.join(' ')}) from ${cc} matches gcc's layouts`, { skip: !haveTool(cc) && `${cc} not installed` }, () => {
    const target = findTarget(triple)!;
    const prog = generateProgram(700, 300, { noInt128: target.noInt128, longBits: target.ints.long.size * 8 });
    const tc: Toolchain = { cc, nm: triple === 'x86_64-linux-gnu' ? 'nm' : `${triple}-nm`, objcopy: triple === 'x86_64-linux-gnu' ? 'objcopy' : `${triple}-objcopy`, flags: [], endian: target.endian };
    const truth = gccTruth(prog.source, prog.probes, tc);
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-dwarf-'));
    try {
      const src = join(dir, 'g.c');
      const obj = join(dir, 'g.o');
      // Every record used, so each is in the debug info.
      writeFileSync(src, prog.source + prog.tags.map((t, i) => `${prog.probes[i]!.ctype} *use_${i};\n`).join(''));
      const r = spawnSync(cc, ['-std=gnu11', '-w', '-c', '-g', '-fno-eliminate-unused-debug-types', ...flags, '-o', obj, src], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const res = analyzeBinary(new Uint8Array(readFileSync(obj)), { path: obj, decompress: (_k, d) => new Uint8Array(inflateSync(d)) });
      assert.equal(res.format, 'dwarf');
      assert.deepEqual(res.diagnostics.list.map((d) => d.message), []);
      const byName = new Map(res.records.map((x) => [x.name, x]));
      const diffs: string[] = [];
      prog.probes.forEach((p, i) => {
        // DWARF does not record alignment unless aligned() was used: compare everything but align.
        const d = compareRecord(byName.get(prog.tags[i]!), p, { ...truth[i]!, align: byName.get(prog.tags[i]!)?.align ?? -1 });
        diffs.push(...d);
      });
      assert.deepEqual(diffs.slice(0, 15), [], `${diffs.length} differences over ${prog.probes.length} records`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
