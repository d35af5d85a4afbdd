// C's integer semantics as layouts need them, in bigint: the types of integer literals, the usual
// arithmetic conversions, operators with wrap-around at each type's width, casts, and gcc's
// __builtin_types_compatible_p. The expression grammar that uses them is expr.ts.

import { parseIntLiteral } from '../cpp/ifexpr.js';
import type { Token } from '../cpp/token.js';
import type { IntKind, Target } from '../target/target.js';
import type { CType } from './ctype.js';

export interface Val {
  readonly type: CType;
  /** Integer value when the expression is an integer constant. */
  readonly value?: bigint;
  /** Floating value when known. */
  readonly fvalue?: number;
}

export const INT: CType = { kind: 'int', ik: 'int' };
export const ULONG: CType = { kind: 'int', ik: 'ulong' }; // size_t on LP64; sizes never exceed it
const LONG: CType = { kind: 'int', ik: 'long' };

const RANK: Record<IntKind, number> = {
  bool: 0,
  char: 1,
  schar: 1,
  uchar: 1,
  short: 2,
  ushort: 2,
  int: 3,
  uint: 3,
  long: 4,
  ulong: 4,
  llong: 5,
  ullong: 5,
  int128: 6,
  uint128: 6,
};
const UNSIGNED_KINDS = new Set<IntKind>(['bool', 'uchar', 'ushort', 'uint', 'ulong', 'ullong', 'uint128']);
const TO_UNSIGNED: Partial<Record<IntKind, IntKind>> = {
  int: 'uint',
  long: 'ulong',
  llong: 'ullong',
  int128: 'uint128',
};

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

/** The integer promotions: types narrower than int become int. */
export function promote(t: CType): CType {
  const s = strip(t);
  if (s.kind === 'enum') return INT;
  if (s.kind !== 'int') return s;
  if (RANK[s.ik] < 3) return INT;
  return s;
}

export function arith(a: CType, b: CType, target: Target): CType {
  const x = promote(a);
  const y = promote(b);
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

export function binop(target: Target, op: string, a: Val, b: Val): Val {
  if (op === '&&' || op === '||') {
    if (a.value !== undefined && ((op === '&&' && a.value === 0n) || (op === '||' && a.value !== 0n)))
      return { type: INT, value: op === '||' ? 1n : 0n };
    if (a.value === undefined || b.value === undefined) return { type: INT };
    return {
      type: INT,
      value: (op === '&&' ? a.value !== 0n && b.value !== 0n : a.value !== 0n || b.value !== 0n) ? 1n : 0n,
    };
  }
  const cmp = op === '<' || op === '>' || op === '<=' || op === '>=' || op === '==' || op === '!=';
  if (op === '<<' || op === '>>') {
    const type = promote(a.type);
    if (a.value === undefined || b.value === undefined) return { type };
    const sh = b.value;
    const v = op === '<<' ? a.value << sh : wrapTo(a.value, type, target) >> sh;
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
    case '*':
      v = x * y;
      break;
    case '/':
      if (y === 0n) return { type };
      v = x / y;
      break;
    case '%':
      if (y === 0n) return { type };
      v = x % y;
      break;
    case '+':
      v = x + y;
      break;
    case '-':
      v = x - y;
      break;
    case '&':
      v = x & y;
      break;
    case '^':
      v = x ^ y;
      break;
    case '|':
      v = x | y;
      break;
    case '<':
      return { type: INT, value: x < y ? 1n : 0n };
    case '>':
      return { type: INT, value: x > y ? 1n : 0n };
    case '<=':
      return { type: INT, value: x <= y ? 1n : 0n };
    case '>=':
      return { type: INT, value: x >= y ? 1n : 0n };
    case '==':
      return { type: INT, value: x === y ? 1n : 0n };
    case '!=':
      return { type: INT, value: x !== y ? 1n : 0n };
    default:
      return { type };
  }
  return { type, value: wrapTo(v, type, target) };
}

function fop(op: string, x: number, y: number): number {
  switch (op) {
    case '*':
      return x * y;
    case '/':
      return x / y;
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '<':
      return +(x < y);
    case '>':
      return +(x > y);
    case '<=':
      return +(x <= y);
    case '>=':
      return +(x >= y);
    case '==':
      return +(x === y);
    case '!=':
      return +(x !== y);
  }
  return NaN;
}

export function castTo(target: Target, v: Val, type: CType): Val {
  const s = strip(type);
  if (s.kind === 'int' || s.kind === 'enum' || s.kind === 'pointer') {
    if (v.value !== undefined) return { type, value: wrapTo(v.value, type, target) };
    if (v.fvalue !== undefined && Number.isFinite(v.fvalue))
      return { type, value: wrapTo(BigInt(Math.trunc(v.fvalue)), type, target) };
    return { type };
  }
  if (s.kind === 'float') return { type, fvalue: v.fvalue ?? (v.value !== undefined ? Number(v.value) : undefined) };
  return { type };
}

/** gcc's __builtin_types_compatible_p: qualifiers ignored at the top level, typedefs transparent. */
export function typesCompatible(a: CType, b: CType): boolean {
  const x = strip(a);
  const y = strip(b);
  if (x.kind !== y.kind) return false;
  switch (x.kind) {
    case 'void':
      return true;
    case 'int':
      return x.ik === (y as typeof x).ik;
    case 'float':
      return x.fk === (y as typeof x).fk && !!x.complex === !!(y as typeof x).complex;
    case 'pointer':
      return typesCompatible(x.to, (y as typeof x).to) && sameQuals(strip(x.to), strip((y as typeof x).to));
    case 'array': {
      const yy = y as typeof x;
      return typesCompatible(x.of, yy.of) && (x.length === null || yy.length === null || x.length === yy.length);
    }
    case 'record':
      return x.decl === (y as typeof x).decl;
    case 'enum':
      return x.decl === (y as typeof x).decl;
    case 'func':
      return typesCompatible(x.ret, (y as typeof x).ret);
    case 'vector':
      return x.size === (y as typeof x).size && typesCompatible(x.of, (y as typeof x).of);
    default:
      return false;
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
      if (r.value <= intMax(target.ints[k].size, UNSIGNED_KINDS.has(k)))
        return { type: { kind: 'int', ik: k }, value: r.value };
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

export function stringLength(text: string): number {
  // Counts characters of concatenated literals (escape sequences count as one).
  let n = 0;
  const re = /(?:[LuU]|u8)?"((?:[^"\\]|\\.)*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) n += m[1]!.replace(/\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)/g, 'x').length;
  return n;
}
