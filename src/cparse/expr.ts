// C expressions as far as layouts need them: integer constant expressions (array sizes, bitfield
// widths, enum values, aligned(N), _Static_assert) evaluated with C's integer semantics in bigint, and
// the type of an expression for typeof. Precedence climbing; sizeof/_Alignof/offsetof ask src/layout.

import { alignOf, alignofOperator, layoutRecord, LayoutError, sizeOfBig } from '../layout/layout.js';
import type { Target } from '../target/target.js';
import { charValue } from '../cpp/ifexpr.js';
import { TK, type Token } from '../cpp/token.js';
import type { CType, RecordDecl } from './ctype.js';
import {
  arith,
  binop,
  castTo,
  INT,
  numberValue,
  promote,
  stringLength,
  strip,
  typesCompatible,
  ULONG,
  wrapTo,
  type Val,
} from './values.js';

/** What the expression parser needs from the declaration parser. */
export interface ExprHost {
  readonly target: Target;
  toks: Token[];
  pos: number;
  peek(k?: number): Token;
  isTypeStart(k?: number): boolean;
  parseTypeName(): CType;
  lookupVar(name: string): CType | undefined;
  lookupEnumConst(name: string): Val | undefined;
  /** At an opening bracket: skips through its matching closer. */
  skipGroup(): void;
  error(msg: string, tok?: Token): void;
  /** How deeply the expression being parsed nests (see deeper): the host's, so that it recovers it. */
  exprDepth: number;
}

const UNKNOWN: Val = { type: INT };
const sizeT = (h: ExprHost): CType => ({ kind: 'int', ik: h.target.sizeKind });

/** Thrown when an expression nests deeper than any real header does; the parser recovers. */
export class ExprDepthError extends Error {}

/** Nesting an expression may reach: every recursion that input can repeat without bound (casts,
 *  unary operators, parentheses, `a = b = ...`, `a ? b : c ? ...`) passes through deeper(), so that
 *  deep input is reported as such and never ends in a stack overflow. */
const MAX_EXPR_DEPTH = 256;

function deeper(h: ExprHost): void {
  if (++h.exprDepth > MAX_EXPR_DEPTH) {
    h.error('expression nested too deeply', h.peek());
    throw new ExprDepthError();
  }
}

const BIN_PREC: Record<string, number> = {
  '*': 13,
  '/': 13,
  '%': 13,
  '+': 12,
  '-': 12,
  '<<': 11,
  '>>': 11,
  '<': 10,
  '>': 10,
  '<=': 10,
  '>=': 10,
  '==': 9,
  '!=': 9,
  '&': 8,
  '^': 7,
  '|': 6,
  '&&': 5,
  '||': 4,
};
const ASSIGN = new Set(['=', '*=', '/=', '%=', '+=', '-=', '<<=', '>>=', '&=', '^=', '|=']);

/** expression: assignment-expression (',' assignment-expression)*   (at host.pos) */
export function parseExpr(h: ExprHost): Val {
  let v = parseAssign(h);
  while (isP(h, ',')) {
    h.pos++;
    const r = parseAssign(h);
    v = { type: r.type };
  }
  return v;
}

/** assignment-expression: conditional-expression (assignment-operator assignment-expression)? */
export function parseAssign(h: ExprHost): Val {
  const c = parseCond(h);
  const t = h.peek();
  if (t.kind === TK.Punct && ASSIGN.has(t.text)) {
    h.pos++;
    deeper(h);
    parseAssign(h);
    h.exprDepth--;
    return { type: c.type };
  }
  return c;
}

/** conditional-expression: binary-expression ('?' expression? ':' conditional-expression)? */
export function parseCond(h: ExprHost): Val {
  const c = parseBinary(h, 4);
  if (!isP(h, '?')) return c;
  h.pos++;
  // GNU a ?: b
  const a = isP(h, ':') ? c : parseExpr(h);
  expect(h, ':');
  deeper(h);
  const b = parseCond(h);
  h.exprDepth--;
  const type =
    a.type.kind === 'pointer' ? a.type : b.type.kind === 'pointer' ? b.type : arith(a.type, b.type, h.target);
  if (c.value === undefined) return { type };
  const pick = c.value !== 0n ? a : b;
  return pick.value !== undefined ? { type, value: wrapTo(pick.value, type, h.target) } : { type, fvalue: pick.fvalue };
}

/** binary-expression: cast-expression (binary-operator cast-expression)*, by precedence climbing. */
function parseBinary(h: ExprHost, minPrec: number): Val {
  let lhs = parseCast(h);
  for (;;) {
    const t = h.peek();
    if (t.kind !== TK.Punct) return lhs;
    const prec = BIN_PREC[t.text];
    if (prec === undefined || prec < minPrec) return lhs;
    h.pos++;
    const rhs = parseBinary(h, prec + 1);
    lhs = binop(h.target, t.text, lhs, rhs);
  }
}

