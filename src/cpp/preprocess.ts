// The C preprocessor (C11 6.10 as gcc runs it): its options, limits and entry points. How it is
// organised (the reference algorithm in macro.ts, the accelerators, the limits) is described in
// docs/preprocessor.md; the state and main loop are in preprocessor.ts.

import type { IncludePaths } from '../core/options.js';
import type { Diagnostics } from '../core/diag.js';
import type { FileSystem } from '../core/fs.js';
import type { Loc, SourceManager } from '../core/source.js';
import type { Target } from '../target/target.js';
import type { CommentList } from './lexer.js';
import { Preprocessor } from './preprocessor.js';
import type { Token } from './token.js';

export { spell } from './token.js';

export interface Macro {
  readonly name: string;
  readonly funcLike: boolean;
  readonly params: readonly string[];
  /** Name of the variadic parameter (__VA_ARGS__ or GNU `args...`), if any. */
  readonly variadic?: string;
  readonly body: readonly Token[];
  readonly builtin?: (tok: Token) => Token;
  readonly loc?: Loc;
}

export interface PreprocessLimits {
  /** Total tokens produced by macro expansion before giving up (bounds time). */
  readonly maxExpandedTokens: number;
  /** Tokens in one list at once: a macro's arguments, one expansion, an expanded directive line
   *  (bounds memory). */
  readonly maxMacroTokens: number;
  /** Tokens in the output stream. */
  readonly maxOutputTokens: number;
  readonly maxIncludeDepth: number;
  readonly maxIfDepth: number;
  readonly maxFileBytes: number;
}

export const DEFAULT_LIMITS: PreprocessLimits = {
  maxExpandedTokens: 10_000_000,
  maxMacroTokens: 500_000,
  maxOutputTokens: 10_000_000,
  maxIncludeDepth: 200,
  maxIfDepth: 4096,
  maxFileBytes: 64 * 1024 * 1024,
};

export interface PreprocessOptions {
  readonly fs: FileSystem;
  readonly target: Target;
  readonly sources: SourceManager;
  readonly diags: Diagnostics;
  readonly include: IncludePaths;
  readonly macros: readonly (readonly ['D' | 'U', string])[];
  readonly forcedIncludes: readonly string[];
  readonly nostdinc?: boolean;
  readonly limits?: Partial<PreprocessLimits>;
  /** Function bodies at file scope cannot change a layout, so by default their text is stepped over
   *  (only brackets, directives and macros that may hold braces come out, see Lexer.bodyToken).
   *  'keep': every token, fully expanded, as `gcc -E` prints it. */
  readonly functionBodies?: 'skip' | 'keep';
  /** false: no accelerator is used (an object-like macro's expansion reused, flat.ts; a plainly
   *  spelled #define line read as text, Lexer.plainDefine; memoised brace balances, bodies.ts), for
   *  tests that hold them to the general path (docs/preprocessor.md); or each one chosen alone. */
  readonly shortcuts?: boolean | Shortcuts;
}

/** The accelerators, each on (the default) or off. */
export interface Shortcuts {
  readonly flat?: boolean;
  readonly plainDefines?: boolean;
  readonly balances?: boolean;
}

export interface PreprocessResult {
  /** The token stream for the parser; ends with TK.EOF. Pragmas appear as TK.Pragma tokens. */
  readonly tokens: Token[];
  /** Comments per file id, sorted by position. */
  readonly comments: CommentList[];
  includeChainOf(fileId: number): Loc[];
  readonly mainFileId: number;
  readonly macros: ReadonlyMap<string, Macro>;
}

export function preprocess(mainPath: string, opts: PreprocessOptions): PreprocessResult {
  const s = preprocessStream(mainPath, opts);
  const tokens: Token[] = [];
  while (s.fill(tokens, Infinity));
  return { ...s, tokens };
}

/** The preprocessor as a token source the parser pulls from, so that tokens die young instead of the
 *  whole translation unit's stream being held at once (most of a kernel unit's cost was the garbage
 *  collector copying tokens that had to survive until parsing). */
export interface PreprocessStream extends Omit<PreprocessResult, 'tokens'> {
  /** Appends tokens to `buf` until it holds at least `min` or the stream ends (the last token pushed
   *  is then TK.EOF). Returns false once EOF has been pushed. */
  fill(buf: Token[], min: number): boolean;
}

export function preprocessStream(mainPath: string, opts: PreprocessOptions): PreprocessStream {
  return new Preprocessor(opts).start(mainPath);
}
