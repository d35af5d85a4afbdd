// Differential proof against gcc on x86_64: thousands of generated records per run, every size,
// alignment, member offset and bitfield bit position compared. LAYOUTOF_SEED sets the first seed,
// LAYOUTOF_DIFF_BATCHES the number of batches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { generateProgram } from '../support/gen.js';
import { gccTruth, haveTool } from '../support/gcc-truth.js';
import { compareRecord } from '../support/compare.js';

const hasGcc = haveTool('gcc') && haveTool('objcopy');
const firstSeed = Number(process.env.LAYOUTOF_SEED ?? 1);
const batches = Number(process.env.LAYOUTOF_DIFF_BATCHES ?? 12);
const perBatch = 250;

test(`generated records match gcc (${batches} × ${perBatch}, seeds from ${firstSeed})`, { skip: !hasGcc && 'gcc/objcopy not installed' }, () => {
  let compared = 0;
  const failures: string[] = [];
  for (let b = 0; b < batches; b++) {
    const seed = firstSeed + b;
    const prog = generateProgram(seed, perBatch);
    const truth = gccTruth(prog.source, prog.probes);
    const ours = analyzeSourceText(prog.source);
    const errs = ours.diagnostics.list.filter((d) => d.severity === 'error');
    assert.equal(errs.length, 0, `seed ${seed}: ${errs.slice(0, 3).map((d) => formatDiagnostic(d, ours.sources)).join('\n')}`);
    const byName = new Map(ours.records.map((r) => [r.name, r]));
    prog.probes.forEach((p, i) => {
      compared++;
      const diffs = compareRecord(byName.get(prog.tags[i]!), p, truth[i]!);
      if (diffs.length && failures.length < 20) {
        const def = new RegExp(`(#pragma pack\\(push, \\d+\\)\\n)?^(struct|union) ${prog.tags[i]} \\{[\\s\\S]*?\\n\\}[^;\\n]*;$`, 'm').exec(prog.source)?.[0];
        failures.push(`seed ${seed}: ${diffs.join('; ')}\n${def}`);
      }
    });
  }
  assert.deepEqual(failures, [], `${failures.length} of ${compared} records differ from gcc`);
  assert.ok(compared >= batches * perBatch);
});
