// GNU attributes (__attribute__((...)), __declspec(...)) and what they do to a layout: aligned and
// packed (with gcc's checks on alignments), mode and vector_size, and attributes inside declarators.

import { TK, token, type Token } from '../cpp/token.js';
import type { CType, TypeAttrs } from './ctype.js';
import { Parser, Skip, type Attr } from './core.js';
import { parseAssign } from './expr.js';
import { strip } from './values.js';
import { intKindOfSize, withQuals } from './types.js';

declare module './core.js' {
  interface Parser {
    attributes: typeof attributes;
    attributesInto: typeof attributesInto;
    declspecAttrs: typeof declspecAttrs;
    validAlignment: typeof validAlignment;
    attrInt: typeof attrInt;
    attrValue: typeof attrValue;
    typeAttrs: typeof typeAttrs;
    applyTypeModes: typeof applyTypeModes;
    typeWithAttrs: typeof typeWithAttrs;
  }
}

/** gcc's largest alignment (check_user_alignment: 2^(host int bits - log2(bits per byte) - 1)). */
const MAX_ALIGNMENT = 1n << 28n;

// attribute-specifier: __attribute__ '((' attribute-list '))'   (any number in a row)
/** Attribute specifiers that follow, in a new array. */
function attributes(this: Parser): Attr[] {
  return this.attributesInto([]);
}

/** Appends the attribute specifiers that follow to `out` and returns it. (Most places where one
 *  may stand have none: one look at the next token then, no array made or spread.) */
function attributesInto(this: Parser, out: Attr[]): Attr[] {
  for (;;) {
    const t = this.peek();
    if (t.kind !== TK.Ident || (t.text !== '__attribute__' && t.text !== '__attribute')) return out;
    this.pos++;
    this.expect('(');
    this.expect('(');
    for (;;) {
      if (this.is(')')) break;
      if (this.accept(',')) continue;
      const nameTok = this.next();
      if (nameTok.kind === TK.EOF) this.expect(')'); // reports the open attribute and throws
      let name = nameTok.text;
      if (this.is('::')) {
        this.pos++;
        name = this.next().text;
      }
      if (name.startsWith('__') && name.endsWith('__') && name.length > 4) name = name.slice(2, -2);
      const args: Token[][] = [];
      if (this.is('(')) {
        this.pos++;
        let cur: Token[] = [];
        let depth = 0;
        for (;;) {
          const t = this.next();
          if (t.kind === TK.EOF) break;
          if (t.kind === TK.Punct) {
            if (t.text === '(') depth++;
            else if (t.text === ')') {
              if (depth === 0) break;
              depth--;
            } else if (t.text === ',' && depth === 0) {
              args.push(cur);
              cur = [];
              continue;
            }
          }
          cur.push(t);
        }
        args.push(cur);
      }
      out.push({ name, args, tok: nameTok });
    }
    this.expect(')');
    this.expect(')');
  }
}

// declspec: '__declspec' '(' (identifier ('(' tokens ')')?)* ')'   (align(N) is aligned(N))
function declspecAttrs(this: Parser): Attr[] {
  const kw = this.next();
  this.expect('(');
  const out: Attr[] = [];
  while (!this.is(')') && this.peek().kind !== TK.EOF) {
    const nameTok = this.next();
    const args: Token[][] = [];
    if (this.is('(')) {
      const start = this.pos + 1;
      this.skip(Skip.Group);
      args.push(this.toks.slice(start, this.pos - 1));
    }
    out.push({ name: nameTok.text === 'align' ? 'aligned' : nameTok.text, args, tok: nameTok ?? kw });
  }
  this.expect(')');
  return out;
}

/** An alignment asked for by aligned(N) or _Alignas(N), or undefined (and gcc's error) when N is not
 *  a power of 2 or passes gcc's maximum (2^28, whatever the target). */
function validAlignment(this: Parser, v: bigint, at: Token): number | undefined {
  if (v <= 0n || (v & (v - 1n)) !== 0n) this.error(`requested alignment '${v}' is not a positive power of 2`, at);
  else if (v > MAX_ALIGNMENT) this.error(`requested alignment '${v}' exceeds maximum ${MAX_ALIGNMENT}`, at);
  else return Number(v);
  return undefined;
}

/** Evaluates an attribute argument as an integer constant expression. */
function attrInt(this: Parser, tokens: Token[] | undefined): number | undefined {
  const v = this.attrValue(tokens);
  return v === undefined ? undefined : Number(v);
}

