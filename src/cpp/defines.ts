// Accelerator: #define lines read as text. A file's lexer (with lazyDefines) steps over a #define's
// body without making its tokens (lexDefineBody makes them when the macro is first used), and a
// #define line spelled plainly (blanks only: no comment, splice or non-ASCII name) is read whole as
// text into a PlainDefine, making no tokens at all. Methods of Lexer (lexer.ts); `shortcuts: false`
// (or `{ plainDefines: false }`) turns the plain reading off.

import { Ch } from './chars.js';
import type { Lexer } from './lexer.js';
import { F_BOL, TK, type Token } from './token.js';

// What a #define body's text is scanned for (Lexer.defineLine): the line's end, splices, comments,
// literals, braces and the digraphs' first characters.
const DEFINE_STOPS = /[\n\\/"'{}<%]/g;

/** The head of a #define line read as text (Lexer.plainDefine): the macro's name and its lexer
 *  hash, where `define` is spelled, and for a function-like macro its parameters. */
export interface PlainHead {
  readonly name: string;
  readonly nameHash: number;
  readonly pos: number;
  readonly params: string[] | undefined;
  readonly variadic: string | undefined;
}

/** Where a #define's body lies (its tokens are made when the macro is first used) and its '{' less
 *  '}'. */
export interface DefineBody {
  readonly start: number;
  readonly end: number;
  readonly braces: number;
}

/** A #define line as the lexer hands it over, one TK.Define token: its head read as text (`plain`)
 *  or lexed (`head`: NAME, or NAME ( parameters )), and its body stepped over. */
export interface DefineLine {
  readonly token: Token;
  /** Where `define` is spelled. */
  readonly pos: number;
  readonly plain: PlainHead | undefined;
  readonly head: readonly Token[];
  readonly body: DefineBody;
}

const NO_TOKENS: readonly Token[] = [];

export class LexerDefines {
  /** At a line's '#': for `#define NAME` or `#define NAME(params)` (the rest of the line stepped
   *  over as text, recording its comments and literal errors as lexing would), appends one TK.Define
   *  token (its DefineLine: defineLineOf) and returns undefined: the line is done. Otherwise appends
   *  what it lexed and returns the next token for line() to go on with (undefined too if the line
   *  ended). */
  defineLine(this: Lexer, hash: Token, out: Token[]): Token | undefined {
    if (this.plainDefines) {
      const plain = this.plainDefine();
      if (plain !== undefined) {
        this.emitDefine(hash, out, plain.pos, plain, NO_TOKENS, this.defineBodyFrom(this.i));
        return undefined;
      }
    }
    const d = this.next();
    if (d.kind !== TK.Ident || d.flags & F_BOL || d.text !== 'define') {
      out.push(hash);
      return this.goOn(d);
    }
    const name = this.next();
    if (name.kind !== TK.Ident || name.flags & F_BOL) {
      out.push(hash, d);
      return this.goOn(name);
    }
    const head = [name];
    const c = this.at(this.i);
    if (c === Ch.Backslash) {
      // A splice (NAME\<newline>( is function-like): lexed as usual.
      out.push(hash, d, name);
      return this.goOn(this.next());
    }
    if (c === Ch.LParen) {
      for (;;) {
        const p = this.next();
        if (p.kind === TK.EOF || p.flags & F_BOL) {
          out.push(hash, d, ...head);
          return this.goOn(p);
        }
        head.push(p);
        if (p.kind === TK.Punct && p.text === ')') break;
      }
    }
    this.emitDefine(hash, out, d.pos, undefined, head, this.defineBodyFrom(this.i));
    return undefined;
  }

  emitDefine(
    this: Lexer,
    hash: Token,
    out: Token[],
    pos: number,
    plain: PlainHead | undefined,
    head: readonly Token[],
    body: DefineBody,
  ): void {
    // (token(), spelled out: see Lexer.next.)
    const t: Token = {
      kind: TK.Define,
      text: '#',
      file: hash.file,
      pos: hash.pos,
      flags: hash.flags,
      hash: undefined,
      hideset: undefined,
      site: undefined,
      cond: undefined,
    };
    this.lastDefine = { token: t, pos, plain, head, body };
    out.push(t);
  }

  /** The parsed form of `t`, the TK.Define token line() last returned. */
  defineLineOf(this: Lexer, t: Token): DefineLine | undefined {
    const d = this.lastDefine;
    return d !== undefined && d.token === t ? d : undefined;
  }

  /** Steps over a #define's body from `start` to its line's end as text (recording its comments
   *  and literal errors as lexing would); pending is the next line's first token. */
  defineBodyFrom(this: Lexer, start: number): DefineBody {
    const src = this.src;
    const n = this.n;
    let i = start;
    let braces = 0;
    for (;;) {
      // Straight to the next character that can end the line or matter (the regex engine's scan).
      DEFINE_STOPS.lastIndex = i;
      if (!DEFINE_STOPS.test(src)) {
        i = n;
        break;
      }
      i = DEFINE_STOPS.lastIndex - 1;
      const e = src.charCodeAt(i);
      if (e === Ch.Newline) break;
      if (e === Ch.Backslash) {
        const j = this.splice(i);
        i = j !== i ? j : i + 1;
      } else if (e === Ch.Slash) {
        const j = this.commentEnd(i);
        i = j !== i ? j : i + 1;
      } else if (e === Ch.DoubleQuote || e === Ch.Quote) {
        i = this.literalEnd(i, e, true);
      } else {
        if (e === Ch.LBrace) braces++;
        else if (e === Ch.RBrace) braces--;
        else if (e === Ch.Less || e === Ch.Percent) {
          // The digraphs <% and %> are braces too.
          const j = this.spliced(i + 1);
          const f = this.at(j);
          if (e === Ch.Less && f === Ch.Percent) {
            braces++;
            i = j;
          } else if (e === Ch.Percent && f === Ch.Greater) {
            braces--;
            i = j;
          }
        }
        i++;
      }
    }
    this.i = i;
    this.flags = F_BOL;
    this.pending = this.next();
    return { start, end: i, braces };
  }

  /** After a line's '#': `define NAME` or `define NAME(a, b, ...)`, spelled with blanks only (no
   *  comment, splice, non-ASCII name or other oddity, which lexing as usual handles), read as text
   *  up to the body (this.i there): no tokens for a directive line that most often defines a macro
   *  never used. Undefined, with nothing consumed, for any other line. */
  plainDefine(this: Lexer): PlainHead | undefined {
    const src = this.src;
    let i = this.blanks(this.i);
    if (!src.startsWith('define', i)) return undefined;
    const pos = i;
    i += 6;
    const c = this.at(i);
    if (c !== Ch.Space && c !== Ch.Tab) return undefined;
    i = this.blanks(i);
    const nameEnd = this.plainIdentEnd(i);
    if (nameEnd < 0) return undefined;
    const name = src.slice(i, nameEnd);
    if (name === 'defined') return undefined;
    const nameHash0 = this.identHash;
    i = nameEnd;
    let params: string[] | undefined;
    let variadic: string | undefined;
    if (this.at(i) === Ch.LParen) {
      params = [];
      i = this.blanks(i + 1);
      if (this.at(i) === Ch.RParen) i++;
      else {
        for (;;) {
          i = this.blanks(i);
          if (this.at(i) === Ch.Dot && this.at(i + 1) === Ch.Dot && this.at(i + 2) === Ch.Dot) {
            i += 3;
            variadic = '__VA_ARGS__';
            params.push(variadic);
          } else {
            const e = this.plainIdentEnd(i);
            if (e < 0) return undefined;
            params.push(src.slice(i, e));
            i = this.blanks(e);
            if (this.at(i) === Ch.Dot && this.at(i + 1) === Ch.Dot && this.at(i + 2) === Ch.Dot) {
              i += 3;
              variadic = params[params.length - 1];
            }
          }
          i = this.blanks(i);
          const d = this.at(i);
          i++;
          if (d === Ch.RParen) break;
          if (d !== Ch.Comma || variadic !== undefined) return undefined;
        }
      }
    }
    this.i = i;
    return { name, nameHash: nameHash0, pos, params, variadic };
  }

  /** `t` for line() to go on with, or undefined (and pending) when it starts the next line. */
  goOn(this: Lexer, t: Token): Token | undefined {
    if (t.kind !== TK.EOF && !(t.flags & F_BOL)) return t;
    this.pending = t;
    return undefined;
  }
}
