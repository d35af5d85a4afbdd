// C expressions as far as layouts need them: integer constant expressions (array sizes, bitfield
// widths, enum values, aligned(N), _Static_assert) evaluated with C's integer semantics in bigint, and
// the type of an expression for typeof. Precedence climbing; sizeof/_Alignof/offsetof ask src/layout.

import { alignOf, layoutRecord, LayoutError, minAlignOf, sizeOf } from '../layout/layout.js';
import type { IntKind, Target } from '../target/target.js';
import { parseIntLiteral, charValue } from '../cpp/ifexpr.js';
import { TK, type Token } from '../cpp/token.js';
import type { CType, RecordDecl } from './ctype.js';

export interface Val {
  readonly type: CType;
  /** Integer value when the expression is an integer constant. */
  readonly value?: bigint;
  /** Floating value when known. */
  readonly fvalue?: number;
}

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
  skipBalanced(open: string, close: string): void;
  error(msg: string, tok?: Token): void;
  /** How deeply the expression being parsed nests (see deeper): the host's, so that it recovers it. */
  exprDepth: number;
}

export const INT: CType = { kind: 'int', ik: 'int' };
const ULONG: CType = { kind: 'int', ik: 'ulong' }; // size_t on LP64; sizes never exceed it
const LONG: CType = { kind: 'int', ik: 'long' };
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

const RANK: Record<IntKind, number> = {
  bool: 0, char: 1, schar: 1, uchar: 1, short: 2, ushort: 2, int: 3, uint: 3, long: 4, ulong: 4, llong: 5, ullong: 5, int128: 6, uint128: 6,
};
const UNSIGNED_KINDS = new Set<IntKind>(['bool', 'uchar', 'ushort', 'uint', 'ulong', 'ullong', 'uint128']);
const TO_UNSIGNED: Partial<Record<IntKind, IntKind>> = { int: 'uint', long: 'ulong', llong: 'ullong', int128: 'uint128' };

export function strip(t: CType): CType {
  while (t.kind === 'typedef') t = t.to;
  return t;
}

export function isUnsigned(t: CType, target: Target): boolean {
  const s = strip(t);
  if (s.kind === 'int') return s.ik === 'char' ? !target.charSigned : UNSIGNED_KINDS.has(s.ik);
  if (s.kind === 'pointer') return true;
  if (s.kind === 'enum') return false;
  return false;
}

/** Wraps a value to the width and signedness of an integer type. */
export function wrapTo(v: bigint, t: CType, target: Target): bigint {
  const s = strip(t);
  let bits = 64;
  if (s.kind === 'int') {
    if (s.ik === 'bool') return v !== 0n ? 1n : 0n;
    bits = target.ints[s.ik].size * 8;
  } else if (s.kind === 'pointer') bits = target.pointer.size * 8;
  else if (s.kind === 'enum') bits = 32;
  return isUnsigned(t, target) ? BigInt.asUintN(bits, v) : BigInt.asIntN(bits, v);
}

function promote(t: CType, target: Target): CType {
  const s = strip(t);
  if (s.kind === 'enum') return INT;
  if (s.kind !== 'int') return s;
  if (RANK[s.ik] < 3) return INT;
  return s;
}

function arith(a: CType, b: CType, target: Target): CType {
  const x = promote(a, target);
  const y = promote(b, target);
  if (x.kind === 'float' || y.kind === 'float') return x.kind === 'float' ? x : y;
  if (x.kind === 'pointer') return x;
  if (y.kind === 'pointer') return y;
  if (x.kind !== 'int' || y.kind !== 'int') return INT;
  const [hi, lo] = RANK[x.ik] >= RANK[y.ik] ? [x, y] : [y, x];
  if (RANK[hi.ik] === RANK[lo.ik]) return UNSIGNED_KINDS.has(x.ik) ? x : y;
  if (UNSIGNED_KINDS.has(hi.ik)) return hi;
  if (!UNSIGNED_KINDS.has(lo.ik)) return hi;
  // hi signed, lo unsigned of lower rank: hi if it can represent all lo values.
  if (target.ints[hi.ik].size > target.ints[lo.ik].size) return hi;
  return { kind: 'int', ik: TO_UNSIGNED[hi.ik] ?? hi.ik };
}

const BIN_PREC: Record<string, number> = {
  '*': 13, '/': 13, '%': 13, '+': 12, '-': 12, '<<': 11, '>>': 11, '<': 10, '>': 10, '<=': 10, '>=': 10,
  '==': 9, '!=': 9, '&': 8, '^': 7, '|': 6, '&&': 5, '||': 4,
};
const ASSIGN = new Set(['=', '*=', '/=', '%=', '+=', '-=', '<<=', '>>=', '&=', '^=', '|=']);