/** cast-expression: '(' type-name ')' cast-expression | unary-expression */
function parseCast(h: ExprHost): Val {
  // (A thrown error leaves exprDepth raised: whoever catches it restores the depth it saved.)
  deeper(h);
  const v = castOrUnary(h);
  h.exprDepth--;
  return v;
}

/** The cast-expression itself, once parseCast has counted its nesting. */
function castOrUnary(h: ExprHost): Val {
  if (isP(h, '(') && h.isTypeStart(1)) {
    h.pos++;
    const type = h.parseTypeName();
    expect(h, ')');
    if (isP(h, '{')) {
      // Compound literal.
      h.skipGroup();
      return parsePostfixOps(h, { type });
    }
    const v = parseCast(h);
    return castTo(h.target, v, type);
  }
  return parseUnary(h);
}

/** unary-expression: postfix-expression | ('++'|'--'|unary-operator) cast-expression | sizeof | _Alignof */
function parseUnary(h: ExprHost): Val {
  const t = h.peek();
  if (t.kind === TK.Punct) {
    switch (t.text) {
      case '+':
      case '-':
      case '~':
      case '!': {
        h.pos++;
        const v = parseCast(h);
        const type = t.text === '!' ? INT : promote(v.type);
        if (v.value === undefined) {
          if (v.fvalue !== undefined)
            return t.text === '-'
              ? { type, fvalue: -v.fvalue }
              : t.text === '!'
                ? { type, value: v.fvalue ? 0n : 1n }
                : { type, fvalue: v.fvalue };
          return { type };
        }
        const x = v.value;
        const r = t.text === '+' ? x : t.text === '-' ? -x : t.text === '~' ? ~x : x === 0n ? 1n : 0n;
        return { type, value: wrapTo(r, type, h.target) };
      }
      case '&': {
        h.pos++;
        const v = parseCast(h);
        return { type: { kind: 'pointer', to: v.type } };
      }
      case '&&': {
        h.pos += 2; // &&label
        return { type: { kind: 'pointer', to: { kind: 'void' } } };
      }
      case '*': {
        h.pos++;
        const v = parseCast(h);
        const s = strip(v.type);
        return { type: s.kind === 'pointer' ? s.to : s.kind === 'array' ? s.of : INT };
      }
      case '++':
      case '--':
        h.pos++;
        return { type: parseCast(h).type };
    }
  }
  if (t.kind === TK.Ident) {
    switch (t.text) {
      case 'sizeof': {
        h.pos++;
        const type = parseTypeOperand(h);
        try {
          const s = strip(type);
          if (s.kind === 'array' && s.length === null) return { type: sizeT(h), value: 0n };
          // (Exact at any size: a record may be up to PTRDIFF_MAX bytes.)
          return { type: sizeT(h), value: sizeOfBig(type, h.target) };
        } catch (e) {
          if (e instanceof LayoutError) {
            h.error(e.message, t);
            return { type: ULONG, value: 0n };
          }
          throw e;
        }
      }
      case '_Alignof':
      case '__alignof__':
      case '__alignof':
      case 'alignof': {
        h.pos++;
        const type = parseTypeOperand(h);
        try {
          return {
            type: sizeT(h),
            value: BigInt(t.text.startsWith('__') ? alignOf(type, h.target, true) : alignofOperator(type, h.target)),
          };
        } catch (e) {
          if (e instanceof LayoutError) {
            h.error(e.message, t);
            return { type: ULONG, value: 1n };
          }
          throw e;
        }
      }
      case '__extension__':
        h.pos++;
        return parseCast(h);
      case '__real__':
      case '__imag__':
      case '__real':
      case '__imag':
        h.pos++;
        return { type: parseCast(h).type };
    }
  }
  return parsePostfix(h);
}

/** sizeof / alignof operand: '(' type-name ')' or a unary-expression. */
function parseTypeOperand(h: ExprHost): CType {
  if (isP(h, '(') && h.isTypeStart(1)) {
    h.pos++;
    const type = h.parseTypeName();
    expect(h, ')');
    if (isP(h, '{')) {
      h.skipGroup();
      return parsePostfixOps(h, { type }).type;
    }
    return type;
  }
  return parseCast(h).type;
}

/** postfix-expression: primary-expression postfix-operator* */
function parsePostfix(h: ExprHost): Val {
  return parsePostfixOps(h, parsePrimary(h));
}

