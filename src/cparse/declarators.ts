// Declarators (C11 6.7.6): pointers with their qualifiers and attributes, parenthesised declarators,
// array and function suffixes. A type is built from the inside out, as C reads it.

import { siteLoc, TK, type Token } from '../cpp/token.js';
import type { CType, Quals } from './ctype.js';
import { Parser, ParseError, Skip, type Attr } from './core.js';
import { parseExpr } from './expr.js';
import { INT } from './values.js';
import { SPECIFIER_WORDS } from './keywords.js';
import { withQuals } from './types.js';

declare module './core.js' {
  interface Parser {
    declarator: typeof declarator;
    isNestedDeclarator: typeof isNestedDeclarator;
    suffixes: typeof suffixes;
  }
}

/** The parameters of a function whose list was skipped (shared by every file-scope function). */
const SKIPPED_PARAMS: readonly CType[] = Object.freeze([]);

// declarator: pointer* direct-declarator
// pointer: '*' (type-qualifier | attribute)*
// direct-declarator: identifier | '(' attribute* declarator ')' | direct-declarator suffix
/** nameTok: the name, or where a name was expected when there is none. */
function declarator(this: Parser, base: CType): { name: string | null; type: CType; attrs: Attr[]; nameTok: Token } {
  this.enter();
  try {
    const attrs: Attr[] = [];
    let type = base;
    for (;;) {
      const p = this.peek();
      if (p.kind === TK.Punct && p.text === '*') {
        this.pos++;
        type = { kind: 'pointer', to: type };
        let q: { -readonly [K in keyof Quals]: Quals[K] } | undefined;
        let own: Attr[] | undefined;
        for (;;) {
          const n = this.peek().text;
          if (n === 'const' || n === '__const' || n === '__const__') (q ??= {}).const = true;
          else if (n === 'volatile' || n === '__volatile' || n === '__volatile__') (q ??= {}).volatile = true;
          else if (n === 'restrict' || n === '__restrict' || n === '__restrict__') (q ??= {}).restrict = true;
          else if (n === '_Atomic') (q ??= {}).atomic = true;
          else if (n === '__attribute__' || n === '__attribute') {
            own = this.attributesInto(own ?? []);
            continue;
          } else if (
            n === '__seg_fs' ||
            n === '__seg_gs' ||
            n === '__ptr64' ||
            n === '__ptr32' ||
            n === '__unaligned' ||
            n === '__cdecl' ||
            n === '__stdcall'
          ) {
            // ignored qualifiers
          } else break;
          this.pos++;
        }
        if (q) type = withQuals(type, q);
        // gcc applies attributes written after a '*' to that pointer type: `int * A * p` points to
        // an aligned `int *`, and is itself not aligned.
        if (own) type = this.typeWithAttrs(type, own, attrs);
        continue;
      }
      if (p.kind === TK.Ident && (p.text === '__cdecl' || p.text === '__stdcall' || p.text === '__fastcall')) {
        this.pos++;
        continue;
      }
      break;
    }
    this.attributesInto(attrs);
    if (this.is('(') && this.isNestedDeclarator()) {
      // '(' declarator ')': parse the suffixes after ')' first, then the inner declarator on top.
      const open = this.pos;
      this.skip(Skip.Group);
      const afterSuffix = this.suffixes(type);
      const end = this.pos;
      this.pos = open + 1;
      // Attributes that open the parentheses apply to the type the suffixes made (the function type
      // of `void (__attribute__((noreturn)) *fp)(void)`), as gcc reads them.
      const lead = this.attributes();
      const inner = this.declarator(lead.length ? this.typeWithAttrs(afterSuffix, lead, attrs) : afterSuffix);
      this.expect(')');
      this.pos = end;
      return { name: inner.name, type: inner.type, attrs: [...attrs, ...inner.attrs], nameTok: inner.nameTok };
    }
    let name: string | null = null;
    const t = this.peek();
    if (t.kind === TK.Ident && !SPECIFIER_WORDS.has(t.text)) {
      name = t.text;
      this.pos++;
    }
    this.attributesInto(attrs);
    type = this.suffixes(type);
    return { name, type, attrs, nameTok: t };
  } finally {
    this.leave();
  }
}

