// The text-reading steps that every scanner of the lexer shares: Lexer.next (tokens), skip.ts (false
// #if groups, function bodies) and defines.ts (#define lines) all step over splices, comments,
// literals, blanks, plain identifiers and numbers here. Each step takes a position and returns the
// position past what it read (the same position when nothing there is its kind). Lexer.next's hot
// loop keeps its own inline tests for blanks, identifiers and numbers (V8 inlines no calls in a source
// unit's run, see preferQuickCompiles), and calls these for the rest.

import type { SourceFile } from '../core/source.js';
import { Ch, IDENT_CONT, IDENT_START, NAME_HASH_MASK } from './chars.js';
import { CommentList } from './comments.js';
import { F_BOL } from './token.js';

/** A problem the lexer found: a warning unless `error`. */
export interface LexError {
  readonly pos: number;
  readonly message: string;
  readonly error?: boolean;
}

/** The state of reading one file (the Lexer's, which extends it) and the shared steps. */
export class Scanner {
  readonly comments = new CommentList();
  readonly errors: LexError[] = [];
  readonly src: string;
  readonly n: number;
  readonly fid: number;
  i = 0;
  flags = F_BOL;
  /** The hash of the identifier plainIdentEnd last read, as Lexer.next computes it. */
  identHash = 0;

  constructor(file: SourceFile) {
    this.src = file.text;
    this.n = this.src.length;
    this.fid = file.id;
  }

  /** The character code at j, or -1 past the end (a read past a string's end would deoptimise the
   *  lexer's compiled code each time it first happens at a new place). */
  at(j: number): number {
    return j < this.n ? this.src.charCodeAt(j) : -1;
  }

  /** Past the backslash-newlines (or backslash-CR-LF) at j. */
  splice(j: number): number {
    while (this.at(j) === Ch.Backslash) {
      let k = j + 1;
      // gcc allows whitespace between the backslash and the newline (with a warning).
      while (this.at(k) === Ch.Space || this.at(k) === Ch.Tab) k++;
      if (this.at(k) === Ch.Return) k++;
      if (this.at(k) === Ch.Newline) j = k + 1;
      else break;
    }
    return j;
  }

  /** Like splice, for a j that is most often no backslash (a call saved). */
  spliced(j: number): number {
    return this.at(j) === Ch.Backslash ? this.splice(j) : j;
  }

  /** Past a run of null characters at j: whitespace, with a warning, as gcc reads them. */
  nulls(j: number): number {
    const start = j;
    while (j < this.n && this.src.charCodeAt(j) === Ch.Nul) j++;
    this.errors.push({ pos: start, message: 'null character(s) ignored' });
    return j;
  }

  /** Past the spaces and tabs from j. */
  blanks(j: number): number {
    const src = this.src;
    const n = this.n;
    for (; j < n; j++) {
      const c = src.charCodeAt(j);
      if (c !== Ch.Space && c !== Ch.Tab) break;
    }
    return j;
  }

  /** Past the comment at `start` (a '/'), which is recorded; `start` when none starts there. */
  commentEnd(start: number): number {
    const src = this.src;
    const n = this.n;
    const j = this.spliced(start + 1);
    const d = this.at(j);
    if (d === Ch.Star) {
      // Each '*' found by indexOf (headers are largely comments: a loop over every character of
      // them is slow before V8 has optimised it).
      let k = j + 1;
      const innerStart = k;
      let innerEnd = -1;
      for (;;) {
        k = src.indexOf('*', k);
        if (k < 0) break;
        const m = this.spliced(k + 1);
        if (this.at(m) === Ch.Slash) {
          innerEnd = k;
          k = m + 1;
          break;
        }
        k++;
      }
      if (innerEnd < 0) {
        this.errors.push({ pos: start, message: 'unterminated comment' });
        innerEnd = n;
        k = n;
      }
      this.comments.push(start, k, innerStart, innerEnd, true);
      return k;
    }
    if (d === Ch.Slash) {
      const innerStart = j + 1;
      const k = this.lineEnd(innerStart);
      this.comments.push(start, k, innerStart, k, false);
      return k;
    }
    return start;
  }