/** postfix-operator: '[' expression ']' | '(' arguments ')' | ('.' | '->') identifier | '++' | '--' */
function parsePostfixOps(h: ExprHost, v: Val): Val {
  for (;;) {
    const t = h.peek();
    if (t.kind !== TK.Punct) return v;
    if (t.text === '[') {
      h.pos++;
      parseExpr(h);
      expect(h, ']');
      const s = strip(v.type);
      v = { type: s.kind === 'array' ? s.of : s.kind === 'pointer' ? s.to : INT };
      continue;
    }
    if (t.text === '(') {
      h.skipGroup();
      const s = strip(v.type);
      const f = s.kind === 'pointer' ? strip(s.to) : s;
      v = { type: f.kind === 'func' ? f.ret : INT };
      continue;
    }
    if (t.text === '.' || t.text === '->') {
      h.pos++;
      const name = h.peek();
      if (name.kind !== TK.Ident) {
        h.error(`expected identifier before '${name.text || 'end of input'}'`, name);
        return UNKNOWN;
      }
      h.pos++;
      let s = strip(v.type);
      if (t.text === '->') s = s.kind === 'pointer' ? strip(s.to) : s.kind === 'array' ? strip(s.of) : s;
      const m = s.kind === 'record' ? findMember(s.decl, name.text) : undefined;
      v = { type: m ? m.type : INT };
      continue;
    }
    if (t.text === '++' || t.text === '--') {
      h.pos++;
      v = { type: v.type };
      continue;
    }
    return v;
  }
}

/** A member by name, searching anonymous members; returns its type and byte offset path. */
export function findMember(decl: RecordDecl, name: string): { type: CType; index: number[] } | undefined {
  const fields = decl.fields ?? [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.name === name) return { type: f.type, index: [i] };
    if (f.name === null && f.bitWidth === null) {
      const s = strip(f.type);
      if (s.kind === 'record') {
        const r = findMember(s.decl, name);
        if (r) return { type: r.type, index: [i, ...r.index] };
      }
    }
  }
  return undefined;
}

/** primary-expression: constant | string-literal+ | identifier | '(' expression ')' | '(' '{' ... '}' ')'
 *  | builtin '(' ... ')' */
function parsePrimary(h: ExprHost): Val {
  const t = h.peek();
  h.pos++;
  switch (t.kind) {
    case TK.Number:
      return numberValue(t, h.target);
    case TK.Char: {
      const v = charValue(t.text);
      return { type: INT, value: t.text.startsWith("'") && !h.target.charSigned && v < 0n ? v + 256n : v };
    }
    case TK.String: {
      // Adjacent string literals concatenate.
      let text = t.text;
      while (h.peek().kind === TK.String) {
        text += h.peek().text;
        h.pos++;
      }
      return { type: { kind: 'array', of: { kind: 'int', ik: 'char' }, length: stringLength(text) + 1 } };
    }
    case TK.Ident:
      break;
    default:
      if (t.kind === TK.Punct && t.text === '(') {
        if (isP(h, '{')) {
          // Statement expression: its value is not constant.
          h.skipGroup();
          expect(h, ')');
          return UNKNOWN;
        }
        const v = parseExpr(h);
        expect(h, ')');
        return v;
      }
      h.error(`expected expression before '${t.text || 'end of input'}'`, t);
      h.pos--;
      if (t.kind !== TK.EOF) h.pos++;
      return UNKNOWN;
  }
  const name = t.text;
  switch (name) {
    case '__builtin_offsetof':
    case 'offsetof':
      return builtinOffsetof(h, t);
    case '__builtin_choose_expr': {
      expect(h, '(');
      const c = parseAssign(h);
      expect(h, ',');
      const a = parseAssign(h);
      expect(h, ',');
      const b = parseAssign(h);
      expect(h, ')');
      return c.value !== undefined && c.value !== 0n ? a : b;
    }
    case '__builtin_types_compatible_p': {
      expect(h, '(');
      const a = h.parseTypeName();
      expect(h, ',');
      const b = h.parseTypeName();
      expect(h, ')');
      return { type: INT, value: typesCompatible(a, b) ? 1n : 0n };
    }
    case '__builtin_constant_p': {
      expect(h, '(');
      const v = parseExpr(h);
      expect(h, ')');
      return { type: INT, value: v.value !== undefined ? 1n : 0n };
    }
    case '__builtin_expect':
    case '__builtin_expect_with_probability': {
      expect(h, '(');
      const v = parseAssign(h);
      while (isP(h, ',')) {
        h.pos++;
        parseAssign(h);
      }
      expect(h, ')');
      return v;
    }
    case '__builtin_va_arg': {
      expect(h, '(');
      parseAssign(h);
      expect(h, ',');
      const type = h.parseTypeName();
      expect(h, ')');
      return { type };
    }
    case '__builtin_clz':
    case '__builtin_clzl':
    case '__builtin_clzll':
    case '__builtin_ctz':
    case '__builtin_ctzl':
    case '__builtin_ctzll':
    case '__builtin_popcount':
    case '__builtin_popcountl':
    case '__builtin_popcountll':
    case '__builtin_ffs':
    case '__builtin_ffsl':
    case '__builtin_ffsll': {
      expect(h, '(');
      const v = parseAssign(h);
      expect(h, ')');
      const bits = name.endsWith('ll') ? 64 : name.endsWith('l') ? h.target.ints.long.size * 8 : 32;
      if (v.value === undefined) return { type: INT };
      const x = BigInt.asUintN(bits, v.value);
      const op = name.replace(/^__builtin_/, '').replace(/l+$/, '');
      let r = 0;
      if (op === 'popcount') for (let y = x; y; y >>= 1n) r += Number(y & 1n);
      else if (op === 'clz' || op === 'ctz') {
        if (x === 0n) return { type: INT };
        const bin = x.toString(2);
        r = op === 'clz' ? bits - bin.length : bin.length - 1 - bin.lastIndexOf('1');
      } else r = x === 0n ? 0 : x.toString(2).length - x.toString(2).lastIndexOf('1');
      return { type: INT, value: BigInt(r) };
    }
    case '__builtin_bswap16':
    case '__builtin_bswap32':
    case '__builtin_bswap64': {
      expect(h, '(');
      const v = parseAssign(h);
      expect(h, ')');
      const bytes = name.endsWith('16') ? 2 : name.endsWith('32') ? 4 : 8;
      const type: CType = { kind: 'int', ik: bytes === 2 ? 'ushort' : bytes === 4 ? 'uint' : 'ulong' };
      if (v.value === undefined) return { type };
      let x = BigInt.asUintN(bytes * 8, v.value);
      let r = 0n;
      for (let i = 0; i < bytes; i++) {
        r = (r << 8n) | (x & 255n);
        x >>= 8n;
      }
      return { type, value: r };
    }
  }
  const ec = h.lookupEnumConst(name);
  if (ec !== undefined) return ec;
  const vt = h.lookupVar(name);
  if (vt) return { type: vt };
  if (name.startsWith('__builtin_') && isP(h, '(')) {
    h.skipGroup();
    return UNKNOWN;
  }
  return UNKNOWN;
}

