// The translation unit and its declarations (C11 6.9, 6.7): what stands at file scope, typedefs, and
// the initializers and function bodies that are skipped because they never change a layout (unless
// the records defined in bodies are asked for: bodies.ts).

import { TK } from '../cpp/token.js';
import type { CType } from './ctype.js';
import { Parser, ParseError, Skip, type Attr } from './core.js';
import { ExprDepthError, parseCond } from './expr.js';
import { strip } from './values.js';

declare module './core.js' {
  interface Parser {
    translationUnit: typeof translationUnit;
    externalDeclaration: typeof externalDeclaration;
    pragmaSemicolonOrAssert: typeof pragmaSemicolonOrAssert;
    staticAssert: typeof staticAssert;
    declaration: typeof declaration;
    defineTypedef: typeof defineTypedef;
    initializerLength: typeof initializerLength;
    asmLabel: typeof asmLabel;
    body: typeof body;
  }
}

// translation-unit: external-declaration*   (an error skips to the next ';' or body's '}')
function translationUnit(this: Parser): void {
  while (this.peek().kind !== TK.EOF) {
    this.compact();
    const start = this.pos;
    try {
      this.externalDeclaration();
    } catch (e) {
      if (!(e instanceof ParseError) && !(e instanceof ExprDepthError)) throw e;
      this.depth = 0;
      this.exprDepth = 0;
      this.skip(Skip.Declaration);
    }
    if (this.pos === start) this.pos++;
  }
}

// external-declaration: function-definition | declaration | static_assert | asm | ';'
function externalDeclaration(this: Parser): void {
  if (this.pragmaSemicolonOrAssert()) return;
  if (this.is('__asm__') || this.is('asm') || this.is('__asm')) {
    this.pos++;
    while (this.peek().kind === TK.Ident) this.pos++;
    if (this.is('(')) this.skip(Skip.Group);
    this.accept(';');
    return;
  }
  this.declaration(true);
}

/** A pragma, a stray ';' or a _Static_assert where a declaration may stand; true when consumed. */
function pragmaSemicolonOrAssert(this: Parser): boolean {
  const t = this.peek();
  if (t.kind === TK.Pragma) {
    this.pos++;
    this.pragma(t);
    return true;
  }
  if (this.accept(';')) return true;
  if (this.is('_Static_assert') || this.is('static_assert')) {
    this.staticAssert();
    return true;
  }
  return false;
}

// static_assert-declaration: '_Static_assert' '(' constant-expression (',' string-literal+)? ')' ';'
function staticAssert(this: Parser): void {
  const kw = this.next();
  this.expect('(');
  const v = parseCond(this);
  let msg = '';
  if (this.accept(',')) {
    while (this.peek().kind === TK.String) msg += this.next().text.slice(1, -1);
  }
  this.expect(')');
  this.accept(';');
  if (v.value === undefined) this.error('expression in static assertion is not constant', kw);
  else if (v.value === 0n) this.error(`static assertion failed${msg ? `: "${msg}"` : ''}`, kw);
}

