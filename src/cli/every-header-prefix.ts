// --every-header's kernel units all start with `#include <linux/module.h>`, 40-50% of each unit's
// compilation: it is compiled once per tree and process, and each unit (and each second compilation
// of a unit with failing headers) goes on from the preprocessor's and the parser's state after it
// (src/cpp/preprocess-prefix.ts, src/cparse/parse-prefix.ts). The output is byte-identical to
// compiling each unit whole (test/cli/every-header-prefix.test.ts); LAYOUTOF_PREFIX=0 turns it off.

import {
  analyzeSource,
  Diagnostics,
  SourceManager,
  sourceResult,
  type SourceOptions,
  type SourceResult,
} from '../api.js';
import { FatalError } from '../core/diag.js';
import { parseAfterPrefix, parsePrefix, type ParsePrefixState } from '../cparse/parse-prefix.js';
import type { PreprocessOptions, PreprocessStream } from '../cpp/preprocess.js';
import { preprocessPrefix, resumeAfterPrefix, type PrefixState } from '../cpp/preprocess-prefix.js';

export interface Prefix {
  readonly text: string;
  readonly pp: PrefixState;
  readonly parse: ParsePrefixState;
}

export const prefixReuse = (): boolean => process.env.LAYOUTOF_PREFIX !== '0';

const ppOptions = (opts: SourceOptions, sources: SourceManager, diags: Diagnostics): PreprocessOptions => ({
  fs: opts.fs,
  target: opts.target,
  sources,
  diags,
  include: opts.include,
  macros: opts.macros,
  forcedIncludes: opts.forcedIncludes,
  nostdinc: opts.nostdinc,
});

/** The state after `text` as the main file `path` (read through opts.fs); undefined when the prefix
 *  has errors or does not end where a unit could go on exactly. */
export function compilePrefix(path: string, text: string, opts: SourceOptions): Prefix | undefined {
  if (opts.functionBodies) return undefined;
  const sources = new SourceManager();
  const diags = new Diagnostics();
  const pp = preprocessPrefix(path, ppOptions(opts, sources, diags));
  let parse: ParsePrefixState | undefined;
  try {
    parse = parsePrefix(pp.stream, {
      target: opts.target,
      diags,
      includeChainOf: pp.stream.includeChainOf,
      sourceText: (id) => sources.get(id)?.text,
    });
  } catch (e) {
    if (e instanceof FatalError || e instanceof RangeError) return undefined;
    throw e;
  }
  const state = pp.save();
  if (!parse || !state || diags.errors > 0 || state.text !== text) return undefined;
  return { text, pp: state, parse };
}

/** analyzeSource(path) for a main file whose `text` starts with the prefix's; the plain compilation
 *  for any other. */
export function analyzeAfterPrefix(
  prefix: Prefix | undefined,
  path: string,
  text: string,
  opts: SourceOptions,
): SourceResult {
  if (!prefix || !text.startsWith(prefix.text)) return analyzeSource(path, opts);
  const sources = new SourceManager();
  const diagnostics = new Diagnostics();
  const pp: PreprocessStream = resumeAfterPrefix(prefix.pp, path, text, ppOptions(opts, sources, diagnostics));
  return sourceResult(sources, diagnostics, opts, pp, () =>
    parseAfterPrefix(prefix.parse, pp, {
      target: opts.target,
      diags: diagnostics,
      includeChainOf: pp.includeChainOf,
      sourceText: (id) => sources.get(id)?.text,
    }),
  );
}
