// One unit of an --every-header run (every-header.ts): analysed and rendered where it runs (a worker
// process, or the main one with --jobs 1), so that only strings and plain objects cross over. A
// kernel unit is <linux/module.h> and a slice of the tree's headers, as a module includes them; a
// unit of -I directories is a slice of their headers; a compilation database's unit is one entry.
// A unit with errors is answered without the headers the errors come from (found through the
// include chain), else halved until the culprits stand alone.

import { analyzeSource, type SourceResult } from '../api.js';
import { analyzeAfterPrefix, compilePrefix, prefixReuse, type Prefix } from './every-header-prefix.js';
import type { Diagnostic } from '../core/diag.js';
import type { RecordDecl } from '../cparse/ctype.js';
import type { FileSystem } from '../core/fs.js';
import { analyzeRecord } from '../analyze/layout-view.js';
import { explainHoles } from '../analyze/hole-cause.js';
import { rankPackable } from '../analyze/packable.js';
import { recordJsonText } from '../render/json.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderText } from '../render/text.js';
import type { CliOptions } from './args.js';
import { buildContext, includeDirs, type BuildContext } from './context.js';
import { NodeFileSystem } from './nodefs.js';
import { resolve } from 'node:path';
import type { SharedSeen } from './every-header-seen.js';

export interface UnitJob {
  readonly index: number;
  /** Kernel and -I: header names as #include takes them; -p: the entry's file. */
  readonly files: readonly string[];
}

/** One record as the output needs it: its identity (name and definition site) and its rendering. */
export interface UnitRecord {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  /** Text or markdown; for JSON the record's object, serialised. */
  readonly out: string;
}

/** What the main process reads once for every unit: --counts/--slabinfo's live objects by name. */
export interface UnitExtra {
  readonly counts?: ReadonlyMap<string, number>;
}

export interface UnitResult {
  readonly index: number;
  readonly records: UnitRecord[];
  /** A header (or entry) that does not compile, with its first error. */
  readonly failures: { readonly file: string; readonly error: string }[];
  readonly compiled: number;
}

/** Per tree (--diff sweeps two in one process): its build context, and the sites already rendered
 *  (every kernel unit holds <linux/module.h>'s records again). */
const trees = new Map<
  string,
  { ctx?: BuildContext; fs: FileSystem; seen: Set<string>; peers: Map<string, number>; prefix?: Prefix | null }
>();
const treeOf = (o: CliOptions) => {
  const key = `${o.kernel ?? ''}\0${o.compdb ?? ''}\0${includeDirs(o).join('\0')}`;
  let t = trees.get(key);
  if (!t) trees.set(key, (t = { fs: remembered(new NodeFileSystem()), seen: new Set(), peers: new Map() }));
  return t;
};

/** `fs` whose texts are read once, and whose answers on paths given once: every kernel unit reads
 *  <linux/module.h>'s 600 headers again, and looks for its own includes along the same search path. */
function remembered(fs: FileSystem): FileSystem {
  const once = <T>(f: (p: string) => T): ((p: string) => T) => {
    const known = new Map<string, T>();
    return (p) => {
      let r = known.get(p);
      if (r === undefined && !known.has(p)) known.set(p, (r = f(p)));
      return r!;
    };
  };
  return {
    readFile: once((p) => fs.readFile(p)),
    isFile: once((p) => fs.isFile(p)),
    isDirectory: once((p) => fs.isDirectory(p)),
    realPath: once((p) => fs.realPath?.(p) ?? p),
    readError: (p) => fs.readError?.(p),
  };
}

/** One unit answered; with `peers`, the sites the run's other processes have rendered are not
 *  rendered again (every-header-seen.ts). */
export function runUnit(o: CliOptions, job: UnitJob, extra: UnitExtra = {}, peers?: SharedSeen): UnitResult {
  const result: UnitResult = { index: job.index, records: [], failures: [], compiled: 0 };
  const x = peers ? { ...extra, peers } : extra;
  if (o.kernel !== undefined) kernelUnit(o, job.files, job.index, result, x);
  else if (o.compdb !== undefined) for (const f of job.files) entryUnit(o, f, result, x);
  else includeDirUnit(o, job.files, job.index, result, x);
  return result;
}

