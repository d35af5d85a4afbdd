// Structures and unions (C11 6.7.2.1): their definitions, members, bit-fields, and gcc's rules for
// what declares a member; each member keeps its source spelling when a macro made it.

import type { Loc } from '../core/source.js';
import { siteLoc, TK, type Token } from '../cpp/token.js';
import { LayoutError, sizeOf } from '../layout/layout.js';
import type { CType, FieldDecl, RecordAttrs, RecordDecl, TypeAttrs } from './ctype.js';
import { Parser, ParseError, Skip, type Attr, type DeclSpec } from './core.js';
import { ExprDepthError } from './expr.js';
import { strip } from './values.js';
import { newRecordDecl } from './types.js';

declare module './core.js' {
  interface Parser {
    tag: typeof tag;
    recordSpec: typeof recordSpec;
    recordAttrs: typeof recordAttrs;
    structDeclaration: typeof structDeclaration;
    spellingOf: typeof spellingOf;
    memberError: typeof memberError;
    flexibleArrayError: typeof flexibleArrayError;
    fieldAttrs: typeof fieldAttrs;
  }
}

/** A member's attributes when it has none (shared: TypeAttrs are never changed once made). */
const NO_TYPE_ATTRS: TypeAttrs = Object.freeze({});

/** Attributes a record may carry that change nothing recordAttrs reports (the rest are listed as unknown). */
const KNOWN_RECORD_ATTRS = new Set([
  'packed',
  'aligned',
  'designated_init',
  'randomize_layout',
  'no_randomize_layout',
  'ms_struct',
  'gcc_struct',
  'deprecated',
  'unused',
  'used',
  'may_alias',
  'visibility',
  'transparent_union',
  'warn_unused_result',
  'nonstring',
  'preserve_access_index',
  'btf_decl_tag',
  'btf_type_tag',
  'scalar_storage_order',
  'warn_if_not_aligned',
  'section',
  'unavailable',
  'noderef',
  'address_space',
  'context',
  'cleanup',
  'counted_by',
  'nocast',
  'noinit',
  'mode',
  'vector_size',
  'weak',
  'common',
  'nocommon',
]);

/** Attributes a member may carry that change nothing the layout reads (the rest are listed as unknown). */
const KNOWN_FIELD_ATTRS = new Set([
  'packed',
  'aligned',
  'mode',
  'vector_size',
  'deprecated',
  'unused',
  'used',
  'nonstring',
  'btf_type_tag',
  'btf_decl_tag',
  'noderef',
  'address_space',
  'context',
  'counted_by',
  'warn_if_not_aligned',
  'may_alias',
  'preserve_access_index',
  'nocast',
  'unavailable',
  'section',
  'designated_init',
  'randomize_layout',
  'no_randomize_layout',
  'visibility',
  'weak',
  'noinit',
  'cleanup',
  'format',
  'nonnull',
  'noreturn',
  'const',
  'pure',
  'malloc',
  'always_inline',
  'noinline',
  'cold',
  'hot',
  'warn_unused_result',
  'alloc_size',
  'sentinel',
  'access',
  'transparent_union',
  'scalar_storage_order',
  'user',
  'force',
  'bitwise',
  'safe',
  'iomem',
  'percpu',
  'rcu',
  'latent_entropy',
  'fallthrough',
]);

/** A struct, union or enum's tag (the attributes after it added to `attrs`), and where the tag ends. */
function tag(this: Parser, attrs: Attr[]): { name: string | null; afterName: number } {
  if (this.peek().kind !== TK.Ident || this.is('{')) return { name: null, afterName: this.pos };
  const name = this.next().text;
  const afterName = this.pos;
  this.attributesInto(attrs);
  return { name, afterName };
}

