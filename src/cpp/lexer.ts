// C lexer (translation phases 1-3): splits a file into preprocessing tokens, removing line splices
// and comments. Comments are kept on the side (per file, in order) because layoutof reports them
// next to members. One pass over char codes; the slow path only where a backslash-newline occurs.

import type { SourceFile } from '../core/source.js';
import { Ch, IDENT_CONT, IDENT_START, NAME_HASH_MASK, nameHash } from './chars.js';
import type { CommentList } from './comments.js';
import { LexerDefines, type DefineLine } from './defines.js';
import { removeSplices, Scanner, type LexError } from './scan.js';
import { LexerSkipping } from './skip.js';
import { F_BOL, F_SPACE, TK, token, type Token } from './token.js';

export { CommentList, commentText, type Comment } from './comments.js';
export { NameFilter, NAME_HASH_MASK } from './chars.js';
export type { LexError } from './scan.js';
export type { DefineLine, PlainHead } from './defines.js';

/** Tokens of an ordinary line made at once (Lexer.line). */
const LINE_CHUNK = 4096;
/** Tokens of a directive line kept (Lexer.line). */
const MAX_DIRECTIVE_TOKENS = 1 << 20;

export interface LexResult {
  readonly tokens: Token[];
  readonly comments: CommentList;
  /** Problems such as an unterminated comment, with positions. */
  readonly errors: LexError[];
}

/** The single characters that are punctuators (the rest, such as '@' or '`', are TK.Other). */
const PUNCT_1_CODES = new Uint8Array(128);
for (const ch of '[](){}.&*+-~!/%<>^|?:;=,#') PUNCT_1_CODES[ch.charCodeAt(0)] = 1;
/** By character code, the punctuators that begin no longer punctuator (their spelling), else undefined. */
const LONE_PUNCT: (string | undefined)[] = new Array<string | undefined>(128).fill(undefined);
for (const ch of '()[]{};,?~') LONE_PUNCT[ch.charCodeAt(0)] = ch;
const DIGRAPHS: Record<string, string> = { '<:': '[', ':>': ']', '<%': '{', '%>': '}', '%:': '#', '%:%:': '##' };

/** The tokens of a #define body that Lexer.defineLine stepped over (its comments and errors were
 *  recorded then). */
export function lexDefineBody(file: SourceFile, body: { start: number; end: number }): Token[] {
  const lx = new Lexer(file, body.start);
  const out: Token[] = [];
  for (;;) {
    const t = lx.next();
    if (t.kind === TK.EOF || t.flags & F_BOL) return out;
    out.push(t);
  }
}

export function lex(file: SourceFile): LexResult {
  const lx = new Lexer(file);
  const tokens: Token[] = [];
  while (lx.line(tokens));
  return { tokens, comments: lx.comments, errors: lx.errors };
}

/** The lexer of one file, run on demand a line at a time, so that tokens are made just before the
 *  preprocessor uses them (and die young), and false #if groups are stepped over as text without
 *  making tokens at all (skipToDirective). */
export class Lexer extends Scanner {
  /** The first token of the next line, lexed while finding the end of the current one. */
  pending: Token | undefined;
  /** EOF has been returned. */
  done = false;
  /** The #define line line() last handed over as a TK.Define token (see defineLineOf). */
  lastDefine: DefineLine | undefined = undefined;

  /** `start`: lex from this offset (mid-line) instead of the file's beginning (a file's own lexer,
   *  with lazyDefines, skips a byte order mark there). `lazyDefines`: a #define line comes out
   *  without its body's tokens (most macros are never used). `plainDefines` (with lazyDefines): a
   *  #define line spelled plainly is read as text, making no tokens at all (defines.ts). */
  constructor(
    file: SourceFile,
    start = 0,
    readonly lazyDefines = false,
    readonly plainDefines = lazyDefines,
  ) {
    super(file);
    if (start > 0) {
      this.i = start;
      this.flags = 0;
    } else if (lazyDefines) this.i = bomLength(this.src);
  }

  /** Appends the tokens of the next line (up to the next token that starts a line) to `out`;
   *  false once the EOF token has been appended. */
  line(out: Token[]): boolean {
    if (this.done) return false;
    let t = this.pending;
    this.pending = undefined;
    if (t === undefined) t = this.next();
    const directive = t.kind === TK.Punct && t.text === '#' && (t.flags & F_BOL) !== 0;
    if (this.lazyDefines && directive) {
      const r = this.defineLine(t, out);
      if (r === undefined) return true;
      t = r;
    }
    for (let n = 1; ; n++) {
      out.push(t);
      if (t.kind === TK.EOF) {
        this.done = true;
        return false;
      }
      t = this.next();
      if (t.flags & F_BOL) {
        this.pending = t;
        return true;
      }
      if (n % LINE_CHUNK === 0) {
        // A long line comes in pieces (a flood of tokens on one line would otherwise be made at
        // once); a directive needs its whole line, up to a bound.
        if (!directive) {
          this.pending = t;
          return true;
        }
        if (n >= MAX_DIRECTIVE_TOKENS) {
          this.errors.push({
            pos: t.pos,
            message: `directive line of more than ${MAX_DIRECTIVE_TOKENS} tokens; the rest is ignored`,
            error: true,
          });
          while (!(t.flags & F_BOL) && t.kind !== TK.EOF) t = this.next();
          this.pending = t;
          return true;
        }
      }
    }
  }

