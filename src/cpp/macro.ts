// Macro expansion, the reference algorithm: Prosser's hidesets (hideset.ts) as in his 1986 note
// and chibicc's preprocess.c. Each token carries the names it may no longer expand; an object-like
// expansion adds the macro's name, a function-like one the intersection of the name's and the ')'
// token's hidesets plus the name; arguments are expanded in isolation unless next to # or ##; the
// result is pushed as a frame and rescanned. The one accelerator on this path, the reused flat
// expansion, is flat.ts, called from expandMacro alone. Methods of Preprocessor (preprocessor.ts).

import { FatalError } from '../core/diag.js';
import type { Loc, SourceFile } from '../core/source.js';
import { sizeOf, EMPTY_HS, type Hideset } from './hideset.js';
import { lex, lexDefineBody } from './lexer.js';
import type { Macro } from './preprocess.js';
import type { Preprocessor } from './preprocessor.js';
import { F_BOL, F_NOEXPAND, F_SPACE, siteLoc, TK, token, type Token } from './token.js';

export const NO_PARAMS: readonly string[] = [];

export interface LazyBody {
  readonly file: SourceFile;
  readonly start: number;
  readonly end: number;
  /** '{' less '}' in the body (counted as the lexer stepped over it). */
  readonly braces: number;
}

/** A macro. A #define's body that the lexer stepped over is lexed when first asked for (a kernel unit
 *  uses few of the macros it defines). One class, so that every macro has one shape. */
export class MacroDef implements Macro {
  private toks: readonly Token[] | undefined;
  // The body the lexer stepped over, and where the macro was defined, kept as numbers: two objects
  // fewer per macro for the garbage collector to copy (a kernel unit's macros all survive).
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

/** The macro table and expansion: methods of Preprocessor. */
export class MacroExpansion {
  /** Every change to the macro table goes through here and deleteMacro: the name filter, the set of
   *  unbalanced macros and the memos follow it. */
  setMacro(this: Preprocessor, name: string, m: MacroDef, hash?: number): void {
    this.macros.set(name, m);
    this.macroNames.add(name, hash);
    if (m.braces !== 0) this.unbalanced.add(name);
    else if (this.unbalanced.size) this.unbalanced.delete(name);
    this.forgetMemos(name);
  }

  deleteMacro(this: Preprocessor, name: string): void {
    this.macros.delete(name);
    this.unbalanced.delete(name);
    this.forgetMemos(name);
  }

  /** After `name` is defined or undefined: each accelerator forgets what it memoised from it. */
  forgetMemos(this: Preprocessor, name: string): void {
    this.flat?.forget(name);
    this.bodies?.forget(name);
  }

  /** Rescanning inside a function body (not an argument's or a directive's isolated expansion). */
  inBody(this: Preprocessor): boolean {
    return this.bodies !== undefined && this.bodies.depth > 0 && this.base === 0;
  }

  /** False when no macro can have t's name (NameFilter, without a map lookup). */
  mayBeMacro(this: Preprocessor, t: Token): boolean {
    return t.hash === undefined || this.macroNames.has(t.hash);
  }

