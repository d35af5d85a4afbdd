// The declaration parser's state and token helpers: one Parser class whose parse functions are spread
// over a file per grammar area (declarations, specifiers, attributes, records, enums, declarators,
// pragma), each adding its functions to this prototype, as acorn spreads its Parser. Recursive
// descent over the preprocessor's tokens, after chibicc's parse.c; constant expressions are expr.ts.

import type { Diagnostics } from '../core/diag.js';
import type { Loc } from '../core/source.js';
import { siteLoc, TK, type Token } from '../cpp/token.js';
import { alignOf, LayoutError } from '../layout/layout.js';
import type { Target } from '../target/target.js';
import type { CType, EnumDecl, RecordDecl } from './ctype.js';
import { parseCond, type ExprHost } from './expr.js';
import type { Val } from './values.js';
import { SPECIFIER_WORDS } from './keywords.js';
import { vaListType } from './types.js';
import { ScopedMap } from './scope.js';

export interface ParseOptions {
  readonly target: Target;
  readonly diags: Diagnostics;
  /** Source text by file id, for spelling members as written. */
  sourceText?(fileId: number): string | undefined;
  includeChainOf?(fileId: number): Loc[];
  /** Parse function bodies for the records they define (bodies.ts); by default they are skipped. */
  readonly functionBodies?: boolean;
}

export interface ParseResult {
  /** Every struct/union definition, in order of their closing brace. */
  readonly records: RecordDecl[];
  readonly typedefs: Map<string, CType>;
  readonly tags: Map<string, RecordDecl | EnumDecl>;
  /** Variables and functions declared at file scope. */
  readonly vars: Map<string, CType>;
}

/** An attribute as written: its name without surrounding underscores, its arguments' tokens. */
export interface Attr {
  readonly name: string;
  readonly args: Token[][];
  readonly tok: Token;
}

export interface DeclSpec {
  type: CType;
  storage?: 'typedef' | 'extern' | 'static' | 'auto' | 'register';
  attrs: Attr[];
  /** Alignment from _Alignas. */
  alignas?: number;
  startTok: Token;
}

/** Thrown after an error has been reported, to resume at the next declaration or member. */
export class ParseError extends Error {}

/** Nesting of declarators, records and type names the parser follows (deeper is reported). */
const MAX_DEPTH = 256;

/** Where skip() stops, brackets balanced on the way (an unmatched closer is consumed where noted). */
export const enum Skip {
  /** At an opening bracket: through its matching closer. */
  Group,
  /** An initializer: before ',' or ';' at its level, or before the closer of what holds it. */
  Initializer,
  /** Error recovery at file scope: after ';' or the '}' that closes a body (unmatched ')' ']' skipped). */
  Declaration,
  /** Error recovery in a record body: after ';', or before the '}' that ends the body. */
  Member,
  /** A skipped parameter list: as Group, but stops before a '{' or ';' directly inside it (an
   *  unclosed list), so that what follows is not swallowed. */
  Params,
}

/** A stream of tokens the parser pulls in chunks (the preprocessor's `fill`). */
export interface TokenSource {
  fill(buf: Token[], min: number): boolean;
}

/** Consumed tokens the buffer keeps before it is compacted (so that tokens die young). */
const CHUNK = 4096;
/** Tokens pulled beyond the one asked for: few, so that compacting moves few. */
const PREFETCH = 256;
/** Tokens one declaration may hold (the buffer is compacted only between declarations): past it
 *  the input ends with an error, so a flood with no ';' is bounded in memory (docs/parser.md). */
export const MAX_DECLARATION_TOKENS = 1 << 22;

