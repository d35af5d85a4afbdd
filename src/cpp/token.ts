// Preprocessing tokens. Compact on purpose: kind, spelling, where it was spelled, flags, and for
// tokens produced by macro expansion the hideset (Prosser) and the outermost expansion site.

import type { Loc } from '../core/source.js';
import type { Hideset } from './hideset.js';

export type { Hideset } from './hideset.js';

export const enum TK {
  Ident,
  Number,
  Char,
  String,
  Punct,
  /** A character no other token matches (stray '@', '`', '\'). */
  Other,
  /** A #pragma or _Pragma kept in the stream where it occurred; text is the pragma body ("pack(push, 4)"). */
  Pragma,
  EOF,
  /** A #define line from a file's lexer, its head and body stepped over (Lexer.defineLineOf gives
   *  them); never leaves the preprocessor. */
  Define,
}

export const F_SPACE = 1; // whitespace (or a comment) before this token
export const F_BOL = 2; // first token on its line
export const F_NOEXPAND = 4; // an identifier painted blue: never expand again

export interface Token {
  kind: TK;
  /** Spelling with line splices removed. */
  text: string;
  /** Where the token was spelled (file id, byte offset). */
  file: number;
  pos: number;
  flags: number;
  /** Identifiers from the lexer: the hash of the spelling that NameFilter uses (a miss there means
   *  no macro has this name, without a map lookup). */
  hash?: number;
  /** Macro names this token may not be expanded by (Prosser's hideset); undefined = empty. */
  hideset?: Hideset;
  /** For tokens produced by macro expansion: where the outermost macro was invoked. */
  site?: Loc;
  /** The innermost #if/#ifdef/#elif group this token was kept by (shared object), for reporting
   *  which condition (e.g. CONFIG_IP_VS_NFCT) decided a member. */
  cond?: Conditional;
}

export interface Conditional {
  /** The directive's condition as spelled, e.g. "defined(CONFIG_IP_VS_NFCT)" or "CONFIG_SMP" for #ifdef. */
  readonly text: string;
  readonly loc: Loc;
  readonly parent?: Conditional;
}

/** Every token is made here, all fields in one order, so that V8 gives every token one shape (a token
 *  of another shape deoptimises the preprocessor's and the parser's hot loops). The hottest makers
 *  (Lexer.next, subst, the flat expansions' stamp, a #define line's token) spell this literal out, in
 *  the same order, to save the call before V8 has optimised them. */
export function token(
  kind: TK,
  text: string,
  file: number,
  pos: number,
  flags: number,
  hash?: number,
  hideset?: Hideset,
  site?: Loc,
  cond?: Conditional,
): Token {
  return { kind, text, file, pos, flags, hash, hideset, site, cond };
}

export function tokenLoc(t: Token): Loc {
  return { file: t.file, pos: t.pos };
}

/** The location a diagnostic or comment lookup should use: the expansion site for macro tokens. */
export function siteLoc(t: Token): Loc {
  return t.site ?? { file: t.file, pos: t.pos };
}

/** Spells a token list with single spaces where the source had whitespace. */
export function spell(toks: readonly Token[]): string {
  let s = '';
  toks.forEach((t, k) => (s += (k > 0 && t.flags & (F_SPACE | F_BOL) ? ' ' : '') + t.text));
  return s;
}
