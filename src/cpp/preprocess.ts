// The C preprocessor (C11 6.10 as gcc runs it). Macro expansion follows Prosser's hideset algorithm
// (as in chibicc's preprocess.c and Dave Prosser's 1986 note): each token carries the set of macro
// names it may no longer expand; object-like expansion adds the macro's name, function-like expansion
// uses the intersection of the name's and the ')' token's hidesets. Input is a stack of token frames;
// directives are recognised only in file frames at the beginning of a line.

import type { IncludePaths } from '../core/options.js';
import { Diagnostics, FatalError } from '../core/diag.js';
import { dirname, joinPath, type FileSystem } from '../core/fs.js';
import type { Loc, SourceFile, SourceManager } from '../core/source.js';
import { lineColOf } from '../core/source.js';
import type { Target } from '../target/target.js';
import { predefinedMacros } from '../target/predefined.js';
import { builtinHeaderFs, BUILTIN_INCLUDE_DIR } from '../target/headers.js';
import { evalIfExpr, IfExprError } from './ifexpr.js';
import { lex, lexDefineBody, Lexer, NameFilter, type CommentList, type PlainDefine } from './lexer.js';
import { F_BOL, F_NOEXPAND, F_SPACE, TK, token, type Conditional, type Token } from './token.js';
import { EMPTY_HS, Hidesets, sizeOf, type Hideset } from './hideset.js';
import { hasAttribute, hasBuiltin } from './features.js';

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
  /** false: no shortcut for the common case is taken (an object-like macro's expansion reused, see
   *  Preprocessor.flatExpansion; a plainly spelled #define line read as text, see
   *  Lexer.plainDefine), for tests that hold the shortcuts to the general path. */
  readonly shortcuts?: boolean;
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

interface Frame {
  toks: readonly Token[];
  i: number;
  /** File frames: the lexer that supplies `toks` a line at a time. */
  lx?: Lexer;
  /** File frames: the file id and directory lookup state. */
  file?: FileFrame;
  /** Macro frames: the macro being expanded (for re-entrancy of frame popping only). */
}

interface FileFrame {
  id: number;
  path: string;
  /** Index into the search path the file was found in (for #include_next); -1 for quote/absolute. */
  dirIndex: number;
  ifStack: IfState[];
  /** Include-guard detection: the guard macro name if the file starts with #ifndef X / #define X. */
  guardCandidate?: string;
  guardClosedAtEnd?: boolean;
}

interface IfState {
  cond: Conditional;
  /** Some branch of this group has been taken. */
  taken: boolean;
  inElse: boolean;
  /** The enclosing state was skipping (the whole group is skipped). */
  outerSkip: boolean;
}

const NO_PARAMS: readonly string[] = [];
const PRAGMA_ONLY = new NameFilter();
PRAGMA_ONLY.add('_Pragma');

/** An included file: its path and the index of the search directory it was found in (-1: the
 *  including file's directory or an absolute path). */
interface Found {
  readonly path: string;
  readonly dirIndex: number;
}

interface LazyBody {
  readonly file: SourceFile;
  readonly start: number;
  readonly end: number;
  /** '{' less '}' in the body (counted as the lexer stepped over it). */
  readonly braces: number;
}

/** A macro. A #define's body that the lexer stepped over is lexed when first asked for (a kernel unit
 *  defines some 22,000 macros and uses a few thousand). One class, so that every macro has one shape. */
class MacroDef implements Macro {
  private toks: readonly Token[] | undefined;
  // The body the lexer stepped over, and where the macro was defined, kept as numbers: two objects
  // fewer per macro for the garbage collector to copy (22,000 macros survive a kernel unit).
  private readonly lazyFile: SourceFile | undefined;
  private readonly lazyStart: number = 0;
  private readonly lazyEnd: number = 0;
  private readonly locFile: number;
  private readonly locPos: number;
  /** '{' less '}' in the body (an expansion inside a function body may open or close one). */
  readonly braces: number;
  constructor(
    readonly name: string,
    readonly funcLike: boolean,
    readonly params: readonly string[],
    readonly variadic: string | undefined,
    loc: Loc | undefined,
    body: readonly Token[] | LazyBody,
    readonly builtin: ((tok: Token) => Token) | undefined = undefined,
  ) {
    this.locFile = loc ? loc.file : -1;
    this.locPos = loc ? loc.pos : 0;
    if ('braces' in body) {
      this.lazyFile = body.file;
      this.lazyStart = body.start;
      this.lazyEnd = body.end;
      this.braces = body.braces;
    } else {
      this.lazyFile = undefined;
      this.toks = body;
      let d = 0;
      for (const b of body) if (b.kind === TK.Punct) d += b.text === '{' ? 1 : b.text === '}' ? -1 : 0;
      this.braces = d;
    }
  }
  get loc(): Loc | undefined {
    return this.locFile < 0 ? undefined : { file: this.locFile, pos: this.locPos };
  }
  private pasting: boolean | undefined;
  get body(): readonly Token[] {
    return (this.toks ??= lexDefineBody(this.lazyFile!, { start: this.lazyStart, end: this.lazyEnd }));
  }
  /** The body holds ## (so even an object-like expansion is more than a copy). */
  get pastes(): boolean {
    return (this.pasting ??= this.body.some((t) => t.kind === TK.Punct && t.text === '##'));
  }
}

/** A flat expansion's token that takes the invoking token's leading space (never leaves the
 *  preprocessor: stampFlat replaces it). */
const F_LEAD = 8;
/** The longest flat expansion kept (see Preprocessor.flatExpansion). */
const FLAT_MAX = 1024;

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

class Preprocessor {
  private readonly fs: FileSystem;
  private readonly diags: Diagnostics;
  private readonly sm: SourceManager;
  private readonly limits: PreprocessLimits;
  private readonly macros = new Map<string, MacroDef>();
  /** The defined macros whose own bodies' braces do not balance (usually none). */
  private readonly unbalanced = new Set<string>();
  /** Every name ever defined as a macro, and _Pragma: what a function body's text cannot skip. */
  private readonly macroNames = new NameFilter();
  /** The consumer's buffer being filled (see fill). */
  private out: Token[] = [];
  private outCount = 0;
  /** The last two tokens output (the function-body tracker looks one token back). */
  private lastOut: Token | undefined;
  private prevOut: Token | undefined;
  private done = false;
  private readonly comments: CommentList[] = [];
  private readonly chains = new Map<number, Loc[]>();
  private readonly fileIds = new Map<string, number>();
  private readonly pragmaOnce = new Set<number>();
  private readonly guards = new Map<number, string>();
  private readonly frames: Frame[] = [];
  private readonly fileStack: { frame: FileFrame; includeLoc?: Loc }[] = [];
  private readonly searchDirs: string[];
  /** Index of the first angled (-I) directory in searchDirs; quote dirs come before it. */
  private readonly angledStart: number;
  private expanded = 0;
  private readonly hs = new Hidesets();
  /** Frames below this index belong to the expansion an isolated argument interrupted (expandArg). */
  private base = 0;
  private counter = 0;
  private mainFileId = -1;
  private mainPath = '';

  constructor(private readonly opts: PreprocessOptions) {
    this.diags = opts.diags;
    this.sm = opts.sources;
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    const builtin = opts.nostdinc ? [] : opts.include.builtin.length ? opts.include.builtin : [BUILTIN_INCLUDE_DIR];
    this.searchDirs = [...opts.include.quote, ...opts.include.angled, ...opts.include.system, ...builtin, ...opts.include.after];
    this.angledStart = opts.include.quote.length;
    this.fs = builtinHeaderFs(opts.fs, opts.target);
    this.macroNames.add('_Pragma');
    this.skipBodies = opts.functionBodies !== 'keep';
    this.shortcuts = opts.shortcuts !== false;
  }

