// The command line's advice: --reorganize (a smaller order for the named records, on one target or
// several) and --packable (every record ranked by what reordering saves). Options in, text out; the
// work is src/analyze/reorganize.ts and src/analyze/packable.ts.

import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { analyzeRecord } from '../analyze/layout-view.js';
import { reorganize, reorganizeAcross, type ReorganizeOptions, type ReorganizeResult } from '../analyze/reorganize.js';
import type { RecordType } from '../model/model.js';
import { explainHoles } from '../analyze/hole-cause.js';
import { parseCounts, parseSlabinfo, rankPackable } from '../analyze/packable.js';
import { renderPackable } from '../render/packable.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderText } from '../render/text.js';
import { renderCSource, renderPatch, reorderSource } from '../render/patch.js';
import { renderReorganizedJson, renderReorganizedText, type ReorganizedView } from '../render/reorganize.js';
import type { Target } from '../target/target.js';
import type { CliOptions } from './args.js';

export function wantsAdvice(o: CliOptions): boolean {
  return !!o.reorganize || !!o.packable || (!!o.explain && o.format !== 'json');
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
  const view = analyzeRecord(rec, o.cacheline ?? target.cacheline);
  return { result: res, view, target: target.triple, causes: explainHoles(view, target.bitfields) };
}

function write(views: readonly ReorganizedView[], o: CliOptions): void {
  const color = !!process.stdout.isTTY && !process.env.NO_COLOR;
  process.stdout.write(o.format === 'json' ? renderReorganizedJson(views) : renderReorganizedText(views, { color }));
}

/** --reorganize over the records selected on one target. */
export function adviseRecords(records: readonly RecordType[], o: CliOptions, target: Target, code: number): number {
  if (o.packable) return packable(records, o, target, code);
  if (!o.reorganize) return explain(records, o, target, code);
  const opts = reorganizeOptions(o, target);
  const results = records.map((r) => reorganize(r, opts));
  if (o.patch || o.cSource) return writeSource(results, o, code);
  write(
    results.map((r) => viewOf(r, o, target)),
    o,
  );
  return code;
}

/** --packable: the records ranked by what reordering saves. */
function packable(records: readonly RecordType[], o: CliOptions, target: Target, code: number): number {
  let counts: Map<string, number> | undefined;
  const file = o.counts ?? o.slabinfo;
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      process.stderr.write(`layoutof: ${file}: ${(e as Error).message}\n`);
      return 1;
    }
    const parsed = o.counts !== undefined ? parseCounts(text) : parseSlabinfo(text);
    for (const err of parsed.errors) process.stderr.write(`layoutof: ${file}: ${err}\n`);
    if (parsed.errors.length) return 1;
    counts = parsed.counts;
  }
  // (An allocator's rounding past 2^53 bytes is not a case to rank.)
  const objectAlign = o.objectAlign !== undefined ? Number(o.objectAlign) : undefined;
  const rows = rankPackable(records, {
    ...reorganizeOptions(o, target),
    objectAlign,
    counts,
    minSavings: o.minSavings,
  });
  process.stdout.write(
    renderPackable(
      rows,
      o.format === 'json' || o.format === 'markdown' ? o.format : 'text',
      target.triple,
      objectAlign,
    ),
  );
  return code;
}

/** --explain: the text view with every hole's cause, and the holes largest first. */
function explain(records: readonly RecordType[], o: CliOptions, target: Target, code: number): number {
  const color = !!process.stdout.isTTY && !process.env.NO_COLOR;
  const cacheline = o.cacheline ?? target.cacheline;
  const out = records.map((r) => {
    const v = analyzeRecord(r, cacheline, { expand: o.expand });
    const causes = [explainHoles(v, target.bitfields)];
    return o.format === 'markdown'
      ? renderMarkdown([v], { causes })
      : renderText([v], { comments: o.comments, color, causes, holeList: true });
  });
  process.stdout.write(out.join('\n'));
  return code;
}

/** --patch and --format c: the new order in the author's own text. */
function writeSource(results: readonly ReorganizeResult[], o: CliOptions, code: number): number {
  let out = '';
  for (const res of results) {
    const name = res.original.name ?? res.original.typedef ?? res.original.kind;
    if (res.kind === 'unchanged') {
      process.stderr.write(`layoutof: ${name}: not reorganized: ${res.reason}\n`);
      continue;
    }
    const file = res.original.origin?.kind === 'source' ? res.original.origin.file : undefined;
    let text: string | undefined;
    try {
      text = file ? readFileSync(file, 'utf8') : undefined;
    } catch {
      text = undefined;
    }
    if (text === undefined || file === undefined) {
      process.stderr.write(`layoutof: ${name}: no source text to rewrite\n`);
      code = 1;
      continue;
    }
    const edit = reorderSource(text, res);
    if (!edit.ok) {
      process.stderr.write(`layoutof: ${name}: cannot rewrite the source: ${edit.reason}\n`);
      code = 1;
    } else if (o.cSource) out += `/* ${res.original.size} -> ${res.record.size} bytes */\n${renderCSource(text, res)}`;
    else out += renderPatch(relativePath(file), text, edit);
  }
  process.stdout.write(out);
  return code;
}

/** The path as patch -p0 run here finds it: relative when under the working directory. */
function relativePath(file: string): string {
  const r = relative(process.cwd(), file);
  return r.startsWith('..') || isAbsolute(r) ? file : r;
}

/** --reorganize with --compare-targets: one order for all targets (records[t][k]: record k on
 *  target t, undefined where it is missing). */
export function adviseAcrossTargets(
  names: readonly string[],
  perTarget: readonly (readonly (RecordType | undefined)[])[],
  targets: readonly Target[],
  o: CliOptions,
): number {
  const views: ReorganizedView[] = [];
  const first: ReorganizeResult[] = [];
  names.forEach((_, k) => {
    const idx = targets.map((_, t) => t).filter((t) => perTarget[t]![k] !== undefined);
    const recs = idx.map((t) => perTarget[t]![k]!);
    if (!recs.length) return;
    const results = reorganizeAcross(recs, {
      ...reorganizeOptions(o, targets[0]!),
      rules: idx.map((t) => ({ bitfields: targets[t]!.bitfields, biggestAlign: targets[t]!.biggestAlign })),
    });
    results.forEach((res, n) => views.push(viewOf(res, o, targets[idx[n]!]!)));
    first.push(results[0]!);
  });
  // One order for all targets, one source text: the first target's record carries it.
  if (o.patch || o.cSource) return writeSource(first, o, 0);
  write(views, o);
  return 0;
}
