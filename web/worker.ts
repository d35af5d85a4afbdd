// The engine in a web worker, so the page never freezes: it analyses an input once per 'load' (C
// source for each target asked, or a binary) and keeps the result, then draws one record per 'show'.
import { analyzeSource, type SourceResult } from '../src/api.js';
import { MemoryFileSystem } from '../src/core/fs.js';
import { formatDiagnostic } from '../src/core/diag.js';
import { DEFAULT_TARGET, findTarget } from '../src/target/target.js';
import { analyzeBinary } from '../src/binary/index.js';
import { analyzeRecord } from '../src/analyze/layout-view.js';
import { explainHoles } from '../src/analyze/hole-cause.js';
import { compareAcrossTargets } from '../src/analyze/compare.js';
import { InexactRecordError } from '../src/analyze/exact.js';
import type { RecordType } from '../src/model/model.js';
import { toJson } from '../src/render/json.js';
import { renderMarkdown } from '../src/render/markdown.js';
import { renderComparison } from '../src/render/compare.js';
import { comparisonPicture, summaryLine, svgDocument, svgPicture } from '../src/render/svg.js';
import { markdownToHtml } from '../src/render/html.js';
import type { Problem, RecordEntry, Reply, Request } from './protocol.js';

interface Loaded {
  readonly targets: readonly string[];
  /** Per target: name → record. */
  readonly byName: readonly Map<string, RecordType>[];
}
let loaded: Loaded | undefined;

const post = (r: Reply): void => (self as unknown as Worker).postMessage(r);
const nameOf = (r: RecordType): string | undefined => r.name ?? r.typedef;

function load(req: Extract<Request, { type: 'load' }>): void {
  const t0 = performance.now();
  const problems: Problem[] = [];
  const entries: RecordEntry[] = [];
  const byName: Map<string, RecordType>[] = [];
  const input = req.input;
  let targets = req.targets.length ? req.targets : [DEFAULT_TARGET.triple];
  if (input.kind === 'binary') {
    targets = [targets[0]!];
    const res = analyzeBinary(input.bytes, { path: input.name });
    for (const d of res.diagnostics.list)
      problems.push({
        severity: d.severity,
        message: d.message,
        text: `${d.where ? d.where + ': ' : ''}${d.severity}: ${d.message}`,
      });
    const map = new Map<string, RecordType>();
    for (const r of res.records) {
      const n = nameOf(r);
      if (n === undefined || map.has(n)) continue;
      map.set(n, r);
      entries.push({ name: n, kind: r.kind, size: r.size, main: true });
    }
    byName.push(map);
  } else {
    const fs = new MemoryFileSystem(input.files);
    const seen = new Set<string>();
    targets.forEach((triple, i) => {
      const target = findTarget(triple);
      if (!target) {
        problems.push({
          severity: 'error',
          message: `unknown target '${triple}'`,
          text: `error: unknown target '${triple}'`,
        });
        byName.push(new Map());
        return;
      }
      const include = { quote: [], angled: [...input.includeDirs], system: [], builtin: [], after: [] };
      const res: SourceResult = analyzeSource(input.main, { fs, target, include, macros: [], forcedIncludes: [] });
      const map = new Map<string, RecordType>();
      const main = new Set(res.mainRecords);
      const all = [
        ...res.records,
        ...[...res.typedefs].filter(([, r]) => r.name === null).map(([n, r]) => ({ ...r, typedef: n })),
      ];
      for (const r of all) {
        const n = nameOf(r);
        if (n === undefined || map.has(n)) continue;
        map.set(n, r);
        if (i === 0)
          entries.push({
            name: n,
            kind: r.kind,
            size: r.size,
            main: main.has(r) || (r.origin?.kind === 'source' && r.origin.file === input.main),
          });
      }
      byName.push(map);
      // (Another target's problems only where they differ from the first target's.)
      for (const d of res.diagnostics.list) {
        const text = formatDiagnostic(d, res.sources);
        if (i > 0 && seen.has(text)) continue;
        seen.add(text);
        const p: { -readonly [K in keyof Problem]: Problem[K] } = {
          severity: d.severity,
          message: d.message,
          text: i > 0 ? `[${triple}] ${text}` : text,
        };
        if (d.loc) {
          const { line, col } = res.sources.lineCol(d.loc);
          Object.assign(p, { file: res.sources.get(d.loc.file).path, line, col });
        }
        problems.push(p);
      }
    });
  }
  loaded = { targets, byName };
  post({ type: 'loaded', id: req.id, records: entries, problems, targets, ms: performance.now() - t0 });
}

function show(req: Extract<Request, { type: 'show' }>): void {
  const t0 = performance.now();
  if (!loaded) return post({ type: 'failed', id: req.id, message: 'nothing loaded' });
  const recs = loaded.byName.map((m) => m.get(req.name));
  if (recs.every((r) => r === undefined))
    return post({ type: 'failed', id: req.id, message: `no struct, union or typedef named '${req.name}'` });
  const views = recs.map((r) => r && analyzeRecord(r, req.cacheline, { expand: req.expand }));
  let svg: string;
  let table: string;
  let json: string;
  let summary: string;
  if (loaded.targets.length > 1) {
    const cmp = compareAcrossTargets(loaded.targets, recs);
    const differs = new Set(cmp.members.filter((m) => m.differs).map((m) => m.path));
    svg = svgDocument([comparisonPicture(loaded.targets, views, differs, { expand: req.expand })]);
    table = markdownToHtml(renderComparison(req.name, cmp, 'markdown'));
    json = renderComparison(req.name, cmp, 'json');
    summary = views.map((v, i) => `${loaded!.targets[i]}: ${v ? summaryLine(v) : 'not defined'}`).join('\n');
  } else {
    const v = views[0]!;
    svg = svgDocument([svgPicture(v, { expand: req.expand })]);
    // Each hole's cause, as the command line says it.
    const causes = [explainHoles(v, (findTarget(loaded.targets[0]!) ?? DEFAULT_TARGET).bitfields)];
    table = markdownToHtml(renderMarkdown([v], { causes }));
    json = JSON.stringify(toJson(loaded.targets[0]!, [v], { expand: req.expand, causes }), null, 2);
    summary = summaryLine(v);
  }
  post({ type: 'shown', id: req.id, name: req.name, svg, table, json, summary, ms: performance.now() - t0 });
}

self.onmessage = (e: MessageEvent<Request>) => {
  try {
    if (e.data.type === 'load') load(e.data);
    else show(e.data);
  } catch (err) {
    // (A record past 2^50 bytes: the picture and the comparison refuse it, located.)
    const message = err instanceof InexactRecordError ? err.message : `internal error: ${(err as Error).message}`;
    post({ type: 'failed', id: e.data.id, message });
  }
};