function attrValue(this: Parser, tokens: Token[] | undefined): bigint | undefined {
  if (!tokens || tokens.length === 0) return undefined;
  const saveToks = this.toks;
  const savePos = this.pos;
  const eof: Token = token(TK.EOF, '', tokens[0]!.file, tokens[0]!.pos, 0);
  this.toks = [...tokens, eof];
  this.pos = 0;
  try {
    const v = parseAssign(this);
    if (v.value === undefined) {
      this.error('requested alignment is not an integer constant', tokens[0]);
      return undefined;
    }
    return v.value;
  } finally {
    this.toks = saveToks;
    this.pos = savePos;
  }
}

/** packed/aligned from attributes. On fields the strictest aligned() wins; on types (records,
 *  typedefs) the last one does, as gcc applies them in order. */
function typeAttrs(this: Parser, attrs: Attr[], lastWins = false, reportAt?: Token): TypeAttrs {
  let aligned: number | undefined;
  let packed: boolean | undefined;
  for (const a of attrs) {
    if (a.name === 'aligned') {
      const v = a.args.length ? this.attrValue(a.args[0]) : BigInt(this.target.biggestAlign);
      const at = reportAt ?? a.args[0]?.[0] ?? a.tok;
      // aligned(0) is ignored with a warning (gcc's -Wattributes).
      if (v === 0n) this.warning("requested alignment '0' is not a positive power of 2", at);
      const n = v === undefined || v === 0n ? undefined : this.validAlignment(v, at);
      if (n !== undefined) aligned = lastWins ? n : Math.max(aligned ?? 0, n);
    } else if (a.name === 'packed') packed = true;
  }
  // (Each result made whole by one literal: properties added one by one give objects of several
  // hidden classes at one store, which throws optimised code away when a new one turns up.)
  if (aligned !== undefined) return packed ? { aligned, packed: true } : { aligned };
  return packed ? { packed: true } : {};
}

/** mode(...) and vector_size(...) change the declared type itself. */
function applyTypeModes(this: Parser, type: CType, attrs: Attr[]): CType {
  for (const a of attrs) {
    if (a.name === 'mode' && a.args[0]?.[0]) {
      let m = a.args[0][0].text;
      if (m.startsWith('__') && m.endsWith('__')) m = m.slice(2, -2);
      const s = strip(type);
      const unsigned =
        s.kind === 'int' && ['uchar', 'ushort', 'uint', 'ulong', 'ullong', 'uint128', 'bool'].includes(s.ik);
      const bytes: Record<string, number> = {
        QI: 1,
        HI: 2,
        SI: 4,
        DI: 8,
        TI: 16,
        byte: 1,
        word: this.target.pointer.size,
        pointer: this.target.pointer.size,
      };
      if (bytes[m] !== undefined && (s.kind === 'int' || s.kind === 'enum')) {
        const ik = intKindOfSize(bytes[m]!, unsigned, this.target);
        if (s.kind === 'enum') s.decl.attrs = { ...s.decl.attrs, mode: ik };
        else type = withQuals({ kind: 'int', ik }, type.q);
      } else if (m === 'SF') type = { kind: 'float', fk: 'float' };
      else if (m === 'DF') type = { kind: 'float', fk: 'double' };
      else if (m === 'XF') type = { kind: 'float', fk: 'ldouble' };
      else if (m === 'TF') type = { kind: 'float', fk: 'float128' };
    } else if (a.name === 'vector_size') {
      const n = this.attrInt(a.args[0]);
      if (n !== undefined) type = { kind: 'vector', of: type, size: n };
    }
  }
  return type;
}

/** `type` with the attributes an abstract position gives it: aligned() makes an aligned type (which,
 *  like a typedef's, may also lower the alignment), packed is ignored on such a type (gcc warns), and
 *  the rest are the declaration's, added to `rest`. */
function typeWithAttrs(this: Parser, type: CType, own: Attr[], rest: Attr[]): CType {
  let aligned = false;
  for (const a of own) {
    if (a.name === 'aligned') aligned = true;
    else if (a.name !== 'packed') rest.push(a);
  }
  if (!aligned) return type;
  const ta = this.typeAttrs(
    own.filter((a) => a.name === 'aligned'),
    true,
  );
  return ta.aligned ? { kind: 'typedef', name: '', to: type, attrs: { aligned: ta.aligned } } : type;
}

Object.assign(Parser.prototype, {
  attributes,
  attributesInto,
  declspecAttrs,
  validAlignment,
  attrInt,
  attrValue,
  typeAttrs,
  applyTypeModes,
  typeWithAttrs,
});
