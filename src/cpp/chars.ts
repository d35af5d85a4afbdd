// Character codes by name (a const enum: the names compile to the numbers), the identifier tables
// and the name hash the lexer computes while scanning an identifier.

export const enum Ch {
  Nul = 0,
  Tab = 9,
  Newline = 10,
  VTab = 11,
  FormFeed = 12,
  Return = 13,
  Space = 32,
  Bang = 33,
  DoubleQuote = 34,
  Hash = 35,
  Dollar = 36,
  Percent = 37,
  Amp = 38,
  Quote = 39,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Digit0 = 48,
  Digit9 = 57,
  Colon = 58,
  Semicolon = 59,
  Less = 60,
  Equals = 61,
  Greater = 62,
  Question = 63,
  UpperA = 65,
  UpperE = 69,
  UpperP = 80,
  UpperZ = 90,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  Caret = 94,
  Underscore = 95,
  LowerA = 97,
  LowerE = 101,
  LowerP = 112,
  LowerZ = 122,
  LBrace = 123,
  Bar = 124,
  RBrace = 125,
  Tilde = 126,
  /** The first code past ASCII. */
  NonAscii = 128,
}

export const IDENT_START = new Uint8Array(256);
export const IDENT_CONT = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const isAlpha =
    (c >= Ch.UpperA && c <= Ch.UpperZ) ||
    (c >= Ch.LowerA && c <= Ch.LowerZ) ||
    c === Ch.Underscore ||
    c === Ch.Dollar ||
    c >= Ch.NonAscii;
  IDENT_START[c] = isAlpha ? 1 : 0;
  IDENT_CONT[c] = isAlpha || (c >= Ch.Digit0 && c <= Ch.Digit9) ? 1 : 0;
}

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
  /** A filter holding the same names (preprocess-prefix.ts restores one per unit). */
  copy(): NameFilter {
    const f = new NameFilter();
    f.bits.set(this.bits);
    return f;
  }
}

export function nameHash(name: string): number {
  let h = name.charCodeAt(0) & NAME_HASH_MASK;
  for (let k = 1; k < name.length; k++) h = (h * 31 + name.charCodeAt(k)) & NAME_HASH_MASK;
  return h & NAME_HASH_MASK;
}
