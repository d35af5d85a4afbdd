// The reorganizer's proof against gcc: every generated struct it reorders is written back as C in the
// new order and compiled for x86_64 and each cross target; gcc's sizeof, alignment and every member's
// offset must be what the new record claims, the member set and the group constraints must hold, and
// the size never grows. For small records every order is laid out by layoutof (itself proven against
// gcc) and none is smaller than the claim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import { reorganize } from '../../src/analyze/reorganize.js';
import { findTarget, type Target } from '../../src/target/target.js';
import { gccTruth, haveTool, HOST_TOOLCHAIN, type ProbeRecord, type Toolchain } from '../support/gcc-truth.js';
import { generateProgram } from '../support/gen.js';
import { compareRecord } from '../support/compare.js';
import { constraintProblems, permutations, rewrite, writtenRecord } from '../support/reorg.js';

const TARGETS: [string, Toolchain][] = [['x86_64-linux-gnu', HOST_TOOLCHAIN]];
for (const t of ['i686-linux-gnu', 'aarch64-linux-gnu', 'arm-linux-gnueabihf', 's390x-linux-gnu'])
  TARGETS.push([
    t,
    { cc: `${t}-gcc`, nm: `${t}-nm`, objcopy: `${t}-objcopy`, flags: [], endian: findTarget(t)!.endian },
  ]);

const MSVC: Toolchain = {
  cc: 'clang',
  nm: 'nm',
  objcopy: 'objcopy',
  flags: ['--target=x86_64-windows-msvc', '-fms-extensions', '-Wno-everything'],
  endian: 'little',
};
TARGETS.push(['x86_64-windows-msvc', MSVC]);

function prove(target: Target, tc: Toolchain, seed: number): { reordered: number; refused: number; records: number } {
  const msvc = target.bitfields === 'msvc';
  const prog = generateProgram(
    seed,
    200,
    msvc ? { msvc: true, longBits: 32 } : { noInt128: target.noInt128, longBits: target.ints.long.size * 8 },
  );
  const ours = analyzeSourceText(prog.source, { target });
  const byName = new Map(ours.records.map((r) => [r.name, r]));
  let src = prog.source;
  const probes: ProbeRecord[] = [];
  const claims = [];
  let refused = 0;
  let records = 0;
  for (let i = 0; i < prog.tags.length; i++) {
    const tag = prog.tags[i]!;
    const rec = byName.get(tag)!;
    const w = writtenRecord(prog.source, tag);
    if (rec.kind !== 'struct' || !w || w.decls.length !== rec.members.length) continue;
    records++;
    const res = reorganize(rec, { bitfields: target.bitfields, biggestAlign: target.biggestAlign });
    if (res.kind === 'unchanged') {
      if (!/no order|fewer than|packed/.test(res.reason)) refused++;
      continue;
    }
    assert.deepEqual(constraintProblems(rec, res.order), [], tag);
    assert.ok(res.record.size <= rec.size, `${tag}: ${rec.size} -> ${res.record.size}`);
    src += rewrite(w, `${tag}_x`, res.order);
    probes.push({ ...prog.probes[i]!, ctype: `struct ${tag}_x` });
    claims.push(res.record);
  }
  const truth = gccTruth(src, probes, tc);
  const diffs = probes.flatMap((p, k) => compareRecord(claims[k], p, truth[k]!));
  assert.deepEqual(diffs.slice(0, 10), [], `${diffs.length} differences in ${probes.length} reordered records`);
  return { reordered: probes.length, refused, records };
}

for (const [triple, tc] of TARGETS) {
  const target = findTarget(triple)!;
  test(
    `${triple}: reorganized generated records are what ${tc.cc} lays out`,
    { skip: !haveTool(tc.cc) && `${tc.cc} not installed` },
    () => {
      let reordered = 0;
      let refused = 0;
      let records = 0;
      for (const seed of [11, 12, 13, 14]) {
        const r = prove(target, tc, seed);
        reordered += r.reordered;
        refused += r.refused;
        records += r.records;
      }
      assert.ok(reordered > 100, `only ${reordered} reordered`);
      // (Refusals are the records whose rules the model does not carry: packed bitfields, #pragma pack.)
      assert.ok(refused < records * 0.25, `${refused} of ${records} refused`);
      console.log(`# ${triple}: ${reordered} of ${records} structs reordered and confirmed, ${refused} refused`);
    },
  );
}

test('no order of a small generated struct is smaller than the one chosen (layoutof as the oracle)', () => {
  const target = findTarget('x86_64-linux-gnu')!;
  const prog = generateProgram(21, 600);
  const ours = analyzeSourceText(prog.source, { target });
  const byName = new Map(ours.records.map((r) => [r.name, r]));
  let src = '';
  const claims: [string, number, number][] = [];
  for (const tag of prog.tags) {
    const rec = byName.get(tag)!;
    const w = writtenRecord(prog.source, tag);
    if (
      rec.kind !== 'struct' ||
      !w ||
      w.decls.length !== rec.members.length ||
      rec.members.length > 6 ||
      rec.members.length < 2
    )
      continue;
    if (rec.members.some((m) => m.size === 0 || (m.forcedAlign ?? 0) >= 64 || m.bitSize !== undefined)) continue;
    const res = reorganize(rec);
    if (res.kind === 'unchanged' && !/no order/.test(res.reason)) continue;
    const claim = res.kind === 'reorganized' ? res.record.size : rec.size;
    let k = 0;
    permutations(
      rec.members.map((_, i) => i),
      (p) => (src += rewrite(w, `${tag}_p${k++}`, p)),
    );
    claims.push([tag, claim, k]);
    if (claims.length >= 40) break;
  }
  const all = analyzeSourceText(prog.source + src, { target });
  const sizes = new Map(all.records.map((r) => [r.name, r.size]));
  for (const [tag, claim, n] of claims) {
    let min = Infinity;
    for (let k = 0; k < n; k++) min = Math.min(min, sizes.get(`${tag}_p${k}`)!);
    assert.equal(claim, min, `${tag}: claimed ${claim}, an order of ${min} exists`);
  }
  assert.ok(claims.length >= 20, `only ${claims.length} records searched`);
});
