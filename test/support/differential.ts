// The generated-records differential loop shared by the native, cross and MSVC suites: generate,
// let the compiler answer, lay out with layoutof, compare; failures come with the record's source.
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import type { Target } from '../../src/target/target.js';
import { compareRecord } from './compare.js';
import { gccTruth, type Toolchain } from './gcc-truth.js';
import { generateProgram, type GenOptions } from './gen.js';

export function runGenerated(
  target: Target,
  tc: Toolchain,
  seeds: readonly number[],
  perBatch: number,
  gen: GenOptions = {},
): void {
  const failures: string[] = [];
  let compared = 0;
  for (const seed of seeds) {
    const prog = generateProgram(seed, perBatch, gen);
    const truth = gccTruth(prog.source, prog.probes, tc);
    const ours = analyzeSourceText(prog.source, { target });
    const errs = ours.diagnostics.list.filter((d) => d.severity === 'error');
    assert.equal(
      errs.length,
      0,
      `seed ${seed}: ${errs
        .slice(0, 3)
        .map((d) => formatDiagnostic(d, ours.sources))
        .join('\n')}`,
    );
    const byName = new Map(ours.records.map((r) => [r.name, r]));
    prog.probes.forEach((p, i) => {
      compared++;
      const diffs = compareRecord(byName.get(prog.tags[i]!), p, truth[i]!);
      if (diffs.length && failures.length < 20) {
        const def = new RegExp(
          `(#pragma pack\\(push, \\d+\\)\\n)?^(struct|union)[^{\\n]* ${prog.tags[i]} \\{[\\s\\S]*?\\n\\}[^;\\n]*;$`,
          'm',
        ).exec(prog.source)?.[0];
        failures.push(`seed ${seed}: ${diffs.join('; ')}\n${def}`);
      }
    });
  }
  assert.deepEqual(
    failures,
    [],
    `${failures.length}${failures.length === 20 ? '+' : ''} of ${compared} records differ`,
  );
  assert.ok(compared >= seeds.length * perBatch);
}

export const seedRange = (first: number, n: number): number[] => Array.from({ length: n }, (_, i) => first + i);
