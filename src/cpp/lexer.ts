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
  const src = file.text;
  const n = src.length;
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const errors: { pos: number; message: string }[] = [];
  const fid = file.id;
  let i = 0;
  let flags = F_BOL;

  // Skip a backslash-newline (or backslash-CR-LF) at i; returns the new index.
  const splice = (j: number): number => {
    while (src.charCodeAt(j) === 92) {
      let k = j + 1;
      // gcc allows whitespace between the backslash and the newline (with a warning).
      while (src.charCodeAt(k) === 32 || src.charCodeAt(k) === 9) k++;
      if (src.charCodeAt(k) === 13) k++;
      if (src.charCodeAt(k) === 10) j = k + 1;
      else break;
    }
    return j;
  };
  // Char code at j after splices (callers pass j already spliced).
  const spliced = (j: number): number => (src.charCodeAt(j) === 92 ? splice(j) : j);

  while (i < n) {
    let c = src.charCodeAt(i);
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
      const j = splice(i);
      if (j !== i) {
        i = j;
        continue;
      }
    }
    const start = i;
    // Comments.
    if (c === 47) {
      const j = spliced(i + 1);
      const d = src.charCodeAt(j);
      if (d === 42) {
        let k = j + 1;
        const innerStart = k;
        let innerEnd = -1;
        while (k < n) {
          const e = src.charCodeAt(k);
          if (e === 42) {
            const m = spliced(k + 1);
            if (src.charCodeAt(m) === 47) {
              innerEnd = k;
              k = m + 1;
              break;
            }
            k++;
          } else k++;
        }
        if (innerEnd < 0) {
          errors.push({ pos: start, message: 'unterminated comment' });
          innerEnd = n;
          k = n;
        }
        comments.push({ start, end: k, innerStart, innerEnd, block: true });
        i = k;
        flags |= F_SPACE;
        continue;
      }
      if (d === 47) {
        let k = j + 1;
        const innerStart = k;
        while (k < n) {
          const e = src.charCodeAt(k);
          if (e === 10) break;
          if (e === 92 && splice(k) !== k) {
            k = splice(k);
            continue;
          }
          k++;
        }
        comments.push({ start, end: k, innerStart, innerEnd: k, block: false });
        i = k;
        flags |= F_SPACE;
        continue;
      }
    }
    // Identifiers (with an optional string/char prefix check).
    if (c < 256 ? IDENT_START[c] : 1) {
      let k = i + 1;
      let slow = false;
      for (;;) {
        const e = src.charCodeAt(k);
        if (e < 256 ? IDENT_CONT[e] : e === e) k++;
        else if (e === 92 && splice(k) !== k) {
          slow = true;
          k = splice(k);
        } else break;
      }
      let text = slow ? removeSplices(src.slice(i, k)) : src.slice(i, k);
      const next = src.charCodeAt(spliced(k));
      if ((next === 34 || next === 39) && (text === 'L' || text === 'u' || text === 'U' || text === 'u8')) {
        const r = lexQuoted(spliced(k), next);
        const tt = text + r.text;
        if (next === 39 && text === 'u8') {
          // u8 character constants are C23; treat like gcc 12 in C11 mode: identifier u8 then char.
        }
        tokens.push(mk(next === 34 ? TK.String : TK.Char, tt, fid, start, flags));
        i = r.end;
        flags = 0;
        continue;
      }
      tokens.push({ kind: TK.Ident, text, file: fid, pos: start, flags });
      i = k;
      flags = 0;
      continue;
    }
    // Numbers: pp-number = digit | . digit, then [0-9a-zA-Z_.] or [eEpP][+-].
    if ((c >= 48 && c <= 57) || (c === 46 && isDigit(src.charCodeAt(spliced(i + 1))))) {
      let k = i + 1;
      let slow = false;
      for (;;) {
        let e = src.charCodeAt(k);
        if (e === 92 && splice(k) !== k) {
          slow = true;
          k = splice(k);
          e = src.charCodeAt(k);
        }
        if ((e === 43 || e === 45)) {
          const p = src.charCodeAt(k - 1);
          if (p === 101 || p === 69 || p === 112 || p === 80) {
            k++;
            continue;
          }
          break;
        }
        if (e === 39) {
          // C23 digit separators are not C11: stop.
          break;
        }
        if (e < 256 ? IDENT_CONT[e] || e === 46 : false) k++;
        else break;
      }
      const text = slow ? removeSplices(src.slice(i, k)) : src.slice(i, k);
      tokens.push({ kind: TK.Number, text, file: fid, pos: start, flags });
      i = k;
      flags = 0;
      continue;
    }
    if (c === 34 || c === 39) {
      const r = lexQuoted(i, c);
      tokens.push(mk(c === 34 ? TK.String : TK.Char, r.text, fid, start, flags));
      i = r.end;
      flags = 0;
      continue;
    }
    // Punctuators.
    const cands = PUNCT_BY_CHAR.get(c);
    let matched: string | undefined;
    let end = i + 1;
    if (cands) {
      for (const p of cands) {
        let k = i;
        let ok = true;
        for (let q = 0; q < p.length; q++) {
          k = q === 0 ? k : spliced(k);
          if (src.charCodeAt(k) !== p.charCodeAt(q)) {
            ok = false;
            break;
          }
          k++;
        }
        if (ok) {
          matched = p;
          end = k;
          break;
        }
      }
    }
    if (matched !== undefined) {
      tokens.push(mk(TK.Punct, DIGRAPHS[matched] ?? matched, fid, start, flags));
      i = end;
      flags = 0;
      continue;
    }
    const ch = src[i]!;
    if ('[](){}.&*+-~!/%<>^|?:;=,#'.includes(ch)) {
      tokens.push(mk(TK.Punct, ch, fid, start, flags));
    } else {
      tokens.push(mk(TK.Other, ch, fid, start, flags));
    }
    i++;
    flags = 0;
  }
  tokens.push(mk(TK.EOF, '', fid, n, F_BOL));
  return { tokens, comments, errors };

  function lexQuoted(q0: number, quote: number): { text: string; end: number } {
    let k = q0 + 1;
    let slow = false;
    while (k < n) {
      const e = src.charCodeAt(k);
      if (e === quote) {
        k++;
        const raw = src.slice(q0, k);
        return { text: slow ? removeSplices(raw) : raw, end: k };
      }
      if (e === 10) break;
      if (e === 92) {
        const s = splice(k);
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
    errors.push({ pos: q0, message: `missing terminating ${String.fromCharCode(quote)} character` });
    const raw = src.slice(q0, Math.min(k, n));
    return { text: slow ? removeSplices(raw) : raw, end: Math.min(k, n) };
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