// declaration: declaration-specifiers init-declarator-list? ';'
function declaration(this: Parser, fileScope: boolean): void {
  const spec = this.declSpec();
  if (this.accept(';')) return;
  let first = true;
  for (;;) {
    // The parameters of a file-scope function or function pointer never change a layout (a type
    // declared in a parameter list is not visible outside it): they are skipped, not parsed.
    // Typedefs keep theirs, since a member of that type is printed with them.
    const outer = this.skipParams;
    this.skipParams = fileScope && spec.storage !== 'typedef';
    let d: ReturnType<Parser['declarator']>;
    const declaratorStart = this.pos;
    try {
      d = this.declarator(spec.type);
    } finally {
      this.skipParams = outer;
    }
    const attrs = this.attributesInto([...spec.attrs, ...d.attrs]);
    this.asmLabel();
    this.attributesInto(attrs);
    if (first && this.is('{') && d.type.kind === 'func') {
      if (d.name && fileScope) this.declareFunc(d.name, d.type);
      this.body(d.name, declaratorStart);
      return;
    }
    if (first && d.type.kind === 'func' && this.isTypeStart()) {
      // K&R parameter declarations before the body.
      while (!this.is('{') && this.peek().kind !== TK.EOF) this.pos++;
      this.body(d.name, declaratorStart);
      return;
    }
    first = false;
    // (An anonymous record in a body is known by the variable it declares.)
    const r = spec.type.kind === 'record' && this.funcScope !== undefined ? spec.type.decl : undefined;
    if (r && d.name && r.name === null && spec.storage !== 'typedef' && r.typedefName === undefined)
      r.variable ??= d.name;
    if (d.name) {
      if (spec.storage === 'typedef') this.defineTypedef(d.name, d.type, attrs);
      else {
        this.typedefs.delete(d.name);
        if (fileScope) {
          if (d.type.kind === 'func') this.declareFunc(d.name, d.type);
          else this.vars.set(d.name, d.type);
        }
      }
    }
    if (this.accept('=')) {
      const n = this.initializerLength();
      if (
        d.name &&
        n !== undefined &&
        d.type.kind === 'array' &&
        d.type.length === null &&
        spec.storage !== 'typedef'
      ) {
        if (fileScope) this.vars.set(d.name, { ...d.type, length: n });
      }
    }
    if (this.accept(',')) continue;
    this.expect(';');
    return;
  }
}

/** At a function's body: parsed when asked for (bodies.ts), else stepped over. */
function body(this: Parser, name: string | null, declaratorStart: number): void {
  if (this.opts.functionBodies && this.is('{')) this.functionBody(name, declaratorStart);
  else this.skip(Skip.Group);
}

/** A typedef declarator's name, its type and its attributes (a record or enum without a name takes it). */
function defineTypedef(this: Parser, name: string, type: CType, attrs: Attr[]): void {
  const ta = this.typeAttrs(attrs, true);
  const t = this.applyTypeModes(type, attrs);
  const s = strip(t);
  if (s.kind === 'record' && !s.decl.typedefName) s.decl.typedefName = name;
  if (s.kind === 'enum' && ta.packed && s.decl.values) s.decl.attrs = { ...s.decl.attrs, packed: true };
  this.typedefs.set(name, { kind: 'typedef', name, to: t, attrs: ta });
}

// initializer: assignment-expression | '{' (designation? initializer ','?)* '}'
/** Skips an initializer; returns the element count it gives an array of unknown size. */
function initializerLength(this: Parser): number | undefined {
  const t = this.peek();
  if (t.kind === TK.String) {
    this.skip(Skip.Initializer);
    return Math.max(0, t.text.length - 2 - (t.text.match(/\\./g)?.length ?? 0)) + 1;
  }
  if (!this.is('{')) {
    this.skip(Skip.Initializer);
    return undefined;
  }
  this.pos++;
  let index = 0;
  let max = 0;
  while (!this.is('}') && this.peek().kind !== TK.EOF) {
    if (this.is('[')) {
      this.pos++;
      const v = parseCond(this);
      this.skip(Skip.Initializer);
      this.accept(']');
      if (v.value !== undefined) index = Number(v.value);
      this.accept('=');
    }
    this.skip(Skip.Initializer);
    index++;
    max = Math.max(max, index);
    if (!this.accept(',')) break;
  }
  this.accept('}');
  return max;
}

// asm-label: ('asm' | '__asm' | '__asm__') '(' string-literal+ ')'
function asmLabel(this: Parser): void {
  if (this.is('__asm__') || this.is('asm') || this.is('__asm')) {
    this.pos++;
    this.skip(Skip.Group);
  }
}

Object.assign(Parser.prototype, {
  translationUnit,
  externalDeclaration,
  pragmaSemicolonOrAssert,
  staticAssert,
  declaration,
  defineTypedef,
  initializerLength,
  asmLabel,
  body,
});
