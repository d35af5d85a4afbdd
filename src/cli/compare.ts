// --compare-targets A,B,... FILE NAME...: the same source laid out for each target (each with its own
// system headers), one table per NAME (render/compare.ts renders them, in JSON as one document).

import { analyzeSource } from '../api.js';
import { compareAcrossTargets } from '../analyze/compare.js';
import { renderComparisons, type NamedComparison } from '../render/compare.js';
import { renderComparisonPicture, type ComparedRecord } from '../render/html.js';
import { analyzeRecord } from '../analyze/layout-view.js';
import { adviseAcrossTargets, wantsAdvice } from './advice.js';
import { inexact, type RecordType } from '../model/model.js';
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
  const pictures: ComparedRecord[] = [];
  const found: (RecordType | undefined)[][] = [];
  const refused = new Set<string>();
  for (const target of targets) {
    const ctx = buildContext({ ...o, target: target.triple }, fs);
    const why = unreadable(fs, ctx, o.file!);
    if (why) {
      report.tool('error', why, o.file);
      return { out: failureDocument(o, report), code: 1 };
    }
    const res = analyzeSource(ctx.file, ctx.options);
    // (The NAMEs found before the diagnostics are reported: laying a record out may report errors.)
    // (A record past 2^50 bytes is compared in numbers: refused, located.)
    found.push(
      o.names.map((n) => {
        const r = res.find(bareName(n));
        const huge = r && inexact(r, `[${target.triple}] the comparison`);
        if (huge) {
          report.tool('error', huge);
          refused.add(n);
        }
        return huge ? undefined : r;
      }),
    );
    report.analysis(res, ctx.options, `[${target.triple}] `);
    if (res.diagnostics.errors) code = 1;
  }
  if (refused.size) code = 1;
  if (wantsAdvice(o)) {
    report.finish();
    return { out: '', code: adviseAcrossTargets(o.names, found, targets, o) || code };
  }
  for (const [i, n] of o.names.entries()) {
    const recs = found.map((perName) => perName[i]);
    if (recs.every((r) => r === undefined)) {
      if (!refused.has(n)) report.tool('error', `no struct, union or typedef named '${n}'`);
      code = 1;
      continue;
    }
    const cmp = compareAcrossTargets(triples, recs);
    comparisons.push({ record: n, ...cmp });
    const view = (r: RecordType | undefined, t: number) =>
      r && analyzeRecord(r, o.cacheline ?? targets[t]!.cacheline, { expand: o.expand });
    if (o.format === 'svg' || o.format === 'html') pictures.push({ name: n, comparison: cmp, views: recs.map(view) });
  }
  if (o.format === 'svg' || o.format === 'html') {
    report.finish();
    return { out: renderComparisonPicture(o.format, pictures, { rowBytes: o.rowBytes, expand: o.expand }), code };
  }
  return { out: renderComparisons(triples, comparisons, o.format, o.format === 'json' ? report.json() : {}), code };
}
