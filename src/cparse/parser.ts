// Declaration parser for C11 plus the GNU C that real headers use. It builds CType values and the
// record/enum/typedef tables; function bodies and initializers are skipped by bracket matching because
// they never affect a layout. Errors are reported at the token's expansion site and parsing resumes
// at the next ';' or '}'. The Parser class is core.ts; each grammar area adds its functions to it.

import type { Token } from '../cpp/token.js';
import { Parser, type ParseOptions, type ParseResult, type TokenSource } from './core.js';
import './declarations.js';
import './pragma.js';
import './specifiers.js';
import './attributes.js';
import './records.js';
import './enums.js';
import './declarators.js';
import './bodies.js';

export type { ParseOptions, ParseResult, TokenSource } from './core.js';

export function parseDeclarations(tokens: Token[] | TokenSource, opts: ParseOptions): ParseResult {
  const p = Array.isArray(tokens) ? new Parser(tokens, opts) : new Parser([], opts, tokens);
  p.translationUnit();
  return {
    records: p.records,
    typedefs: p.typedefs,
    tags: p.tags,
    get vars() {
      return p.allVars();
    },
  };
}
