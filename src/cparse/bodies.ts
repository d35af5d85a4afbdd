// Function bodies, parsed only with ParseOptions.functionBodies: what a body declares (C11 6.8), for
// the records defined in it. Statements are not parsed but stepped over by bracket matching; what
// matters is where a declaration may stand (block items, a `for` header, statement expressions) and
// the block scopes (scope.ts) that make a local struct, typedef or enum hide a file-scope one.

import { TK } from '../cpp/token.js';
import { Parser, ParseError, Skip } from './core.js';
import { ExprDepthError } from './expr.js';
import { ScopedMap } from './scope.js';

declare module './core.js' {
  interface Parser {
    functionBody: typeof functionBody;
    compoundStatement: typeof compoundStatement;
    blockItem: typeof blockItem;
    skipExpression: typeof skipExpression;
    tagDeclaredHere: typeof tagDeclaredHere;
    openScope: typeof openScope;
    closeScope: typeof closeScope;
  }
}

/** Words that start a statement, not a declaration. */
const JUMPS = new Set(['return', 'goto', 'break', 'continue']);
const CONDITIONS = new Set(['if', 'while', 'switch']);
const ASM = new Set(['__asm__', 'asm', '__asm']);

/** At the '{' of `name`'s body; `params` is where its declarator starts: a parameter named as a
 *  typedef (`int f(int T) { T * x; }`) hides that typedef in the body. */
function functionBody(this: Parser, name: string | null, params: number): void {
  const outer = this.funcScope;
  this.funcScope = name ?? outer ?? '';
  this.openScope();
  try {
    for (let i = params; i < this.pos; i++) {
      const t = this.toks[i]!;
      if (t.kind !== TK.Ident || !this.typedefs.has(t.text)) continue;
      const before = this.toks[i - 1];
      const after = this.toks[i + 1];
      if (before && !(before.text === '(' || before.text === ',') && after && /^[,)[]$/.test(after.text))
        this.typedefs.delete(t.text);
    }
    this.compoundStatement();
  } finally {
    this.closeScope();
    this.funcScope = outer;
  }
}

// compound-statement: '{' block-item* '}'
function compoundStatement(this: Parser): void {
  this.pos++; // '{'
  this.openScope();
  try {
    while (!this.is('}') && this.peek().kind !== TK.EOF) {
      const start = this.pos;
      this.blockItem();
      if (this.pos === start) this.pos++;
    }
    this.accept('}');
  } finally {
    this.closeScope();
  }
}

// block-item: declaration | label | statement   (a statement is stepped over up to its end or to the
// next place a declaration may stand: `if (c) { ... }` is its condition, then a compound statement)
function blockItem(this: Parser): void {
  const t = this.peek();
  if (t.kind === TK.Punct) {
    if (t.text === '{') this.compoundStatement();
    else if (t.text === ';') this.pos++;
    else this.expressionStatement();
    return;
  }
  if (t.kind === TK.Pragma) {
    this.pragmaSemicolonOrAssert();
    return;
  }
  if (t.kind !== TK.Ident) {
    this.expressionStatement();
    return;
  }
  const w = t.text;
  if (this.is(':', 1) || (w === 'default' && this.is(':', 1))) {
    this.pos += 2; // a label
  } else if (w === 'case') {
    // case constant-expression ('...' constant-expression)? ':'
    this.pos++;
    while (!this.is(':') && !this.is(';') && !this.is('}') && this.peek().kind !== TK.EOF) {
      if (this.is('(') || this.is('[')) this.skip(Skip.Group);
      else this.pos++;
    }
    this.accept(':');
  } else if (CONDITIONS.has(w)) {
    this.pos++;
    this.condition();
  } else if (w === 'else' || w === 'do') this.pos++;
  else if (w === 'for') this.forStatement();
  else if (JUMPS.has(w) || ASM.has(w) || w === '__label__' || w === '_Static_assert' || w === 'static_assert')
    this.expressionStatement();
  else if (this.isTypeStart() && !(w === '__extension__' && this.is('(', 1))) {
    const depth = this.depth;
    const exprDepth = this.exprDepth;
    try {
      this.declaration(false);
    } catch (e) {
      if (!(e instanceof ParseError) && !(e instanceof ExprDepthError)) throw e;
      this.depth = depth;
      this.exprDepth = exprDepth;
      this.skip(Skip.Member);
    }
  } else this.expressionStatement();
}

declare module './core.js' {
  interface Parser {
    condition: typeof condition;
    forStatement: typeof forStatement;
    expressionStatement: typeof expressionStatement;
  }
}

/** `( expression )` after if, while, switch (and do's while). */
function condition(this: Parser): void {
  if (!this.accept('(')) return;
  this.skipExpression();
  this.accept(')');
}

// 'for' '(' (declaration | expression? ';') expression? ';' expression? ')' statement: the header's
// declarations are seen in the loop's body only.
function forStatement(this: Parser): void {
  this.pos++;
  if (!this.accept('(')) return;
  this.openScope();
  try {
    if (this.isTypeStart() && !this.is(':', 1)) this.blockItem();
    else this.expressionStatement();
    this.expressionStatement();
    this.skipExpression();
    this.accept(')');
    // The loop's statement, then a block item's end: labels and `else`/`do` lead to the next one.
    for (;;) {
      const start = this.pos;
      const label = this.is(':', 1) || this.is('case') || this.is('else') || this.is('do');
      this.blockItem();
      if (!label || this.pos === start || this.peek().kind === TK.EOF) break;
    }
  } finally {
    this.closeScope();
  }
}

// expression-statement: expression? ';'   (also return, goto, asm and the like)
function expressionStatement(this: Parser): void {
  this.skipExpression();
  this.accept(';');
}

/** Steps over an expression up to (not past) a ';' or an unmatched closer at its level; the blocks of
 *  statement expressions `({ ... })` on the way are parsed, for what they declare. */
function skipExpression(this: Parser): void {
  let depth = 0;
  for (;;) {
    const t = this.peek();
    if (t.kind === TK.EOF) return;
    if (t.kind === TK.Punct) {
      const x = t.text;
      if (x === '(' && this.is('{', 1)) {
        this.pos++;
        this.compoundStatement();
        depth++; // the ')' after the block closes the '('
        continue;
      }
      if (x === '(' || x === '[' || x === '{') depth++;
      else if (x === ')' || x === ']' || x === '}') {
        if (depth === 0) return;
        depth--;
      } else if (x === ';' && depth === 0) return;
    }
    this.pos++;
  }
}

/** Whether a struct, union or enum tag was declared in the innermost scope (so a definition there
 *  completes it rather than hiding it). */
function tagDeclaredHere(this: Parser, name: string): boolean {
  return !(this.tags instanceof ScopedMap) || this.tags.declaredHere(name);
}

function openScope(this: Parser): void {
  (this.tags as ScopedMap<unknown, unknown>).open();
  (this.typedefs as ScopedMap<unknown, unknown>).open();
  (this.enumConsts as ScopedMap<unknown, unknown>).open();
}

function closeScope(this: Parser): void {
  (this.tags as ScopedMap<unknown, unknown>).close();
  (this.typedefs as ScopedMap<unknown, unknown>).close();
  (this.enumConsts as ScopedMap<unknown, unknown>).close();
}

Object.assign(Parser.prototype, {
  functionBody,
  compoundStatement,
  blockItem,
  condition,
  forStatement,
  expressionStatement,
  skipExpression,
  tagDeclaredHere,
  openScope,
  closeScope,
});
