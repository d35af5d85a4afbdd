// Text stepped over without making tokens: a false #if group up to its next directive
// (skipToDirective), and a function body's text that cannot matter (bodyToken, the lexer's part of
// the function-body accelerator in bodies.ts). Methods of Lexer (lexer.ts).

import { Ch, IDENT_CONT, IDENT_START, NAME_HASH_MASK, type NameFilter } from './chars.js';
import type { Lexer } from './lexer.js';
import { F_BOL, F_SPACE, TK, type Token } from './token.js';

// Characters that start no bracket, digraph, comment, literal, identifier, number or directive: a
// function body's text steps over them (Lexer.bodyToken).
const BODY_PLAIN = new Uint8Array(128);
for (const ch of '!&*+,-.;=>?@^|~`') BODY_PLAIN[ch.charCodeAt(0)] = 1;
const BRACKETS = new Set(['(', ')', '[', ']', '{', '}']);

export class LexerSkipping {
  /** Skips text up to the next line whose first token is '#' (or EOF), making no tokens; comments
   *  are still recorded. The rest of the current line must have been consumed. */
  skipToDirective(this: Lexer): void {
    const p = this.pending;
    if (p !== undefined) {
      if (p.kind === TK.EOF || (p.kind === TK.Punct && p.text === '#' && p.flags & F_BOL)) return;
      this.pending = undefined;
    }
    const src = this.src;
    const n = this.n;
    let i = this.i;
    let bol = false;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === Ch.Newline) {
        bol = true;
        i++;
      } else if (
        c === Ch.Space ||
        c === Ch.Tab ||
        c === Ch.Return ||
        c === Ch.FormFeed ||
        c === Ch.VTab ||
        c === Ch.Nul
      )
        i++;
      else if (c === Ch.Backslash && this.splice(i) !== i) i = this.splice(i);
      else if (
        c === Ch.Slash &&
        (this.at(this.spliced(i + 1)) === Ch.Star || this.at(this.spliced(i + 1)) === Ch.Slash)
      ) {
        this.i = i;
        this.comment();
        i = this.i;
      } else if (bol && (c === Ch.Hash || (c === Ch.Percent && this.at(this.spliced(i + 1)) === Ch.Colon))) {
        break;
      } else if (c === Ch.DoubleQuote || c === Ch.Quote) {
        // A literal: to its closing quote or the end of the line (an unterminated one only warns).
        i++;
        while (i < n) {
          const e = src.charCodeAt(i);
          if (e === c) {
            i++;
            break;
          }
          if (e === Ch.Newline) break;
          if (e === Ch.Backslash) {
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

  /** Function-body mode. Inside a function body at file scope only brackets (the parser matches
   *  them), directives and macro names (an expansion may hold braces) can matter, so text is stepped
   *  over making no tokens for comments, literals, numbers, plain punctuation and identifiers that
   *  `names` surely does not hold (see NameFilter). Appends the first token that may matter, lexed
   *  as usual (all of a directive line's), or EOF; comments and unterminated literals are recorded as
   *  in line(). The rest of the current line must have been consumed. */
  bodyToken(this: Lexer, out: Token[], names: NameFilter): void {
    const p = this.pending;
    if (p !== undefined) {
      if (p.kind === TK.EOF || (p.kind === TK.Punct && p.text === '#' && p.flags & F_BOL)) {
        this.line(out);
        return;
      }
      this.pending = undefined;
      if ((p.kind === TK.Punct && BRACKETS.has(p.text)) || (p.kind === TK.Ident && names.has(p.hash!))) {
        out.push(p);
        return;
      }
    }
    const src = this.src;
    const n = this.n;
    let i = this.i;
    let flags = this.flags;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === Ch.Newline) {
        flags = F_BOL;
        i++;
      } else if (c === Ch.Space || c === Ch.Tab || c === Ch.Return || c === Ch.FormFeed || c === Ch.VTab) {
        flags |= F_SPACE;
        i++;
      } else if (c < Ch.NonAscii && BODY_PLAIN[c]) {
        flags &= ~F_BOL;
        i++;
      } else if (c === Ch.Slash) {
        this.i = i;
        if (this.comment()) {
          i = this.i;
          flags |= F_SPACE;
        } else {
          flags &= ~F_BOL;
          i++;
        }
      } else if (c === Ch.DoubleQuote || c === Ch.Quote) {
        this.quoted(i, c);
        i = this.i;
        flags &= ~F_BOL;
      } else if (c < Ch.NonAscii && IDENT_START[c]) {
        let k = i + 1;
        let h = c; // (ASCII here, as nameHash starts)
        for (;;) {
          const e = k < n ? src.charCodeAt(k) : -1;
          if (e < Ch.NonAscii && IDENT_CONT[e]) {
            h = (h * 31 + e) & NAME_HASH_MASK;
            k++;
          } else break;
        }
        const e = this.at(k);
        // A literal's prefix (L"", u8''), a splice or a non-ASCII character: lexed as usual.
        if (e === Ch.DoubleQuote || e === Ch.Quote || e === Ch.Backslash || e >= Ch.NonAscii || names.has(h)) break;
        i = k;
        flags &= ~F_BOL;
      } else if (c >= Ch.Digit0 && c <= Ch.Digit9) {
        // A pp-number (0x1f, 1e+5): its letters are no identifier.
        let k = i + 1;
        for (;;) {
          const e = k < n ? src.charCodeAt(k) : -1;
          if (e < Ch.NonAscii && (IDENT_CONT[e] || e === Ch.Dot)) k++;
          else if (e === Ch.Plus || e === Ch.Minus) {
            const q = src.charCodeAt(k - 1);
            if (q === Ch.LowerE || q === Ch.UpperE || q === Ch.LowerP || q === Ch.UpperP) k++;
            else break;
          } else break;
        }
        if (this.at(k) === Ch.Backslash) break;
        i = k;
        flags &= ~F_BOL;
      } else if (c === Ch.Hash && !(flags & F_BOL)) {
        i++; // a stray '#' (a directive's is the first on its line)
      } else break; // brackets, digraphs, directives, splices, the rare: lexed as usual
    }
    this.i = i;
    this.flags = flags;
    const t = this.next();
    if (t.kind === TK.EOF || (t.kind === TK.Punct && t.text === '#' && t.flags & F_BOL)) {
      this.pending = t;
      this.line(out);
    } else out.push(t);
  }
}