export class Parser implements ExprHost {
  readonly target: Target;
  pos = 0;
  readonly records: RecordDecl[] = [];
  readonly typedefs: Map<string, CType>;
  readonly tags: Map<string, RecordDecl | EnumDecl>;
  readonly vars = new Map<string, CType>();
  /** Functions not yet in `vars`: name, type, name, type, ... (see declareFunc). */
  readonly funcs: (string | CType)[] = [];
  /** Each enumeration constant's value and type (int, unless its value does not fit in one). */
  readonly enumConsts: Map<string, Val>;
  readonly diags: Diagnostics;
  depth = 0;
  exprDepth = 0;
  /** Set while parsing a file-scope declarator whose parameter lists can be skipped. */
  skipParams = false;
  packStack: { name?: string; value: number }[] = [];
  pack = 0;
  readonly vaList: CType;
  /** The function whose body is being parsed (bodies.ts), undefined at file scope. */
  funcScope: string | undefined = undefined;

  /** The buffer the source fills; `toks` is something else only while a parse runs over an
   *  attribute's argument tokens. */
  readonly buf: Token[];

  constructor(
    public toks: Token[],
    readonly opts: ParseOptions,
    public source?: TokenSource,
  ) {
    this.buf = toks;
    // Scoped tables only when bodies are parsed: the file-scope path keeps plain Maps.
    const table = <K, V>(): Map<K, V> => (opts.functionBodies ? new ScopedMap<K, V>() : new Map<K, V>());
    this.typedefs = table();
    this.tags = table();
    this.enumConsts = table();
    if (source) this.more(PREFETCH);
    this.target = opts.target;
    this.diags = opts.diags;
    this.vaList = vaListType(this.target);
    this.typedefs.set('__int128_t', { kind: 'int', ik: 'int128' });
    this.typedefs.set('__uint128_t', { kind: 'int', ik: 'uint128' });
  }

  // ---- token helpers -------------------------------------------------------------------------

  peek(k = 0): Token {
    const i = this.pos + k;
    if (i < this.toks.length) return this.toks[i]!;
    if (this.source && this.toks === this.buf) this.more(i + PREFETCH);
    return this.toks[Math.min(i, this.toks.length - 1)]!;
  }
  /** Pulls tokens until the buffer holds `min` (or the source ends). */
  more(min: number): void {
    if (this.source && !this.source.fill(this.buf, min)) this.source = undefined;
    if (this.source && this.buf.length > MAX_DECLARATION_TOKENS) this.endFlood();
  }
  /** One declaration ran past MAX_DECLARATION_TOKENS: report it where it started to grow and end
   *  the input there (the records before it are kept). */
  private endFlood(): void {
    if (!this.source) return;
    const at = this.buf[Math.min(this.pos, this.buf.length - 1)]!;
    this.error(`declaration too long: more than ${MAX_DECLARATION_TOKENS} tokens without a ';' at file scope`, at);
    // The rest is read and dropped a chunk at a time, up to its end-of-input token.
    this.buf.length = this.pos + 1;
    while (this.source.fill(this.buf, this.pos + 1 + CHUNK)) this.buf.length = this.pos + 1;
    this.source = undefined;
  }
  /** Between external declarations nothing refers back: drop what was consumed. */
  compact(): void {
    if (this.pos >= CHUNK && this.toks === this.buf) {
      this.buf.splice(0, this.pos);
      this.pos = 0;
    }
  }
  next(): Token {
    const t = this.peek();
    if (t.kind !== TK.EOF) this.pos++;
    return t;
  }
  is(s: string, k = 0): boolean {
    const t = this.peek(k);
    return (t.kind === TK.Punct || t.kind === TK.Ident) && t.text === s;
  }
  accept(s: string): boolean {
    if (this.is(s)) {
      this.pos++;
      return true;
    }
    return false;
  }
  expect(s: string): Token {
    const t = this.peek();
    if (this.is(s)) {
      this.pos++;
      return t;
    }
    this.error(`expected '${s}' before '${t.text || 'end of input'}'`, t);
    throw new ParseError();
  }
  error(msg: string, tok?: Token): void {
    const t = tok ?? this.peek();
    const loc = siteLoc(t);
    this.diags.error(msg, loc, this.opts.includeChainOf?.(loc.file));
  }
  errorAt(msg: string, loc: Loc): void {
    this.diags.error(msg, loc, this.opts.includeChainOf?.(loc.file));
  }
  /** What stands at `t`, in gcc's words for "expected X before ...". */
  before(t: Token): string {
    if (t.kind === TK.EOF) return 'end of input';
    if (t.kind === TK.Number) return 'numeric constant';
    if (t.kind === TK.String) return 'string constant';
    return t.kind === TK.Punct ? `'${t.text}' token` : `'${t.text}'`;
  }
  warning(msg: string, t: Token): void {
    const loc = siteLoc(t);
    this.diags.warning(msg, loc, this.opts.includeChainOf?.(loc.file));
  }