function kernelUnit(o: CliOptions, headers: readonly string[], index: number, out: UnitResult, extra: UnitExtra): void {
  const tree = treeOf(o);
  const ctx = (tree.ctx ??= buildContext({ ...o, file: 'linux/module.h' }, new NodeFileSystem()));
  // <linux/module.h> compiled once (every-header-prefix.ts), null when it cannot be reused.
  if (tree.prefix === undefined) {
    const [p, t] = ['/layoutof-every-header/prefix.c', '#include <linux/module.h>\n'];
    tree.prefix = prefixReuse() ? (compilePrefix(p, t, { ...ctx.options, fs: overlay(tree.fs, p, t) }) ?? null) : null;
  }
  const slice = { ctx, fs: tree.fs, prefix: tree.prefix ?? undefined, lead: ['<linux/module.h>'], keep: () => true };
  sliceUnit(
    o,
    slice,
    headers.map((h) => `<${h}>`),
    index,
    out,
    extra,
  );
}

/** A unit of the headers under the -I directories: `"name"` as each is found from them. */
function includeDirUnit(
  o: CliOptions,
  headers: readonly string[],
  index: number,
  out: UnitResult,
  extra: UnitExtra,
): void {
  const tree = treeOf(o);
  const dirs = includeDirs(o).map((d) => d + '/');
  // (The context's FILE only names the unit: its text is the slice's #include lines.)
  const ctx = (tree.ctx ??= buildContext({ ...o, file: headers[0]! }, new NodeFileSystem()));
  // The records of the directories' headers, not of the system's they include.
  const keep = (f: string): boolean => dirs.some((d) => resolve(f).startsWith(d));
  sliceUnit(
    o,
    { ctx, fs: tree.fs, prefix: undefined, lead: [], keep },
    headers.map((h) => `"${h}"`),
    index,
    out,
    extra,
  );
}

/** How a slice of headers is compiled: after the `lead` includes (with their compiled `prefix` when
 *  there is one), keeping the records of the files `keep` accepts. */
interface Slice {
  readonly ctx: BuildContext;
  readonly fs: FileSystem;
  readonly prefix: Prefix | undefined;
  readonly lead: readonly string[];
  readonly keep: (file: string) => boolean;
}

function sliceUnit(
  o: CliOptions,
  slice: Slice,
  headers: readonly string[],
  index: number,
  out: UnitResult,
  extra: UnitExtra,
): void {
  const path = `/layoutof-every-header/unit-${index}.c`;
  const lead = slice.lead.length;
  // A header's name as reported: without its #include delimiters.
  const bare = (h: string): string => h.slice(1, -1);
  const attempt = (hs: readonly string[]): void => {
    if (hs.length === 0) return;
    const text = [...slice.lead, ...hs].map((h) => `#include ${h}\n`).join('');
    const opts = { ...slice.ctx.options, fs: overlay(slice.fs, path, text) };
    const res = analyzeAfterPrefix(slice.prefix, path, text, opts);
    (out as { compiled: number }).compiled++;
    if (res.diagnostics.errors === 0) return collect(o, slice.ctx, res, out, slice.keep, extra);
    // The headers the errors come from: the unit's line each error's include chain starts at.
    const bad = new Set<number>();
    for (const d of res.diagnostics.list) if (d.severity === 'error') bad.add(unitLine(d, res, path));
    if (hs.length === 1 || (lead > 0 && [...bad].some((l) => l >= 1 && l <= lead))) {
      const file = hs.length === 1 ? hs[0]! : slice.lead[0]!;
      out.failures.push({ file: bare(file), error: firstError(res, lead) });
      return;
    }
    const culprits = [...bad].filter((l) => l > lead && l - lead - 1 < hs.length).map((l) => hs[l - lead - 1]!);
    if (culprits.length > 0 && culprits.length < hs.length) {
      // The first culprit, and those with errors in their own text, fail on their own; the others may
      // fail only because of them (a header they include half read): tried again with the rest. (Not
      // compiled alone: each would cost a whole unit.)
      const own = culprits.filter((c, k) => k === 0 || ownError(res, hs, c, lead));
      for (const c of own) out.failures.push({ file: bare(c), error: firstError(res, lead, hs, c) });
      attempt(hs.filter((h) => !own.includes(h)));
      return;
    }
    attempt(hs.slice(0, hs.length >> 1));
    attempt(hs.slice(hs.length >> 1));
  };
  attempt(headers);
}

function entryUnit(o: CliOptions, file: string, out: UnitResult, extra: UnitExtra): void {
  const fs = new NodeFileSystem();
  const ctx = buildContext({ ...o, file }, fs);
  const res = analyzeSource(ctx.file, ctx.options);
  (out as { compiled: number }).compiled++;
  if (res.diagnostics.errors > 0) {
    out.failures.push({ file, error: firstError(res, 0) });
    return;
  }
  // The project's records, not the system headers'.
  const system = ctx.options.include.builtin;
  collect(o, ctx, res, out, (f) => !system.some((d) => f.startsWith(d + '/')), extra);
}