/** At '(': does a parenthesised declarator start here (rather than a parameter list)? */
function isNestedDeclarator(this: Parser): boolean {
  const t = this.peek(1);
  if (t.kind === TK.Punct) return t.text === '*' || t.text === '(' || t.text === '[' || t.text === '^';
  if (t.kind !== TK.Ident) return false;
  if (t.text === '__attribute__' || t.text === '__attribute' || t.text === '__cdecl' || t.text === '__stdcall')
    return true;
  return !this.isTypeStart(1);
}

// suffix: '[' array-size ']' | '(' parameter-list ')'
function suffixes(this: Parser, base: CType): CType {
  const t = this.peek();
  if (t.kind !== TK.Punct) return base;
  if (t.text === '[') {
    this.pos++;
    let length: number | null = null;
    let exactLength: bigint | undefined; // past 2^53: layout checks it against gcc's limits
    let variable = false;
    while (this.is('static') || this.is('const') || this.is('restrict') || this.is('volatile') || this.is('__restrict'))
      this.pos++;
    if (this.is('*') && this.is(']', 1)) this.pos++;
    else if (!this.is(']')) {
      const tok = this.peek();
      const v = parseExpr(this);
      if (v.value === undefined) {
        this.diags.warning(
          'array size is not an integer constant expression',
          siteLoc(tok),
          this.opts.includeChainOf?.(siteLoc(tok).file),
        );
        length = null;
        variable = true;
      } else if (v.value < 0n) {
        this.error('size of array is negative', tok);
        length = 0;
      } else if (v.value >= 1n << 64n) {
        this.error('size of array is too large', tok);
        length = 0;
      } else {
        length = Number(v.value);
        if (v.value > BigInt(Number.MAX_SAFE_INTEGER)) exactLength = v.value;
      }
    }
    this.expect(']');
    this.enter(); // each suffix nests the type: bounded like any nesting
    const of = this.suffixes(base);
    this.leave();
    if (exactLength !== undefined) return { kind: 'array', of, length, exactLength };
    return variable ? { kind: 'array', of, length, variable } : { kind: 'array', of, length };
  }
  if (t.text === '(') {
    if (this.skipParams) {
      if (!this.skip(Skip.Params)) {
        this.error(`expected ';', ',' or ')' before ${this.before(this.peek())}`);
        throw new ParseError();
      }
      this.enter();
      const ret = this.suffixes(base);
      this.leave();
      return { kind: 'func', ret, params: SKIPPED_PARAMS, variadic: true };
    }
    this.pos++;
    const params: CType[] = [];
    let variadic = false;
    if (this.is('void') && this.is(')', 1)) this.pos++;
    while (!this.is(')') && this.peek().kind !== TK.EOF) {
      if (this.accept('...')) {
        variadic = true;
        break;
      }
      if (this.isTypeStart() || this.is('__attribute__')) {
        const spec = this.declSpec();
        const d = this.declarator(spec.type);
        let pt = d.type;
        if (pt.kind === 'array') pt = { kind: 'pointer', to: pt.of };
        else if (pt.kind === 'func') pt = { kind: 'pointer', to: pt };
        params.push(pt);
      } else {
        // K&R identifier list.
        this.pos++;
        params.push(INT);
      }
      if (!this.accept(',')) break;
    }
    this.expect(')');
    this.enter();
    const ret = this.suffixes(base);
    this.leave();
    return { kind: 'func', ret, params, variadic };
  }
  return base;
}

Object.assign(Parser.prototype, { declarator, isNestedDeclarator, suffixes });
