// #if expression evaluation (C11 6.10.1): after macro expansion and `defined` replacement, every
// remaining identifier is 0 and the expression is evaluated in intmax_t/uintmax_t (64-bit) with the
// usual arithmetic conversions between those two. Precedence climbing over a token array.

import { TK, type Token } from './token.js';

export interface PPValue {
  v: bigint;
  unsigned: boolean;
}

const MASK = (1n << 64n) - 1n;
const wrap = (v: bigint, unsigned: boolean): bigint => (unsigned ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v));

export class IfExprError extends Error {
  constructor(
    message: string,
    readonly tok: Token | undefined,
  ) {
    super(message);
  }
}

const BINARY_PREC: Record<string, number> = {
  '*': 10,
  '/': 10,
  '%': 10,
  '+': 9,
  '-': 9,
  '<<': 8,
  '>>': 8,
  '<': 7,
  '>': 7,
  '<=': 7,
  '>=': 7,
  '==': 6,
  '!=': 6,
  '&': 5,
  '^': 4,
  '|': 3,
  '&&': 2,
  '||': 1,
};

/** Evaluates a fully expanded #if expression. Throws IfExprError on malformed input. */
export function evalIfExpr(toks: readonly Token[]): PPValue {
  let i = 0;
  let depth = 0;
  const peek = (): Token | undefined => toks[i];
  const isP = (s: string): boolean => {
    const t = toks[i];
    return t !== undefined && t.kind === TK.Punct && t.text === s;
  };
  const expect = (s: string): void => {
    if (!isP(s)) throw new IfExprError(`expected '${s}' in preprocessor expression`, toks[i] ?? toks[toks.length - 1]);
    i++;
  };

  // conditional-expression: logical-or-expression ( '?' expression ':' conditional-expression )?
  // `evaluate` = false inside unevaluated operands (division by zero is not an error there).
  function cond(evaluate: boolean): PPValue {
    const c = binary(1, evaluate);
    if (!isP('?')) return c;
    i++;
    const taken = c.v !== 0n;
    const a = comma(evaluate && taken);
    expect(':');
    const b = cond(evaluate && !taken);
    const unsigned = a.unsigned || b.unsigned;
    return { v: wrap(taken ? a.v : b.v, unsigned), unsigned };
  }
  function comma(evaluate: boolean): PPValue {
    let v = cond(evaluate);
    while (isP(',')) {
      i++;
      v = cond(evaluate);
    }
    return v;
  }
  function binary(minPrec: number, evaluate: boolean): PPValue {
    let lhs = unary(evaluate);
    for (;;) {
      const t = peek();
      if (!t || t.kind !== TK.Punct) return lhs;
      const prec = BINARY_PREC[t.text];
      if (prec === undefined || prec < minPrec) return lhs;
      i++;
      if (t.text === '&&') {
        const rhs = binary(prec + 1, evaluate && lhs.v !== 0n);
        lhs = { v: lhs.v !== 0n && rhs.v !== 0n ? 1n : 0n, unsigned: false };
        continue;
      }
      if (t.text === '||') {
        const rhs = binary(prec + 1, evaluate && lhs.v === 0n);
        lhs = { v: lhs.v !== 0n || rhs.v !== 0n ? 1n : 0n, unsigned: false };
        continue;
      }
      const rhs = binary(prec + 1, evaluate);
      lhs = apply(t, lhs, rhs, evaluate);
    }
  }
  function apply(t: Token, a: PPValue, b: PPValue, evaluate: boolean): PPValue {
    const op = t.text;
    if (op === '<<' || op === '>>') {
      const sh = Number(BigInt.asUintN(64, b.v) & 127n);
      const v = op === '<<' ? a.v << BigInt(sh) : sh >= 64 ? (a.v < 0n ? -1n : 0n) : a.v >> BigInt(sh);
      return {
        v: wrap(a.unsigned ? (op === '>>' ? BigInt.asUintN(64, a.v) >> BigInt(sh) : v) : v, a.unsigned),
        unsigned: a.unsigned,
      };
    }
    const unsigned = a.unsigned || b.unsigned;
    const x = wrap(a.v, unsigned);
    const y = wrap(b.v, unsigned);
    switch (op) {
      case '*':
        return { v: wrap(x * y, unsigned), unsigned };
      case '/':
      case '%':
        if (y === 0n) {
          if (evaluate) throw new IfExprError('division by zero in #if', t);
          return { v: 0n, unsigned };
        }
        return { v: wrap(op === '/' ? x / y : x % y, unsigned), unsigned };
      case '+':
        return { v: wrap(x + y, unsigned), unsigned };
      case '-':
        return { v: wrap(x - y, unsigned), unsigned };
      case '<':
        return { v: x < y ? 1n : 0n, unsigned: false };
      case '>':
        return { v: x > y ? 1n : 0n, unsigned: false };
      case '<=':
        return { v: x <= y ? 1n : 0n, unsigned: false };
      case '>=':
        return { v: x >= y ? 1n : 0n, unsigned: false };
      case '==':
        return { v: x === y ? 1n : 0n, unsigned: false };
      case '!=':
        return { v: x !== y ? 1n : 0n, unsigned: false };
      case '&':
        return { v: wrap(x & y, unsigned), unsigned };
      case '^':
        return { v: wrap(x ^ y, unsigned), unsigned };
      case '|':
        return { v: wrap(x | y, unsigned), unsigned };
    }
    throw new IfExprError(`token "${op}" is not valid in preprocessor expressions`, t);
  }
  // unary-expression: ( '+' | '-' | '~' | '!' ) unary-expression | primary
  function unary(evaluate: boolean): PPValue {
    const t = peek();
    if (!t) throw new IfExprError('#if with no expression', toks[toks.length - 1]);
    if (t.kind === TK.Punct) {
      if (t.text === '+' || t.text === '-' || t.text === '~' || t.text === '!') {
        i++;
        const v = unary(evaluate);
        if (t.text === '+') return v;
        if (t.text === '-') return { v: wrap(-v.v, v.unsigned), unsigned: v.unsigned };
        if (t.text === '~') return { v: wrap(~v.v, v.unsigned), unsigned: v.unsigned };
        return { v: v.v === 0n ? 1n : 0n, unsigned: false };
      }
      if (t.text === '(') {
        if (++depth > 256) throw new IfExprError('#if expression nested too deeply', t);
        i++;
        const v = comma(evaluate);
        depth--;
        expect(')');
        return v;
      }
    }
    i++;
    if (t.kind === TK.Number) return parsePPNumber(t);
    if (t.kind === TK.Char) return { v: charValue(t.text), unsigned: false };
    if (t.kind === TK.Ident) {
      // true/false are keywords in C23 and gcc accepts them in #if; other identifiers are 0.
      if (t.text === 'true') return { v: 1n, unsigned: false };
      return { v: 0n, unsigned: false };
    }
    throw new IfExprError(`token "${t.text}" is not valid in preprocessor expressions`, t);
  }

  if (toks.length === 0) throw new IfExprError('#if with no expression', undefined);
  const v = comma(true);
  if (i < toks.length) throw new IfExprError(`missing binary operator before token "${toks[i]!.text}"`, toks[i]);
  return v;
}

