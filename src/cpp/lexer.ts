// C lexer (translation phases 1-3): splits a file into preprocessing tokens, removing line splices
// and comments. Comments are kept on the side (per file, in order) because layoutof reports them
// next to members. One pass over char codes; the slow path only where a backslash-newline occurs.

import type { SourceFile } from '../core/source.js';
import { F_BOL, F_SPACE, TK, token, type Token } from './token.js';

export interface Comment {
  /** Byte offsets of the comment including its delimiters. */
  readonly start: number;
  readonly end: number;
  /** Offsets of the text between the delimiters (read it with commentText). */
  readonly innerStart: number;
  readonly innerEnd: number;
  readonly block: boolean;
}

const NO_COMMENTS = new Int32Array(0);

/** A file's comments in order, five integers each in one typed array (a kernel unit keeps 18,000:
 *  as objects, the garbage collector copied every one out of the young generation). */
export class CommentList {
  // (Made at the first comment: a typed array costs to make, and a #define body's lexer keeps none.)
  private data = NO_COMMENTS;
  length = 0;
  push(start: number, end: number, innerStart: number, innerEnd: number, block: boolean): void {
    let d = this.data;
    if (5 * this.length === d.length) {
      const bigger = new Int32Array(d.length === 0 ? 5 * 16 : d.length * 2);
      bigger.set(d);
      this.data = d = bigger;
    }
    const o = 5 * this.length++;
    d[o] = start;
    d[o + 1] = end;
    d[o + 2] = innerStart;
    d[o + 3] = innerEnd;
    d[o + 4] = block ? 1 : 0;
  }
  /** Where comment i starts (its '/'). */
  start(i: number): number {
    return this.data[5 * i]!;
  }
  /** Comment i, or undefined past either end. */
  get(i: number): Comment | undefined {
    if (i < 0 || i >= this.length) return undefined;
    const d = this.data;
    const o = 5 * i;
    return { start: d[o]!, end: d[o + 1]!, innerStart: d[o + 2]!, innerEnd: d[o + 3]!, block: d[o + 4] === 1 };
  }
  toArray(): Comment[] {
    return Array.from({ length: this.length }, (_, i) => this.get(i)!);
  }
}

/** A comment's text between its delimiters, line splices removed. Computed only when asked for. */
export function commentText(src: string, c: Comment): string {
  const raw = src.slice(c.innerStart, c.innerEnd);
  const t = raw.includes('\\') ? raw.replace(/\\[ \t]*\r?\n/g, '') : raw;
  return c.block ? t : t.replace(/\r$/, '');
}

export interface LexResult {
  readonly tokens: Token[];
  readonly comments: CommentList;
  /** Problems such as an unterminated comment, with positions. */
  readonly errors: { pos: number; message: string }[];
}

/** The single characters that are punctuators (the rest, such as '@' or '`', are TK.Other). */
const PUNCT_1_CODES = new Uint8Array(128);
for (const ch of '[](){}.&*+-~!/%<>^|?:;=,#') PUNCT_1_CODES[ch.charCodeAt(0)] = 1;
/** By character code, the punctuators that begin no longer punctuator (their spelling), else undefined. */
const LONE_PUNCT: (string | undefined)[] = new Array<string | undefined>(128).fill(undefined);
for (const ch of '()[]{};,?~') LONE_PUNCT[ch.charCodeAt(0)] = ch;
const DIGRAPHS: Record<string, string> = { '<:': '[', ':>': ']', '<%': '{', '%>': '}', '%:': '#', '%:%:': '##' };

const IDENT_START = new Uint8Array(256);
const IDENT_CONT = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const isAlpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c >= 128;
  IDENT_START[c] = isAlpha ? 1 : 0;
  IDENT_CONT[c] = isAlpha || (c >= 48 && c <= 57) ? 1 : 0;
}