  start(mainPath: string): PreprocessStream {
    this.mainPath = mainPath;
    this.defineBuiltins();
    // Predefined macros and command-line macros come from a virtual "<command-line>" buffer.
    let cmd = predefinedMacros(this.opts.target);
    for (const [kind, arg] of this.opts.macros) {
      if (kind === 'U') cmd += `#undef ${arg}\n`;
      else {
        const eq = arg.indexOf('=');
        cmd += eq < 0 ? `#define ${arg} 1\n` : `#define ${arg.slice(0, eq)} ${arg.slice(eq + 1)}\n`;
      }
    }
    for (const f of this.opts.forcedIncludes) cmd += `#include "${f}"\n`;
    const cmdFile = this.sm.add('<command-line>', cmd);
    const text = this.fs.readFile(mainPath);
    if (text === undefined) {
      this.diags.report({ severity: 'error', message: `${mainPath}: No such file or directory` });
      this.eof = token(TK.EOF, '', cmdFile.id, 0, F_BOL);
      return this.result();
    }
    const main = this.registerFile(mainPath, text);
    this.mainFileId = main;
    this.chains.set(main, []);
    // Main file frame goes first (bottom), the command-line buffer on top of it.
    this.pushFile(main, mainPath, -1, undefined);
    this.pushFile(cmdFile.id, '<command-line>', -1, undefined);
    this.eof = token(TK.EOF, '', main, text.length, F_BOL);
    this.running = true;
    return this.result();
  }

  private eof: Token | undefined;
  private running = false;

  fill(buf: Token[], min: number): boolean {
    if (this.done) return false;
    this.out = buf;
    if (this.running) {
      try {
        if (this.loop(min)) return true;
      } catch (e) {
        if (e instanceof FatalError) this.diags.error(e.message, e.loc, e.includeChain);
        else throw e;
      }
    }
    this.done = true;
    buf.push(this.eof!);
    return false;
  }

  private result(): PreprocessStream {
    const chains = this.chains;
    return {
      fill: (buf, min) => this.fill(buf, min),
      comments: this.comments,
      includeChainOf: (id: number) => chains.get(id) ?? [],
      mainFileId: this.mainFileId,
      macros: this.macros,
    };
  }

  // ---- files -------------------------------------------------------------------------------------

  private registerFile(path: string, text: string): number {
    const f = this.sm.add(path, text);
    this.fileIds.set(path, f.id);
    return f.id;
  }

  /** A file frame reads its file through a Lexer a line at a time (see Lexer). */
  private pushFile(id: number, path: string, dirIndex: number, includeLoc: Loc | undefined): void {
    if (this.fileStack.length >= this.limits.maxIncludeDepth) {
      throw new FatalError(`#include nested depth ${this.fileStack.length} exceeds maximum of ${this.limits.maxIncludeDepth}`, includeLoc, this.currentChain());
    }
    // (Every field set here, so that file frames share one hidden class: see token().)
    const ff: FileFrame = { id, path, dirIndex, ifStack: [], guardCandidate: undefined, guardClosedAtEnd: false };
    const lx = new Lexer(this.sm.get(id), 0, true, this.shortcuts);
    // A file read again (no include guard) is lexed again: its comments are the same.
    this.comments[id] = lx.comments;
    const frame: Frame = { toks: [], i: 0, file: ff, lx };
    this.fileStack.push({ frame: ff, includeLoc });
    this.refill(frame);
    // Include-guard detection: #ifndef X on the first line.
    const t = frame.toks;
    if (t.length >= 3 && t[0]!.text === '#' && t[1]!.text === 'ifndef' && t[2]!.kind === TK.Ident) ff.guardCandidate = t[2]!.text;
    this.frames.push(frame);
  }

  /** The next line of a file frame whose tokens are used up (`mode` 'skip': after skipping text to
   *  the next directive line; 'body': only the next token of a function body that may matter, see
   *  Lexer.bodyToken). False at the end of the file. */
  private refill(f: Frame, mode?: 'skip' | 'body'): boolean {
    const lx = f.lx;
    if (!lx || lx.done) return false;
    const toks: Token[] = [];
    // While no macro can be unbalanced, no identifier of a body is expanded but _Pragma.
    if (mode === 'body') lx.bodyToken(toks, this.unbalanced.size ? this.macroNames : PRAGMA_ONLY);
    else {
      if (mode === 'skip') lx.skipToDirective();
      lx.line(toks);
    }
    f.toks = toks;
    f.i = 0;
    if (lx.errors.length) {
      const id = f.file!.id;
      for (const e of lx.errors) this.diags.warning(e.message, { file: id, pos: e.pos }, this.chains.get(id));
      lx.errors.length = 0;
    }
    return true;
  }

  private currentChain(): Loc[] {
    const chain: Loc[] = [];
    for (let k = this.fileStack.length - 1; k >= 0; k--) {
      const l = this.fileStack[k]!.includeLoc;
      if (l) chain.push(l);
    }
    return chain;
  }

  private curFile(): FileFrame {
    return this.fileStack[this.fileStack.length - 1]!.frame;
  }

  // ---- token input -------------------------------------------------------------------------------

  /** Next token from the frame stack (EOF of a file frame pops it and continues, except the main file). */
  private next(): Token {
    for (;;) {
      const f = this.frames[this.frames.length - 1]!;
      let t = f.toks[f.i];
      if (t === undefined && f.lx && this.refill(f)) t = f.toks[f.i];
      if (t !== undefined && t.kind !== TK.EOF) {
        f.i++;
        return t;
      }
      // The bottom frame's EOF: the main file's, or the end of an argument expanded in isolation
      // (expandArg), where a macro's unterminated arguments end.
      if (this.frames.length - 1 === this.base) return t!;
      if (f.file) this.endFile(f.file);
      this.frames.pop();
    }
  }

  private peekTok(): Token {
    for (let k = this.frames.length - 1; k >= this.base; k--) {
      const f = this.frames[k]!;
      let t = f.toks[f.i];
      if (t === undefined && f.lx && this.refill(f)) t = f.toks[f.i];
      if (t !== undefined && t.kind !== TK.EOF) return t;
      if (f.file) return t!;
    }
    const bottom = this.frames[this.base]!;
    return bottom.toks[bottom.toks.length - 1]!;
  }

  private endFile(ff: FileFrame): void {
    if (ff.ifStack.length > 0) {
      const st = ff.ifStack[ff.ifStack.length - 1]!;
      this.diags.error('unterminated conditional directive', st.cond.loc, this.chains.get(ff.id));
    }
    if (ff.guardCandidate && ff.guardClosedAtEnd) this.guards.set(ff.id, ff.guardCandidate);
    this.fileStack.pop();
  }

  /** Tokens up to the end of the current line (directive arguments). */
  private restOfLine(): Token[] {
    const f = this.frames[this.frames.length - 1]!;
    const toks: Token[] = [];
    while (f.i < f.toks.length) {
      const t = f.toks[f.i]!;
      if (t.kind === TK.EOF || t.flags & F_BOL) break;
      toks.push(t);
      f.i++;
    }
    return toks;
  }

  private skipLine(): void {
    this.restOfLine();
  }

  // ---- main loop ---------------------------------------------------------------------------------

