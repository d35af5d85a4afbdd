// --reorganize from a binary: generated structs compiled by gcc -g, read back from the object's DWARF
// and from BTF made of it by pahole -J, must be given the order and size the source gets, and gcc,
// compiling that order, must agree with the size and offsets claimed from the binary. Records whose
// rules a binary does not keep are left out and counted (neither keeps a zero-width bitfield or a
// packed member at an aligned offset, BTF no explicit alignment; bitfields under #pragma pack are
// refused from the source). What the binary's reorganizer claims for them anyway, gcc may contradict:
// every such claim must carry the caveat (src/analyze/reorganize-binary.ts); one without is proven.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import { reorganize, type ReorganizeResult } from '../../src/analyze/reorganize.js';
import type { RecordType } from '../../src/model/model.js';
import { findTarget } from '../../src/target/target.js';
import { gccTruth, haveTool, type ProbeRecord } from '../support/gcc-truth.js';
import { generateProgram } from '../support/gen.js';
import { compareRecord } from '../support/compare.js';
import { rewrite, writtenRecord } from '../support/reorg.js';
import { comparable, readBack, sameMembers, withoutAtomic, type BinaryFormat } from '../support/binary-facts.js';

const skip = (!haveTool('gcc') || !haveTool('pahole')) && 'needs gcc and pahole';

interface Tally {
  same: number;
  reordered: number;
  left: number;
  /** Left out, but reordered from the binary all the same (and confirmed). */
  unsure: number;
  wrong: number;
  /** Claims from the binary with a caveat, and those proven (no caveat). */
  caveat: number;
  proven: number;
}

test("--reorganize on DWARF and on BTF: the source's order and size, confirmed by gcc", { skip }, () => {
  const tally = {
    DWARF: { same: 0, reordered: 0, left: 0, unsure: 0, wrong: 0, caveat: 0, proven: 0 },
    BTF: { same: 0, reordered: 0, left: 0, unsure: 0, wrong: 0, caveat: 0, proven: 0 },
  };
  for (const seed of [41, 42, 43, 44, 45]) proveSeed(seed, tally);
  for (const [format, t] of Object.entries(tally)) {
    assert.ok(t.reordered - t.unsure >= 20 && t.same >= 100, `${format}: ${t.same} compared, ${t.reordered} reordered`);
    console.log(
      `# ${format}: ${t.same} structs as from the source (${t.reordered - t.unsure} reordered, confirmed), ${t.left} left out (${t.unsure} of them reordered from the binary, ${t.wrong} wrong); claims with a caveat ${t.caveat}, proven ${t.proven}`,
    );
  }
});

function proveSeed(seed: number, tally: Record<BinaryFormat, Tally>): void {
  const target = findTarget('x86_64-linux-gnu')!;
  const gen = generateProgram(seed, 300);
  // (_Atomic is left out from the source too.)
  const text = withoutAtomic(gen.source);
  const source = new Map(analyzeSourceText(text, { target }).records.map((r) => [r.name, r]));
  const back = readBack(
    text,
    gen.probes.map((p) => p.ctype),
  );
  for (const [format, binary] of Object.entries(back) as [BinaryFormat, Map<string | null, RecordType>][]) {
    const t = tally[format];
    let src = text;
    const probes: ProbeRecord[] = [];
    const claims: RecordType[] = [];
    const caveats: boolean[] = [];
    const differ: string[] = [];
    const unsure = new Set<number>();
    gen.tags.forEach((tag, i) => {
      const fromSource = source.get(tag)!;
      const fromBinary = binary.get(tag);
      const w = writtenRecord(text, tag);
      if (fromSource.kind !== 'struct' || !fromBinary || !w || w.decls.length !== fromSource.members.length) return;
      if (!comparable(fromSource, fromBinary, format)) {
        t.left++;
        // Still never a wrong answer: what the binary's reorganizer does claim, gcc must confirm.
        const got = sameMembers(fromSource, fromBinary) ? reorganize(fromBinary, { bitfields: 'sysv' }) : undefined;
        if (got?.kind !== 'reorganized') return;
        t.unsure++;
        unsure.add(probes.length);
        src += rewrite(w, `${tag}_x`, got.order);
        probes.push({ ...gen.probes[i]!, ctype: `struct ${tag}_x` });
        claims.push(got.record);
        caveats.push(got.caveat !== undefined);
        return;
      }
      const want = reorganize(fromSource, { bitfields: 'sysv' });
      if (want.kind === 'unchanged' && /pragma pack|packed/.test(want.reason)) return void t.left++;
      const got = reorganize(fromBinary, { bitfields: 'sysv' });
      if (summary(got) !== summary(want))
        return void differ.push(`${tag}: ${summary(want)}; ${format}: ${summary(got)}`);
      t.same++;
      if (got.kind !== 'reorganized') return;
      src += rewrite(w, `${tag}_x`, got.order);
      probes.push({ ...gen.probes[i]!, ctype: `struct ${tag}_x` });
      claims.push(got.record);
      caveats.push(got.caveat !== undefined);
    });
    assert.deepEqual(
      differ.slice(0, 10),
      [],
      `seed ${seed}, ${format}: ${differ.length} records reorganized otherwise`,
    );
    const truth = gccTruth(src, probes);
    const diffs = probes.flatMap((p, k) => (unsure.has(k) ? [] : compareRecord(claims[k], p, truth[k]!)));
    assert.deepEqual(diffs.slice(0, 10), [], `seed ${seed}, ${format}: ${diffs.length} differences from gcc`);
    // Where the binary lost a rule the source had (an aligned() BTF does not keep, a packed nested
    // record DWARF cannot tell from an aligned one) the claim can be wrong: then it must say so.
    const uncaveated: string[] = [];
    probes.forEach((p, k) => {
      const wrong = compareRecord(claims[k], p, truth[k]!).length > 0;
      if (wrong && unsure.has(k)) t.wrong++;
      if (caveats[k]) t.caveat++;
      else t.proven++;
      if (wrong && !caveats[k]) uncaveated.push(p.ctype);
    });
    assert.deepEqual(uncaveated.slice(0, 10), [], `seed ${seed}, ${format}: claims gcc contradicts, with no caveat`);
    t.reordered += probes.length;
  }
}

function summary(r: ReorganizeResult): string {
  return r.kind === 'reorganized' ? `${r.order.join(',')} -> ${r.record.size}` : 'unchanged';
}
