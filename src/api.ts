// Public library entry points. Everything here runs in a browser as well as in Node: file access goes
// through the FileSystem interface, and nothing prints.

import { Diagnostics } from './core/diag.js';
import { SourceManager } from './core/source.js';
import type { Record } from './model/model.js';
import type { CType } from './cparse/ctype.js';

export type { IncludePaths, SourceOptions } from './core/options.js';
import type { SourceOptions } from './core/options.js';

export interface SourceResult {
  readonly sources: SourceManager;
  readonly diagnostics: Diagnostics;
  /** Every struct/union defined in the translation unit, in definition order. */
  readonly records: readonly Record[];
  /** The subset defined in the main file itself. */
  readonly mainRecords: readonly Record[];
  /** Typedef names that name records (for NAME lookup): typedef name -> record. */
  readonly typedefs: ReadonlyMap<string, Record>;
  /** The struct/union tag or record typedef `name` (lays out only what it needs). */
  find(name: string): Record | undefined;
}

export { Diagnostics, SourceManager };

import { preprocessStream } from './cpp/preprocess.js';
import { parseDeclarations } from './cparse/parser.js';
import { Lowerer } from './model/lower.js';
import { MemoryFileSystem } from './core/fs.js';
import { FatalError } from './core/diag.js';
import { DEFAULT_TARGET } from './target/target.js';

/** C source → every struct/union of the translation unit, laid out for `opts.target`. Never throws on
 *  bad input: problems are in `diagnostics`, and everything still analysable is returned. */
export function analyzeSource(mainPath: string, opts: SourceOptions): SourceResult {
  const sources = new SourceManager();
  const diagnostics = new Diagnostics();
  const pp = preprocessStream(mainPath, {
    fs: opts.fs, target: opts.target, sources, diags: diagnostics, include: opts.include, macros: opts.macros,
    forcedIncludes: opts.forcedIncludes, nostdinc: opts.nostdinc,
  });
  let parsed;
  try {
    parsed = parseDeclarations(pp, { target: opts.target, diags: diagnostics, includeChainOf: pp.includeChainOf, sourceText: (id) => sources.get(id)?.text });
  } catch (e) {
    if (e instanceof FatalError || e instanceof RangeError) {
      diagnostics.error(e instanceof RangeError ? 'input nested too deeply' : (e as Error).message);
      return { sources, diagnostics, records: [], mainRecords: [], typedefs: new Map(), find: () => undefined };
    }
    throw e;
  }
  const lower = new Lowerer({ target: opts.target, sources, comments: pp.comments, diags: diagnostics, includeChainOf: pp.includeChainOf });
  // Lowering (layout, comments) is done on demand: a query for one record of a kernel unit lays out
  // only that record and what it contains, not the unit's 1,500 others.
  let all: { records: Record[]; mainRecords: Record[] } | undefined;
  const lowerAll = (): { records: Record[]; mainRecords: Record[] } => {
    if (all) return all;
    const records: Record[] = [];
    const mainRecords: Record[] = [];
    const seen = new Set<Record>();
    for (const d of parsed.records) {
      const r = lower.record(d);
      if (!r || seen.has(r)) continue;
      seen.add(r);
      records.push(r);
      if (d.loc.file === pp.mainFileId) mainRecords.push(r);
    }
    return (all = { records, mainRecords });
  };
  const typedefRecord = (name: string, t: CType): Record | undefined => {
    let s = t;
    let aligned: number | undefined;
    while (s.kind === 'typedef') {
      aligned ??= s.attrs.aligned;
      s = s.to;
    }
    if (s.kind !== 'record' || !s.decl.fields) return undefined;
    const r = lower.record(s.decl);
    // typedef struct {...} T __attribute__((aligned(N))): T has its own alignment, same size.
    return r && aligned !== undefined && aligned !== r.align ? { ...r, align: aligned, typedef: name } : r;
  };
  let typedefs: Map<string, Record> | undefined;
  const allTypedefs = (): Map<string, Record> => {
    if (typedefs) return typedefs;
    lowerAll(); // records first, in definition order, as a full run always did
    typedefs = new Map();
    for (const [name, t] of parsed.typedefs) {
      const r = typedefRecord(name, t);
      if (r) typedefs.set(name, r);
    }
    return typedefs;
  };
  return {
    sources,
    diagnostics,
    get records() {
      return lowerAll().records;
    },
    get mainRecords() {
      return lowerAll().mainRecords;
    },
    get typedefs() {
      return allTypedefs();
    },
    find(name: string): Record | undefined {
      // (lower.record caches: a record already laid out is not laid out again.)
      for (const d of parsed.records) {
        if (d.name !== name) continue;
        const r = lower.record(d);
        if (r && r.name !== null) return r;
      }
      const t = parsed.typedefs.get(name);
      return t ? typedefRecord(name, t) : undefined;
    },
  };
}

/** Convenience for tests and the browser: analyse a C text as the main file of an in-memory tree. */
export function analyzeSourceText(text: string, opts: Partial<SourceOptions> & { path?: string } = {}): SourceResult {
  const path = opts.path ?? '/input.c';
  const fs = opts.fs ?? new MemoryFileSystem();
  const mem = new MemoryFileSystem({ [path]: text });
  const overlay = {
    readFile: (p: string) => mem.readFile(p) ?? fs.readFile(p),
    isFile: (p: string) => mem.isFile(p) || fs.isFile(p),
    isDirectory: (p: string) => mem.isDirectory(p) || fs.isDirectory(p),
  };
  return analyzeSource(path, {
    fs: overlay,
    target: opts.target ?? DEFAULT_TARGET,
    include: opts.include ?? { quote: [], angled: [], system: [], builtin: [], after: [] },
    macros: opts.macros ?? [],
    forcedIncludes: opts.forcedIncludes ?? [],
    nostdinc: opts.nostdinc,
  });
}