  /** Preprocesses until `out` holds `min` tokens (returns true) or the input ends (returns false). */
  private loop(min: number): boolean {
    const out = this.out;
    while (out.length < min) {
      if (this.bodyDepth > 0) {
        // In a function body, text that cannot matter is stepped over without making tokens.
        const f = this.frames[this.frames.length - 1]!;
        if (f.lx !== undefined && f.i >= f.toks.length) this.refill(f, 'body');
      }
      const t = this.next();
      if (t.kind === TK.EOF) {
        const main = this.fileStack[0];
        if (main) this.endFile(main.frame);
        this.running = false;
        return false;
      }
      const top = this.frames[this.frames.length - 1]!;
      if (t.flags & F_BOL && t.text === '#' && t.kind === TK.Punct && top.file && !t.hideset) {
        this.directive(t);
        continue;
      }
      if (top.file) {
        const st = top.file.ifStack;
        if (st.length) t.cond = st[st.length - 1]!.cond;
      }
      // (An identifier no macro can have, by the name filter, goes straight out: mayBeMacro inlined.)
      if (t.kind === TK.Ident && (t.hash === undefined || this.macroNames.has(t.hash))) {
        // Inside a function body nothing can change a layout: leave macros with balanced braces
        // unexpanded (the parser skips the body by brace matching either way).
        if ((this.bodyDepth === 0 || this.expandableInBody(t)) && this.expandMacro(t)) continue;
        if (t.text === '_Pragma' && this.pragmaOperator(t)) continue;
      }
      this.emit(t);
      if (t.kind === TK.Punct && this.skipBodies) this.trackBodies(t);
    }
    return true;
  }

  private emit(t: Token): void {
    this.out.push(t);
    this.prevOut = this.lastOut;
    this.lastOut = t;
    if (++this.outCount > this.limits.maxOutputTokens) {
      this.running = false;
      throw new FatalError(`translation unit has more than ${this.limits.maxOutputTokens} tokens; giving up`, t.site ?? { file: t.file, pos: t.pos }, this.currentChain());
    }
  }

  // ---- function bodies ---------------------------------------------------------------------------

  private readonly skipBodies: boolean;
  /** Brace depth inside a function body at file scope (0 outside). */
  private bodyDepth = 0;
  /** For each open '(' at depth 0: the token before it. */
  private parenOwners: Token[] = [];
  /** The token before the '(' of the group that the last ')' closed, if ')' was the last token. */
  private lastCloseOwner: Token | undefined;
  private readonly balanceMemo = new Map<MacroDef, boolean>();
  private readonly shortcuts: boolean;
  private readonly flatMemo = new Map<MacroDef, readonly Token[] | null>();
  /** Every name the two memos read: the macros a flat expansion expanded (see flatExpansion; a name
   *  that becomes a macro later needs no entry, since the tokens pushed are rescanned, as an
   *  expansion's always are, and it expands then), and a memoised balance's macros and their bodies'
   *  identifiers, macros or not yet. Defining or undefining any other name changes neither memo. */
  private readonly memoDeps = new Set<string>();

  /** Follows '(' ')' '{' '}' of the output to know when a function body starts and ends: a '{' right
   *  after a parenthesised group owned by an identifier or ')' — `f(void) {` — that is not an
   *  attribute, alignment or typeof group. */
  private trackBodies(t: Token): void {
    const c = t.text;
    if (this.bodyDepth > 0) {
      if (c === '{') this.bodyDepth++;
      else if (c === '}') this.bodyDepth--;
      return;
    }
    const closeOwner = this.lastCloseOwner;
    this.lastCloseOwner = undefined;
    if (c === '(') this.parenOwners.push(this.prevOut ?? t);
    else if (c === ')') this.lastCloseOwner = this.parenOwners.pop();
    else if (c === '{' && closeOwner && this.parenOwners.length === 0) {
      const o = closeOwner;
      if ((o.kind === TK.Ident && !NOT_FUNCTION_OWNERS.has(o.text)) || o.text === ')') this.bodyDepth = 1;
    } else if (c === ';' || c === '}') this.parenOwners.length = 0;
  }

  /** Inside a body, a macro must still be expanded when its expansion could have unbalanced braces. */
  private expandableInBody(t: Token): boolean {
    // Only a macro that reaches one whose own braces do not balance can be unbalanced.
    if (this.unbalanced.size === 0) return false;
    const m = this.macros.get(t.text);
    if (!m) return false;
    return !this.balanced(m, 0);
  }

  private balanced(m: MacroDef, depth: number): boolean {
    const hit = this.balanceMemo.get(m);
    if (hit !== undefined) return hit;
    if (depth > 32 || m.builtin) return true;
    this.balanceMemo.set(m, true); // cycle guard
    const deps = this.memoDeps;
    deps.add(m.name);
    let d = 0;
    let ok = true;
    for (const b of m.body) {
      if (b.kind === TK.Punct) {
        if (b.text === '{') d++;
        else if (b.text === '}') d--;
      } else if (b.kind === TK.Ident) {
        deps.add(b.text);
        if (!this.mayBeMacro(b)) continue;
        const inner = this.macros.get(b.text);
        if (inner && inner !== m && !this.balanced(inner, depth + 1)) ok = false;
      }
    }
    const r = ok && d === 0;
    this.balanceMemo.set(m, r);
    return r;
  }

  // ---- macro expansion ---------------------------------------------------------------------------

  /** If `t` names an expandable macro, pushes its expansion and returns true. */
  private expandMacro(t: Token): boolean {
    if (t.flags & F_NOEXPAND) return false;
    if (!this.mayBeMacro(t)) return false;
    const m = this.macros.get(t.text);
    if (!m) return false;
    if (this.hs.has(t.hideset, m.name)) {
      // Paint it blue: never expand it again, even in another context.
      return false;
    }
    if (m.builtin) {
      this.pushTokens([m.builtin(t)]);
      return true;
    }
    const site = t.site ?? { file: t.file, pos: t.pos };
    if (!m.funcLike) {
      if ((t.hideset === undefined || sizeOf(t.hideset) === 0) && this.shortcuts) {
        const flat = this.flatExpansion(m);
        if (flat !== null) {
          this.pushTokens(this.stampFlat(flat, t, site));
          return true;
        }
      }
      const hs = this.hs.add(t.hideset, m.name);
      const body = this.subst(m, m.body, [], hs, site, t);
      this.pushTokens(body);
      return true;
    }
    // Function-like: needs a '(' next (possibly after newlines; possibly from another frame).
    const nxt = this.peekTok();
    if (nxt.kind !== TK.Punct || nxt.text !== '(') return false;
    this.next();
    const { args, rparen } = this.readArgs(m, t);
    if (!rparen) return true;
    const hs = this.hs.add(this.hs.intersect(t.hideset, rparen.hideset), m.name);
    const body = this.subst(m, m.body, args, hs, site, t);
    this.pushTokens(body);
    return true;
  }

  // An object-like macro whose expansion reaches only object-like macros expands to the same tokens
  // wherever it is used (by a token without a hideset): only their site, condition and first token's
  // leading space differ. The kernel's `inline` is `inline __gnu_inline __inline_maybe_unused
  // notrace`, five macros and 23 tokens made for each of 6,000 `static inline` functions (70% of a
  // kernel unit's expansion tokens): with the expansion kept, 19 tokens made and no rescan of the
  // macros on the way.

  /** The whole expansion of object-like `m` (tokens with their final hidesets; F_LEAD on a first
   *  token that takes the invoking token's leading space), or null when it is not fixed: a
   *  function-like or builtin macro, `_Pragma` or `##` on the way, or more than FLAT_MAX tokens. */
  private flatExpansion(m: MacroDef): readonly Token[] | null {
    let f = this.flatMemo.get(m);
    if (f === undefined) {
      const out: Token[] = [];
      f = this.flatten(m, [m.name], F_LEAD, out, 0) ? out : null;
      this.flatMemo.set(m, f);
    }
    return f;
  }