/** offsetof: '__builtin_offsetof' '(' type-name ',' member-designator ')' */
function builtinOffsetof(h: ExprHost, at: Token): Val {
  expect(h, '(');
  const type = h.parseTypeName();
  expect(h, ',');
  let bits = 0n; // (exact: a record may be up to PTRDIFF_MAX bytes)
  let cur = strip(type);
  let first = true;
  for (;;) {
    if (!first && isP(h, '[')) {
      h.pos++;
      const idx = parseExpr(h);
      expect(h, ']');
      if (cur.kind !== 'array') {
        h.error('subscripted value is not an array', at);
        break;
      }
      try {
        bits += (idx.value ?? 0n) * sizeOfBig(cur.of, h.target) * 8n;
      } catch (e) {
        if (!(e instanceof LayoutError)) throw e;
      }
      cur = strip(cur.of);
      continue;
    }
    if (!first && isP(h, '.')) h.pos++;
    else if (!first) break;
    first = false;
    const name = h.peek();
    if (name.kind !== TK.Ident) {
      h.error(`expected identifier before '${name.text || 'end of input'}'`, name);
      break;
    }
    h.pos++;
    if (cur.kind !== 'record') {
      h.error(`request for member '${name.text}' in something not a structure or union`, name);
      break;
    }
    const off = memberBitOffset(cur.decl, name.text, h.target);
    if (!off) {
      h.error(`'${cur.decl.tag} ${cur.decl.name ?? '<anonymous>'}' has no member named '${name.text}'`, name);
      break;
    }
    bits += off.bits;
    cur = strip(off.type);
  }
  expect(h, ')');
  return { type: sizeT(h), value: bits >= 0n ? bits / 8n : -((7n - bits) / 8n) };
}

/** The bit offset of a member (anonymous members searched) and its type. */
function memberBitOffset(decl: RecordDecl, name: string, target: Target): { bits: bigint; type: CType } | undefined {
  const m = findMember(decl, name);
  if (!m) return undefined;
  let bits = 0n;
  let d = decl;
  for (const i of m.index) {
    const l = layoutRecord(d, target);
    bits += l.exact ? l.exact.bitOffsets[i]! : BigInt(l.fields[i]!.bitOffset);
    const s = strip(d.fields![i]!.type);
    if (s.kind === 'record') d = s.decl;
  }
  return { bits, type: m.type };
}

function isP(h: ExprHost, s: string): boolean {
  const t = h.peek();
  return t.kind === TK.Punct && t.text === s;
}

function expect(h: ExprHost, s: string): void {
  if (isP(h, s)) h.pos++;
  else h.error(`expected '${s}' before '${h.peek().text || 'end of input'}'`, h.peek());
}
