// C lexer (translation phases 1-3): splits a file into preprocessing tokens, removing line splices
// and comments. Comments are kept on the side (per file, in order) because layoutof reports them
// next to members. One pass over char codes; the slow path only where a backslash-newline occurs.

import type { SourceFile } from '../core/source.js';
import { F_BOL, F_SPACE, TK, type Token } from './token.js';

export interface Comment {
  /** Byte offsets of the comment including its delimiters. */
  readonly start: number;
  readonly end: number;
  /** Offsets of the text between the delimiters (read it with commentText). */
  readonly innerStart: number;
  readonly innerEnd: number;
  readonly block: boolean;
}

/** A comment's text between its delimiters, line splices removed. Computed only when asked for. */
export function commentText(src: string, c: Comment): string {
  const raw = src.slice(c.innerStart, c.innerEnd);
  const t = raw.includes('\\') ? raw.replace(/\\[ \t]*\r?\n/g, '') : raw;
  return c.block ? t : t.replace(/\r$/, '');
}

export interface LexResult {
  readonly tokens: Token[];
  readonly comments: Comment[];
  /** Problems such as an unterminated comment, with positions. */
  readonly errors: { pos: number; message: string }[];
}

// Punctuators, longest first within each leading character.
const PUNCTS = [
  '%:%:', '...', '<<=', '>>=', '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||',
  '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##', '<:', ':>', '<%', '%>', '%:',
];
const PUNCT_BY_CHAR: Map<number, string[]> = new Map();
for (const p of PUNCTS) {
  const c = p.charCodeAt(0);
  if (!PUNCT_BY_CHAR.has(c)) PUNCT_BY_CHAR.set(c, []);
  PUNCT_BY_CHAR.get(c)!.push(p);
}
const DIGRAPHS: Record<string, string> = { '<:': '[', ':>': ']', '<%': '{', '%>': '}', '%:': '#', '%:%:': '##' };

const IDENT_START = new Uint8Array(256);
const IDENT_CONT = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const isAlpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c >= 128;
  IDENT_START[c] = isAlpha ? 1 : 0;
  IDENT_CONT[c] = isAlpha || (c >= 48 && c <= 57) ? 1 : 0;
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
export class Lexer {
  readonly comments: Comment[] = [];
  readonly errors: { pos: number; message: string }[] = [];
  private readonly src: string;
  private readonly n: number;
  private readonly fid: number;
  private i = 0;
  private flags = F_BOL;
  /** The first token of the next line, lexed while finding the end of the current one. */
  private pending: Token | undefined;
  /** EOF has been returned. */
  done = false;

  constructor(file: SourceFile) {
    this.src = file.text;
    this.n = this.src.length;
    this.fid = file.id;
  }

  /** Appends the tokens of the next line (up to the next token that starts a line) to `out`;
   *  false once the EOF token has been appended. */
  line(out: Token[]): boolean {
    if (this.done) return false;
    let t = this.pending;
    this.pending = undefined;
    if (t === undefined) t = this.next();
    for (;;) {
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
    }
  }

