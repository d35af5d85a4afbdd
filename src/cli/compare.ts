// --compare-targets A,B,... FILE NAME...: the same source laid out for each target (each with its own
// system headers), one table per NAME (render/compare.ts renders them, in JSON as one document).

import { analyzeSource } from '../api.js';
import { compareAcrossTargets } from '../analyze/compare.js';
import { renderComparisons, type NamedComparison } from '../render/compare.js';
import type { RecordType } from '../model/model.js';
import { findTarget } from '../target/target.js';
import { UsageError, type CliOptions } from './args.js';
import { bareName, buildContext, unreadable, unknownTarget } from './context.js';
import type { NodeFileSystem } from './nodefs.js';
import { failureDocument, type Report } from './report.js';

export function compareTargets(o: CliOptions, fs: NodeFileSystem, report: Report): { out: string; code: number } {
  if (o.names.length === 0) throw new UsageError('--compare-targets needs the NAME of a record');
  const targets = o.compareTargets!.map((n) => {
    const t = findTarget(n);
    if (!t) throw new UsageError(unknownTarget(n));
    return t;
  });
  const triples = targets.map((t) => t.triple);
  let code = 0;
  const comparisons: NamedComparison[] = [];
  const found: (RecordType | undefined)[][] = [];
  for (const target of targets) {
    const ctx = buildContext({ ...o, target: target.triple }, fs);
    const why = unreadable(fs, ctx, o.file!);
    if (why) {
      report.tool('error', why, o.file);
      return { out: failureDocument(o, report), code: 1 };
    }
    const res = analyzeSource(ctx.file, ctx.options);
    // (The NAMEs found before the diagnostics are reported: laying a record out may report errors.)
    found.push(o.names.map((n) => res.find(bareName(n))));
    report.analysis(res, ctx.options, `[${target.triple}] `);
    if (res.diagnostics.errors) code = 1;
  }
  for (const [i, n] of o.names.entries()) {
    const recs = found.map((perName) => perName[i]);
    if (recs.every((r) => r === undefined)) {
      report.tool('error', `no struct, union or typedef named '${n}'`);
      code = 1;
      continue;
    }
    comparisons.push({ record: n, ...compareAcrossTargets(triples, recs) });
  }
  return { out: renderComparisons(triples, comparisons, o.format, o.format === 'json' ? report.json() : {}), code };
}