  /** Appends m's expansion to `out` as subst and rescanning would make it with hideset `hs` (m's
   *  name and the macros expanded on the way to it), `lead` for the first token's leading space;
   *  false when the expansion is not fixed (see flatExpansion). */
  private flatten(m: MacroDef, hs: Hideset, lead: number, out: Token[], depth: number): boolean {
    if (depth > 32 || m.pastes) return false;
    this.memoDeps.add(m.name);
    const body = m.body;
    for (let k = 0; k < body.length; k++) {
      const r = body[k]!;
      let flags = r.flags & ~F_BOL;
      if (k === 0) flags = (flags & ~F_SPACE) | lead;
      if (r.kind === TK.Ident) {
        if (r.text === '_Pragma') return false;
        const n = this.mayBeMacro(r) ? this.macros.get(r.text) : undefined;
        if (n !== undefined && !this.hs.has(hs, n.name)) {
          if (n.builtin || n.funcLike) return false;
          if (!this.flatten(n, this.hs.add(hs, n.name), flags & (F_SPACE | F_LEAD), out, depth + 1)) return false;
          continue;
        }
      }
      if (out.length >= FLAT_MAX) return false;
      out.push(token(r.kind, r.text, r.file, r.pos, flags, r.hash, this.hs.union(r.hideset, hs), undefined, undefined));
    }
    return true;
  }

  /** A flat expansion's tokens for one use of the macro, as subst stamps them. */
  private stampFlat(flat: readonly Token[], nameTok: Token, site: Loc): Token[] {
    const lead = nameTok.flags & F_SPACE;
    const out: Token[] = new Array(flat.length);
    for (let k = 0; k < flat.length; k++) {
      const r = flat[k]!;
      const flags = r.flags & F_LEAD ? (r.flags & ~F_LEAD) | lead : r.flags;
      out[k] = token(r.kind, r.text, r.file, r.pos, flags, r.hash, r.hideset, site, nameTok.cond);
    }
    return out;
  }

  private pushTokens(toks: Token[]): void {
    this.charge(toks.length, toks[0]);
    if (toks.length === 0) return;
    // A used-up macro frame goes now, not when next() reaches it: a chain of macros that each
    // expand to the next would otherwise stack a frame per level.
    const frames = this.frames;
    for (;;) {
      const top = frames[frames.length - 1];
      if (top === undefined || top.lx !== undefined || top.i < top.toks.length || frames.length - 1 <= this.base) break;
      frames.pop();
    }
    frames.push({ toks, i: 0 });
  }

  /** Counts `n` tokens made by expansion (and the names hidesets copied) against the budget that
   *  bounds a translation unit's time. */
  private charge(n: number, at: Token | undefined): void {
    this.expanded += n;
    if (this.expanded + this.hs.copied > this.limits.maxExpandedTokens) {
      throw new FatalError(`macro expansion produced more than ${this.limits.maxExpandedTokens} tokens; giving up`, at ? siteOf(at) : undefined, this.currentChain());
    }
  }

  /** Bounds memory: no one list of tokens (a macro's arguments, an expansion, a directive line) may
   *  grow past maxMacroTokens. */
  private checkLength(n: number, at: Token | undefined): void {
    if (n > this.limits.maxMacroTokens) {
      throw new FatalError(`macro expansion of more than ${this.limits.maxMacroTokens} tokens at once; giving up`, at ? siteOf(at) : undefined, this.currentChain());
    }
  }

  /** Reads macro arguments after '('. Returns the raw argument token lists and the ')' token. */
  private readArgs(m: Macro, nameTok: Token): { args: Token[][]; rparen?: Token } {
    const args: Token[][] = [];
    let cur: Token[] = [];
    let depth = 0;
    let count = 0;
    const nparams = m.params.length;
    for (;;) {
      const t = this.next();
      if (t.kind === TK.EOF) {
        this.diags.error(`unterminated argument list invoking macro "${m.name}"`, nameTok.site ?? { file: nameTok.file, pos: nameTok.pos }, this.currentChain());
        return { args };
      }
      if (t.kind === TK.Punct) {
        if (t.text === '(') depth++;
        else if (t.text === ')') {
          if (depth === 0) {
            args.push(cur);
            return { args: this.fixArgs(m, args, nameTok), rparen: t };
          }
          depth--;
        } else if (t.text === ',' && depth === 0) {
          // Commas inside the variadic argument belong to it.
          if (!(m.variadic && args.length >= nparams - 1)) {
            args.push(cur);
            cur = [];
            continue;
          }
        } else if (t.text === '#' && t.flags & F_BOL && this.frames[this.frames.length - 1]!.file) {
          // A directive inside macro arguments (gcc accepts #if/#ifdef/... there).
          this.directive(t);
          continue;
        }
      }
      cur.push(t);
      if ((++count & 0xfff) === 0) this.checkLength(count, nameTok);
    }
  }

  private fixArgs(m: Macro, args: Token[][], nameTok: Token): Token[][] {
    const n = m.params.length;
    if (n === 0) {
      if (args.length === 1 && args[0]!.length === 0) return [];
    }
    if (m.variadic && args.length === n - 1) args.push([]);
    if (args.length !== n) {
      if (!(n === 1 && args.length === 0)) {
        this.diags.error(
          `macro "${m.name}" ${args.length > n ? 'passed' : 'requires'} ${args.length > n ? args.length : n} arguments, but ${args.length > n ? 'takes just' : 'only'} ${args.length > n ? n : args.length} ${args.length > n ? '' : 'given'}`.replace(/ +$/, '').replace('  ', ' '),
          nameTok.site ?? { file: nameTok.file, pos: nameTok.pos },
          this.currentChain(),
        );
      }
      while (args.length < n) args.push([]);
      args.length = n;
    }
    return args;
  }

  /** Fully macro-expands an argument in isolation (C11 6.10.3.1). */
  private expandArg(arg: Token[]): Token[] {
    if (arg.length === 0) return arg;
    let needs = false;
    for (const t of arg) if (t.kind === TK.Ident && this.mayBeMacro(t) && this.macros.has(t.text)) { needs = true; break; }
    if (!needs) return arg;
    // The frames below stay where they are (copying them out would cost their number per argument).
    const frames = this.frames;
    const savedBase = this.base;
    const base = frames.length;
    this.base = base;
    const eof = token(TK.EOF, '', arg[0]!.file, arg[0]!.pos, 0);
    frames.push({ toks: [...arg, eof], i: 0 });
    const out: Token[] = [];
    try {
      for (;;) {
        const f = frames[frames.length - 1]!;
        const t = f.toks[f.i];
        if (t === undefined || t.kind === TK.EOF) {
          if (frames.length - 1 === base) break;
          frames.pop();
          continue;
        }
        f.i++;
        if (t.kind === TK.Ident && this.expandMacroIsolated(t)) continue;
        out.push(t);
        if ((out.length & 0xfff) === 0) this.checkLength(out.length, t);
      }
    } finally {
      frames.length = base;
      this.base = savedBase;
    }
    return out;
  }

  /** expandMacro variant used inside an isolated argument: a function-like name at the end stays. */
  private expandMacroIsolated(t: Token): boolean {
    const m = this.macros.get(t.text);
    if (m && m.funcLike) {
      const nxt = this.peekIsolated();
      if (!nxt || nxt.kind !== TK.Punct || nxt.text !== '(') return false;
    }
    return this.expandMacro(t);
  }

  private peekIsolated(): Token | undefined {
    for (let k = this.frames.length - 1; k >= this.base; k--) {
      const f = this.frames[k]!;
      const t = f.toks[f.i];
      if (t !== undefined && t.kind !== TK.EOF) return t;
    }
    return undefined;
  }

