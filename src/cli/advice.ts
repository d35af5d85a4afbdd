// The command line's advice: --reorganize (a smaller order for the named records, on one target or
// several) and --packable (every record ranked by what reordering saves). Options in, text out; the
// work is src/analyze/reorganize.ts and src/analyze/packable.ts.

import { analyzeRecord } from '../analyze/layout-view.js';
import { reorganize, reorganizeAcross, type ReorganizeOptions, type ReorganizeResult } from '../analyze/reorganize.js';
import type { Record } from '../model/model.js';
import { renderReorganizedJson, renderReorganizedText, type ReorganizedView } from '../render/reorganize.js';
import type { Target } from '../target/target.js';
import type { CliOptions } from './args.js';

export function wantsAdvice(o: CliOptions): boolean {
  return !!o.reorganize;
}

function reorganizeOptions(o: CliOptions, target: Target): ReorganizeOptions {
  return {
    cacheline: o.cacheline ?? target.cacheline,
    bitfields: target.bitfields,
    keep: o.keep,
    keepFirst: o.keepFirst,
    hot: o.hot,
  };
}

function viewOf(res: ReorganizeResult, o: CliOptions, target: Target): ReorganizedView {
  const rec = res.kind === 'reorganized' ? res.record : res.original;
  return { result: res, view: analyzeRecord(rec, o.cacheline ?? target.cacheline), target: target.triple };
}

function write(views: readonly ReorganizedView[], o: CliOptions): void {
  const color = !!process.stdout.isTTY && !process.env.NO_COLOR;
  process.stdout.write(o.format === 'json' ? renderReorganizedJson(views) : renderReorganizedText(views, { color }));
}

/** --reorganize over the records selected on one target. */
export function adviseRecords(records: readonly Record[], o: CliOptions, target: Target, code: number): number {
  const opts = reorganizeOptions(o, target);
  write(
    records.map((r) => viewOf(reorganize(r, opts), o, target)),
    o,
  );
  return code;
}

/** --reorganize with --compare-targets: one order for all targets (records[t][k]: record k on
 *  target t, undefined where it is missing). */
export function adviseAcrossTargets(
  names: readonly string[],
  perTarget: readonly (readonly (Record | undefined)[])[],
  targets: readonly Target[],
  o: CliOptions,
): void {
  const views: ReorganizedView[] = [];
  names.forEach((_, k) => {
    const idx = targets.map((_, t) => t).filter((t) => perTarget[t]![k] !== undefined);
    const recs = idx.map((t) => perTarget[t]![k]!);
    if (!recs.length) return;
    const results = reorganizeAcross(recs, {
      ...reorganizeOptions(o, targets[0]!),
      rules: idx.map((t) => ({ bitfields: targets[t]!.bitfields, biggestAlign: targets[t]!.biggestAlign })),
    });
    results.forEach((res, n) => views.push(viewOf(res, o, targets[idx[n]!]!)));
  });
  write(views, o);
}