  /** If `t` names an expandable macro, pushes its expansion and returns true. */
  expandMacro(this: Preprocessor, t: Token): boolean {
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
    const site = siteLoc(t);
    if (!m.funcLike) {
      // Accelerator (flat.ts): the expansion reused, the same tokens the two lines below make (but
      // in a function body's rescanning, which leaves balanced macros unexpanded).
      if (this.flat !== undefined && (t.hideset === undefined || sizeOf(t.hideset) === 0) && !this.inBody()) {
        const flat = this.flat.expansion(m, t, site);
        if (flat !== null) {
          this.pushTokens(flat);
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

  pushTokens(this: Preprocessor, toks: Token[]): void {
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
  charge(this: Preprocessor, n: number, at: Token | undefined): void {
    this.expanded += n;
    if (this.expanded + this.hs.copied > this.limits.maxExpandedTokens) {
      throw new FatalError(
        `macro expansion produced more than ${this.limits.maxExpandedTokens} tokens; giving up`,
        at ? siteLoc(at) : undefined,
        this.currentChain(),
      );
    }
  }

  /** Charges a token of `len` characters made by # or ## (a character as an eighth of a token),
   *  and bounds its length: stringizing or pasting again and again doubles a spelling each time. */
  chargeText(this: Preprocessor, len: number, at: Token): void {
    const max = this.limits.maxMacroTokens * 8;
    if (len > max)
      throw new FatalError(
        `macro expansion makes a token of more than ${max} characters; giving up`,
        siteLoc(at),
        this.currentChain(),
      );
    this.charge(1 + (len >> 3), at);
  }

  /** Bounds memory: no one list of tokens (a macro's arguments, an expansion, a directive line) may
   *  grow past maxMacroTokens. */
  checkLength(this: Preprocessor, n: number, at: Token | undefined): void {
    if (n > this.limits.maxMacroTokens) {
      throw new FatalError(
        `macro expansion of more than ${this.limits.maxMacroTokens} tokens at once; giving up`,
        at ? siteLoc(at) : undefined,
        this.currentChain(),
      );
    }
  }

  /** Reads macro arguments after '('. Returns the raw argument token lists and the ')' token. */
  readArgs(this: Preprocessor, m: Macro, nameTok: Token): { args: Token[][]; rparen?: Token } {
    const args: Token[][] = [];
    let cur: Token[] = [];
    let depth = 0;
    let count = 0;
    const nparams = m.params.length;
    for (;;) {
      const t = this.next();
      if (t.kind === TK.EOF) {
        this.diags.error(
          `unterminated argument list invoking macro "${m.name}"`,
          nameTok.site ?? { file: nameTok.file, pos: nameTok.pos },
          this.currentChain(),
        );
        return { args };
      }
      if (t.kind === TK.Define) {
        this.directive(t); // a #define line inside the arguments
        continue;
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

  fixArgs(this: Preprocessor, m: Macro, args: Token[][], nameTok: Token): Token[][] {
    const n = m.params.length;
    if (n === 0) {
      if (args.length === 1 && args[0]!.length === 0) return [];
    }
    if (m.variadic && args.length === n - 1) args.push([]);
    if (args.length !== n) {
      if (!(n === 1 && args.length === 0)) {
        this.diags.error(
          args.length > n
            ? `macro "${m.name}" passed ${args.length} arguments, but takes just ${n}`
            : `macro "${m.name}" requires ${n} arguments, but only ${args.length} given`,
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
  expandArg(this: Preprocessor, arg: Token[]): Token[] {
    if (arg.length === 0) return arg;
    let needs = false;
    for (const t of arg)
      if (t.kind === TK.Ident && this.mayBeMacro(t) && this.macros.has(t.text)) {
        needs = true;
        break;
      }
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
  expandMacroIsolated(this: Preprocessor, t: Token): boolean {
    const m = this.macros.get(t.text);
    if (m && m.funcLike) {
      const nxt = this.peekIsolated();
      if (!nxt || nxt.kind !== TK.Punct || nxt.text !== '(') return false;
    }
    return this.expandMacro(t);
  }

  peekIsolated(this: Preprocessor): Token | undefined {
    for (let k = this.frames.length - 1; k >= this.base; k--) {
      const f = this.frames[k]!;
      const t = f.toks[f.i];
      if (t !== undefined && t.kind !== TK.EOF) return t;
    }
    return undefined;
  }

  /** Substitutes parameters in the macro body, applying # and ##; sets hideset and site. */
  subst(
    this: Preprocessor,
    m: MacroDef,
    body: readonly Token[],
    args: Token[][],
    hs: Hideset,
    site: Loc,
    nameTok: Token,
  ): Token[] {
    // An object-like macro without ## (most of them) is its body, stamped.
    const res = !m.funcLike && body === m.body && !m.pastes ? body : this.replaceParams(m, body, args, site, nameTok);
    // Stamp hideset and site on every result token (copies; body tokens are shared).
    const leadingFlags = nameTok.flags & F_SPACE;
    const out: Token[] = new Array(res.length);
    for (let k = 0; k < res.length; k++) {
      const r = res[k]!;
      let flags = r.flags & ~F_BOL;
      if (k === 0) flags = (flags & ~F_SPACE) | leadingFlags;
      const hideset = this.hs.union(r.hideset, hs);
      // (token(), spelled out: see Lexer.next.)
      out[k] = {
        kind: r.kind,
        text: r.text,
        file: r.file,
        pos: r.pos,
        flags,
        hash: r.hash,
        hideset,
        site,
        cond: nameTok.cond,
      };
    }
    return out;
  }

  /** The body with parameters replaced by their arguments (expanded unless next to # or ##), # and ##
   *  applied, and __VA_OPT__. */
  replaceParams(
    this: Preprocessor,
    m: MacroDef,
    body: readonly Token[],
    args: Token[][],
    site: Loc,
    nameTok: Token,
  ): Token[] {
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
          res.push(this.stringize(args[p]!, t, nameTok));
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
            if (res.length > 0) res[res.length - 1] = this.paste(res[res.length - 1]!, arg[0]!, nameTok);
            else res.push(arg[0]!);
            for (let k = 1; k < arg.length; k++) res.push(arg[k]!);
          }
          i++;
          continue;
        }
        if (res.length > 0) res[res.length - 1] = this.paste(res[res.length - 1]!, rhs, nameTok);
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
              for (const x of rarg) res.push(x);
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

  vaOptContent(this: Preprocessor, body: readonly Token[], start: number): { content: Token[]; end: number } {
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

  /** `#arg` at `at`, in the expansion of `nameTok`. */
  stringize(this: Preprocessor, arg: Token[], at: Token, nameTok: Token): Token {
    // At most every character escaped and a space between tokens.
    let len = 2;
    for (const t of arg) len += 2 * t.text.length + 1;
    this.chargeText(len, nameTok);
    let s = '';
    for (let k = 0; k < arg.length; k++) {
      const t = arg[k]!;
      if (k > 0 && t.flags & (F_SPACE | F_BOL)) s += ' ';
      s += t.kind === TK.String || t.kind === TK.Char ? t.text.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : t.text;
    }
    return token(TK.String, '"' + s + '"', at.file, at.pos, at.flags);
  }

  /** `a ## b`, in the expansion of `nameTok`. */
  paste(this: Preprocessor, a: Token, b: Token, nameTok: Token): Token {
    this.chargeText(a.text.length + b.text.length, nameTok);
    const text = a.text + b.text;
    // Lexed in isolation, not registered: the result takes a's position.
    const r = lex({ id: a.file, path: '<paste>', text }).tokens;
    if (r.length !== 2) {
      this.diags.error(
        `pasting "${a.text}" and "${b.text}" does not give a valid preprocessing token`,
        { file: a.file, pos: a.pos },
        this.currentChain(),
      );
    }
    const t = r[0]!;
    return token(t.kind, t.text, a.file, a.pos, a.flags, t.hash, a.hideset);
  }
}
