// The preprocessor's state after a common prefix of several units (every --every-header kernel unit
// starts with `#include <linux/module.h>`): saved once at the prefix's end, and restored for each
// unit that starts with the same text, which then goes on from the prefix's end. Exact: everything a
// later line mutates is copied (tables, file ids, comments, diagnostics); the memos of the
// accelerators start empty (they are transparent); what only grows by content (hidesets, a macro's
// lazily lexed body, a file's line table) is shared.

import { Diagnostics } from '../core/diag.js';
import { SourceManager, type Loc, type SourceFile } from '../core/source.js';
import type { CommentList } from './lexer.js';
import { Lexer } from './lexer.js';
import { MacroDef, NO_PARAMS } from './macro.js';
import type { Found } from './include.js';
import type { NameFilter } from './chars.js';
import type { PreprocessOptions, PreprocessStream } from './preprocess.js';
import { Preprocessor } from './preprocessor.js';
import { F_BOL, TK, token, type Token } from './token.js';

/** What the prefix left (opaque outside src/cpp). */
export interface PrefixState {
  readonly text: string;
  readonly mainFileId: number;
  readonly files: readonly SourceFile[];
  readonly diags: readonly Diagnostics['list'][number][];
  readonly errors: number;
  readonly warnings: number;
  readonly macros: ReadonlyMap<string, MacroDef>;
  readonly unbalanced: ReadonlySet<string>;
  readonly macroNames: NameFilter;
  readonly comments: readonly CommentList[];
  readonly chains: ReadonlyMap<number, Loc[]>;
  readonly fileIds: ReadonlyMap<string, number>;
  readonly pragmaOnce: ReadonlySet<number>;
  readonly guards: ReadonlyMap<number, string>;
  readonly includeCache: ReadonlyMap<string, Found | null>;
  readonly pushedMacros: ReadonlyMap<string, (MacroDef | undefined)[]>;
  readonly pp: Preprocessor;
  readonly counter: number;
  readonly expanded: number;
  readonly copied: number;
  readonly outCount: number;
  readonly lastOut: Token | undefined;
  readonly prevOut: Token | undefined;
}

/** The preprocessor over the prefix `text` (the main file at `mainPath`), and, once its stream has
 *  been read to the end, its state; undefined when the prefix cannot be continued exactly (it did
 *  not end at file scope, or reading it failed). */
export function preprocessPrefix(
  mainPath: string,
  opts: PreprocessOptions,
): { stream: PreprocessStream; save(): PrefixState | undefined } {
  const pp = new Preprocessor(opts);
  const stream = pp.start(mainPath);
  // __BASE_FILE__ is each unit's own path: a prefix that expands it cannot be shared.
  let baseFile = false;
  const base = pp.macros.get('__BASE_FILE__');
  if (base?.builtin) {
    const b = base.builtin;
    pp.macros.set(
      base.name,
      new MacroDef(base.name, false, NO_PARAMS, undefined, undefined, [], (t) => ((baseFile = true), b(t))),
    );
  }
  const save = (): PrefixState | undefined => {
    if (baseFile || !pp.done || pp.mainFileId < 0 || (pp.bodies && pp.bodies.depth !== 0)) return undefined;
    if (pp.fileStack.length !== 0 || pp.pushedMacros.size !== 0) return undefined;
    return {
      text: opts.sources.get(pp.mainFileId).text,
      mainFileId: pp.mainFileId,
      files: opts.sources.files.slice(),
      diags: opts.diags.list.slice(),
      errors: opts.diags.errors,
      warnings: opts.diags.warnings,
      macros: new Map(pp.macros),
      unbalanced: new Set(pp.unbalanced),
      macroNames: pp.macroNames.copy(),
      comments: pp.comments.slice(),
      chains: new Map(pp.chains),
      fileIds: new Map(pp.fileIds),
      pragmaOnce: new Set(pp.pragmaOnce),
      guards: new Map(pp.guards),
      includeCache: new Map(pp.includeCache),
      pushedMacros: new Map(),
      pp,
      counter: pp.counter,
      expanded: pp.expanded,
      copied: pp.hs.copied,
      outCount: pp.outCount,
      lastOut: pp.lastOut,
      prevOut: pp.prevOut,
    };
  };
  return { stream, save };
}

/** A new preprocessor for the main file `mainPath` whose `text` starts with the prefix's: in the
 *  prefix's state, reading on from the prefix's end. `opts.sources` and `opts.diags` must be new;
 *  they are filled with the prefix's files and diagnostics. */
export function resumeAfterPrefix(
  s: PrefixState,
  mainPath: string,
  text: string,
  opts: PreprocessOptions,
): PreprocessStream {
  const sm: SourceManager = opts.sources;
  const main = s.mainFileId;
  for (const f of s.files) sm.files.push(f.id === main ? { id: main, path: mainPath, text } : f);
  const d: Diagnostics = opts.diags;
  d.list.push(...s.diags);
  d.errors = s.errors;
  d.warnings = s.warnings;
  const pp = new Preprocessor(opts);
  const w = pp as { -readonly [K in keyof Preprocessor]: Preprocessor[K] };
  // The builtin macros (__FILE__, __LINE__, __COUNTER__...) read their own preprocessor: this one's.
  pp.defineBuiltins();
  const own = pp.macros;
  w.macros = new Map(s.macros) as Preprocessor['macros'];
  // (Looked for among this one's macros, a few hundred, not the prefix's thousands.)
  for (const [name, m] of own) if (s.macros.get(name)?.builtin) pp.macros.set(name, m);
  w.unbalanced = new Set(s.unbalanced);
  w.macroNames = s.macroNames.copy();
  w.comments = s.comments.slice();
  w.chains = new Map(s.chains);
  w.fileIds = new Map(s.fileIds);
  w.fileIds.delete(s.pp.mainPath);
  w.fileIds.set(mainPath, main);
  w.pragmaOnce = new Set(s.pragmaOnce);
  w.guards = new Map(s.guards);
  w.includeCache = new Map(s.includeCache);
  w.hs = s.pp.hs;
  pp.hs.copied = s.copied;
  pp.counter = s.counter;
  pp.expanded = s.expanded;
  pp.outCount = s.outCount;
  pp.lastOut = s.lastOut;
  pp.prevOut = s.prevOut;
  pp.mainFileId = main;
  pp.mainPath = mainPath;
  // The main file's frame, its lexer at the start of the line after the prefix.
  const lx = new Lexer(sm.get(main), s.text.length, true, pp.plainDefines);
  lx.flags = F_BOL;
  pp.comments[main] = lx.comments;
  const ff = {
    id: main,
    path: mainPath,
    dirIndex: -1,
    ifStack: [],
    guardCandidate: undefined,
    guardClosedAtEnd: false,
  };
  pp.fileStack.push({ frame: ff, includeLoc: undefined });
  const frame = { toks: [] as Token[], i: 0, file: ff, lx };
  pp.refill(frame);
  pp.frames.push(frame);
  pp.eof = token(TK.EOF, '', main, text.length, F_BOL);
  pp.running = true;
  return pp.result();
}