  /** Substitutes parameters in the macro body, applying # and ##; sets hideset and site. */
  private subst(m: MacroDef, body: readonly Token[], args: Token[][], hs: Hideset, site: Loc, nameTok: Token): Token[] {
    // An object-like macro without ## (most of them) is its body, stamped.
    const res = !m.funcLike && body === m.body && !m.pastes ? body : this.replaceParams(m, body, args, site, nameTok);
    // Stamp hideset and site on every result token (copies; body tokens are shared).
    const leadingFlags = nameTok.flags & F_SPACE;
    const out: Token[] = new Array(res.length);
    for (let k = 0; k < res.length; k++) {
      const r = res[k]!;
      let flags = r.flags & ~F_BOL;
      if (k === 0) flags = (flags & ~F_SPACE) | leadingFlags;
      out[k] = token(r.kind, r.text, r.file, r.pos, flags, r.hash, this.hs.union(r.hideset, hs), site, nameTok.cond);
    }
    return out;
  }

  /** The body with parameters replaced by their arguments (expanded unless next to # or ##), # and ##
   *  applied, and __VA_OPT__. */
  private replaceParams(m: MacroDef, body: readonly Token[], args: Token[][], site: Loc, nameTok: Token): Token[] {
    const res: Token[] = [];
    let expandedCache: (Token[] | undefined)[] | undefined;
    const paramIndex = (t: Token): number => (t.kind === TK.Ident && m.params.length ? m.params.indexOf(t.text) : -1);
    const vaIndex = m.variadic ? m.params.length - 1 : -1;
    for (let i = 0; i < body.length; i++) {
      const t = body[i]!;
      if (res.length > 0xfff) this.checkLength(res.length, nameTok);
      // # param
      if (m.funcLike && t.kind === TK.Punct && t.text === '#') {
        const p = body[i + 1] ? paramIndex(body[i + 1]!) : -1;
        if (p >= 0) {
          res.push(this.stringize(args[p]!, t));
          i++;
          continue;
        }
      }
      // __VA_OPT__(content)
      if (t.kind === TK.Ident && t.text === '__VA_OPT__' && m.variadic) {
        const { content, end } = this.vaOptContent(body, i + 1);
        const vaArg = args[vaIndex] ?? [];
        const present = this.expandArg(vaArg).length > 0;
        const sub = present ? this.subst(m, content, args, EMPTY_HS, site, nameTok) : [];
        if (sub.length) sub[0] = { ...sub[0]!, flags: (sub[0]!.flags & ~F_SPACE) | (t.flags & F_SPACE) };
        for (const s of sub) res.push(s);
        if (!present && body[end + 1]?.text === '##' && res.length === 0) {
          // placemarker: nothing
        }
        i = end;
        continue;
      }
      // x ## y
      if (t.kind === TK.Punct && t.text === '##' && m.funcLike !== undefined) {
        if (res.length === 0 && i === 0) continue;
        const rhs = body[i + 1];
        if (!rhs) continue;
        const p = paramIndex(rhs);
        if (p >= 0) {
          const arg = args[p]!;
          // GNU comma elision: , ## __VA_ARGS__ with empty variadic argument drops the comma.
          if (p === vaIndex && res.length > 0 && res[res.length - 1]!.text === ',') {
            if (arg.length === 0) res.pop();
            else for (const x of this.expandArg(arg)) res.push(x);
            i++;
            continue;
          }
          if (arg.length > 0) {
            if (res.length > 0) res[res.length - 1] = this.paste(res[res.length - 1]!, arg[0]!);
            else res.push(arg[0]!);
            for (let k = 1; k < arg.length; k++) res.push(arg[k]!);
          }
          i++;
          continue;
        }
        if (res.length > 0) res[res.length - 1] = this.paste(res[res.length - 1]!, rhs);
        else res.push(rhs);
        i++;
        continue;
      }
      const p = paramIndex(t);
      if (p >= 0) {
        const arg = args[p]!;
        // A parameter followed by ## is not expanded.
        if (body[i + 1]?.text === '##' && body[i + 1]!.kind === TK.Punct) {
          if (arg.length === 0) {
            // placemarker: if rhs is also empty, nothing; skip the ## and let rhs be copied.
            const rhs = body[i + 2];
            if (rhs && paramIndex(rhs) >= 0) {
              const rarg = args[paramIndex(rhs)]!;
              if (p !== vaIndex || true) for (const x of rarg) res.push(x);
              i += 2;
              continue;
            }
            i++;
            continue;
          }
          for (const x of arg) res.push(x);
          continue;
        }
        let ex = expandedCache?.[p];
        if (!ex) {
          ex = this.expandArg(arg);
          (expandedCache ??= [])[p] = ex;
        }
        if (ex.length) {
          res.push({ ...ex[0]!, flags: (ex[0]!.flags & ~(F_SPACE | F_BOL)) | (t.flags & F_SPACE) });
          for (let k = 1; k < ex.length; k++) res.push(ex[k]!);
        }
        continue;
      }
      res.push(t);
    }
    this.checkLength(res.length, nameTok);
    return res;
  }

  private vaOptContent(body: readonly Token[], start: number): { content: Token[]; end: number } {
    let i = start;
    if (body[i]?.text !== '(') return { content: [], end: start - 1 };
    let depth = 0;
    const content: Token[] = [];
    for (; i < body.length; i++) {
      const t = body[i]!;
      if (t.text === '(') {
        depth++;
        if (depth === 1) continue;
      } else if (t.text === ')') {
        depth--;
        if (depth === 0) return { content, end: i };
      }
      content.push(t);
    }
    return { content, end: body.length - 1 };
  }

  private stringize(arg: Token[], at: Token): Token {
    this.charge(arg.length, at);
    let s = '';
    for (let k = 0; k < arg.length; k++) {
      const t = arg[k]!;
      if (k > 0 && t.flags & (F_SPACE | F_BOL)) s += ' ';
      s += t.kind === TK.String || t.kind === TK.Char ? t.text.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : t.text;
    }
    return token(TK.String, '"' + s + '"', at.file, at.pos, at.flags);
  }

  private paste(a: Token, b: Token): Token {
    this.charge(1, a);
    const text = a.text + b.text;
    // Lexed in isolation, not registered: the result takes a's position.
    const r = lex({ id: a.file, path: '<paste>', text }).tokens;
    if (r.length !== 2) {
      this.diags.error(`pasting "${a.text}" and "${b.text}" does not give a valid preprocessing token`, { file: a.file, pos: a.pos }, this.currentChain());
    }
    const t = r[0]!;
    return token(t.kind, t.text, a.file, a.pos, a.flags, t.hash, a.hideset);
  }

  // ---- directives --------------------------------------------------------------------------------