  /** The next token (EOF at the end, repeatedly). */
  next(): Token {
    const src = this.src;
    const n = this.n;
    const fid = this.fid;
    let i = this.i;
    let flags = this.flags;
    while (i < n) {
      const c = src.charCodeAt(i);
      // Whitespace and newlines.
      if (c === Ch.Newline) {
        i++;
        flags = F_BOL;
        continue;
      }
      if (c === Ch.Space || c === Ch.Tab || c === Ch.Return || c === Ch.FormFeed || c === Ch.VTab) {
        i++;
        flags |= F_SPACE;
        continue;
      }
      if (c === Ch.Nul) {
        i = this.nulls(i);
        flags |= F_SPACE;
        continue;
      }
      if (c === Ch.Backslash) {
        const j = this.splice(i);
        if (j !== i) {
          i = j;
          continue;
        }
      }
      const start = i;
      // Comments.
      if (c === Ch.Slash) {
        const j = this.commentEnd(i);
        if (j !== i) {
          i = j;
          flags |= F_SPACE;
          continue;
        }
      }
      let tok: Token;
      // Identifiers (with an optional string/char prefix check).
      if (c < 256 ? IDENT_START[c] : 1) {
        let k = i + 1;
        let slow = false;
        let h = c & NAME_HASH_MASK;
        // The character after the identifier: no splice (the loop steps over those), so it is what
        // this.at(this.spliced(k)) would give.
        let next: number;
        for (;;) {
          // (this.at, inlined: V8 inlines no calls in a source unit's run, see preferQuickCompiles.)
          const e = k < n ? src.charCodeAt(k) : -1;
          if (e < 256 ? IDENT_CONT[e] : e === e) {
            h = (h * 31 + e) & NAME_HASH_MASK;
            k++;
          } else if (e === Ch.Backslash && this.splice(k) !== k) {
            slow = true;
            k = this.splice(k);
          } else {
            next = e;
            break;
          }
        }
        const text = slow ? removeSplices(src.slice(i, k)) : src.slice(i, k);
        if (
          (next === Ch.DoubleQuote || next === Ch.Quote) &&
          (text === 'L' || text === 'u' || text === 'U' || text === 'u8')
        ) {
          // (u8 character constants are C23; gcc 12 in C11 mode reads an identifier u8, then a char.)
          const r = this.quoted(this.spliced(k), next);
          tok = mk(next === Ch.DoubleQuote ? TK.String : TK.Char, text + r, fid, start, flags);
        } else {
          const hash = slow ? nameHash(text) : h;
          // (token(), spelled out: the call is most of a token's cost before V8 has optimised this.)
          tok = {
            kind: TK.Ident,
            text,
            file: fid,
            pos: start,
            flags,
            hash,
            hideset: undefined,
            site: undefined,
            cond: undefined,
          };
          this.i = k;
        }
        this.flags = 0;
        return tok;
      }
      // Numbers: pp-number = digit | . digit, then [0-9a-zA-Z_.] or [eEpP][+-].
      if ((c >= Ch.Digit0 && c <= Ch.Digit9) || (c === Ch.Dot && isDigit(this.at(this.spliced(i + 1))))) {
        let k = i + 1;
        let slow = false;
        let prev = c; // the previous character of the number, splices removed
        for (;;) {
          let e = k < n ? src.charCodeAt(k) : -1;
          if (e === Ch.Backslash && this.splice(k) !== k) {
            slow = true;
            k = this.splice(k);
            e = this.at(k);
          }
          if (e === Ch.Plus || e === Ch.Minus) {
            if (prev === Ch.LowerE || prev === Ch.UpperE || prev === Ch.LowerP || prev === Ch.UpperP) {
              prev = e;
              k++;
              continue;
            }
            break;
          }
          // (C23 digit separators are not C11: a quote stops the number.)
          if (e === Ch.Quote) break;
          if (e < 256 ? IDENT_CONT[e] || e === Ch.Dot : false) {
            prev = e;
            k++;
          } else break;
        }
        const text = slow ? removeSplices(src.slice(i, k)) : src.slice(i, k);
        this.i = k;
        this.flags = 0;
        return {
          kind: TK.Number,
          text,
          file: fid,
          pos: start,
          flags,
          hash: undefined,
          hideset: undefined,
          site: undefined,
          cond: undefined,
        };
      }
      if (c === Ch.DoubleQuote || c === Ch.Quote) {
        const r = this.quoted(i, c);
        this.flags = 0;
        return mk(c === Ch.DoubleQuote ? TK.String : TK.Char, r, fid, start, flags);
      }
      // A punctuator that no longer one starts with (brackets, ';', ',': most of them) at once.
      const single = c < Ch.NonAscii ? LONE_PUNCT[c] : undefined;
      if (single !== undefined) {
        this.i = i + 1;
        this.flags = 0;
        return {
          kind: TK.Punct,
          text: single,
          file: fid,
          pos: start,
          flags,
          hash: undefined,
          hideset: undefined,
          site: undefined,
          cond: undefined,
        };
      }
      // Punctuators: the longest spelled here, its characters possibly joined by splices.
      const p = this.punctAt(i, c);
      let k = i + 1;
      for (let q = 1; q < p.length; q++) k = this.spliced(k) + 1;
      this.i = k;
      this.flags = 0;
      // (By character code: a Set lookup or a keyed load of DIGRAPHS for every punctuator costs.)
      const kind = p.length === 1 && !(c < Ch.NonAscii && PUNCT_1_CODES[c]) ? TK.Other : TK.Punct;
      return mk(
        kind,
        (c === Ch.Less || c === Ch.Percent || c === Ch.Colon) && p.length > 1 ? (DIGRAPHS[p] ?? p) : p,
        fid,
        start,
        flags,
      );
    }
    this.i = n;
    this.flags = F_BOL;
    return mk(TK.EOF, '', fid, n, F_BOL);
  }