// struct-or-union-specifier: ('struct'|'union') attribute* identifier? ('{' struct-declaration* '}' attribute*)?
function recordSpec(this: Parser, kw: 'struct' | 'union'): CType {
  const kwTok = this.toks[this.pos - 1]!;
  const attrs = this.attributes();
  attrs.push(...(this.is('__declspec') ? this.declspecAttrs() : []));
  const { name, afterName } = this.tag(attrs);
  if (!this.is('{')) {
    if (name === null) {
      this.error(`expected '{' before '${this.peek().text}'`);
      throw new ParseError();
    }
    // No body: attributes after the tag are the declaration's, as gcc reads them
    // (`struct ts_config __attribute__((aligned(8))) *config;` aligns the member).
    this.pos = afterName;
    const existing = this.tags.get(name);
    // (`struct s;` alone in a block declares a new struct s there, hiding the outer one.)
    const hides = this.funcScope !== undefined && this.is(';') && !this.tagDeclaredHere(name);
    if (existing && 'tag' in existing && existing.tag === kw && !hides) return { kind: 'record', decl: existing };
    // Forward declaration (or use before definition).
    const decl = newRecordDecl(kw, name, siteLoc(kwTok), null);
    decl.scope = this.funcScope;
    this.tags.set(name, decl);
    return { kind: 'record', decl };
  }
  // Definition: complete an existing forward declaration in place.
  let decl: RecordDecl;
  const existing = name !== null ? this.tags.get(name) : undefined;
  if (existing && 'tag' in existing && existing.tag === kw && existing.fields === null && this.tagDeclaredHere(name!))
    decl = existing;
  else {
    decl = newRecordDecl(kw, name, siteLoc(kwTok), null);
    decl.scope = this.funcScope;
    if (name !== null) this.tags.set(name, decl);
  }
  decl.loc = siteLoc(kwTok);
  decl.tagLoc = siteLoc(name !== null ? this.toks[afterName - 1]! : this.peek());
  this.pos++; // '{'
  this.enter();
  const fields: FieldDecl[] = [];
  while (!this.is('}') && this.peek().kind !== TK.EOF) {
    const start = this.pos;
    const depth = this.depth;
    const exprDepth = this.exprDepth;
    try {
      this.structDeclaration(fields, decl);
    } catch (e) {
      if (!(e instanceof ParseError) && !(e instanceof ExprDepthError)) throw e;
      this.depth = depth;
      this.exprDepth = exprDepth;
      this.skip(Skip.Member);
    }
    if (this.pos === start) this.pos++;
  }
  this.leave();
  this.expect('}');
  this.attributesInto(attrs);
  decl.end = siteLoc(this.toks[this.pos - 1]!); // '}' or its attributes' last ')'
  decl.fields = fields;
  this.flexibleArrayError(decl, fields);
  decl.attrs = this.recordAttrs(attrs, decl, kwTok);
  if (this.pack) decl.pack = this.pack;
  this.records.push(decl);
  return { kind: 'record', decl };
}

/** A record's attributes as the layout reads them; the others are listed as unknown when they are. */
function recordAttrs(this: Parser, attrs: Attr[], decl: RecordDecl, kwTok: Token): RecordAttrs {
  // (Problems reported at the keyword: attributes after '}' stand outside the record's braces.)
  const ta = this.typeAttrs(attrs, true, kwTok);
  const r: { -readonly [K in keyof RecordAttrs]: RecordAttrs[K] } = {};
  if (ta.packed) r.packed = true;
  if (ta.aligned) r.aligned = ta.aligned;
  for (const a of attrs) {
    if (a.name === 'designated_init') r.designatedInit = true;
    else if (a.name === 'randomize_layout') r.randomizeLayout = true;
    else if (a.name === 'ms_struct') r.msStruct = true;
    else if (!KNOWN_RECORD_ATTRS.has(a.name)) (decl.unknownAttrs ??= []).push(a.name);
  }
  return r;
}