  private directive(hash: Token): void {
    const f = this.frames[this.frames.length - 1]!;
    const nameTok = f.toks[f.i];
    if (!nameTok || nameTok.kind === TK.EOF || nameTok.flags & F_BOL) {
      const pd = f.lx?.plain;
      if (pd !== undefined && pd.hashToken === hash) this.plainDefine(pd, f.lx!);
      return; // (else a null directive)
    }
    f.i++;
    const ff = this.curFile();
    const name = nameTok.text;
    const loc: Loc = { file: nameTok.file, pos: nameTok.pos };
    switch (name) {
      case 'define':
        this.define(this.restOfLine(), loc, this.lazyBody(f.lx));
        return;
      case 'undef': {
        const toks = this.restOfLine();
        if (toks[0]?.kind === TK.Ident) this.deleteMacro(toks[0].text);
        else this.err('no macro name given in #undef directive', loc);
        return;
      }
      case 'include':
      case 'include_next':
      case 'import':
        this.include(this.restOfLine(), loc, name === 'include_next');
        return;
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const toks = this.restOfLine();
        let v: boolean;
        if (name === 'if') v = this.evalCond(toks, loc);
        else {
          if (toks[0]?.kind !== TK.Ident) {
            this.err(`no macro name given in #${name} directive`, loc);
            v = false;
          } else v = this.macros.has(toks[0].text) === (name === 'ifdef');
        }
        if (ff.ifStack.length >= this.limits.maxIfDepth) throw new FatalError('#if nesting too deep', loc, this.currentChain());
        const text = name === 'if' ? spell(toks) : name === 'ifdef' ? (toks[0]?.text ?? '') : `!defined(${toks[0]?.text ?? ''})`;
        const parent = this.curCond();
        const cond: Conditional = { text, loc, parent };
        ff.ifStack.push({ cond, taken: v, inElse: false, outerSkip: false });
        if (!v) this.skipGroup();
        return;
      }
      case 'elif':
      case 'elifdef':
      case 'elifndef':
      case 'else': {
        const st = ff.ifStack[ff.ifStack.length - 1];
        if (!st) {
          this.err(`#${name} without #if`, loc);
          this.skipLine();
          return;
        }
        if (st.inElse) this.err(`#${name} after #else`, loc);
        // We were in a taken group: everything until #endif is skipped.
        this.restOfLine();
        if (name === 'else') st.inElse = true;
        st.taken = true;
        this.skipGroup();
        return;
      }
      case 'endif':
        if (!ff.ifStack.pop()) this.err('#endif without #if', loc);
        this.restOfLine();
        this.checkGuardEnd(ff);
        return;
      case 'pragma':
        this.pragma(this.restOfLine(), hash);
        return;
      case 'error':
      case 'warning': {
        const toks = this.restOfLine();
        const msg = `#${name} ${spell(toks)}`;
        if (name === 'error') this.err(msg, loc);
        else this.diags.warning(msg, loc, this.currentChain());
        return;
      }
      case 'line':
      case 'ident':
      case 'sccs':
      case 'assert':
      case 'unassert':
        this.restOfLine();
        return;
      default:
        if (nameTok.kind === TK.Number) {
          this.restOfLine(); // # 33 "file" line markers
          return;
        }
        this.err(`invalid preprocessing directive #${name}`, loc);
        this.restOfLine();
    }
  }

  /** Every change to the macro table goes through here and deleteMacro: the name filter, the set of
   *  unbalanced macros and the memos follow it. */
  private setMacro(name: string, m: MacroDef, hash?: number): void {
    this.macros.set(name, m);
    this.macroNames.add(name, hash);
    if (m.braces !== 0) this.unbalanced.add(name);
    else if (this.unbalanced.size) this.unbalanced.delete(name);
    this.forgetMemos(name);
  }

  /** After `name` is defined or undefined: the memoised balances and flat expansions are stale if
   *  either read it. (Only then: Map.clear makes a new table even when the map is empty, and a kernel
   *  unit has 22,000 #define lines.) */
  private forgetMemos(name: string): void {
    if (!this.memoDeps.has(name)) return;
    this.balanceMemo.clear();
    this.flatMemo.clear();
    this.memoDeps.clear();
  }

  /** False when no macro can have t's name (NameFilter, without a map lookup). */
  private mayBeMacro(t: Token): boolean {
    return t.hash === undefined || this.macroNames.has(t.hash);
  }

  private deleteMacro(name: string): void {
    this.macros.delete(name);
    this.unbalanced.delete(name);
    this.forgetMemos(name);
  }

  private curCond(): Conditional | undefined {
    const ff = this.curFile();
    const st = ff.ifStack[ff.ifStack.length - 1];
    return st?.cond;
  }

  private checkGuardEnd(ff: FileFrame): void {
    if (!ff.guardCandidate || ff.ifStack.length !== 0) return;
    // Guard holds only when nothing but whitespace/comments follows the closing #endif.
    const f = this.frames[this.frames.length - 1]!;
    if (f.i >= f.toks.length) this.refill(f);
    const t = f.toks[f.i];
    ff.guardClosedAtEnd = t === undefined || t.kind === TK.EOF;
    // The guard must wrap the whole file: the first group that closes at top level decides.
    if (!ff.guardClosedAtEnd) ff.guardCandidate = undefined;
  }

  /** Skips a false group up to the matching #elif/#else/#endif, evaluating #elif as needed. */
  private skipGroup(): void {
    const f = this.frames[this.frames.length - 1]!;
    const ff = this.curFile();
    let depth = 0;
    for (;;) {
      // The rest of a line is stepped over token by token; then the lexer skips text to the next
      // directive without making tokens.
      if (f.i >= f.toks.length && !this.refill(f, 'skip')) return;
      const toks = f.toks;
      const t = toks[f.i]!;
      if (t.kind === TK.EOF) return;
      if (!(t.flags & F_BOL) || t.text !== '#' || t.kind !== TK.Punct) {
        f.i++;
        continue;
      }
      const d = toks[f.i + 1];
      if (!d || d.flags & F_BOL || d.kind === TK.EOF) {
        f.i++;
        continue;
      }
      const dn = d.text;
      if (dn === 'if' || dn === 'ifdef' || dn === 'ifndef') {
        depth++;
        f.i += 2;
        continue;
      }
      if (dn === 'endif') {
        if (depth === 0) {
          f.i += 2;
          ff.ifStack.pop();
          this.restOfLine();
          this.checkGuardEnd(ff);
          return;
        }
        depth--;
        f.i += 2;
        continue;
      }
      if (depth === 0 && (dn === 'else' || dn === 'elif' || dn === 'elifdef' || dn === 'elifndef')) {
        const st = ff.ifStack[ff.ifStack.length - 1]!;
        const loc = { file: d.file, pos: d.pos };
        f.i += 2;
        const line = this.restOfLine();
        if (st.inElse) this.err(`#${dn} after #else`, loc);
        if (dn === 'else') {
          st.inElse = true;
          st.cond = { text: `!(${st.cond.text})`, loc, parent: st.cond.parent };
          if (!st.taken) {
            st.taken = true;
            return;
          }
          continue;
        }
        if (st.taken) continue;
        let v: boolean;
        if (dn === 'elif') v = this.evalCond(line, loc);
        else v = line[0]?.kind === TK.Ident && this.macros.has(line[0].text) === (dn === 'elifdef');
        st.cond = { text: dn === 'elif' ? spell(line) : dn === 'elifdef' ? line[0]?.text ?? '' : `!defined(${line[0]?.text ?? ''})`, loc, parent: st.cond.parent };
        if (v) {
          st.taken = true;
          return;
        }
        continue;
      }
      f.i += 2;
    }
  }

  private err(message: string, loc: Loc): void {
    this.diags.error(message, loc, this.currentChain());
  }

  // #define
  /** `lazy`: where the body lies when the lexer stepped over it (toks end at NAME or ')'). */
  private define(toks: Token[], loc: Loc, lazy?: LazyBody): void {
    const nameTok = toks[0];
    if (!nameTok || nameTok.kind !== TK.Ident) {
      this.err('macro names must be identifiers', nameTok ? { file: nameTok.file, pos: nameTok.pos } : loc);
      return;
    }
    if (nameTok.text === 'defined') {
      this.err('"defined" cannot be used as a macro name', loc);
      return;
    }
    let i = 1;
    const second = toks[1];
    if (second && second.text === '(' && !(second.flags & F_SPACE)) {
      const params: string[] = [];
      let variadic: string | undefined;
      i = 2;
      for (;;) {
        const p = toks[i];
        if (!p) {
          this.err('missing \')\' in macro parameter list', loc);
          return;
        }
        if (p.text === ')') {
          i++;
          break;
        }
        if (params.length > 0 || variadic) {
          if (p.text !== ',') {
            this.err("expected ',' or ')' in macro parameter list", { file: p.file, pos: p.pos });
            return;
          }
          i++;
        }
        const q = toks[i];
        if (!q) continue;
        if (q.text === '...') {
          variadic = '__VA_ARGS__';
          params.push('__VA_ARGS__');
          i++;
          continue;
        }
        if (q.kind !== TK.Ident) {
          this.err('expected parameter name', { file: q.file, pos: q.pos });
          return;
        }
        params.push(q.text);
        i++;
        if (toks[i]?.text === '...') {
          variadic = q.text;
          i++;
        }
      }
      const name = nameTok.text;
      this.setMacro(name, new MacroDef(name, true, params, variadic, loc, lazy ?? toks.slice(i)), nameTok.hash);
      return;
    }
    const name = nameTok.text;
    this.setMacro(name, new MacroDef(name, false, NO_PARAMS, undefined, loc, lazy ?? toks.slice(1)), nameTok.hash);
  }

  /** A #define line the lexer read as text (Lexer.plainDefine): the macro define() would make of
   *  its tokens. */
  private plainDefine(pd: PlainDefine, lx: Lexer): void {
    const body = this.lazyBody(lx)!;
    const loc: Loc = { file: body.file.id, pos: pd.pos };
    const m = pd.params ? new MacroDef(pd.name, true, pd.params, pd.variadic, loc, body) : new MacroDef(pd.name, false, NO_PARAMS, undefined, loc, body);
    this.setMacro(pd.name, m, pd.nameHash);
  }

  /** The body of the #define line the current file's lexer just stepped over, if it did. */
  private lazyBody(lx: Lexer | undefined): LazyBody | undefined {
    const b = lx?.defineBody;
    return b && { file: this.sm.get(this.curFile().id), start: b.start, end: b.end, braces: b.braces };
  }

  // #if evaluation: defined / __has_* first, then macro-expand, then evaluate.
  private evalCond(toks: Token[], loc: Loc): boolean {
    const pre: Token[] = [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      if (t.kind === TK.Ident) {
        if (t.text === 'defined') {
          let name: Token | undefined;
          if (toks[i + 1]?.text === '(') {
            name = toks[i + 2];
            if (toks[i + 3]?.text !== ')') this.err("missing ')' after \"defined\"", loc);
            i += 3;
          } else {
            name = toks[i + 1];
            i += 1;
          }
          pre.push(num(name && this.macros.has(name.text) ? '1' : '0', t));
          continue;
        }
        const feat = this.featureTest(toks, i, loc);
        if (feat) {
          pre.push(num(feat.value ? String(feat.value) : '0', t));
          i = feat.end;
          continue;
        }
      }
      pre.push(t);
    }
    const expanded = this.expandLine(pre, loc);
    // Feature tests that came out of macros (glibc's __glibc_has_attribute(x) → __has_attribute (x)).
    for (let i = 0; i < expanded.length; i++) {
      const t = expanded[i]!;
      if (t.kind !== TK.Ident || !t.text.startsWith('__has_')) continue;
      const feat = this.featureTest(expanded, i, loc);
      if (feat) {
        expanded.splice(i, feat.end - i + 1, num(feat.value ? String(feat.value) : '0', t));
      }
    }
    try {
      return evalIfExpr(expanded).v !== 0n;
    } catch (e) {
      if (e instanceof IfExprError) {
        this.err(e.message, e.tok ? siteOf(e.tok) : loc);
        return false;
      }
      throw e;
    }
  }

  /** __has_include(...), __has_attribute(x), ... at toks[i]; returns the value and the index of ')'. */
  private featureTest(toks: Token[], i: number, loc: Loc): { value: number; end: number } | undefined {
    const t = toks[i]!;
    const n = t.text;
    if (
      n !== '__has_include' && n !== '__has_include_next' && n !== '__has_attribute' && n !== '__has_builtin' &&
      n !== '__has_c_attribute' && n !== '__has_cpp_attribute' && n !== '__has_feature' && n !== '__has_extension'
    )
      return undefined;
    if (toks[i + 1]?.text !== '(') {
      this.err(`missing '(' after "${n}"`, loc);
      return { value: 0, end: i };
    }
    let j = i + 2;
    let depth = 1;
    const inner: Token[] = [];
    for (; j < toks.length; j++) {
      const x = toks[j]!;
      if (x.text === '(') depth++;
      else if (x.text === ')' && --depth === 0) break;
      inner.push(x);
    }
    if (n === '__has_include' || n === '__has_include_next') {
      const spec = this.headerName(inner, loc);
      if (!spec) return { value: 0, end: j };
      const found = this.findInclude(spec.name, spec.quoted, n === '__has_include_next');
      return { value: found ? 1 : 0, end: j };
    }
    const name = inner.map((x) => x.text).join('');
    if (n === '__has_attribute') return { value: hasAttribute(name), end: j };
    if (n === '__has_c_attribute') {
      const std = ['deprecated', 'fallthrough', 'maybe_unused', 'nodiscard', 'noreturn', '_Noreturn'];
      const bare = name.replace(/^gnu::/, '');
      return { value: std.includes(name) ? 201904 : name.startsWith('gnu::') && hasAttribute(bare) ? 1 : 0, end: j };
    }
    if (n === '__has_builtin') return { value: hasBuiltin(name) ? 1 : 0, end: j };
    return { value: 0, end: j };
  }

  /** Macro-expands a directive line in isolation. */
  private expandLine(toks: Token[], loc: Loc): Token[] {
    if (toks.length === 0) return toks;
    void loc;
    return this.expandArg(toks);
  }

  // #include
  private headerName(toks: Token[], loc: Loc): { name: string; quoted: boolean } | undefined {
    let t = toks;
    if (t.length === 0) {
      this.err('#include expects "FILENAME" or <FILENAME>', loc);
      return undefined;
    }
    if (!(t[0]!.kind === TK.String && t[0]!.text.startsWith('"')) && t[0]!.text !== '<') t = this.expandLine(t, loc);
    const first = t[0];
    if (first && first.kind === TK.String && first.text.startsWith('"')) return { name: first.text.slice(1, -1), quoted: true };
    if (first && first.text === '<') {
      let name = '';
      let k = 1;
      for (; k < t.length && t[k]!.text !== '>'; k++) name += (k > 1 && t[k]!.flags & F_SPACE ? ' ' : '') + t[k]!.text;
      if (k >= t.length) {
        this.err("missing terminating > character", loc);
        return undefined;
      }
      return { name, quoted: false };
    }
    this.err('#include expects "FILENAME" or <FILENAME>', loc);
    return undefined;
  }

  /** Where an #include (or __has_include) finds `name`; the answer depends only on the name, the
   *  search start and (for "...") the including file's directory, so it is remembered by them (a
   *  kernel unit runs thousands of #include lines for a few hundred files). */
  private findInclude(name: string, quoted: boolean, next: boolean): Found | undefined {
    if (name.startsWith('/')) return this.fs.isFile(name) ? { path: name, dirIndex: -1 } : undefined;
    const ff = this.curFile();
    let start = this.angledStart;
    let dir: string | undefined;
    if (next) start = ff.dirIndex >= 0 ? ff.dirIndex + 1 : this.angledStart;
    else if (quoted) {
      start = 0;
      dir = ff.path === '<command-line>' ? '.' : dirname(ff.path);
    }
    const key = `${start}\0${dir ?? ''}\0${name}`;
    const hit = this.includeCache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    let found: Found | undefined;
    if (dir !== undefined) {
      const p = joinPath(dir, name);
      if (this.fs.isFile(p)) found = { path: p, dirIndex: -1 };
    }
    for (let k = start; !found && k < this.searchDirs.length; k++) {
      const p = joinPath(this.searchDirs[k]!, name);
      if (this.fs.isFile(p)) found = { path: p, dirIndex: k };
    }
    this.includeCache.set(key, found ?? null);
    return found;
  }
  private readonly includeCache = new Map<string, Found | null>();

  private include(toks: Token[], loc: Loc, next: boolean): void {
    const spec = this.headerName(toks, loc);
    if (!spec) return;
    const found = this.findInclude(spec.name, spec.quoted, next);
    if (!found) {
      this.err(`${spec.name}: No such file or directory`, loc);
      return;
    }
    let id = this.fileIds.get(found.path);
    if (id !== undefined) {
      if (this.pragmaOnce.has(id)) return;
      const g = this.guards.get(id);
      if (g && this.macros.has(g)) return;
    } else {
      const text = this.fs.readFile(found.path);
      if (text === undefined) {
        this.err(`${spec.name}: cannot read file`, loc);
        return;
      }
      if (text.length > this.limits.maxFileBytes) {
        this.err(`${spec.name}: file too large (${text.length} bytes)`, loc);
        return;
      }
      id = this.registerFile(found.path, text);
    }
    if (!this.chains.has(id)) this.chains.set(id, [loc, ...this.currentChain()]);
    this.pushFile(id, found.path, found.dirIndex, loc);
  }

  // #pragma and _Pragma
  private pragma(toks: Token[], at: Token): void {
    if (toks[0]?.text === 'once') {
      this.pragmaOnce.add(this.curFile().id);
      return;
    }
    if (toks[0]?.text === 'GCC' && (toks[1]?.text === 'system_header' || toks[1]?.text === 'poison' || toks[1]?.text === 'dependency')) return;
    if (toks[0]?.text === 'push_macro' || toks[0]?.text === 'pop_macro') {
      this.pushPopMacro(toks);
      return;
    }
    let body = '';
    toks.forEach((t, k) => (body += (k > 0 && t.flags & F_SPACE ? ' ' : '') + t.text));
    this.emit(token(TK.Pragma, body, at.file, at.pos, at.flags, undefined, undefined, at.site, this.curCondSafe()));
  }

  private readonly pushedMacros = new Map<string, (MacroDef | undefined)[]>();
  private pushPopMacro(toks: Token[]): void {
    const s = toks.find((t) => t.kind === TK.String);
    if (!s) return;
    const name = s.text.slice(1, -1);
    const stack = this.pushedMacros.get(name) ?? [];
    if (toks[0]!.text === 'push_macro') stack.push(this.macros.get(name));
    else if (stack.length) {
      const m = stack.pop();
      if (m) this.setMacro(name, m);
      else this.deleteMacro(name);
    }
    this.pushedMacros.set(name, stack);
  }

  private curCondSafe(): Conditional | undefined {
    return this.fileStack.length ? this.curCond() : undefined;
  }

  private pragmaOperator(t: Token): boolean {
    const a = this.peekTok();
    if (a.text !== '(') return false;
    this.next();
    const s = this.next();
    const r = this.next();
    if (s.kind !== TK.String || r.text !== ')') {
      this.diags.error('_Pragma takes a parenthesized string literal', t.site ?? { file: t.file, pos: t.pos }, this.currentChain());
      return true;
    }
    const body = s.text.replace(/^[LuU8]*"/, '').slice(0, -1).replace(/\\(["\\])/g, '$1');
    const f = this.sm.add('<_Pragma>', body);
    const toks = lex(f).tokens.slice(0, -1);
    toks.forEach((x, k) => (toks[k] = { ...x, flags: k === 0 ? 0 : x.flags & F_SPACE }));
    if (toks[0]?.text === 'once') return true;
    let text = '';
    toks.forEach((x, k) => (text += (k > 0 && x.flags & F_SPACE ? ' ' : '') + x.text));
    // Macro-expanded pragma bodies (kernel's __diag) are rare in layouts; keep the raw text.
    this.emit(token(TK.Pragma, text, t.file, t.pos, t.flags, undefined, undefined, t.site ?? { file: t.file, pos: t.pos }));
    return true;
  }

  // ---- builtin macros ----------------------------------------------------------------------------

  private defineBuiltins(): void {
    const mk = (name: string, fn: (tok: Token) => Token): void => {
      this.setMacro(name, new MacroDef(name, false, NO_PARAMS, undefined, undefined, [], fn));
    };
    const site = (t: Token): Loc => t.site ?? { file: t.file, pos: t.pos };
    mk('__FILE__', (t) => (token(TK.String, JSON.stringify(this.sm.get(site(t).file).path), t.file, t.pos, t.flags, undefined, ['__FILE__'])));
    mk('__BASE_FILE__', (t) => (token(TK.String, JSON.stringify(this.mainPath), t.file, t.pos, t.flags, undefined, ['__BASE_FILE__'])));
    mk('__FILE_NAME__', (t) => {
      const p = this.sm.get(site(t).file).path;
      return token(TK.String, JSON.stringify(p.slice(p.lastIndexOf('/') + 1)), t.file, t.pos, t.flags, undefined, ['__FILE_NAME__']);
    });
    mk('__LINE__', (t) => {
      const l = site(t);
      return token(TK.Number, String(lineColOf(this.sm.get(l.file), l.pos).line), t.file, t.pos, t.flags, undefined, ['__LINE__']);
    });
    mk('__COUNTER__', (t) => (token(TK.Number, String(this.counter++), t.file, t.pos, t.flags, undefined, ['__COUNTER__'])));
    mk('__INCLUDE_LEVEL__', (t) => (token(TK.Number, String(Math.max(0, this.fileStack.length - 1)), t.file, t.pos, t.flags, undefined, ['__INCLUDE_LEVEL__'])));
    // Feature-test operators count as defined macros (#ifdef __has_include) and stay as they are.
    for (const n of ['__has_include', '__has_include_next', '__has_attribute', '__has_cpp_attribute', '__has_c_attribute', '__has_builtin'])
      mk(n, (t) => ({ ...t, flags: t.flags | F_NOEXPAND }));
    mk('__DATE__', (t) => (token(TK.String, '"Jan  1 1970"', t.file, t.pos, t.flags, undefined, ['__DATE__'])));
    mk('__TIME__', (t) => (token(TK.String, '"00:00:00"', t.file, t.pos, t.flags, undefined, ['__TIME__'])));
    mk('__TIMESTAMP__', (t) => (token(TK.String, '"Thu Jan  1 00:00:00 1970"', t.file, t.pos, t.flags, undefined, ['__TIMESTAMP__'])));
  }
}

/** Identifiers whose parenthesised group before '{' is not a function's parameter list. */
const NOT_FUNCTION_OWNERS = new Set(['__attribute__', '__attribute', '__declspec', '_Alignas', 'alignas', '__typeof__', '__typeof', 'typeof', 'sizeof', '_Atomic', '__asm__', 'asm', '__asm']);

function siteOf(t: Token): Loc {
  return t.site ?? { file: t.file, pos: t.pos };
}

function num(text: string, at: Token): Token {
  return token(TK.Number, text, at.file, at.pos, at.flags);
}

/** Spells a token list with single spaces where the source had whitespace. */
export function spell(toks: readonly Token[]): string {
  let s = '';
  toks.forEach((t, k) => (s += (k > 0 && t.flags & (F_SPACE | F_BOL) ? ' ' : '') + t.text));
  return s;
}
