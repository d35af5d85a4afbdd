// The parser's state after a common prefix of several units (see src/cpp/preprocess-prefix.ts):
// saved once after the prefix's last declaration, and restored for each unit, whose parse goes on
// from there. Exact: the tables are copied, and every declaration the prefix made has its fields
// saved and put back, since later text completes forward declarations (and names records) in place.

import type { CType, EnumDecl, RecordDecl } from './ctype.js';
import { Parser, type ParseOptions, type ParseResult, type TokenSource } from './core.js';
import type { Val } from './values.js';
import { forgetLayouts } from '../layout/layout.js';
import './parser.js';

export interface ParsePrefixState {
  readonly records: readonly RecordDecl[];
  readonly typedefs: ReadonlyMap<string, CType>;
  readonly tags: ReadonlyMap<string, RecordDecl | EnumDecl>;
  readonly enumConsts: ReadonlyMap<string, Val>;
  readonly vars: ReadonlyMap<string, CType>;
  readonly funcs: readonly (string | CType)[];
  readonly packStack: readonly { name?: string; value: number }[];
  readonly pack: number;
  /** Each declaration of the prefix and its own fields as the prefix left them. */
  readonly decls: readonly (readonly [RecordDecl | EnumDecl, Record<string, unknown>])[];
}

type Tables = { -readonly [K in keyof Parser]: Parser[K] };

const result = (p: Parser): ParseResult => ({
  records: p.records,
  typedefs: p.typedefs,
  tags: p.tags,
  get vars() {
    return p.allVars();
  },
});

/** Parses the prefix to its end; its state, or undefined when it cannot be continued exactly
 *  (function bodies parsed: scoped tables). */
export function parsePrefix(source: TokenSource, opts: ParseOptions): ParsePrefixState | undefined {
  const p = new Parser([], opts, source);
  p.translationUnit();
  if (opts.functionBodies || p.depth !== 0 || p.funcScope !== undefined) return undefined;
  const decls = new Set<RecordDecl | EnumDecl>([...p.records, ...p.tags.values()]);
  return {
    records: p.records.slice(),
    typedefs: new Map(p.typedefs),
    tags: new Map(p.tags),
    enumConsts: new Map(p.enumConsts),
    vars: new Map(p.vars),
    funcs: p.funcs.slice(),
    packStack: p.packStack.slice(),
    pack: p.pack,
    decls: [...decls].map((d) => [d, { ...d }] as const),
  };
}

/** Parses the rest of a unit from `source` (a preprocessor resumed after the same prefix) in the
 *  prefix's state. */
export function parseAfterPrefix(s: ParsePrefixState, source: TokenSource, opts: ParseOptions): ParseResult {
  for (const [d, saved] of s.decls) {
    const o = d as unknown as Record<string, unknown>;
    // (A forward declaration a unit completed: its layout is that unit's.)
    if ('tag' in d && saved.fields === null && d.fields !== null) forgetLayouts(d);
    for (const k of Object.keys(o)) if (!(k in saved)) delete o[k];
    Object.assign(o, saved);
  }
  const p = new Parser([], opts, source);
  const w = p as Tables;
  w.records.push(...s.records);
  w.typedefs = new Map(s.typedefs);
  w.tags = new Map(s.tags);
  w.enumConsts = new Map(s.enumConsts);
  w.vars = new Map(s.vars);
  w.funcs.push(...s.funcs);
  w.packStack = s.packStack.slice();
  w.pack = s.pack;
  p.translationUnit();
  return result(p);
}