// struct-declaration: specifier-qualifier-list struct-declarator-list? ';' | static_assert
function structDeclaration(this: Parser, fields: FieldDecl[], decl: RecordDecl): void {
  if (this.pragmaSemicolonOrAssert()) return;
  const startTok = this.peek();
  const startIdx = this.pos;
  const spec = this.declSpec();
  const members: { name: string | null; type: CType; bitWidth: number | null; attrs: TypeAttrs; loc: Loc }[] = [];
  let afterWidth = false; // the last declarator has a bit-field width
  if (this.is(';') || this.is('}')) {
    // No declarator: a member only when the specifier defines a struct or union without a tag (C11's
    // anonymous members); `struct b { int x; };`, `union g1;`, `int;` declare nothing, as in gcc.
    // clang for MSVC (-fms-extensions) also takes a tagged or typedef'd record as an anonymous member.
    const s = strip(spec.type);
    const anonymous =
      s.kind === 'record' && (this.target.os === 'windows' || (spec.type.kind === 'record' && s.decl.name === null));
    if (anonymous)
      members.push({
        name: null,
        type: spec.type,
        bitWidth: null,
        attrs: this.fieldAttrs(spec, []),
        loc: siteLoc(startTok),
      });
    else this.warning('declaration does not declare anything', this.peek());
  } else {
    for (;;) {
      let name: string | null = null;
      let type = spec.type;
      let dattrs: Attr[] = [];
      let nameLoc = siteLoc(this.peek());
      let unnamed: Token | undefined;
      if (!this.is(':')) {
        const d = this.declarator(spec.type);
        name = d.name;
        type = d.type;
        dattrs = d.attrs;
        nameLoc = siteLoc(d.nameTok);
        // Only a bit-field may go without a name.
        if (name === null && !this.is(':')) unnamed = d.nameTok;
      }
      this.attributesInto(dattrs);
      let bitWidth: number | null = null;
      afterWidth = this.is(':');
      if (this.accept(':')) {
        const wTok = this.peek();
        const v = this.constExpr();
        bitWidth = v === undefined ? 0 : Number(v);
        if (v !== undefined && v < 0n) {
          this.error(`negative width in bit-field '${name ?? '<anonymous>'}'`, wTok);
          bitWidth = 0;
        }
        try {
          const size = sizeOf(type, this.target) * 8;
          if (bitWidth > size) {
            this.errorAt(`width of '${name ?? '<anonymous>'}' exceeds its type`, nameLoc);
            bitWidth = size;
          }
        } catch (e) {
          if (!(e instanceof LayoutError)) throw e;
        }
        if (bitWidth === 0 && name !== null) {
          this.error(`zero width for bit-field '${name}'`, wTok);
        }
        this.attributesInto(dattrs);
      }
      const allAttrs = [...spec.attrs, ...dattrs];
      type = this.applyTypeModes(type, allAttrs);
      if (unnamed) this.error(`expected identifier or '(' before ${this.before(unnamed)}`, unnamed);
      else members.push({ name, type, bitWidth, attrs: this.fieldAttrs(spec, allAttrs), loc: nameLoc });
      for (const a of allAttrs) {
        if (!KNOWN_FIELD_ATTRS.has(a.name)) (decl.unknownAttrs ??= []).push(a.name);
      }
      if (this.accept(',')) continue;
      break;
    }
  }
  const semi = this.peek();
  if (!this.is(';')) {
    if (this.is('}')) this.warning('no semicolon at end of struct or union', semi);
    else {
      // gcc's words: what may follow a declarator (a width excludes another ':' and attributes).
      const may = afterWidth ? "',', ';' or '}'" : "':', ',', ';', '}' or '__attribute__'";
      this.error(`expected ${may} before ${this.before(semi)}`, semi);
      throw new ParseError();
    }
  } else this.pos++;
  const spelling = this.spellingOf(startIdx, this.pos - 1);
  const startLoc = siteLoc(startTok);
  const endLoc = siteLoc(semi);
  for (const m of members) {
    const why = this.memberError(m.name, m.type, m.bitWidth, spec.alignas);
    if (why) {
      this.errorAt(why, m.loc);
      continue;
    }
    // (One literal with every field: spreads made each field object a slow dictionary.)
    fields.push({
      name: m.name,
      type: m.type,
      bitWidth: m.bitWidth,
      attrs: m.attrs,
      loc: m.loc,
      startLoc,
      endLoc,
      spelling: spelling || undefined,
      cond: startTok.cond,
      comment: undefined,
      leadingComment: undefined,
    });
  }
}

/** The source text of tokens [from, to) when a macro expanded any of them (struct rcu_head rcu_head
 *  is struct callback_head callback_head to the compiler), else undefined. */
function spellingOf(this: Parser, from: number, to: number): string | undefined {
  let expanded = false;
  for (let i = from; i < to; i++) if (this.toks[i]!.site) expanded = true;
  if (!expanded || to <= from) return undefined;
  // A declaration produced whole by one macro (struct_group's members) has no spelling of its own.
  const s0 = this.toks[from]!.site;
  const s1 = this.toks[to - 1]!.site;
  if (s0 && s1 && s0.file === s1.file && s0.pos === s1.pos) return undefined;
  const a = siteLoc(this.toks[from]!);
  const last = this.toks[to - 1]!;
  const b = siteLoc(last);
  if (a.file !== b.file || b.pos < a.pos) return undefined;
  const text = this.opts.sourceText?.(a.file);
  if (text === undefined) return undefined;
  // The last token's own length when it was spelled in place; a macro invocation ends at its ')'.
  let end = b.pos + (last.site ? 0 : last.text.length);
  if (last.site) {
    const close = matchParenEnd(text, b.pos);
    end = close ?? b.pos + 1;
  }
  const spelled = text
    .slice(a.pos, end)
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return spelled.length > 0 && spelled.length <= 200 ? spelled : undefined;
}