  /** Skips text up to the next line whose first token is '#' (or EOF), making no tokens; comments
   *  are still recorded. The rest of the current line must have been consumed. */
  skipToDirective(): void {
    const p = this.pending;
    if (p !== undefined) {
      if (p.kind === TK.EOF || (p.kind === TK.Punct && p.text === '#')) return;
      this.pending = undefined;
    }
    const src = this.src;
    const n = this.n;
    let i = this.i;
    let bol = false;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === 10) {
        bol = true;
        i++;
      } else if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) i++;
      else if (c === 92 && this.splice(i) !== i) i = this.splice(i);
      else if (c === 47 && (src.charCodeAt(this.spliced(i + 1)) === 42 || src.charCodeAt(this.spliced(i + 1)) === 47)) {
        this.i = i;
        this.comment();
        i = this.i;
      } else if (bol && (c === 35 || (c === 37 && src.charCodeAt(this.spliced(i + 1)) === 58))) {
        break;
      } else if (c === 34 || c === 39) {
        // A literal: to its closing quote or the end of the line (an unterminated one only warns).
        i++;
        while (i < n) {
          const e = src.charCodeAt(i);
          if (e === c) {
            i++;
            break;
          }
          if (e === 10) break;
          if (e === 92) {
            const s = this.splice(i);
            i = s !== i ? s : i + 2;
            continue;
          }
          i++;
        }
        bol = false;
      } else {
        i++;
        bol = false;
      }
    }
    this.i = i;
    this.flags = F_BOL;
  }

  // Skip a backslash-newline (or backslash-CR-LF) at j; returns the new index.
  private splice(j: number): number {
    const src = this.src;
    while (src.charCodeAt(j) === 92) {
      let k = j + 1;
      // gcc allows whitespace between the backslash and the newline (with a warning).
      while (src.charCodeAt(k) === 32 || src.charCodeAt(k) === 9) k++;
      if (src.charCodeAt(k) === 13) k++;
      if (src.charCodeAt(k) === 10) j = k + 1;
      else break;
    }
    return j;
  }
  // Char code at j after splices (callers pass j already spliced).
  private spliced(j: number): number {
    return this.src.charCodeAt(j) === 92 ? this.splice(j) : j;
  }

  /** At '/': records a comment if one starts here (advancing past it); false if it is not one. */
  private comment(): boolean {
    const src = this.src;
    const n = this.n;
    const start = this.i;
    const j = this.spliced(start + 1);
    const d = src.charCodeAt(j);
    if (d === 42) {
      let k = j + 1;
      const innerStart = k;
      let innerEnd = -1;
      while (k < n) {
        const e = src.charCodeAt(k);
        if (e === 42) {
          const m = this.spliced(k + 1);
          if (src.charCodeAt(m) === 47) {
            innerEnd = k;
            k = m + 1;
            break;
          }
          k++;
        } else k++;
      }
      if (innerEnd < 0) {
        this.errors.push({ pos: start, message: 'unterminated comment' });
        innerEnd = n;
        k = n;
      }
      this.comments.push({ start, end: k, innerStart, innerEnd, block: true });
      this.i = k;
      return true;
    }
    if (d === 47) {
      let k = j + 1;
      const innerStart = k;
      while (k < n) {
        const e = src.charCodeAt(k);
        if (e === 10) break;
        if (e === 92 && this.splice(k) !== k) {
          k = this.splice(k);
          continue;
        }
        k++;
      }
      this.comments.push({ start, end: k, innerStart, innerEnd: k, block: false });
      this.i = k;
      return true;
    }
    return false;
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
      if (c === 10) {
        i++;
        flags = F_BOL;
        continue;
      }
      if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
        i++;
        flags |= F_SPACE;
        continue;
      }
      if (c === 92) {
        const j = this.splice(i);
        if (j !== i) {
          i = j;
          continue;
        }
      }
      const start = i;
      // Comments.
      if (c === 47) {
        this.i = i;
        if (this.comment()) {
          i = this.i;
          flags |= F_SPACE;
          continue;
        }
      }
      let tok: Token;
      // Identifiers (with an optional string/char prefix check).
      if (c < 256 ? IDENT_START[c] : 1) {
        let k = i + 1;
        let slow = false;
        for (;;) {
          const e = src.charCodeAt(k);
          if (e < 256 ? IDENT_CONT[e] : e === e) k++;
          else if (e === 92 && this.splice(k) !== k) {
            slow = true;
            k = this.splice(k);
          } else break;
        }
        const text = slow ? removeSplices(src.slice(i, k)) : src.slice(i, k);
        const next = src.charCodeAt(this.spliced(k));
        if ((next === 34 || next === 39) && (text === 'L' || text === 'u' || text === 'U' || text === 'u8')) {
          // (u8 character constants are C23; gcc 12 in C11 mode reads an identifier u8, then a char.)
          const r = this.quoted(this.spliced(k), next);
          tok = mk(next === 34 ? TK.String : TK.Char, text + r, fid, start, flags);
        } else {
          tok = { kind: TK.Ident, text, file: fid, pos: start, flags, hideset: undefined, site: undefined, cond: undefined };
          this.i = k;
        }
        this.flags = 0;
        return tok;
      }
      // Numbers: pp-number = digit | . digit, then [0-9a-zA-Z_.] or [eEpP][+-].
      if ((c >= 48 && c <= 57) || (c === 46 && isDigit(src.charCodeAt(this.spliced(i + 1))))) {
        let k = i + 1;
        let slow = false;
        for (;;) {
          let e = src.charCodeAt(k);
          if (e === 92 && this.splice(k) !== k) {
            slow = true;
            k = this.splice(k);
            e = src.charCodeAt(k);
          }
          if (e === 43 || e === 45) {
            const p = src.charCodeAt(k - 1);
            if (p === 101 || p === 69 || p === 112 || p === 80) {
              k++;
              continue;
            }
            break;
          }
          // (C23 digit separators are not C11: a quote stops the number.)
          if (e === 39) break;
          if (e < 256 ? IDENT_CONT[e] || e === 46 : false) k++;
          else break;
        }
        const text = slow ? removeSplices(src.slice(i, k)) : src.slice(i, k);
        this.i = k;
        this.flags = 0;
        return { kind: TK.Number, text, file: fid, pos: start, flags, hideset: undefined, site: undefined, cond: undefined };
      }
      if (c === 34 || c === 39) {
        const r = this.quoted(i, c);
        this.flags = 0;
        return mk(c === 34 ? TK.String : TK.Char, r, fid, start, flags);
      }
      // Punctuators.
      const cands = PUNCT_BY_CHAR.get(c);
      if (cands) {
        for (const p of cands) {
          let k = i;
          let ok = true;
          for (let q = 0; q < p.length; q++) {
            k = q === 0 ? k : this.spliced(k);
            if (src.charCodeAt(k) !== p.charCodeAt(q)) {
              ok = false;
              break;
            }
            k++;
          }
          if (ok) {
            this.i = k;
            this.flags = 0;
            return mk(TK.Punct, DIGRAPHS[p] ?? p, fid, start, flags);
          }
        }
      }
      const ch = src[i]!;
      this.i = i + 1;
      this.flags = 0;
      return mk('[](){}.&*+-~!/%<>^|?:;=,#'.includes(ch) ? TK.Punct : TK.Other, ch, fid, start, flags);
    }
    this.i = n;
    this.flags = F_BOL;
    return mk(TK.EOF, '', fid, n, F_BOL);
  }

  /** A string or character literal starting at q0; sets this.i after it and returns its spelling. */
  private quoted(q0: number, quote: number): string {
    const src = this.src;
    const n = this.n;
    let k = q0 + 1;
    let slow = false;
    while (k < n) {
      const e = src.charCodeAt(k);
      if (e === quote) {
        k++;
        const raw = src.slice(q0, k);
        this.i = k;
        return slow ? removeSplices(raw) : raw;
      }
      if (e === 10) break;
      if (e === 92) {
        const s = this.splice(k);
        if (s !== k) {
          slow = true;
          k = s;
          continue;
        }
        k += 2;
        continue;
      }
      k++;
    }
    this.errors.push({ pos: q0, message: `missing terminating ${String.fromCharCode(quote)} character` });
    const e = Math.min(k, n);
    const raw = src.slice(q0, e);
    this.i = e;
    return slow ? removeSplices(raw) : raw;
  }
}

/** Every token is created here, with all fields present, so V8 gives them one shape. */
export function mk(kind: TK, text: string, file: number, pos: number, flags: number): Token {
  return { kind, text, file, pos, flags, hideset: undefined, site: undefined, cond: undefined };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function removeSplices(s: string): string {
  return s.replace(/\\[ \t]*\r?\n/g, '');
}
