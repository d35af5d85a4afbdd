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
import type { RecordType as Rec } from '../../src/model/model.js';

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
  // clang's DWARF, against clang's own layouts (the same on this target as gcc's).
  ['x86_64-linux-gnu', 'clang', ['-gdwarf-5']],
  ['x86_64-linux-gnu', 'clang', ['-gdwarf-4']],
];

/** A member by name, anonymous members' included. */
function findMember(r: Rec | undefined, name: string): Rec['members'][number] | undefined {
  for (const m of r?.members ?? []) {
    if (m.name === name) return m;
    const sub = m.type.kind === 'record' ? findMember(m.type.record, name) : undefined;
    if (sub) return sub;
  }
  return undefined;
}

for (const [triple, cc, flags] of CASES) {
  test(
    `DWARF (${flags.join(' ')}) from ${cc} matches ${cc}'s layouts`,
    { skip: !haveTool(cc) && `${cc} not installed` },
    () => {
      const target = findTarget(triple)!;
      const prog = generateProgram(700, 300, { noInt128: target.noInt128, longBits: target.ints.long.size * 8 });
      const tc: Toolchain = {
        cc,
        nm: triple === 'x86_64-linux-gnu' ? 'nm' : `${triple}-nm`,
        objcopy: triple === 'x86_64-linux-gnu' ? 'objcopy' : `${triple}-objcopy`,
        flags: [],
        endian: target.endian,
      };
      const truth = gccTruth(prog.source, prog.probes, tc);
      const dir = mkdtempSync(join(tmpdir(), 'layoutof-dwarf-'));
      try {
        const src = join(dir, 'g.c');
        const obj = join(dir, 'g.o');
        // Every record used, so each is in the debug info.
        writeFileSync(src, prog.source + prog.tags.map((t, i) => `${prog.probes[i]!.ctype} *use_${i};\n`).join(''));
        const r = spawnSync(
          cc,
          ['-std=gnu11', '-w', '-c', '-g', '-fno-eliminate-unused-debug-types', ...flags, '-o', obj, src],
          { encoding: 'utf8' },
        );
        assert.equal(r.status, 0, r.stderr);
        const res = analyzeBinary(new Uint8Array(readFileSync(obj)), {
          path: obj,
          decompress: (_k, d) => new Uint8Array(inflateSync(d)),
        });
        assert.equal(res.format, 'dwarf');
        assert.deepEqual(
          res.diagnostics.list.map((d) => d.message),
          [],
        );
        const byName = new Map(res.records.map((x) => [x.name, x]));
        const diffs: string[] = [];
        prog.probes.forEach((p, i) => {
          // DWARF does not record alignment unless aligned() was used: compare everything but align.
          const rec = byName.get(prog.tags[i]!);
          const d = compareRecord(rec, p, { ...truth[i]!, align: rec?.align ?? -1 });
          // clang writes a bitfield that fills its type (char c : 8, long l : 64) as a plain member, with
          // no DW_AT_bit_size: its DWARF says nothing of the width, so the member reads as an ordinary one.
          const fullWidth = (x: string) => {
            const m = /\.(\w+): bits \d+\+undefined, gcc \d+\+(\d+)$/.exec(x);
            return cc === 'clang' && !!m && findMember(rec, m[1]!)?.size === Number(m[2]) / 8;
          };
          diffs.push(...d.filter((x) => !fullWidth(x)));
        });
        assert.deepEqual(diffs.slice(0, 15), [], `${diffs.length} differences over ${prog.probes.length} records`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}

test(
  'truncated and corrupted ELF/DWARF objects end in errors, never crashes or hangs',
  { skip: !haveTool('gcc') && 'gcc not installed' },
  async () => {
    const { rng } = await import('../support/gen.js');
    const prog = generateProgram(701, 40);
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-fuzz-'));
    try {
      const src = join(dir, 'f.c');
      const obj = join(dir, 'f.o');
      writeFileSync(src, prog.source + prog.tags.map((t, i) => `${prog.probes[i]!.ctype} *use_${i};\n`).join(''));
      assert.equal(spawnSync('gcc', ['-c', '-g', '-w', '-o', obj, src]).status, 0);
      const good = new Uint8Array(readFileSync(obj));
      const r = rng(99);
      for (let i = 0; i < 150; i++) {
        let b: Uint8Array;
        if (i % 2 === 0) b = good.slice(0, Math.floor(r() * good.length));
        else {
          b = good.slice();
          for (let k = 0; k < 1 + Math.floor(r() * 30); k++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
        }
        const t0 = Date.now();
        let res;
        try {
          res = analyzeBinary(b, { path: 'fuzz.o' });
        } catch (e) {
          assert.fail(`input ${i} threw ${(e as Error).stack}`);
        }
        assert.ok(Date.now() - t0 < 10_000, `input ${i} took too long`);
        assert.ok(res.diagnostics.errors > 0 || res.records.length >= 0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

// Functions, variables and blocks are stepped over without being decoded; types defined inside them
// are still read, and a 64-bit constant of all ones (libc's debug info has them) is not an error.
test(
  'DWARF: code DIEs are skipped, local types kept, data8 all-ones constants read',
  { skip: !haveTool('gcc') && 'gcc not installed' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-dwarf-skip-'));
    try {
      const src = join(dir, 'k.c');
      const obj = join(dir, 'k.o');
      writeFileSync(
        src,
        [
          'struct outer { char c; long l; };',
          'static void *const ALL_ONES = (void *)-1;',
          'int counter;',
          'void *f(struct outer *o) {',
          '  struct inner { short s; double d; } in = { 1, 2.0 };',
          '  { struct deeper { char x[3]; int y; } dd = { "ab", 1 }; counter += dd.y; }',
          '  counter += (int)in.d + o->c;',
          '  return ALL_ONES;',
          '}',
          '',
        ].join('\n'),
      );
      for (const flags of [
        ['-gdwarf-5', '-O2'],
        ['-gdwarf-4', '-O0'],
      ]) {
        const r = spawnSync('gcc', ['-g', ...flags, '-c', src, '-o', obj], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        const res = analyzeBinary(new Uint8Array(readFileSync(obj)), { path: obj });
        assert.deepEqual(res.diagnostics.list, [], flags.join(' '));
        const sizes = Object.fromEntries(res.records.map((x) => [x.name, x.size]));
        assert.deepEqual(sizes, { outer: 16, inner: 16, deeper: 8 }, flags.join(' '));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
