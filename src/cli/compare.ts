// --compare-targets A,B,... FILE NAME...: the same source laid out for each target (each with its own
// system headers), one table per NAME; in JSON one document whose "comparisons" hold every NAME's
// (the first NAME's fields stay at the top level too, as the one-NAME document always had them).

import { analyzeSource } from '../api.js';
import { compareAcrossTargets, type TargetComparison } from '../analyze/compare.js';
import { renderComparison } from '../render/compare.js';
import { findTarget } from '../target/target.js';
import { UsageError, type CliOptions } from './args.js';
import { bareName, buildContext, unreadable, unknownTarget } from './context.js';
import type { NodeFileSystem } from './nodefs.js';
import { failureDocument, jsonDocument, type Report } from './report.js';

export function compareTargets(o: CliOptions, fs: NodeFileSystem, report: Report): { out: string; code: number } {
  if (o.names.length === 0) throw new UsageError('--compare-targets needs the NAME of a record');
  const targets = o.compareTargets!.map((n) => {
    const t = findTarget(n);
    if (!t) throw new UsageError(unknownTarget(n));
    return t;
  });
  const triples = targets.map((t) => t.triple);
  let code = 0;
  const comparisons: ({ record: string } & TargetComparison)[] = [];
  const results = [];
  for (const target of targets) {
    const ctx = buildContext({ ...o, target: target.triple }, fs);
    const why = unreadable(ctx, o.file!);
    if (why) {
      report.tool('error', why, o.file);
      return { out: failureDocument(o, report), code: 1 };
    }
    const res = analyzeSource(ctx.file, ctx.options);
    report.analysis(res, ctx.options, `[${target.triple}] `);
    if (res.diagnostics.errors) code = 1;
    results.push(res);
  }
  for (const n of o.names) {
    const recs = results.map((res) => res.find(bareName(n)));
    if (recs.every((r) => r === undefined)) {
      report.tool('error', `no struct, union or typedef named '${n}'`);
      code = 1;
      continue;
    }
    comparisons.push({ record: n, ...compareAcrossTargets(triples, recs) });
  }
  if (o.format === 'json') return { out: jsonDocument({ ...comparisons[0], targets: triples, comparisons }, report), code };
  return { out: comparisons.map((c) => renderComparison(c.record, c, o.format)).join(''), code };
}