/** What gcc rejects in a member of this name, type, width and _Alignas, or undefined. */
function memberError(
  this: Parser,
  name: string | null,
  type: CType,
  bitWidth: number | null,
  alignas: number | undefined,
): string | undefined {
  const what = name ?? '<anonymous>';
  const s = strip(type);
  if (incompleteTag(s)) return `field '${what}' has incomplete type`;
  if (s.kind === 'func') return `field '${what}' declared as a function`;
  if (s.kind === 'void') return `variable or field '${what}' declared void`;
  if (s.kind === 'array') {
    // (gcc: a record member cannot be variably modified; an undeclared name in the size is one.)
    for (let a: CType = s; a.kind === 'array'; a = strip(a.of))
      if (a.variable)
        return this.funcScope === undefined
          ? `variably modified '${what}' at file scope`
          : `variably modified '${what}': its size is known only at run time, so the record has no fixed layout`;
    let e = strip(s.of);
    while (e.kind === 'array') e = strip(e.of);
    if (e.kind === 'void') return `declaration of '${what}' as array of voids`;
    const tag = incompleteTag(e);
    if (tag) return `array type has incomplete element type '${tag}'`;
  }
  if (bitWidth !== null && s.kind !== 'int' && s.kind !== 'enum') return `bit-field '${what}' has invalid type`;
  if (alignas !== undefined && name !== null && alignas < this.alignOfSafe(type))
    return `'_Alignas' specifiers cannot reduce alignment of '${name}'`;
  return undefined;
}

/** A flexible array member where gcc refuses one: in a union, before the end, or alone. */
function flexibleArrayError(this: Parser, decl: RecordDecl, fields: readonly FieldDecl[]): void {
  let named = false;
  fields.forEach((f, i) => {
    const s = strip(f.type);
    if (s.kind === 'array' && s.length === null) {
      const why =
        decl.tag === 'union'
          ? 'flexible array member in union'
          : i < fields.length - 1
            ? 'flexible array member not at end of struct'
            : !named
              ? 'flexible array member in a struct with no named members'
              : undefined;
      if (why) this.errorAt(why, f.loc);
    }
    if (f.name !== null || f.bitWidth === null) named = true;
  });
}

/** A member's packed/aligned from its specifiers' attributes, its declarator's, and _Alignas. */
function fieldAttrs(this: Parser, spec: DeclSpec, attrs: Attr[]): TypeAttrs {
  if (spec.attrs.length === 0 && attrs.length === 0 && !spec.alignas) return NO_TYPE_ATTRS;
  const ta = this.typeAttrs([...spec.attrs.filter((a) => !attrs.includes(a)), ...attrs]);
  if (spec.alignas) return { ...ta, aligned: Math.max(ta.aligned ?? 0, spec.alignas) };
  return ta;
}

/** `struct x` for a struct or union without its body, `enum x` for an enum without its list (or
 *  fixed type); undefined for a complete type. */
function incompleteTag(s: CType): string | undefined {
  if (s.kind === 'record' && s.decl.fields === null) return `${s.decl.tag} ${s.decl.name ?? '<anonymous>'}`;
  if (s.kind === 'enum' && s.decl.values === null && s.decl.fixed === undefined)
    return `enum ${s.decl.name ?? '<anonymous>'}`;
  return undefined;
}

/** End offset (exclusive) of an identifier at `pos` and its parenthesised argument list, if any. */
function matchParenEnd(text: string, pos: number): number | undefined {
  let i = pos;
  while (i < text.length && /[\w$]/.test(text[i]!)) i++;
  let j = i;
  while (j < text.length && /\s/.test(text[j]!)) j++;
  if (text[j] !== '(') return i;
  let depth = 0;
  for (; j < text.length; j++) {
    if (text[j] === '(') depth++;
    else if (text[j] === ')' && --depth === 0) return j + 1;
  }
  return undefined;
}

Object.assign(Parser.prototype, {
  tag,
  recordSpec,
  recordAttrs,
  structDeclaration,
  spellingOf,
  memberError,
  flexibleArrayError,
  fieldAttrs,
});
