// Optimality of --reorganize for records with bitfields, with the compiler as the oracle: for small
// generated structs holding bitfields, every order of the units the reorganizer moves (each named
// bitfield is one, so every regrouping of the storage units is among them; a zero-width bitfield goes
// with the member after it, an unnamed one with the member before) is written as C, and one compile
// per target asserts that none is smaller than the reorganizer's answer and that its own order has
// exactly that size.
// SysV on x86_64, i686 and armhf (gcc), MSVC's rules on x86_64-windows-msvc (clang).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { analyzeSourceText } from '../../src/api.js';
import { reorganize, unitsOf } from '../../src/analyze/reorganize.js';
import { findTarget } from '../../src/target/target.js';
import { haveTool } from '../support/gcc-truth.js';
import { generateProgram } from '../support/gen.js';
import { permutations, rewrite, writtenRecord } from '../support/reorg.js';

const TARGETS: readonly { triple: string; cc: string; flags: readonly string[] }[] = [
  { triple: 'x86_64-linux-gnu', cc: 'gcc', flags: [] },
  { triple: 'i686-linux-gnu', cc: 'i686-linux-gnu-gcc', flags: [] },
  { triple: 'arm-linux-gnueabihf', cc: 'arm-linux-gnueabihf-gcc', flags: [] },
  {
    triple: 'x86_64-windows-msvc',
    cc: 'clang',
    flags: ['--target=x86_64-windows-msvc', '-fms-extensions', '-Wno-everything'],
  },
];

/** Orders written per target: 720 for each 6-member record, so a compile stays at a few seconds. */
const MAX_ORDERS = 12000;

for (const { triple, cc, flags } of TARGETS) {
  test(
    `${triple}: no order of a small struct with bitfields is smaller than --reorganize's (${cc} as the oracle)`,
    { skip: !haveTool(cc) && `${cc} not installed` },
    () => {
      const target = findTarget(triple)!;
      const msvc = target.bitfields === 'msvc';
      const prog = generateProgram(
        31,
        600,
        msvc ? { msvc: true, longBits: 32 } : { noInt128: target.noInt128, longBits: target.ints.long.size * 8 },
      );
      const byName = new Map(analyzeSourceText(prog.source, { target }).records.map((r) => [r.name, r]));
      let src = prog.source;
      let orders = 0;
      let records = 0;
      let smaller = 0;
      for (const tag of prog.tags) {
        const rec = byName.get(tag)!;
        const w = writtenRecord(prog.source, tag);
        if (rec.kind !== 'struct' || !w || w.decls.length !== rec.members.length) continue;
        if (!rec.members.some((m) => m.bitSize !== undefined)) continue;
        const opts = { bitfields: target.bitfields, biggestAlign: target.biggestAlign };
        // (One group: a flexible array stays last and a cacheline-aligned member starts a group.)
        const groups = unitsOf(rec, opts);
        const n = groups[0]?.length ?? 0;
        if (groups.length !== 1 || n < 3 || n > 6) continue;
        const units = groups[0]!.map((u) => u.members);
        const res = reorganize(rec, opts);
        // (Packed records and bitfields under #pragma pack are refused, not reordered: nothing to prove.)
        if (res.kind === 'unchanged' && !/no order/.test(res.reason)) continue;
        if (orders + factorial(n) > MAX_ORDERS) break;
        const claim = res.kind === 'reorganized' ? res.record.size : rec.size;
        if (claim < rec.size) smaller++;
        let k = 0;
        permutations(
          units.map((_, i) => i),
          (p) => {
            src += rewrite(
              w,
              `${tag}_p${k}`,
              p.flatMap((i) => units[i]!),
            );
            src += `_Static_assert(sizeof(struct ${tag}_p${k}) >= ${claim}, "${tag}: an order smaller than ${claim}");\n`;
            k++;
          },
        );
        if (res.kind === 'reorganized') {
          src += rewrite(w, `${tag}_x`, res.order);
          src += `_Static_assert(sizeof(struct ${tag}_x) == ${claim}, "${tag}: the chosen order is not ${claim}");\n`;
        }
        orders += k;
        records++;
      }
      const r = spawnSync(cc, [...flags, '-fsyntax-only', '-w', '-x', 'c', '-'], {
        input: src,
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      });
      const failures = [...r.stderr.matchAll(/"(r\w+: [^"]*)"/g)].map((m) => m[1]!);
      assert.deepEqual([...new Set(failures)].slice(0, 10), [], `${new Set(failures).size} records fail`);
      assert.equal(r.status, 0, r.stderr.slice(0, 2000));
      assert.ok(records >= 15 && smaller >= 5, `only ${records} records searched, ${smaller} made smaller`);
      console.log(`# ${triple}: ${records} records with bitfields, ${orders} orders, ${smaller} made smaller`);
    },
  );
}

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}