/** Parses an expression (comma included) at host.pos. */
export function parseExpr(h: ExprHost): Val {
  let v = parseAssign(h);
  while (isP(h, ',')) {
    h.pos++;
    const r = parseAssign(h);
    v = { type: r.type };
  }
  return v;
}

/** assignment-expression */
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

/** conditional-expression */
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
  const type = a.type.kind === 'pointer' ? a.type : b.type.kind === 'pointer' ? b.type : arith(a.type, b.type, h.target);
  if (c.value === undefined) return { type };
  const pick = c.value !== 0n ? a : b;
  return pick.value !== undefined ? { type, value: wrapTo(pick.value, type, h.target) } : { type, fvalue: pick.fvalue };
}

function parseBinary(h: ExprHost, minPrec: number): Val {
  let lhs = parseCast(h);
  for (;;) {
    const t = h.peek();
    if (t.kind !== TK.Punct) return lhs;
    const prec = BIN_PREC[t.text];
    if (prec === undefined || prec < minPrec) return lhs;
    h.pos++;
    const rhs = parseBinary(h, prec + 1);
    lhs = binop(h, t.text, lhs, rhs);
  }
}

function binop(h: ExprHost, op: string, a: Val, b: Val): Val {
  const target = h.target;
  if (op === '&&' || op === '||') {
    if (a.value !== undefined && ((op === '&&' && a.value === 0n) || (op === '||' && a.value !== 0n))) return { type: INT, value: op === '||' ? 1n : 0n };
    if (a.value === undefined || b.value === undefined) return { type: INT };
    return { type: INT, value: (op === '&&' ? a.value !== 0n && b.value !== 0n : a.value !== 0n || b.value !== 0n) ? 1n : 0n };
  }
  const cmp = op === '<' || op === '>' || op === '<=' || op === '>=' || op === '==' || op === '!=';
  if (op === '<<' || op === '>>') {
    const type = promote(a.type, target);
    if (a.value === undefined || b.value === undefined) return { type };
    const sh = b.value;
    let v = op === '<<' ? a.value << sh : wrapTo(a.value, type, target) >> sh;
    return { type, value: wrapTo(v, type, target) };
  }
  let type = arith(a.type, b.type, target);
  if (op === '-' && strip(a.type).kind === 'pointer' && strip(b.type).kind === 'pointer') type = LONG;
  if (a.value === undefined || b.value === undefined) {
    if (a.fvalue !== undefined || b.fvalue !== undefined) {
      const x = a.fvalue ?? Number(a.value ?? 0n);
      const y = b.fvalue ?? Number(b.value ?? 0n);
      if (a.fvalue === undefined && a.value === undefined) return { type: cmp ? INT : type };
      if (b.fvalue === undefined && b.value === undefined) return { type: cmp ? INT : type };
      const f = fop(op, x, y);
      return cmp ? { type: INT, value: f ? 1n : 0n } : { type, fvalue: f };
    }
    return { type: cmp ? INT : type };
  }
  const x = wrapTo(a.value, type, target);
  const y = wrapTo(b.value, type, target);
  let v: bigint;
  switch (op) {
    case '*': v = x * y; break;
    case '/': if (y === 0n) return { type }; v = x / y; break;
    case '%': if (y === 0n) return { type }; v = x % y; break;
    case '+': v = x + y; break;
    case '-': v = x - y; break;
    case '&': v = x & y; break;
    case '^': v = x ^ y; break;
    case '|': v = x | y; break;
    case '<': return { type: INT, value: x < y ? 1n : 0n };
    case '>': return { type: INT, value: x > y ? 1n : 0n };
    case '<=': return { type: INT, value: x <= y ? 1n : 0n };
    case '>=': return { type: INT, value: x >= y ? 1n : 0n };
    case '==': return { type: INT, value: x === y ? 1n : 0n };
    case '!=': return { type: INT, value: x !== y ? 1n : 0n };
    default: return { type };
  }
  return { type, value: wrapTo(v, type, target) };
}

function fop(op: string, x: number, y: number): number {
  switch (op) {
    case '*': return x * y;
    case '/': return x / y;
    case '+': return x + y;
    case '-': return x - y;
    case '<': return +(x < y);
    case '>': return +(x > y);
    case '<=': return +(x <= y);
    case '>=': return +(x >= y);
    case '==': return +(x === y);
    case '!=': return +(x !== y);
  }
  return NaN;
}