/** The line of the unit's own text where the include chain of `d` starts (0 when unknown). */
function unitLine(d: Diagnostic, res: SourceResult, path: string, prefix = false): number {
  const chain = d.includeChain ?? [];
  const outer = chain.length ? chain[chain.length - 1]! : d.loc;
  const p = outer ? res.sources.get(outer.file).path : '';
  if (!outer || (prefix ? !p.startsWith(path) : p !== path)) return 0;
  return res.sources.lineCol(outer).line;
}

/** Whether header `h` (as included) of the unit has an error in its own text (not in a header it
 *  includes). */
function ownError(res: SourceResult, hs: readonly string[], h: string, lead: number): boolean {
  return res.diagnostics.list.some(
    (d) =>
      d.severity === 'error' &&
      d.loc &&
      res.sources.get(d.loc.file).path.endsWith('/' + h.slice(1, -1)) &&
      hs[unitLine(d, res, '/layoutof-every-header/', true) - lead - 1] === h,
  );
}

/** The first error (of header `of`, when given: the errors whose include chain starts at its line). */
function firstError(res: SourceResult, lead: number, hs?: readonly string[], of?: string): string {
  const path = `/layoutof-every-header/`;
  const d = res.diagnostics.list.find(
    (x) => x.severity === 'error' && (!of || hs![unitLine(x, res, path, true) - lead - 1] === of),
  );
  if (!d) return 'error';
  const at = d.loc ? `${res.sources.get(d.loc.file).path}:${res.sources.lineCol(d.loc).line}: ` : '';
  return at + d.message;
}

function collect(
  o: CliOptions,
  ctx: BuildContext,
  res: SourceResult,
  out: UnitResult,
  keep: (file: string) => boolean,
  extra: UnitExtra & { peers?: SharedSeen },
): void {
  const cacheline = o.cacheline ?? ctx.target.cacheline;
  const tree = treeOf(o);
  const seen = tree.seen;
  // Sites this process rendered from an earlier unit, or another process did (every-header-seen.ts).
  extra.peers?.gather(tree.peers);
  const done = (key: string): boolean => seen.has(key) || (tree.peers.get(key) ?? Infinity) < out.index;
  const from = out.records.length;
  // Only the sites not answered yet are laid out (each kernel unit holds <linux/module.h>'s again).
  const fresh = (d: RecordDecl): boolean => {
    const name = d.name ?? d.typedefName;
    if (name === undefined) return false;
    const file = res.sources.get(d.loc.file).path;
    return keep(file) && !done(`${name}\0${file}\0${res.sources.lineCol(d.loc).line}`);
  };
  for (const r of res.recordsWhere(fresh)) {
    const name = r.name ?? r.typedef;
    if (name === undefined || r.origin?.kind !== 'source' || !keep(r.origin.file) || r.incomplete) continue;
    const key = `${name}\0${r.origin.file}\0${r.origin.line}`;
    if (done(key)) continue;
    seen.add(key);
    if (o.packable) {
      // The ranking's row (what --packable ranks one record by), without the record itself.
      const [p] = rankPackable([r], {
        cacheline,
        bitfields: ctx.target.bitfields,
        keep: o.keep,
        keepFirst: o.keepFirst,
        objectAlign: o.objectAlign !== undefined ? Number(o.objectAlign) : undefined,
        counts: extra.counts,
        minSavings: o.minSavings,
      });
      if (p)
        out.records.push({
          name,
          file: r.origin.file,
          line: r.origin.line,
          out: JSON.stringify({ ...p, record: r.kind }),
        });
      continue;
    }
    const v = analyzeRecord(r, cacheline, { expand: o.expand && o.format !== 'json' });
    const causes = o.pahole ? undefined : [explainHoles(v, ctx.target.bitfields)];
    // JSON: indented as in the document's list of records (every-header.ts joins them).
    const text =
      o.format === 'json'
        ? recordJsonText(v, causes?.[0], o.expand)
        : o.format === 'markdown'
          ? renderMarkdown([v], { causes })
          : renderText([v], { comments: o.comments, color: false, causes });
    out.records.push({ name, file: r.origin.file, line: r.origin.line, out: text });
  }
  extra.peers?.publish(
    out.index,
    out.records.slice(from).map((x) => `${x.name}\0${x.file}\0${x.line}`),
  );
}

/** `fs` with the unit's text at `path`. */
function overlay(fs: FileSystem, path: string, text: string): FileSystem {
  return {
    readFile: (p) => (p === path ? text : fs.readFile(p)),
    isFile: (p) => p === path || fs.isFile(p),
    isDirectory: (p) => fs.isDirectory(p),
    realPath: (p) => (p === path ? p : (fs.realPath?.(p) ?? p)),
    readError: (p) => fs.readError?.(p),
  };
}