  /** The longest punctuator spelled at i (c), digraphs as spelled; a character no punctuator starts
   *  with, alone. Following characters are read past splices (c1, and c2/c3 where they decide). */
  punctAt(i: number, c: number): string {
    const j1 = this.spliced(i + 1);
    const c1 = this.at(j1);
    switch (c) {
      case Ch.Dot:
        return c1 === Ch.Dot && this.at(this.spliced(j1 + 1)) === Ch.Dot ? '...' : '.';
      case Ch.Minus:
        return c1 === Ch.Greater ? '->' : c1 === Ch.Minus ? '--' : c1 === Ch.Equals ? '-=' : '-';
      case Ch.Plus:
        return c1 === Ch.Plus ? '++' : c1 === Ch.Equals ? '+=' : '+';
      case Ch.Amp:
        return c1 === Ch.Amp ? '&&' : c1 === Ch.Equals ? '&=' : '&';
      case Ch.Bar:
        return c1 === Ch.Bar ? '||' : c1 === Ch.Equals ? '|=' : '|';
      case Ch.Less:
        if (c1 === Ch.Less) return this.at(this.spliced(j1 + 1)) === Ch.Equals ? '<<=' : '<<';
        return c1 === Ch.Equals ? '<=' : c1 === Ch.Colon ? '<:' : c1 === Ch.Percent ? '<%' : '<';
      case Ch.Greater:
        if (c1 === Ch.Greater) return this.at(this.spliced(j1 + 1)) === Ch.Equals ? '>>=' : '>>';
        return c1 === Ch.Equals ? '>=' : '>';
      case Ch.Percent:
        if (c1 === Ch.Colon) {
          const j2 = this.spliced(j1 + 1);
          return this.at(j2) === Ch.Percent && this.at(this.spliced(j2 + 1)) === Ch.Colon ? '%:%:' : '%:';
        }
        return c1 === Ch.Equals ? '%=' : c1 === Ch.Greater ? '%>' : '%';
      case Ch.Equals:
        return c1 === Ch.Equals ? '==' : '=';
      case Ch.Bang:
        return c1 === Ch.Equals ? '!=' : '!';
      case Ch.Star:
        return c1 === Ch.Equals ? '*=' : '*';
      case Ch.Slash:
        return c1 === Ch.Equals ? '/=' : '/';
      case Ch.Caret:
        return c1 === Ch.Equals ? '^=' : '^';
      case Ch.Hash:
        return c1 === Ch.Hash ? '##' : '#';
      case Ch.Colon:
        return c1 === Ch.Greater ? ':>' : ':';
      case Ch.LParen:
        return '(';
      case Ch.RParen:
        return ')';
      case Ch.LBracket:
        return '[';
      case Ch.RBracket:
        return ']';
      case Ch.LBrace:
        return '{';
      case Ch.RBrace:
        return '}';
      case Ch.Semicolon:
        return ';';
      case Ch.Comma:
        return ',';
      case Ch.Question:
        return '?';
      case Ch.Tilde:
        return '~';
      default:
        return this.src[i]!;
    }
  }
}

/** (Fields are public for the other files of the class: scan.ts, defines.ts, skip.ts.) */
export interface Lexer extends LexerDefines, LexerSkipping {}
for (const part of [LexerDefines, LexerSkipping]) {
  for (const key of Object.getOwnPropertyNames(part.prototype)) {
    if (key !== 'constructor')
      Object.defineProperty(Lexer.prototype, key, Object.getOwnPropertyDescriptor(part.prototype, key)!);
  }
}

export const mk = token;

/** The length of a UTF-8 byte order mark at the start of a file (read as Latin-1 bytes or decoded),
 *  which gcc skips. */
function bomLength(src: string): number {
  if (src.charCodeAt(0) === 0xfeff) return 1;
  return src.startsWith('\u00ef\u00bb\u00bf') ? 3 : 0;
}

function isDigit(c: number): boolean {
  return c >= Ch.Digit0 && c <= Ch.Digit9;
}