/** cast-expression: '(' type-name ')' cast-expression | unary-expression */
function parseCast(h: ExprHost): Val {
  // (A thrown error leaves exprDepth raised: whoever catches it restores the depth it saved.)
  deeper(h);
  const v = castOrUnary(h);
  h.exprDepth--;
  return v;
}

function castOrUnary(h: ExprHost): Val {
  if (isP(h, '(') && h.isTypeStart(1)) {
    h.pos++;
    const type = h.parseTypeName();
    expect(h, ')');
    if (isP(h, '{')) {
      // Compound literal.
      h.skipBalanced('{', '}');
      return parsePostfixOps(h, { type });
    }
    const v = parseCast(h);
    return castTo(h, v, type);
  }
  return parseUnary(h);
}

function castTo(h: ExprHost, v: Val, type: CType): Val {
  const s = strip(type);
  if (s.kind === 'int' || s.kind === 'enum' || s.kind === 'pointer') {
    if (v.value !== undefined) return { type, value: wrapTo(v.value, type, h.target) };
    if (v.fvalue !== undefined && Number.isFinite(v.fvalue)) return { type, value: wrapTo(BigInt(Math.trunc(v.fvalue)), type, h.target) };
    return { type };
  }
  if (s.kind === 'float') return { type, fvalue: v.fvalue ?? (v.value !== undefined ? Number(v.value) : undefined) };
  return { type };
}