  /** Skips tokens until `until` says stop; the one bracket-matching routine of the parser. False when
   *  it stopped at end of input or, for a parameter list, at what cannot stand in one. */
  skip(until: Skip): boolean {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === TK.EOF) return false;
      if (t.kind === TK.Punct) {
        const x = t.text;
        if (x === '(' || x === '[' || x === '{') {
          if (x === '{' && depth === 1 && until === Skip.Params) return false;
          depth++;
        } else if (x === ')' || x === ']' || x === '}') {
          if (depth > 0) {
            depth--;
            if (
              depth === 0 &&
              (until === Skip.Group || until === Skip.Params || (until === Skip.Declaration && x === '}'))
            ) {
              this.pos++;
              return true;
            }
          } else if (
            until === Skip.Group ||
            until === Skip.Params ||
            until === Skip.Initializer ||
            (until === Skip.Member && x === '}')
          )
            return until === Skip.Initializer || until === Skip.Member;
          else if (until === Skip.Declaration && x === '}') {
            this.pos++;
            return true;
          }
        } else if (x === ';' && depth === 1 && until === Skip.Params) return false;
        else if (depth === 0 && (x === ';' || (x === ',' && until === Skip.Initializer))) {
          if (until === Skip.Initializer) return true;
          if (until !== Skip.Group) {
            this.pos++;
            return true;
          }
        }
      }
      this.pos++;
    }
  }
  /** At an opening bracket: skips through its matching closer (ExprHost's). */
  skipGroup(): void {
    this.skip(Skip.Group);
  }

  lookupVar(name: string): CType | undefined {
    const v = this.vars.get(name);
    return v !== undefined || this.funcs.length === 0 ? v : this.allVars().get(name);
  }
  /** File-scope functions are many (thousands in a kernel unit) and almost never looked up (only
   *  typeof(f) and sizeof(f) do): they are listed, and go into `vars` when a lookup misses. */
  declareFunc(name: string, type: CType): void {
    this.funcs.push(name, type);
  }
  allVars(): Map<string, CType> {
    const f = this.funcs;
    for (let i = 0; i < f.length; i += 2)
      if (!this.vars.has(f[i] as string)) this.vars.set(f[i] as string, f[i + 1] as CType);
    f.length = 0;
    return this.vars;
  }
  lookupEnumConst(name: string): Val | undefined {
    return this.enumConsts.get(name);
  }
  enter(): void {
    if (++this.depth > MAX_DEPTH) {
      this.error('declaration nested too deeply');
      throw new ParseError();
    }
  }
  leave(): void {
    this.depth--;
  }

  isTypeStart(k = 0): boolean {
    const t = this.peek(k);
    if (t.kind !== TK.Ident) return false;
    return SPECIFIER_WORDS.has(t.text) || this.typedefs.has(t.text);
  }

  constExpr(): bigint | undefined {
    return this.constVal()?.value;
  }
  /** An integer constant expression's value and type; undefined (reported) when it is not one. */
  constVal(): Val | undefined {
    const tok = this.peek();
    const v = parseCond(this);
    if (v.value !== undefined) return v;
    this.error('expression is not an integer constant expression', tok);
    return undefined;
  }

  alignOfSafe(t: CType): number {
    try {
      return alignOf(t, this.target);
    } catch (e) {
      if (e instanceof LayoutError) return 1;
      throw e;
    }
  }
}
