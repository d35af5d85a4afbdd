// The reorganizer's accelerator (src/analyze/reorganize-fast.ts) held to the plain search
// (`shortcuts: false`): the same order, size and moves for every record, and the same --packable
// ranking, on generated C records (SysV and MSVC targets) and on wide synthetic records with
// cacheline-aligned groups and bitfields (the shapes of a vmlinux's large structs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import { placeMembers, reorganize, type ReorganizeOptions } from '../../src/analyze/reorganize.js';
import { rankPackable } from '../../src/analyze/packable.js';
import type { Member, RecordType } from '../../src/model/model.js';
import { findTarget } from '../../src/target/target.js';
import { generateProgram, rng } from '../support/gen.js';

function summary(r: RecordType, opts: ReorganizeOptions): unknown {
  const res = reorganize(r, opts);
  return res.kind === 'reorganized'
    ? [res.order.join(), res.record.size, res.moved, res.straddles.after]
    : [res.kind, res.reason];
}

function same(records: readonly RecordType[], base: ReorganizeOptions, what: string): number {
  let searched = 0;
  for (const r of records) {
    for (const fewestMoves of [true, false]) {
      const opts = { ...base, fewestMoves };
      const fast = summary(r, opts);
      assert.deepEqual(
        fast,
        summary(r, { ...opts, shortcuts: false }),
        `${what}: ${r.name} (fewestMoves ${fewestMoves})`,
      );
      if (Array.isArray(fast) && fast[0] !== 'unchanged') searched++;
    }
  }
  assert.deepEqual(
    rankPackable(records, base).map((p) => [p.name, p.reorganizedSize]),
    rankPackable(records, { ...base, shortcuts: false }).map((p) => [p.name, p.reorganizedSize]),
    `${what}: --packable`,
  );
  return searched;
}

test('generated C records: the accelerated search answers as the plain one', () => {
  for (const triple of ['x86_64-linux-gnu', 'i686-linux-gnu', 'x86_64-windows-msvc']) {
    const target = findTarget(triple)!;
    const msvc = target.bitfields === 'msvc';
    let searched = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const prog = generateProgram(seed * 7919, 60, msvc ? { msvc: true, longBits: 32 } : {});
      const recs = analyzeSourceText(prog.source, { target }).records.filter((r) => r.name?.startsWith('r'));
      searched += same(recs, { bitfields: target.bitfields, biggestAlign: target.biggestAlign }, `${triple} #${seed}`);
    }
    assert.ok(searched > 30, `${triple}: only ${searched} records searched`);
  }
});

/** A wide record laid out in its author's order: scalars, arrays, bitfield runs and, now and then,
 *  a cacheline-aligned member that starts a group. */
function wide(seed: number, bitfields: 'sysv' | 'msvc'): RecordType {
  const r = rng(seed);
  const members: Member[] = [];
  const n = 8 + Math.floor(r() * 24);
  for (let k = 0; k < n; k++) {
    const roll = r();
    const size = [1, 2, 4, 8][Math.floor(r() * 4)]!;
    const base = { name: `m${k}`, type: { kind: 'base', name: 'int', size, align: size } as const, bitOffset: 0 };
    if (roll < 0.25) members.push({ ...base, size, align: size, bitSize: 1 + Math.floor(r() * (size * 8 - 1)) });
    else if (roll < 0.3) members.push({ ...base, size: 64, align: 64, forcedAlign: 64 });
    else if (roll < 0.4) members.push({ ...base, size: size * (2 + Math.floor(r() * 5)), align: size });
    else members.push({ ...base, size, align: size });
  }
  const align = Math.max(...members.map((m) => m.align));
  const rec: RecordType = { kind: 'struct', name: `w${seed}`, size: 0, align, members };
  const l = placeMembers(
    rec,
    members.map((_, i) => i),
    { bitfields, biggestAlign: 16 },
  );
  return { ...rec, size: l.size, members: members.map((m, i) => ({ ...m, bitOffset: l.offsets[i]! })) };
}

test('wide records with cacheline groups: the accelerated search answers as the plain one', () => {
  for (const bitfields of ['sysv', 'msvc'] as const) {
    const recs = Array.from({ length: 40 }, (_, i) => wide(i + 1, bitfields));
    const searched = same(recs, { bitfields, biggestAlign: 16 }, bitfields);
    assert.ok(searched > 24, `${bitfields}: only ${searched} searched`);
  }
});