/** unary-expression */
function parseUnary(h: ExprHost): Val {
  const t = h.peek();
  if (t.kind === TK.Punct) {
    switch (t.text) {
      case '+': case '-': case '~': case '!': {
        h.pos++;
        const v = parseCast(h);
        const type = t.text === '!' ? INT : promote(v.type, h.target);
        if (v.value === undefined) {
          if (v.fvalue !== undefined) return t.text === '-' ? { type, fvalue: -v.fvalue } : t.text === '!' ? { type, value: v.fvalue ? 0n : 1n } : { type, fvalue: v.fvalue };
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
      case '++': case '--':
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
          return { type: sizeT(h), value: BigInt(sizeOf(type, h.target)) };
        } catch (e) {
          if (e instanceof LayoutError) {
            h.error(e.message, t);
            return { type: ULONG, value: 0n };
          }
          throw e;
        }
      }
      case '_Alignof': case '__alignof__': case '__alignof': case 'alignof': {
        h.pos++;
        const type = parseTypeOperand(h);
        try {
          return { type: sizeT(h), value: BigInt(t.text.startsWith('__') ? alignOf(type, h.target, true) : minAlignOf(type, h.target)) };
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
      case '__real__': case '__imag__': case '__real': case '__imag':
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
      h.skipBalanced('{', '}');
      return parsePostfixOps(h, { type }).type;
    }
    return type;
  }
  return parseCast(h).type;
}

function parsePostfix(h: ExprHost): Val {
  return parsePostfixOps(h, parsePrimary(h));
}

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
      h.skipBalanced('(', ')');
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
          h.skipBalanced('{', '}');
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
    case '__builtin_expect': case '__builtin_expect_with_probability': {
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
    case '__builtin_clz': case '__builtin_clzl': case '__builtin_clzll':
    case '__builtin_ctz': case '__builtin_ctzl': case '__builtin_ctzll':
    case '__builtin_popcount': case '__builtin_popcountl': case '__builtin_popcountll':
    case '__builtin_ffs': case '__builtin_ffsl': case '__builtin_ffsll': {
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
    case '__builtin_bswap16': case '__builtin_bswap32': case '__builtin_bswap64': {
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
    h.skipBalanced('(', ')');
    return UNKNOWN;
  }
  return UNKNOWN;
}

function builtinOffsetof(h: ExprHost, at: Token): Val {
  expect(h, '(');
  const type = h.parseTypeName();
  expect(h, ',');
  let bits = 0;
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
        bits += Number(idx.value ?? 0n) * sizeOf(cur.of, h.target) * 8;
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
  return { type: sizeT(h), value: BigInt(Math.floor(bits / 8)) };
}

function memberBitOffset(decl: RecordDecl, name: string, target: Target): { bits: number; type: CType } | undefined {
  const m = findMember(decl, name);
  if (!m) return undefined;
  let bits = 0;
  let d = decl;
  for (const i of m.index) {
    const l = layoutRecord(d, target);
    bits += l.fields[i]!.bitOffset;
    const s = strip(d.fields![i]!.type);
    if (s.kind === 'record') d = s.decl;
  }
  return { bits, type: m.type };
}

/** gcc's __builtin_types_compatible_p: qualifiers ignored at the top level, typedefs transparent. */
export function typesCompatible(a: CType, b: CType): boolean {
  const x = strip(a);
  const y = strip(b);
  if (x.kind !== y.kind) return false;
  switch (x.kind) {
    case 'void': return true;
    case 'int': return x.ik === (y as typeof x).ik;
    case 'float': return x.fk === (y as typeof x).fk && !!x.complex === !!(y as typeof x).complex;
    case 'pointer': return typesCompatible(x.to, (y as typeof x).to) && sameQuals(strip(x.to), strip((y as typeof x).to));
    case 'array': {
      const yy = y as typeof x;
      return typesCompatible(x.of, yy.of) && (x.length === null || yy.length === null || x.length === yy.length);
    }
    case 'record': return x.decl === (y as typeof x).decl;
    case 'enum': return x.decl === (y as typeof x).decl;
    case 'func': return typesCompatible(x.ret, (y as typeof x).ret);
    case 'vector': return x.size === (y as typeof x).size && typesCompatible(x.of, (y as typeof x).of);
    default: return false;
  }
}

function sameQuals(a: CType, b: CType): boolean {
  return !!a.q?.const === !!b.q?.const && !!a.q?.volatile === !!b.q?.volatile;
}

/** The largest value of an integer type of `bytes` bytes, unsigned or signed, made once per size: a
 *  BigInt shift for each literal's candidate types cost time, and one past 64 bits sent numberValue's
 *  optimised code back. */
const INT_MAX = new Map<number, bigint>();
function intMax(bytes: number, unsigned: boolean): bigint {
  const key = unsigned ? bytes : -bytes;
  let v = INT_MAX.get(key);
  if (v === undefined) INT_MAX.set(key, (v = (1n << BigInt(8 * bytes - (unsigned ? 0 : 1))) - 1n));
  return v;
}

export function numberValue(t: Token, target: Target): Val {
  const r = parseIntLiteral(t.text);
  if (r) {
    // C11 6.4.4.1: the first type that fits, by suffix and base.
    const dec = /^[1-9]/.test(t.text) || t.text === '0';
    const cands: IntKind[] = [];
    if (!r.unsigned) {
      if (r.long === 0) cands.push('int');
      if (r.long === 0 && !dec) cands.push('uint');
      if (r.long <= 1) cands.push('long');
      if (r.long <= 1 && !dec) cands.push('ulong');
      cands.push('llong');
      if (!dec) cands.push('ullong');
    } else {
      if (r.long === 0) cands.push('uint');
      if (r.long <= 1) cands.push('ulong');
      cands.push('ullong');
    }
    for (const k of cands) {
      if (r.value <= intMax(target.ints[k].size, UNSIGNED_KINDS.has(k))) return { type: { kind: 'int', ik: k }, value: r.value };
    }
    return { type: { kind: 'int', ik: 'ullong' }, value: BigInt.asUintN(64, r.value) };
  }
  const f = parseFloat(t.text.replace(/[fFlL]+$|[fF](16|32|64|128)x?$/, ''));
  const isHexFloat = /^0[xX]/.test(t.text);
  const fv = isHexFloat ? hexFloat(t.text) : f;
  const fk = /[fF]$/.test(t.text) ? 'float' : /[lL]$/.test(t.text) ? 'ldouble' : 'double';
  return { type: { kind: 'float', fk }, fvalue: fv };
}

function hexFloat(text: string): number {
  const m = /^0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)/.exec(text);
  if (!m) return NaN;
  const mant = parseInt((m[1] || '0') + (m[2] || ''), 16);
  return mant * Math.pow(2, Number(m[3]) - 4 * (m[2] ?? '').length);
}

function stringLength(text: string): number {
  // Counts characters of concatenated literals (escape sequences count as one).
  let n = 0;
  const re = /(?:[LuU]|u8)?"((?:[^"\\]|\\.)*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) n += m[1]!.replace(/\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)/g, 'x').length;
  return n;
}

function isP(h: ExprHost, s: string): boolean {
  const t = h.peek();
  return t.kind === TK.Punct && t.text === s;
}

function expect(h: ExprHost, s: string): void {
  if (isP(h, s)) h.pos++;
  else h.error(`expected '${s}' before '${h.peek().text || 'end of input'}'`, h.peek());
}
