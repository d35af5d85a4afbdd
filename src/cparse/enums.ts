// Enumerations (C11 6.7.2.2) with gcc's rules for the type of each constant and of the enumeration,
// and its 'overflow in enumeration values'.

import { siteLoc, TK, type Token } from '../cpp/token.js';
import { enumIntKind } from '../layout/layout.js';
import type { IntKind, Target } from '../target/target.js';
import type { CType, EnumDecl } from './ctype.js';
import { Parser, ParseError } from './core.js';
import { INT, isUnsigned, strip, wrapTo } from './values.js';
import { intKindOfSize, newId } from './types.js';

declare module './core.js' {
  interface Parser {
    enumSpec: typeof enumSpec;
    wideEnumConstType: typeof wideEnumConstType;
  }
}

// enum-specifier: 'enum' attribute* identifier? (':' type)? ('{' enumerator-list ','? '}' attribute*)?
function enumSpec(this: Parser): CType {
  const kwTok = this.toks[this.pos - 1]!;
  const attrs = this.attributes();
  const { name, afterName } = this.tag(attrs);
  let fixed: IntKind | undefined;
  if (this.is(':') && this.isTypeStart(1)) {
    this.pos++;
    const ft = strip(this.typeName());
    if (ft.kind === 'int') fixed = ft.ik;
  }
  if (!this.is('{')) {
    if (name === null) {
      this.error(`expected '{' before '${this.peek().text}'`);
      throw new ParseError();
    }
    if (fixed === undefined) this.pos = afterName; // the declaration's attributes, as for a record
    const existing = this.tags.get(name);
    if (existing && !('tag' in existing)) return { kind: 'enum', decl: existing };
    const decl: EnumDecl = { name, id: newId(), values: null, attrs: {}, loc: siteLoc(kwTok), fixed };
    this.tags.set(name, decl);
    return { kind: 'enum', decl };
  }
  this.pos++;
  const existing = name !== null ? this.tags.get(name) : undefined;
  const decl: EnumDecl =
    existing && !('tag' in existing) && this.tagDeclaredHere(name!)
      ? existing
      : { name, id: newId(), values: null, attrs: {}, loc: siteLoc(kwTok), fixed };
  if (name !== null) this.tags.set(name, decl);
  const values: { name: string; value: bigint }[] = [];
  // GCC's rules (build_enumerator, finish_enum): a constant whose value fits in int has type int;
  // one that does not (`BIT(31)`, 1UL << 31) has, until the closing brace, its initializer's type
  // widened to int's width at least (unsigned long here), and after it the enumeration's type. So
  // `HIGH | ONCE` inside stays 0x80000002, not a negative int, and the enum stays 4 bytes.
  const wide: { name: string; value: bigint }[] = [];
  const intBits = BigInt(this.target.ints.int.size * 8);
  const intMin = -(1n << (intBits - 1n));
  const intMax = (1n << (intBits - 1n)) - 1n;
  let next = 0n;
  let nextType: CType = INT;
  // gcc's enum_overflow: the implicit next value is the last one plus 1 in the last one's type.
  let overflow = false;
  let last: Token | undefined;
  while (!this.is('}') && this.peek().kind !== TK.EOF) {
    const id = this.next();
    last = id;
    if (id.kind !== TK.Ident) {
      this.error(`expected identifier before '${id.text}'`, id);
      throw new ParseError();
    }
    this.attributes();
    if (this.accept('=')) {
      const v = this.constVal();
      if (v) {
        next = v.value!;
        nextType = v.type;
      }
    } else if (overflow) {
      this.error('overflow in enumeration values', id);
      next = wrapTo(next, nextType, this.target); // gcc goes on from the wrapped value
    }
    values.push({ name: id.text, value: next });
    if (next >= intMin && next <= intMax) {
      this.enumConsts.set(id.text, { type: INT, value: next });
      nextType = INT;
    } else {
      nextType = this.wideEnumConstType(nextType);
      this.enumConsts.set(id.text, { type: nextType, value: next });
      wide.push({ name: id.text, value: next });
    }
    overflow = next >= maxOf(nextType, this.target);
    next++;
    if (!this.accept(',')) break;
  }
  this.expect('}');
  this.attributesInto(attrs);
  const ta = this.typeAttrs(attrs);
  decl.values = values;
  if (last && enumPrecision(values) > 64 && enumPrecision(values) !== 128) {
    // gcc's finish_enum finds no integer type of that precision (it has exactly 128 in __int128).
    this.warning('enumeration values exceed range of largest integer', last);
  }
  decl.attrs = {
    ...decl.attrs,
    ...(ta.packed ? { packed: true } : {}),
    ...(ta.aligned ? { aligned: ta.aligned } : {}),
  };
  for (const a of attrs) {
    if (a.name === 'mode') this.applyTypeModes({ kind: 'enum', decl }, [a]);
  }
  if (wide.length) {
    const type: CType = { kind: 'int', ik: enumIntKind(decl, this.target) };
    for (const w of wide) this.enumConsts.set(w.name, { type, value: w.value });
  }
  return { kind: 'enum', decl };
}

/** The type an enumeration constant too big for int has inside its enumeration: its initializer's
 *  type, at least as wide as int (GCC's c_common_type_for_size of that width and signedness). */
function wideEnumConstType(this: Parser, t: CType): CType {
  const s = strip(t);
  const ik: IntKind =
    s.kind === 'int'
      ? s.ik
      : s.kind === 'enum' && (s.decl.values || s.decl.fixed)
        ? enumIntKind(s.decl, this.target)
        : 'long';
  const bytes = Math.max(this.target.ints[ik].size, this.target.ints.int.size);
  const unsigned =
    this.target.ints[ik].size >= this.target.ints.int.size && isUnsigned({ kind: 'int', ik }, this.target);
  return { kind: 'int', ik: intKindOfSize(bytes, unsigned, this.target) };
}

/** The largest value of an integer type. */
/** The bits an enumeration's values need (a sign bit included when one is negative), as gcc counts. */
function enumPrecision(values: readonly { value: bigint }[]): number {
  let min = 0n;
  let max = 0n;
  for (const { value } of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const bits = (v: bigint): number => (v === 0n ? 0 : v.toString(2).length);
  return min < 0n ? Math.max(bits(-min - 1n), bits(max)) + 1 : bits(max);
}

function maxOf(t: CType, target: Target): bigint {
  const s = strip(t);
  const bits = BigInt(s.kind === 'int' ? target.ints[s.ik].size * 8 : target.ints.int.size * 8);
  return isUnsigned(s, target) ? (1n << bits) - 1n : (1n << (bits - 1n)) - 1n;
}

Object.assign(Parser.prototype, { enumSpec, wideEnumConstType });