/** Integer pp-number to value; floating constants are errors in #if. */
export function parsePPNumber(t: Token): PPValue {
  const r = parseIntLiteral(t.text);
  if (!r) throw new IfExprError(`invalid integer constant "${t.text}" in #if`, t);
  return { v: wrap(r.value, r.unsigned), unsigned: r.unsigned || r.value > MASK >> 1n };
}

/** Parses a C integer constant with suffixes. Returns undefined for floats or malformed input. */
export function parseIntLiteral(text: string): { value: bigint; unsigned: boolean; long: number } | undefined {
  // Most literals are plain decimals ("0", "16", "4096"): no regular expression for those.
  let k = 0;
  while (k < text.length && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
  if (k === text.length && k > 0 && (k === 1 || text.charCodeAt(0) !== 48))
    return { value: BigInt(text), unsigned: false, long: 0 };
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(text);
  if (!m) return undefined;
  const body = m[1]!;
  const suf = m[2]!.toLowerCase();
  if (!/^(u?(l|ll)?|(l|ll)u?)$/.test(suf)) return undefined;
  let value: bigint;
  if (/^0[bB]/.test(body)) value = BigInt(body);
  else if (/^0[xX]/.test(body)) value = BigInt(body);
  else if (body.length > 1 && body[0] === '0') value = BigInt('0o' + body.slice(1));
  else value = BigInt(body);
  return { value, unsigned: suf.includes('u'), long: suf.includes('ll') ? 2 : suf.includes('l') ? 1 : 0 };
}

/** Value of a character constant ('a', '\n', '\x41', L'x'); multi-char as gcc (int, big-endian packing). */
export function charValue(text: string): bigint {
  let s = text;
  let wide = false;
  if (s[0] !== "'") {
    wide = true;
    s = s.slice(s.indexOf("'"));
  }
  const body = s.slice(1, -1);
  const chars: number[] = [];
  for (let i = 0; i < body.length;) {
    const c = body[i]!;
    if (c !== '\\') {
      chars.push(body.charCodeAt(i));
      i++;
      continue;
    }
    const e = body[i + 1] ?? '';
    i += 2;
    const simple: Record<string, number> = {
      n: 10,
      t: 9,
      r: 13,
      a: 7,
      b: 8,
      f: 12,
      v: 11,
      e: 27,
      '\\': 92,
      "'": 39,
      '"': 34,
      '?': 63,
    };
    if (e in simple) chars.push(simple[e]!);
    else if (e === 'x') {
      let j = i;
      while (j < body.length && /[0-9a-fA-F]/.test(body[j]!)) j++;
      chars.push(parseInt(body.slice(i, j) || '0', 16));
      i = j;
    } else if (/[0-7]/.test(e)) {
      const j = i - 1;
      let k = j;
      while (k < body.length && k < j + 3 && /[0-7]/.test(body[k]!)) k++;
      chars.push(parseInt(body.slice(j, k), 8));
      i = k;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      chars.push(parseInt(body.slice(i, i + n), 16));
      i += n;
    } else chars.push(e.charCodeAt(0));
  }
  if (wide) return BigInt(chars[chars.length - 1] ?? 0);
  if (chars.length === 1) return BigInt(chars[0]! > 127 ? chars[0]! - 256 : chars[0]!); // char is signed on x86
  let v = 0n;
  for (const c of chars) v = BigInt.asIntN(32, (v << 8n) | BigInt(c & 255));
  return v;
}
