// Public library entry points. Everything here runs in a browser as well as in Node: file access goes
// through the FileSystem interface, and nothing prints.

import { Diagnostics, FatalError } from './core/diag.js';
import { MemoryFileSystem } from './core/fs.js';
import { SourceManager } from './core/source.js';
import { parseDeclarations, type ParseResult } from './cparse/parser.js';
import { preprocessStream, type PreprocessStream } from './cpp/preprocess.js';
import { Lowerer } from './model/lower.js';
import { lazyUnit, type UnitRecords } from './model/unit.js';
import { DEFAULT_TARGET } from './target/target.js';

export type { IncludePaths, SourceOptions } from './core/options.js';
import type { SourceOptions } from './core/options.js';

/** The records of a translation unit (lowered on demand, see model/unit.ts) and what went wrong. */
export interface SourceResult extends UnitRecords {
  readonly sources: SourceManager;
  readonly diagnostics: Diagnostics;
}

export { Diagnostics, SourceManager };

/** C source → every struct/union of the translation unit, laid out for `opts.target`. Never throws on
 *  bad input: problems are in `diagnostics`, and everything still analysable is returned. */
export function analyzeSource(mainPath: string, opts: SourceOptions): SourceResult {
  const sources = new SourceManager();
  const diagnostics = new Diagnostics();
  const pp = preprocessStream(mainPath, {
    fs: opts.fs,
    target: opts.target,
    sources,
    diags: diagnostics,
    include: opts.include,
    macros: opts.macros,
    forcedIncludes: opts.forcedIncludes,
    nostdinc: opts.nostdinc,
    ...(opts.functionBodies ? { functionBodies: 'keep' as const } : {}),
  });
  return sourceResult(sources, diagnostics, opts, pp, () =>
    parseDeclarations(pp, {
      target: opts.target,
      diags: diagnostics,
      includeChainOf: pp.includeChainOf,
      sourceText: (id) => sources.get(id)?.text,
      functionBodies: opts.functionBodies,
    }),
  );
}

/** The result of `parse` over the stream `pp` (analyzeSource's, and --every-header's that goes on
 *  after a saved prefix: src/cli/every-header-prefix.ts). */
export function sourceResult(
  sources: SourceManager,
  diagnostics: Diagnostics,
  opts: SourceOptions,
  pp: PreprocessStream,
  parse: () => ParseResult,
): SourceResult {
  let parsed;
  try {
    parsed = parse();
  } catch (e) {
    if (e instanceof FatalError || e instanceof RangeError) {
      diagnostics.error(e instanceof RangeError ? 'input nested too deeply' : (e as Error).message);
      return {
        ...{ sources, diagnostics, records: [], mainRecords: [], typedefs: new Map() },
        ...{ find: () => undefined, recordsWhere: () => [], typedefOf: () => undefined },
      };
    }
    throw e;
  }
  const lower = new Lowerer({
    target: opts.target,
    sources,
    comments: pp.comments,
    diags: diagnostics,
    includeChainOf: pp.includeChainOf,
  });
  const unit = lazyUnit(parsed, lower, pp.mainFileId);
  return {
    sources,
    diagnostics,
    get records() {
      return unit.records;
    },
    get mainRecords() {
      return unit.mainRecords;
    },
    get typedefs() {
      return unit.typedefs;
    },
    find: (name) => unit.find(name),
    recordsWhere: (want) => unit.recordsWhere(want),
    typedefOf: (name) => unit.typedefOf(name),
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
    functionBodies: opts.functionBodies,
  });
}
