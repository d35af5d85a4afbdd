// Text stepped over without making tokens: a false #if group up to its next directive
// (skipToDirective), and a function body's text that cannot matter (bodyToken, the lexer's part of
// the function-body accelerator in bodies.ts). Methods of Lexer (lexer.ts), built on scan.ts's steps.

import { Ch, IDENT_START, type NameFilter } from './chars.js';
import type { Lexer } from './lexer.js';
import { F_BOL, F_SPACE, TK, type Token } from './token.js';

// Characters that start no bracket, digraph, comment, literal, identifier, number or directive: a
// function body's text steps over them (Lexer.bodyToken).
const BODY_PLAIN = new Uint8Array(128);
for (const ch of '!&*+,-.;=>?@^|~`') BODY_PLAIN[ch.charCodeAt(0)] = 1;
const BRACKETS = new Set(['(', ')', '[', ']', '{', '}']);

/** Whether `t` ends a stretch of skipped text: a directive's '#' or the end of the file. */
function directiveOrEof(t: Token): boolean {
  return t.kind === TK.EOF || (t.kind === TK.Punct && t.text === '#' && (t.flags & F_BOL) !== 0);
}

export class LexerSkipping {
  /** Skips text up to the next line whose first token is '#' (or EOF), making no tokens; comments
   *  are still recorded. The rest of the current line must have been consumed. */
  skipToDirective(this: Lexer): void {
    const p = this.pending;
    if (p !== undefined) {
      if (directiveOrEof(p)) return;
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
        continue;
      }
      // (Null characters too, with no warning in a skipped group.)
      if (c === Ch.Space || c === Ch.Tab || c === Ch.Return || c === Ch.FormFeed || c === Ch.VTab || c === Ch.Nul) {
        i++;
        continue;
      }
      // A splice or a comment is blank as well.
      const j = c === Ch.Backslash ? this.splice(i) : c === Ch.Slash ? this.commentEnd(i) : i;
      if (j !== i) {
        i = j;
        continue;
      }
      if (bol && (c === Ch.Hash || (c === Ch.Percent && this.at(this.spliced(i + 1)) === Ch.Colon))) break;
      // (An unterminated literal only warns, and not in a skipped group.)
      i = c === Ch.DoubleQuote || c === Ch.Quote ? this.literalEnd(i, c, false) : i + 1;
      bol = false;
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
      if (directiveOrEof(p)) {
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
        const j = this.commentEnd(i);
        if (j !== i) {
          i = j;
          flags |= F_SPACE;
        } else {
          i++;
          flags &= ~F_BOL;
        }
      } else if (c === Ch.DoubleQuote || c === Ch.Quote) {
        i = this.literalEnd(i, c, true);
        flags &= ~F_BOL;
      } else if (c < Ch.NonAscii && IDENT_START[c]) {
        // (A literal's prefix (L"", u8''), a splice or a non-ASCII character: lexed as usual.)
        const k = this.plainIdentEnd(i);
        if (k < 0 || names.has(this.identHash)) break;
        i = k;
        flags &= ~F_BOL;
      } else if (c >= Ch.Digit0 && c <= Ch.Digit9) {
        // A pp-number (0x1f, 1e+5): its letters are no identifier.
        const k = this.plainNumberEnd(i);
        if (k < 0) break;
        i = k;
        flags &= ~F_BOL;
      } else if (c === Ch.Hash && !(flags & F_BOL)) {
        i++; // a stray '#' (a directive's is the first on its line)
      } else break; // brackets, digraphs, directives, splices, the rare: lexed as usual
    }
    this.i = i;
    this.flags = flags;
    const t = this.next();
    if (directiveOrEof(t)) {
      this.pending = t;
      this.line(out);
    } else out.push(t);
  }
}
