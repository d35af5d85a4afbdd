// The preprocessor's state and main loop: a stack of token frames (files read a line at a time by
// their Lexer, macro expansions), directives recognised at the beginning of a file's lines, and
// every other identifier offered to macro expansion. The class is spread over several files, one
// prototype as acorn spreads its Parser (so V8 sees one shape): macro.ts (the reference expansion
// algorithm), directives.ts, include.ts, pragma.ts; the accelerators are objects of their own
// (flat.ts, bodies.ts; #define lines read as text, defines.ts).

import { Diagnostics, FatalError } from '../core/diag.js';
import type { FileSystem } from '../core/fs.js';
import type { Loc, SourceManager } from '../core/source.js';
import { predefinedMacros } from '../target/predefined.js';
import { builtinHeaderFs, BUILTIN_INCLUDE_DIR } from '../target/headers.js';
import { FunctionBodies } from './bodies.js';
import { Directives } from './directives.js';
import { FlatExpansions } from './flat.js';
import { Hidesets } from './hideset.js';
import { Includes, type Found } from './include.js';
import { Lexer, NameFilter, type CommentList } from './lexer.js';
import { MacroExpansion, type MacroDef } from './macro.js';
import {
  DEFAULT_LIMITS,
  type PreprocessLimits,
  type PreprocessOptions,
  type PreprocessStream,
  type Shortcuts,
} from './preprocess.js';
import { Pragmas } from './pragma.js';
import { F_BOL, TK, token, type Conditional, type Token } from './token.js';

export interface Frame {
  toks: readonly Token[];
  i: number;
  /** File frames: the lexer that supplies `toks` a line at a time. */
  lx?: Lexer;
  /** File frames: the file id and directory lookup state. */
  file?: FileFrame;
}

export interface FileFrame {
  id: number;
  path: string;
  /** Index into the search path the file was found in (for #include_next); -1 for quote/absolute. */
  dirIndex: number;
  ifStack: IfState[];
  /** Include-guard detection: the guard macro name if the file starts with #ifndef X / #define X. */
  guardCandidate?: string;
  guardClosedAtEnd?: boolean;
}

export interface IfState {
  cond: Conditional;
  /** Some branch of this group has been taken. */
  taken: boolean;
  inElse: boolean;
  /** The enclosing state was skipping (the whole group is skipped). */
  outerSkip: boolean;
}

const PRAGMA_ONLY = new NameFilter();
PRAGMA_ONLY.add('_Pragma');

/** (Fields are public for the other files of the class; nothing outside src/cpp sees the class.) */
export class Preprocessor {
  readonly fs: FileSystem;
  readonly diags: Diagnostics;
  readonly sm: SourceManager;
  readonly limits: PreprocessLimits;
  readonly macros = new Map<string, MacroDef>();
  /** The defined macros whose own bodies' braces do not balance (usually none). */
  readonly unbalanced = new Set<string>();
  /** Every name ever defined as a macro, and _Pragma: what a function body's text cannot skip. */
  readonly macroNames = new NameFilter();
  /** The consumer's buffer being filled (see fill). */
  out: Token[] = [];
  outCount = 0;
  /** The last two tokens output (the function-body tracker looks one token back). */
  lastOut: Token | undefined;
  prevOut: Token | undefined;
  done = false;
  readonly comments: CommentList[] = [];
  readonly chains = new Map<number, Loc[]>();
  readonly fileIds = new Map<string, number>();
  readonly pragmaOnce = new Set<number>();
  readonly guards = new Map<number, string>();
  readonly includeCache = new Map<string, Found | null>();
  readonly pushedMacros = new Map<string, (MacroDef | undefined)[]>();
  readonly frames: Frame[] = [];
  readonly fileStack: { frame: FileFrame; includeLoc?: Loc }[] = [];
  readonly searchDirs: string[];
  /** Index of the first angled (-I) directory in searchDirs; quote dirs come before it. */
  readonly angledStart: number;
  expanded = 0;
  readonly hs = new Hidesets();
  /** Frames below this index belong to the expansion an isolated argument interrupted (expandArg). */
  base = 0;
  counter = 0;
  mainFileId = -1;
  mainPath = '';
  eof: Token | undefined;
  running = false;
  /** Lexer.plainDefine on. */
  readonly plainDefines: boolean;
  /** Accelerators (each its own module, memo and invalidation; undefined when turned off). */
  readonly flat: FlatExpansions | undefined;
  readonly bodies: FunctionBodies | undefined;

