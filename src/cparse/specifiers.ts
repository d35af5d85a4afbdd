// Declaration specifiers (C11 6.7.1-6.7.5) and type names (6.7.7): storage classes, type specifiers
// and qualifiers, _Alignas, typeof; one lookup in the keyword table decides what each word is.

import { TK } from '../cpp/token.js';
import type { CType, Quals } from './ctype.js';
import { Parser, ParseError, type Attr, type DeclSpec } from './core.js';
import { parseExpr } from './expr.js';
import { INT } from './values.js';
import { SPECIFIER_WORDS, SW } from './keywords.js';
import { typeSpelling, withQuals } from './types.js';

declare module './core.js' {
  interface Parser {
    declSpec: typeof declSpec;
    typeName: typeof typeName;
    parseTypeName: typeof parseTypeName;
  }
}

// declaration-specifiers: (storage-class | type-specifier | type-qualifier | function-specifier |
//                          alignment-specifier | attribute)+
function declSpec(this: Parser): DeclSpec {
  const startTok = this.peek();
  const attrs: Attr[] = [];
  let storage: DeclSpec['storage'];
  let qConst = false,
    qVolatile = false,
    qRestrict = false,
    qAtomic = false;
  let base: CType | undefined;
  let alignas: number | undefined;
  let nSigned = 0,
    nUnsigned = 0,
    nShort = 0,
    nLong = 0,
    nChar = 0,
    nInt = 0,
    nComplex = 0;
  let fk: 'float' | 'double' | undefined;
  let other: CType | undefined;
  let seenAny = false;
  for (;;) {
    const t = this.peek();
    if (t.kind === TK.Pragma) {
      this.pos++;
      this.pragma(t);
      continue;
    }
    if (t.kind !== TK.Ident) break;
    const n = t.text;
    // One lookup decides what a word is (not a chain of comparisons, which a typedef name runs through).
    const w = SPECIFIER_WORDS.get(n);
    if (w === undefined) {
      // A typedef name, unless we already have a type (then it is the declarator's name).
      if (!seenAny && this.typedefs.has(n)) {
        this.pos++;
        seenAny = true;
        other = this.typedefs.get(n)!;
        continue;
      }
      break;
    }
    switch (w) {
      case SW.Attribute:
        this.attributesInto(attrs);
        continue;
      case SW.Declspec:
        attrs.push(...this.declspecAttrs());
        continue;
      case SW.Storage:
        this.pos++;
        storage = n as DeclSpec['storage'];
        continue;
      case SW.Ignored:
        this.pos++;
        continue;
      case SW.Const:
        this.pos++;
        qConst = true;
        continue;
      case SW.Volatile:
        this.pos++;
        qVolatile = true;
        continue;
      case SW.Restrict:
        this.pos++;
        qRestrict = true;
        continue;
      case SW.Atomic:
        this.pos++;
        if (this.is('(')) {
          this.pos++;
          other = this.typeName();
          this.expect(')');
          seenAny = true;
        }
        qAtomic = true;
        continue;
      case SW.Alignas: {
        this.pos++;
        this.expect('(');
        let a: number | undefined;
        if (this.isTypeStart()) a = this.alignOfSafe(this.typeName());
        else {
          const at = this.peek();
          const v = this.constExpr();
          // _Alignas(0) has no effect (C11 6.7.5p6).
          if (v !== undefined && v !== 0n) a = this.validAlignment(v, at);
        }
        this.expect(')');
        if (a !== undefined) alignas = Math.max(alignas ?? 0, a);
        continue;
      }
    }
    // Type specifiers.
    this.pos++;
    seenAny = true;
    switch (w) {
      case SW.Void:
        other = { kind: 'void' };
        continue;
      case SW.Bool:
        other = { kind: 'int', ik: 'bool' };
        continue;
      case SW.Char:
        nChar++;
        continue;
      case SW.Short:
        nShort++;
        continue;
      case SW.Int:
        nInt++;
        continue;
      case SW.Long:
        nLong++;
        continue;
      case SW.Signed:
        nSigned++;
        continue;
      case SW.Unsigned:
        nUnsigned++;
        continue;
      case SW.Float:
        fk = 'float';
        continue;
      case SW.Double:
        fk = 'double';
        continue;
      case SW.Complex:
        nComplex++;
        continue;
      case SW.Int128:
        if (this.target.noInt128) this.error(`'__int128' is not supported on ${this.target.triple}`, t);
        other = { kind: 'int', ik: 'int128' };
        continue;
      case SW.Float128:
        other = {
          kind: 'float',
          fk:
            n === '_Float64x' && (this.target.arch === 'x86_64' || this.target.arch === 'i386')
              ? 'ldouble'
              : 'float128',
        };
        continue;
      case SW.Float16:
        other = { kind: 'float', fk: 'float16' };
        continue;
      case SW.BFloat16:
        other = { kind: 'float', fk: 'bfloat16' };
        continue;
      case SW.Float32:
        other = { kind: 'float', fk: 'float' };
        continue;
      case SW.Float64:
        other = { kind: 'float', fk: 'double' };
        continue;
      case SW.Decimal32:
        other = { kind: 'float', fk: 'decimal32' };
        continue;
      case SW.Decimal64:
        other = { kind: 'float', fk: 'decimal64' };
        continue;
      case SW.Decimal128:
        other = { kind: 'float', fk: 'decimal128' };
        continue;
      case SW.VaList:
        other = { kind: 'typedef', name: '__builtin_va_list', to: this.vaList, attrs: {} };
        continue;
      case SW.AutoType:
        other = INT;
        continue;
      case SW.Record:
        other = this.recordSpec(n as 'struct' | 'union');
        continue;
      case SW.Enum:
        other = this.enumSpec();
        continue;
      case SW.Typeof: {
        this.expect('(');
        if (this.isTypeStart()) other = this.typeName();
        else other = parseExpr(this).type;
        this.expect(')');
        if (n.includes('unqual')) other = withQuals(other, undefined);
        continue;
      }
    }
  }
  const anyQual = qConst || qVolatile || qRestrict || qAtomic;
  if (other) base = other;
  else if (fk) {
    const fkind = fk === 'double' ? (nLong ? 'ldouble' : 'double') : 'float';
    base = { kind: 'float', fk: fkind, complex: nComplex > 0 || undefined };
  } else if (nChar) base = { kind: 'int', ik: nUnsigned ? 'uchar' : nSigned ? 'schar' : 'char' };
  else if (nShort) base = { kind: 'int', ik: nUnsigned ? 'ushort' : 'short' };
  else if (nLong >= 2) base = { kind: 'int', ik: nUnsigned ? 'ullong' : 'llong' };
  else if (nLong === 1) base = { kind: 'int', ik: nUnsigned ? 'ulong' : 'long' };
  else if (nInt || nSigned || nUnsigned) base = { kind: 'int', ik: nUnsigned ? 'uint' : 'int' };
  else if (nComplex) base = { kind: 'float', fk: 'double', complex: true };
  else {
    if (!seenAny && !storage && attrs.length === 0 && !anyQual) {
      this.error(`unknown type name '${this.peek().text}'`, this.peek());
      throw new ParseError();
    }
    base = INT;
  }
  if (other && other.kind === 'int' && other.ik === 'int128' && nUnsigned) base = { kind: 'int', ik: 'uint128' };
  if (other && other.kind === 'float' && nComplex) base = { ...other, complex: true };
  if (anyQual) {
    const q: { -readonly [K in keyof Quals]: Quals[K] } = {};
    if (qConst) q.const = true;
    if (qVolatile) q.volatile = true;
    if (qRestrict) q.restrict = true;
    if (qAtomic) q.atomic = true;
    base = withQuals(base, q);
  }
  return { type: base, storage, attrs, alignas, startTok };
}

// type-name: specifier-qualifier-list abstract-declarator?
function typeName(this: Parser): CType {
  // typeof, _Atomic( and _Alignas( nest type names in declaration specifiers: counted as nesting.
  this.enter();
  const spec = this.declSpec();
  const d = this.declarator(spec.type);
  let t = this.applyTypeModes(d.type, [...spec.attrs, ...d.attrs]);
  const ta = this.typeAttrs([...spec.attrs, ...d.attrs]);
  if (ta.aligned) t = { kind: 'typedef', name: typeSpelling(t), to: t, attrs: ta };
  this.leave();
  return t;
}

/** ExprHost's name for typeName. */
function parseTypeName(this: Parser): CType {
  return this.typeName();
}

Object.assign(Parser.prototype, { declSpec, typeName, parseTypeName });