// Characters that start no bracket, digraph, comment, literal, identifier, number or directive: a
// function body's text steps over them (Lexer.bodyToken).
const BODY_PLAIN = new Uint8Array(128);
for (const ch of '!&*+,-.;=>?@^|~`') BODY_PLAIN[ch.charCodeAt(0)] = 1;
const BRACKETS = new Set(['(', ')', '[', ']', '{', '}']);
// What a #define body's text is scanned for (Lexer.defineLine): the line's end, splices, comments,
// literals, braces and the digraphs' first characters.
const DEFINE_STOPS = /[\n\\/"'{}<%]/g;

/** A conservative set of identifiers (the names ever defined as macros): a bit per hash of the
 *  spelling, the hash the lexer computes while scanning (h = h * 31 + c). A hit may be a collision;
 *  a miss is certain, so a body's identifier that misses needs no token. */
export const NAME_HASH_MASK = 0xfffff;
export class NameFilter {
  private readonly bits = new Uint8Array((NAME_HASH_MASK + 1) >> 3);
  /** `hash`: the lexer's hash of the name when known (a token's), else computed here. */
  add(name: string, hash?: number): void {
    const h = hash ?? nameHash(name);
    this.bits[h >> 3]! |= 1 << (h & 7);
  }
  has(h: number): boolean {
    return (this.bits[h >> 3]! & (1 << (h & 7))) !== 0;
  }
}

function nameHash(name: string): number {
  let h = name.charCodeAt(0) & NAME_HASH_MASK;
  for (let k = 1; k < name.length; k++) h = (h * 31 + name.charCodeAt(k)) & NAME_HASH_MASK;
  return h & NAME_HASH_MASK;
}

/** A #define line read as text (Lexer.plainDefine): the line's '#' token, the macro's name and its
 *  lexer hash, where `define` is spelled, and for a function-like macro its parameters. */
export interface PlainDefine {
  readonly hashToken: Token;
  readonly name: string;
  readonly nameHash: number;
  readonly pos: number;
  readonly params: string[] | undefined;
  readonly variadic: string | undefined;
}

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
export class Lexer {
  readonly comments = new CommentList();
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
  /** With `lazyDefines`: where the body of the #define line that line() just returned lies (its
   *  tokens were not made; lexDefineBody makes them when the macro is first used). */
  defineBody: { start: number; end: number; braces: number } | undefined;
  /** With `lazyDefines` and `plainDefines`: the #define line that line() just returned as its '#'
   *  alone, read as text (see plainDefine); its body is in defineBody. */
  plain: PlainDefine | undefined;

  /** `start`: lex from this offset (mid-line) instead of the file's beginning (a file's own lexer,
  *  with lazyDefines, skips a byte order mark there). `lazyDefines`: a
   *  #define line comes out without its body's tokens (most macros are never used). `plainDefines`
   *  (with lazyDefines): a #define line spelled plainly is read as text, making no tokens at all (see
   *  plainDefine). */
  constructor(file: SourceFile, start = 0, private readonly lazyDefines = false, private readonly plainDefines = lazyDefines) {
    this.src = file.text;
    this.n = this.src.length;
    this.fid = file.id;
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
    if (this.lazyDefines) {
      this.defineBody = undefined;
      this.plain = undefined;
      if (t.kind === TK.Punct && t.text === '#') {
        const r = this.defineLine(t, out);
        if (r === undefined) return true;
        t = r;
      }
    }
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

  /** At a line's '#' (appended): for `#define NAME` or `#define NAME(params)`, appends those
   *  tokens, steps over the body as text into defineBody (recording its comments and literal errors
   *  as lexing would) and returns undefined: the line is done. Otherwise returns the next token for
   *  line() to go on with (undefined too if the line ended). */
  private defineLine(hash: Token, out: Token[]): Token | undefined {
    out.push(hash);
    if (this.plainDefines && this.plainDefine(hash)) return undefined;
    const d = this.next();
    if (d.kind !== TK.Ident || d.flags & F_BOL || d.text !== 'define') return this.goOn(d);
    out.push(d);
    const name = this.next();
    if (name.kind !== TK.Ident || name.flags & F_BOL) return this.goOn(name);
    out.push(name);
    const src = this.src;
    const c = this.at(this.i);
    if (c === 92) return this.goOn(this.next()); // a splice (NAME\<newline>( is function-like): as usual
    if (c === 40) {
      for (;;) {
        const p = this.next();
        if (p.kind === TK.EOF || p.flags & F_BOL) return this.goOn(p);
        out.push(p);
        if (p.kind === TK.Punct && p.text === ')') break;
      }
    }
    this.defineBodyFrom(this.i);
    return undefined;
  }

  /** Steps over a #define's body from `start` to its line's end as text into defineBody (recording
   *  its comments and literal errors as lexing would); pending is the next line's first token. */
  private defineBodyFrom(start: number): void {
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
      if (e === 10) break;
      if (e === 92) {
        const j = this.splice(i);
        i = j !== i ? j : i + 1;
      } else if (e === 47) {
        this.i = i;
        i = this.comment() ? this.i : i + 1;
      } else if (e === 34 || e === 39) {
        this.quoted(i, e);
        i = this.i;
      } else {
        if (e === 123) braces++;
        else if (e === 125) braces--;
        else if (e === 60 || e === 37) {
          // The digraphs <% and %> are braces too.
          const j = this.spliced(i + 1);
          const f = this.at(j);
          if (e === 60 && f === 37) {
            braces++;
            i = j;
          } else if (e === 37 && f === 62) {
            braces--;
            i = j;
          }
        }
        i++;
      }
    }
    this.defineBody = { start, end: i, braces };
    this.i = i;
    this.flags = F_BOL;
    this.pending = this.next();
  }

  /** After a line's '#': `define NAME` or `define NAME(a, b, ...)`, spelled with blanks only (no
   *  comment, splice, non-ASCII name or other oddity, which lexing as usual handles), read as text
   *  into `plain`, its body stepped over: no tokens for a directive line that most often defines a
   *  macro never used (a kernel unit has 22,000). False, with nothing consumed, for any other line. */
  private plainDefine(hashToken: Token): boolean {
    const src = this.src;
    let i = this.blanks(this.i);
    if (!src.startsWith('define', i)) return false;
    const pos = i;
    i += 6;
    const c = this.at(i);
    if (c !== 32 && c !== 9) return false;
    i = this.blanks(i);
    const nameEnd = this.plainIdent(i);
    if (nameEnd < 0) return false;
    const name = src.slice(i, nameEnd);
    if (name === 'defined') return false;
    const nameHash0 = this.identHash;
    i = nameEnd;
    let params: string[] | undefined;
    let variadic: string | undefined;
    if (this.at(i) === 40) {
      params = [];
      i = this.blanks(i + 1);
      if (this.at(i) === 41) i++;
      else {
        for (;;) {
          i = this.blanks(i);
          if (this.at(i) === 46 && this.at(i + 1) === 46 && this.at(i + 2) === 46) {
            i += 3;
            variadic = '__VA_ARGS__';
            params.push(variadic);
          } else {
            const e = this.plainIdent(i);
            if (e < 0) return false;
            params.push(src.slice(i, e));
            i = this.blanks(e);
            if (this.at(i) === 46 && this.at(i + 1) === 46 && this.at(i + 2) === 46) {
              i += 3;
              variadic = params[params.length - 1];
            }
          }
          i = this.blanks(i);
          const d = this.at(i);
          i++;
          if (d === 41) break;
          if (d !== 44 || variadic !== undefined) return false;
        }
      }
    }
    this.plain = { hashToken, name, nameHash: nameHash0, pos, params, variadic };
    this.defineBodyFrom(i);
    return true;
  }

  /** `t` for line() to go on with, or undefined (and pending) when it starts the next line. */
  private goOn(t: Token): Token | undefined {
    if (t.kind !== TK.EOF && !(t.flags & F_BOL)) return t;
    this.pending = t;
    return undefined;
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
      } else if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0) i++;
      else if (c === 92 && this.splice(i) !== i) i = this.splice(i);
      else if (c === 47 && (this.at(this.spliced(i + 1)) === 42 || this.at(this.spliced(i + 1)) === 47)) {
        this.i = i;
        this.comment();
        i = this.i;
      } else if (bol && (c === 35 || (c === 37 && this.at(this.spliced(i + 1)) === 58))) {
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

  /** Function-body mode. Inside a function body at file scope only brackets (the parser matches
   *  them), directives and macro names (an expansion may hold braces) can matter, so text is stepped
   *  over making no tokens for comments, literals, numbers, plain punctuation and identifiers that
   *  `names` surely does not hold (see NameFilter). Appends the first token that may matter, lexed
   *  as usual (all of a directive line's), or EOF; comments and unterminated literals are recorded as
   *  in line(). The rest of the current line must have been consumed. */
  bodyToken(out: Token[], names: NameFilter): void {
    const p = this.pending;
    if (p !== undefined) {
      if (p.kind === TK.EOF || (p.kind === TK.Punct && p.text === '#')) {
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
      if (c === 10) {
        flags = F_BOL;
        i++;
      } else if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
        flags |= F_SPACE;
        i++;
      } else if (c < 128 && BODY_PLAIN[c]) {
        flags &= ~F_BOL;
        i++;
      } else if (c === 47) {
        this.i = i;
        if (this.comment()) {
          i = this.i;
          flags |= F_SPACE;
        } else {
          flags &= ~F_BOL;
          i++;
        }
      } else if (c === 34 || c === 39) {
        this.quoted(i, c);
        i = this.i;
        flags &= ~F_BOL;
      } else if (c < 128 && IDENT_START[c]) {
        let k = i + 1;
        let h = c; // (ASCII here, as nameHash starts)
        for (;;) {
          const e = k < n ? src.charCodeAt(k) : -1;
          if (e < 128 && IDENT_CONT[e]) {
            h = (h * 31 + e) & NAME_HASH_MASK;
            k++;
          } else break;
        }
        const e = this.at(k);
        // A literal's prefix (L"", u8''), a splice or a non-ASCII character: lexed as usual.
        if (e === 34 || e === 39 || e === 92 || e >= 128 || names.has(h)) break;
        i = k;
        flags &= ~F_BOL;
      } else if (c >= 48 && c <= 57) {
        // A pp-number (0x1f, 1e+5): its letters are no identifier.
        let k = i + 1;
        for (;;) {
          const e = k < n ? src.charCodeAt(k) : -1;
          if (e < 128 && (IDENT_CONT[e] || e === 46)) k++;
          else if (e === 43 || e === 45) {
            const q = src.charCodeAt(k - 1);
            if (q === 101 || q === 69 || q === 112 || q === 80) k++;
            else break;
          } else break;
        }
        if (this.at(k) === 92) break;
        i = k;
        flags &= ~F_BOL;
      } else if (c === 35 && !(flags & F_BOL)) {
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

  /** Past a run of null characters at j: whitespace, with a warning, as gcc reads them. */
  private nulls(j: number): number {
    const start = j;
    while (j < this.n && this.src.charCodeAt(j) === 0) j++;
    this.errors.push({ pos: start, message: 'null character(s) ignored' });
    return j;
  }

  /** Past the spaces and tabs from j. */
  private blanks(j: number): number {
    const src = this.src;
    const n = this.n;
    for (; j < n; j++) {
      const c = src.charCodeAt(j);
      if (c !== 32 && c !== 9) break;
    }
    return j;
  }
  /** The hash of the identifier plainIdent last read, as next() computes it. */
  private identHash = 0;
  /** The end of an identifier of ASCII characters at j (its hash in identHash), or -1 when there is
   *  none or it goes on past a splice, a non-ASCII character or a quote (L"x" is a literal). */
  private plainIdent(j: number): number {
    const c = this.at(j);
    if (c < 0 || c >= 128 || !IDENT_START[c]) return -1;
    let h = c;
    const src = this.src;
    const n = this.n;
    for (j++; j < n; j++) {
      const e = src.charCodeAt(j);
      if (e >= 128 || !IDENT_CONT[e]) break;
      h = (h * 31 + e) & NAME_HASH_MASK;
    }
    const e = this.at(j);
    if (e >= 128 || e === 92 || e === 34 || e === 39) return -1;
    this.identHash = h;
    return j;
  }

  /** The character code at j, or -1 past the end (a read past a string's end would deoptimise the
   *  lexer's compiled code each time it first happens at a new place). */
  private at(j: number): number {
    return j < this.n ? this.src.charCodeAt(j) : -1;
  }

  // Skip a backslash-newline (or backslash-CR-LF) at j; returns the new index.
  private splice(j: number): number {
    while (this.at(j) === 92) {
      let k = j + 1;
      // gcc allows whitespace between the backslash and the newline (with a warning).
      while (this.at(k) === 32 || this.at(k) === 9) k++;
      if (this.at(k) === 13) k++;
      if (this.at(k) === 10) j = k + 1;
      else break;
    }
    return j;
  }
  // Char code at j after splices (callers pass j already spliced).
  private spliced(j: number): number {
    return this.at(j) === 92 ? this.splice(j) : j;
  }

  /** At '/': records a comment if one starts here (advancing past it); false if it is not one. */
  private comment(): boolean {
    const src = this.src;
    const n = this.n;
    const start = this.i;
    const j = this.spliced(start + 1);
    const d = this.at(j);
    if (d === 42) {
      // Each '*' found by indexOf (the kernel's headers are a third comments: a loop over every
      // character of them is slow before V8 has optimised it).
      let k = j + 1;
      const innerStart = k;
      let innerEnd = -1;
      for (;;) {
        k = src.indexOf('*', k);
        if (k < 0) break;
        const m = this.spliced(k + 1);
        if (this.at(m) === 47) {
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
      this.i = k;
      return true;
    }
    if (d === 47) {
      let k = j + 1;
      const innerStart = k;
      // To the line's end at once unless it ends in a splice (a backslash, then only blanks).
      const nl = src.indexOf('\n', k);
      if (nl < 0) k = n;
      else {
        let b = nl - 1;
        while (b >= k && (src.charCodeAt(b) === 32 || src.charCodeAt(b) === 9 || src.charCodeAt(b) === 13)) b--;
        if (b < k || src.charCodeAt(b) !== 92) k = nl;
      }
      while (k < n) {
        const e = src.charCodeAt(k);
        if (e === 10) break;
        if (e === 92 && this.splice(k) !== k) {
          k = this.splice(k);
          continue;
        }
        k++;
      }
      this.comments.push(start, k, innerStart, k, false);
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
      if (c === 0) {
        i = this.nulls(i);
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
        let h = c & NAME_HASH_MASK;
        for (;;) {
          // (this.at, inlined: V8 inlines no calls in a source unit's run, see preferQuickCompiles.)
          const e = k < n ? src.charCodeAt(k) : -1;
          if (e < 256 ? IDENT_CONT[e] : e === e) {
            h = (h * 31 + e) & NAME_HASH_MASK;
            k++;
          } else if (e === 92 && this.splice(k) !== k) {
            slow = true;
            k = this.splice(k);
          } else break;
        }
        const text = slow ? removeSplices(src.slice(i, k)) : src.slice(i, k);
        const next = this.at(this.spliced(k));
        if ((next === 34 || next === 39) && (text === 'L' || text === 'u' || text === 'U' || text === 'u8')) {
          // (u8 character constants are C23; gcc 12 in C11 mode reads an identifier u8, then a char.)
          const r = this.quoted(this.spliced(k), next);
          tok = mk(next === 34 ? TK.String : TK.Char, text + r, fid, start, flags);
        } else {
          tok = token(TK.Ident, text, fid, start, flags, slow ? nameHash(text) : h);
          this.i = k;
        }
        this.flags = 0;
        return tok;
      }
      // Numbers: pp-number = digit | . digit, then [0-9a-zA-Z_.] or [eEpP][+-].
      if ((c >= 48 && c <= 57) || (c === 46 && isDigit(this.at(this.spliced(i + 1))))) {
        let k = i + 1;
        let slow = false;
        let prev = c; // the previous character of the number, splices removed
        for (;;) {
          let e = k < n ? src.charCodeAt(k) : -1;
          if (e === 92 && this.splice(k) !== k) {
            slow = true;
            k = this.splice(k);
            e = this.at(k);
          }
          if (e === 43 || e === 45) {
            if (prev === 101 || prev === 69 || prev === 112 || prev === 80) {
              prev = e;
              k++;
              continue;
            }
            break;
          }
          // (C23 digit separators are not C11: a quote stops the number.)
          if (e === 39) break;
          if (e < 256 ? IDENT_CONT[e] || e === 46 : false) {
            prev = e;
            k++;
          } else break;
        }
        const text = slow ? removeSplices(src.slice(i, k)) : src.slice(i, k);
        this.i = k;
        this.flags = 0;
        return token(TK.Number, text, fid, start, flags);
      }
      if (c === 34 || c === 39) {
        const r = this.quoted(i, c);
        this.flags = 0;
        return mk(c === 34 ? TK.String : TK.Char, r, fid, start, flags);
      }
      // A punctuator that no longer one starts with (brackets, ';', ',': most of them) at once.
      const single = c < 128 ? LONE_PUNCT[c] : undefined;
      if (single !== undefined) {
        this.i = i + 1;
        this.flags = 0;
        return token(TK.Punct, single, fid, start, flags);
      }
      // Punctuators: the longest spelled here, its characters possibly joined by splices.
      const p = this.punctAt(i, c);
      let k = i + 1;
      for (let q = 1; q < p.length; q++) k = this.spliced(k) + 1;
      this.i = k;
      this.flags = 0;
      // (By character code: a Set lookup or a keyed load of DIGRAPHS for every punctuator costs.)
      const kind = p.length === 1 && !(c < 128 && PUNCT_1_CODES[c]) ? TK.Other : TK.Punct;
      return mk(kind, (c === 60 || c === 37 || c === 58) && p.length > 1 ? DIGRAPHS[p] ?? p : p, fid, start, flags);
    }
    this.i = n;
    this.flags = F_BOL;
    return mk(TK.EOF, '', fid, n, F_BOL);
  }

  /** The longest punctuator spelled at i (c), digraphs as spelled; a character no punctuator starts
   *  with, alone. Following characters are read past splices (c1, and c2/c3 where they decide). */
  private punctAt(i: number, c: number): string {
    const j1 = this.spliced(i + 1);
    const c1 = this.at(j1);
    switch (c) {
      case 46: // .
        return c1 === 46 && this.at(this.spliced(j1 + 1)) === 46 ? '...' : '.';
      case 45: // -
        return c1 === 62 ? '->' : c1 === 45 ? '--' : c1 === 61 ? '-=' : '-';
      case 43: // +
        return c1 === 43 ? '++' : c1 === 61 ? '+=' : '+';
      case 38: // &
        return c1 === 38 ? '&&' : c1 === 61 ? '&=' : '&';
      case 124: // |
        return c1 === 124 ? '||' : c1 === 61 ? '|=' : '|';
      case 60: // <
        if (c1 === 60) return this.at(this.spliced(j1 + 1)) === 61 ? '<<=' : '<<';
        return c1 === 61 ? '<=' : c1 === 58 ? '<:' : c1 === 37 ? '<%' : '<';
      case 62: // >
        if (c1 === 62) return this.at(this.spliced(j1 + 1)) === 61 ? '>>=' : '>>';
        return c1 === 61 ? '>=' : '>';
      case 37: // %
        if (c1 === 58) {
          const j2 = this.spliced(j1 + 1);
          return this.at(j2) === 37 && this.at(this.spliced(j2 + 1)) === 58 ? '%:%:' : '%:';
        }
        return c1 === 61 ? '%=' : c1 === 62 ? '%>' : '%';
      case 61: // =
        return c1 === 61 ? '==' : '=';
      case 33: // !
        return c1 === 61 ? '!=' : '!';
      case 42: // *
        return c1 === 61 ? '*=' : '*';
      case 47: // /
        return c1 === 61 ? '/=' : '/';
      case 94: // ^
        return c1 === 61 ? '^=' : '^';
      case 35: // #
        return c1 === 35 ? '##' : '#';
      case 58: // :
        return c1 === 62 ? ':>' : ':';
      case 40: return '(';
      case 41: return ')';
      case 91: return '[';
      case 93: return ']';
      case 123: return '{';
      case 125: return '}';
      case 59: return ';';
      case 44: return ',';
      case 63: return '?';
      case 126: return '~';
      default:
        return this.src[i]!;
    }
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

export const mk = token;

/** The length of a UTF-8 byte order mark at the start of a file (read as Latin-1 bytes or decoded),
 *  which gcc skips. */
function bomLength(src: string): number {
  if (src.charCodeAt(0) === 0xfeff) return 1;
  return src.startsWith('\u00ef\u00bb\u00bf') ? 3 : 0;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function removeSplices(s: string): string {
  return s.replace(/\\[ \t]*\r?\n/g, '');
}