  constructor(readonly opts: PreprocessOptions) {
    this.diags = opts.diags;
    this.sm = opts.sources;
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    const builtin = opts.nostdinc ? [] : opts.include.builtin.length ? opts.include.builtin : [BUILTIN_INCLUDE_DIR];
    this.searchDirs = [
      ...opts.include.quote,
      ...opts.include.angled,
      ...opts.include.system,
      ...builtin,
      ...opts.include.after,
    ];
    this.angledStart = opts.include.quote.length;
    this.fs = builtinHeaderFs(opts.fs, opts.target);
    this.macroNames.add('_Pragma');
    const on = (k: keyof Shortcuts): boolean =>
      typeof opts.shortcuts === 'object' ? opts.shortcuts[k] !== false : opts.shortcuts !== false;
    this.plainDefines = on('plainDefines');
    this.flat = on('flat') ? new FlatExpansions(this) : undefined;
    this.bodies = opts.functionBodies !== 'keep' ? new FunctionBodies(this, on('balances')) : undefined;
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
      this.diags.report({
        severity: 'error',
        message: `${mainPath}: ${this.fs.readError?.(mainPath) ?? 'No such file or directory'}`,
      });
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

  result(): PreprocessStream {
    const chains = this.chains;
    return {
      fill: (buf, min) => this.fill(buf, min),
      comments: this.comments,
      includeChainOf: (id: number) => chains.get(id) ?? [],
      mainFileId: this.mainFileId,
      macros: this.macros,
    };
  }

  registerFile(path: string, text: string): number {
    const f = this.sm.add(path, text);
    this.fileIds.set(path, f.id);
    return f.id;
  }

  /** A file frame reads its file through a Lexer a line at a time (see Lexer). */
  pushFile(id: number, path: string, dirIndex: number, includeLoc: Loc | undefined): void {
    if (this.fileStack.length >= this.limits.maxIncludeDepth) {
      throw new FatalError(
        `#include nested depth ${this.fileStack.length} exceeds maximum of ${this.limits.maxIncludeDepth}`,
        includeLoc,
        this.currentChain(),
      );
    }
    // (Every field set here, so that file frames share one hidden class: see token().)
    const ff: FileFrame = { id, path, dirIndex, ifStack: [], guardCandidate: undefined, guardClosedAtEnd: false };
    const lx = new Lexer(this.sm.get(id), 0, true, this.plainDefines);
    // A file read again (no include guard) is lexed again: its comments are the same.
    this.comments[id] = lx.comments;
    const frame: Frame = { toks: [], i: 0, file: ff, lx };
    this.fileStack.push({ frame: ff, includeLoc });
    this.refill(frame);
    // Include-guard detection: #ifndef X on the first line.
    const t = frame.toks;
    if (t.length >= 3 && t[0]!.text === '#' && t[1]!.text === 'ifndef' && t[2]!.kind === TK.Ident)
      ff.guardCandidate = t[2]!.text;
    this.frames.push(frame);
  }

  /** The next line of a file frame whose tokens are used up (`mode` 'skip': after skipping text to
   *  the next directive line; 'body': only the next token of a function body that may matter, see
   *  Lexer.bodyToken). False at the end of the file. */
  refill(f: Frame, mode?: 'skip' | 'body'): boolean {
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
      for (const e of lx.errors)
        this.diags.report({
          severity: e.error ? 'error' : 'warning',
          message: e.message,
          loc: { file: id, pos: e.pos },
          includeChain: this.chains.get(id),
        });
      lx.errors.length = 0;
    }
    return true;
  }

  currentChain(): Loc[] {
    const chain: Loc[] = [];
    for (let k = this.fileStack.length - 1; k >= 0; k--) {
      const l = this.fileStack[k]!.includeLoc;
      if (l) chain.push(l);
    }
    return chain;
  }

  curFile(): FileFrame {
    return this.fileStack[this.fileStack.length - 1]!.frame;
  }

  /** Next token from the frame stack (EOF of a file frame pops it and continues, except the main file). */
  next(): Token {
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

  peekTok(): Token {
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

  endFile(ff: FileFrame): void {
    if (ff.ifStack.length > 0) {
      const st = ff.ifStack[ff.ifStack.length - 1]!;
      this.diags.error('unterminated conditional directive', st.cond.loc, this.chains.get(ff.id));
    }
    if (ff.guardCandidate && ff.guardClosedAtEnd) this.guards.set(ff.id, ff.guardCandidate);
    this.fileStack.pop();
  }

  /** Tokens up to the end of the current line (directive arguments). */
  restOfLine(): Token[] {
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

  skipLine(): void {
    this.restOfLine();
  }

  /** Preprocesses until `out` holds `min` tokens (returns true) or the input ends (returns false). */
  loop(min: number): boolean {
    const out = this.out;
    const bodies = this.bodies;
    while (out.length < min) {
      if (bodies !== undefined && bodies.depth > 0) {
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
      if (
        t.flags & F_BOL &&
        t.text === '#' &&
        (t.kind === TK.Punct || t.kind === TK.Define) &&
        top.file &&
        !t.hideset
      ) {
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
        if ((bodies === undefined || bodies.depth === 0 || bodies.expandable(t)) && this.expandMacro(t)) continue;
        if (t.text === '_Pragma' && this.pragmaOperator(t)) continue;
      }
      this.emit(t);
      if (t.kind === TK.Punct && bodies !== undefined) bodies.track(t, this.prevOut);
    }
    return true;
  }

  emit(t: Token): void {
    this.out.push(t);
    this.prevOut = this.lastOut;
    this.lastOut = t;
    if (++this.outCount > this.limits.maxOutputTokens) {
      this.running = false;
      throw new FatalError(
        `translation unit has more than ${this.limits.maxOutputTokens} tokens; giving up`,
        t.site ?? { file: t.file, pos: t.pos },
        this.currentChain(),
      );
    }
  }

  err(message: string, loc: Loc): void {
    this.diags.error(message, loc, this.currentChain());
  }
}

export interface Preprocessor extends MacroExpansion, Directives, Includes, Pragmas {}
for (const part of [MacroExpansion, Directives, Includes, Pragmas]) {
  for (const key of Object.getOwnPropertyNames(part.prototype)) {
    if (key !== 'constructor')
      Object.defineProperty(Preprocessor.prototype, key, Object.getOwnPropertyDescriptor(part.prototype, key)!);
  }
}