  /** The end of the line from j (its newline, or the end of the text), past splices. */
  lineEnd(j: number): number {
    const src = this.src;
    const n = this.n;
    // At once unless the line ends in a splice (a backslash, then only blanks).
    const nl = src.indexOf('\n', j);
    if (nl < 0) return n;
    let b = nl - 1;
    while (
      b >= j &&
      (src.charCodeAt(b) === Ch.Space || src.charCodeAt(b) === Ch.Tab || src.charCodeAt(b) === Ch.Return)
    )
      b--;
    if (b < j || src.charCodeAt(b) !== Ch.Backslash) return nl;
    while (j < n) {
      const e = src.charCodeAt(j);
      if (e === Ch.Newline) break;
      if (e === Ch.Backslash) {
        const s = this.splice(j);
        if (s !== j) {
          j = s;
          continue;
        }
      }
      j++;
    }
    return j;
  }

  /** Past the string or character literal that `quote` opens at q0: past its closing quote, or at
   *  its line's end when there is none (then reported when `warn`). */
  literalEnd(q0: number, quote: number, warn: boolean): number {
    const src = this.src;
    const n = this.n;
    let k = q0 + 1;
    while (k < n) {
      const e = src.charCodeAt(k);
      if (e === quote) return k + 1;
      if (e === Ch.Newline) break;
      if (e === Ch.Backslash) {
        // A splice, or an escape (whose second character cannot close the literal).
        const s = this.splice(k);
        k = s !== k ? s : k + 2;
      } else k++;
    }
    if (warn) this.errors.push({ pos: q0, message: `missing terminating ${String.fromCharCode(quote)} character` });
    return Math.min(k, n);
  }

  /** The spelling of the literal at q0 (see literalEnd); this.i is set past it. */
  quoted(q0: number, quote: number): string {
    const end = this.literalEnd(q0, quote, true);
    this.i = end;
    const raw = this.src.slice(q0, end);
    // A literal stops at an unspliced newline: any newline in it is a splice's.
    return raw.includes('\n') ? removeSplices(raw) : raw;
  }

  /** The end of an identifier of ASCII characters at j (its hash in identHash), or -1 when there is
   *  none or it goes on past a splice, a non-ASCII character or a quote (L"x" is a literal). */
  plainIdentEnd(j: number): number {
    const c = this.at(j);
    if (c < 0 || c >= Ch.NonAscii || !IDENT_START[c]) return -1;
    let h = c;
    const src = this.src;
    const n = this.n;
    for (j++; j < n; j++) {
      const e = src.charCodeAt(j);
      if (e >= Ch.NonAscii || !IDENT_CONT[e]) break;
      h = (h * 31 + e) & NAME_HASH_MASK;
    }
    const e = this.at(j);
    if (e >= Ch.NonAscii || e === Ch.Backslash || e === Ch.DoubleQuote || e === Ch.Quote) return -1;
    this.identHash = h;
    return j;
  }

  /** The end of the pp-number (0x1f, 1e+5) that the digit at j starts, or -1 when it goes on past a
   *  splice. */
  plainNumberEnd(j: number): number {
    const src = this.src;
    const n = this.n;
    let k = j + 1;
    for (;;) {
      const e = k < n ? src.charCodeAt(k) : -1;
      if (e < Ch.NonAscii && (IDENT_CONT[e] || e === Ch.Dot)) k++;
      else if (e === Ch.Plus || e === Ch.Minus) {
        const q = src.charCodeAt(k - 1);
        if (q === Ch.LowerE || q === Ch.UpperE || q === Ch.LowerP || q === Ch.UpperP) k++;
        else break;
      } else break;
    }
    return this.at(k) === Ch.Backslash ? -1 : k;
  }
}

export function removeSplices(s: string): string {
  return s.replace(/\\[ \t]*\r?\n/g, '');
}
