// Declaration parser for C11 plus the GNU C that real headers use (recursive descent over the
// preprocessor's tokens, after chibicc's parse.c). It builds CType values and record/enum/typedef
// tables; function bodies and initializers are skipped by bracket matching because they never affect
// a layout. Errors are reported with the token's expansion site and recovery resumes at ';' or '}'.

import type { Diagnostics } from '../core/diag.js';
import type { Loc } from '../core/source.js';
import { siteLoc, TK, token, type Token } from '../cpp/token.js';
import { enumIntKind, LayoutError, sizeOf } from '../layout/layout.js';
import type { IntKind, Target } from '../target/target.js';
import type { CType, EnumDecl, FieldDecl, Quals, RecordAttrs, RecordDecl, TypeAttrs } from './ctype.js';
import { ExprDepthError, INT, isUnsigned, parseAssign, parseCond, parseExpr, strip, type ExprHost, type Val } from './expr.js';

export interface ParseOptions {
  readonly target: Target;
  readonly diags: Diagnostics;
  /** Source text by file id, for spelling members as written. */
  sourceText?(fileId: number): string | undefined;
  includeChainOf?(fileId: number): Loc[];
}

export interface ParseResult {
  /** Every struct/union definition, in order of their closing brace. */
  readonly records: RecordDecl[];
  readonly typedefs: Map<string, CType>;
  readonly tags: Map<string, RecordDecl | EnumDecl>;
  /** Variables and functions declared at file scope. */
  readonly vars: Map<string, CType>;
}

interface Attr {
  readonly name: string;
  readonly args: Token[][];
  readonly tok: Token;
}

interface DeclSpec {
  type: CType;
  storage?: 'typedef' | 'extern' | 'static' | 'auto' | 'register';
  attrs: Attr[];
  /** Alignment from _Alignas. */
  alignas?: number;
  startTok: Token;
}

class ParseError extends Error {}

const MAX_DEPTH = 256;

const TYPE_KEYWORDS = new Set([
  'void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool', '_Complex', '__complex__', '__complex',
  'struct', 'union', 'enum', 'const', 'volatile', 'restrict', '__restrict', '__restrict__', '__const', '__const__', '__volatile',
  '__volatile__', '_Atomic', '_Alignas', 'alignas', '__int128', '__int128_t', '__uint128_t', '_Float128', '__float128', '_Float16', '__fp16',
  '_Float32', '_Float64', '_Float32x', '_Float64x', '_Float128x', '__bf16', '__ieee128', '__ibm128', '__signed', '__signed__', '__unsigned', 'typeof',
  '__typeof__', '__typeof', '__auto_type', 'typedef', 'extern', 'static', 'auto', 'register', 'inline', '__inline', '__inline__',
  '_Noreturn', '__thread', '_Thread_local', 'thread_local', '__attribute__', '__attribute', '__extension__', '__declspec',
  '__builtin_va_list', '_Decimal32', '_Decimal64', '_Decimal128', '__seg_fs', '__seg_gs', 'bool', 'constexpr', 'typeof_unqual',
  '__typeof_unqual__', '__cdecl', '__stdcall', '__fastcall', '__forceinline', '__w64', '__ptr64', '__ptr32', '__unaligned',
]);

/** What a word among declaration specifiers is (declSpec). */
enum SW {
  Attribute = 1, Declspec, Storage, Ignored, Const, Volatile, Restrict, Atomic, Alignas,
  Void, Bool, Char, Short, Int, Long, Signed, Unsigned, Float, Double, Complex, Int128, Float128, Float16,
  BFloat16, Float32, Float64, Decimal32, Decimal64, Decimal128, VaList, AutoType, Record, Enum, Typeof,
}
const SPECIFIER_WORDS = new Map<string, SW>([
  ...(['__attribute__', '__attribute'] as const).map((w) => [w, SW.Attribute] as const),
  ['__declspec', SW.Declspec],
  ...(['typedef', 'extern', 'static', 'auto', 'register'] as const).map((w) => [w, SW.Storage] as const),
  ...(['inline', '__inline', '__inline__', '_Noreturn', '__thread', '_Thread_local', 'thread_local', '__extension__', 'constexpr', '__seg_fs',
    '__seg_gs', '__cdecl', '__stdcall', '__fastcall', '__forceinline', '__w64', '__ptr64', '__ptr32', '__unaligned'] as const).map((w) => [w, SW.Ignored] as const),
  ...(['const', '__const', '__const__'] as const).map((w) => [w, SW.Const] as const),
  ...(['volatile', '__volatile', '__volatile__'] as const).map((w) => [w, SW.Volatile] as const),
  ...(['restrict', '__restrict', '__restrict__'] as const).map((w) => [w, SW.Restrict] as const),
  ['_Atomic', SW.Atomic],
  ['_Alignas', SW.Alignas], ['alignas', SW.Alignas],
  ['void', SW.Void], ['_Bool', SW.Bool], ['bool', SW.Bool], ['char', SW.Char], ['short', SW.Short], ['int', SW.Int], ['long', SW.Long],
  ['signed', SW.Signed], ['__signed', SW.Signed], ['__signed__', SW.Signed], ['unsigned', SW.Unsigned], ['__unsigned', SW.Unsigned],
  ['float', SW.Float], ['double', SW.Double], ['_Complex', SW.Complex], ['__complex__', SW.Complex], ['__complex', SW.Complex],
  ['__int128', SW.Int128],
  ...(['_Float128', '__float128', '__ieee128', '__ibm128', '_Float64x', '_Float128x'] as const).map((w) => [w, SW.Float128] as const),
  ['_Float16', SW.Float16], ['__fp16', SW.Float16], ['__bf16', SW.BFloat16], ['_Float32', SW.Float32], ['_Float64', SW.Float64], ['_Float32x', SW.Float64],
  ['_Decimal32', SW.Decimal32], ['_Decimal64', SW.Decimal64], ['_Decimal128', SW.Decimal128],
  ['__builtin_va_list', SW.VaList], ['__auto_type', SW.AutoType], ['struct', SW.Record], ['union', SW.Record], ['enum', SW.Enum],
  ...(['typeof', '__typeof__', '__typeof', 'typeof_unqual', '__typeof_unqual__'] as const).map((w) => [w, SW.Typeof] as const),
]);

/** The parameters of a function whose list was skipped (shared by 15,000 file-scope functions). */
const SKIPPED_PARAMS: readonly CType[] = Object.freeze([]);

/** A member's attributes when it has none (shared: TypeAttrs are never changed once made). */
const NO_TYPE_ATTRS: TypeAttrs = Object.freeze({});

/** Attributes a record may carry that change nothing recordAttrs reports (the rest are listed as unknown). */
const KNOWN_RECORD_ATTRS = new Set(['packed', 'aligned', 'designated_init', 'randomize_layout', 'no_randomize_layout', 'ms_struct', 'gcc_struct',
  'deprecated', 'unused', 'used', 'may_alias', 'visibility', 'transparent_union', 'warn_unused_result', 'nonstring', 'preserve_access_index',
  'btf_decl_tag', 'btf_type_tag', 'scalar_storage_order', 'warn_if_not_aligned', 'section', 'unavailable', 'noderef', 'address_space',
  'context', 'cleanup', 'counted_by', 'nocast', 'noinit', 'mode', 'vector_size', 'weak', 'common', 'nocommon']);

/** A stream of tokens the parser pulls in chunks (the preprocessor's `fill`). */
export interface TokenSource {
  fill(buf: Token[], min: number): boolean;
}

/** Consumed tokens the buffer keeps before it is compacted (so that tokens die young). */
const CHUNK = 4096;
/** Tokens pulled beyond the one asked for: few, so that compacting moves few (splicing 4,096 unread
 *  tokens down at every compaction was ~1% of a kernel unit). */
const PREFETCH = 256;

export function parseDeclarations(tokens: Token[] | TokenSource, opts: ParseOptions): ParseResult {
  const p = Array.isArray(tokens) ? new Parser(tokens, opts) : new Parser([], opts, tokens);
  p.translationUnit();
  return { records: p.records, typedefs: p.typedefs, tags: p.tags, get vars() { return p.allVars(); } };
}

let nextId = 1;

class Parser implements ExprHost {
  readonly target: Target;
  pos = 0;
  readonly records: RecordDecl[] = [];
  readonly typedefs = new Map<string, CType>();
  readonly tags = new Map<string, RecordDecl | EnumDecl>();
  private readonly vars = new Map<string, CType>();
  /** Functions not yet in `vars`: name, type, name, type, ... (see declareFunc). */
  private readonly funcs: (string | CType)[] = [];
  /** Each enumeration constant's value and type (int, unless its value does not fit in one). */
  private readonly enumConsts = new Map<string, Val>();
  private readonly diags: Diagnostics;
  private depth = 0;
  /** Set while parsing a file-scope declarator whose parameter lists can be skipped. */
  private skipParams = false;
  private packStack: { name?: string; value: number }[] = [];
  private pack = 0;
  private readonly vaList: CType;

  /** The buffer the source fills; `toks` is something else only while a parse runs over an
   *  attribute's argument tokens. */
  private readonly buf: Token[];

  constructor(public toks: Token[], private readonly opts: ParseOptions, private source?: TokenSource) {
    this.buf = toks;
    if (source) this.more(PREFETCH);
    this.target = opts.target;
    this.diags = opts.diags;
    this.vaList = vaListType(this.target);
    this.typedefs.set('__int128_t', { kind: 'int', ik: 'int128' });
    this.typedefs.set('__uint128_t', { kind: 'int', ik: 'uint128' });
  }

  // ---- token helpers -------------------------------------------------------------------------

  peek(k = 0): Token {
    const i = this.pos + k;
    if (i < this.toks.length) return this.toks[i]!;
    if (this.source && this.toks === this.buf) this.more(i + PREFETCH);
    return this.toks[Math.min(i, this.toks.length - 1)]!;
  }
  /** Pulls tokens until the buffer holds `min` (or the source ends). */
  private more(min: number): void {
    if (this.source && !this.source.fill(this.buf, min)) this.source = undefined;
  }
  /** Between external declarations nothing refers back: drop what was consumed. */
  private compact(): void {
    if (this.pos >= CHUNK && this.toks === this.buf) {
      this.buf.splice(0, this.pos);
      this.pos = 0;
    }
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== TK.EOF) this.pos++;
    return t;
  }
  private is(s: string, k = 0): boolean {
    const t = this.peek(k);
    return (t.kind === TK.Punct || t.kind === TK.Ident) && t.text === s;
  }
  private accept(s: string): boolean {
    if (this.is(s)) {
      this.pos++;
      return true;
    }
    return false;
  }
  private expect(s: string): Token {
    const t = this.peek();
    if (this.is(s)) {
      this.pos++;
      return t;
    }
    this.error(`expected '${s}' before '${t.text || 'end of input'}'`, t);
    throw new ParseError();
  }
  error(msg: string, tok?: Token): void {
    const t = tok ?? this.peek();
    const loc = siteLoc(t);
    this.diags.error(msg, loc, this.opts.includeChainOf?.(loc.file));
  }
  skipBalanced(open: string, close: string): void {
    // At `open`: skip through the matching `close`.
    let depth = 0;
    for (;;) {
      const t = this.next();
      if (t.kind === TK.EOF) return;
      if (t.kind !== TK.Punct) continue;
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') {
        depth--;
        if (depth <= 0) {
          void open;
          void close;
          return;
        }
      }
    }
  }
  lookupVar(name: string): CType | undefined {
    const v = this.vars.get(name);
    return v !== undefined || this.funcs.length === 0 ? v : this.allVars().get(name);
  }
  /** File-scope functions are many (some 15,000 in a kernel unit) and almost never looked up (only
   *  typeof(f) and sizeof(f) do): they are listed, and go into `vars` when a lookup misses. */
  private declareFunc(name: string, type: CType): void {
    this.funcs.push(name, type);
  }
  allVars(): Map<string, CType> {
    const f = this.funcs;
    for (let i = 0; i < f.length; i += 2) if (!this.vars.has(f[i] as string)) this.vars.set(f[i] as string, f[i + 1] as CType);
    f.length = 0;
    return this.vars;
  }
  lookupEnumConst(name: string): Val | undefined {
    return this.enumConsts.get(name);
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      this.error('declaration nested too deeply');
      this.depth = 0;
      throw new ParseError();
    }
  }
  private leave(): void {
    this.depth--;
  }

  isTypeStart(k = 0): boolean {
    const t = this.peek(k);
    if (t.kind !== TK.Ident) return false;
    return TYPE_KEYWORDS.has(t.text) || this.typedefs.has(t.text);
  }

  // ---- translation unit ----------------------------------------------------------------------

  translationUnit(): void {
    while (this.peek().kind !== TK.EOF) {
      this.compact();
      const start = this.pos;
      try {
        this.externalDeclaration();
      } catch (e) {
        if (!(e instanceof ParseError) && !(e instanceof ExprDepthError)) throw e;
        this.depth = 0;
        this.recover();
      }
      if (this.pos === start) this.pos++;
    }
  }

  /** Skips to just after the next ';' or '}' at nesting level 0 (relative to here). */
  private recover(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === TK.EOF) return;
      this.pos++;
      if (t.kind !== TK.Punct) continue;
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']') depth = Math.max(0, depth - 1);
      else if (t.text === '}') {
        if (depth <= 1) return;
        depth--;
      } else if (t.text === ';' && depth === 0) return;
    }
  }

  private pragma(t: Token): void {
    const m = /^pack\s*\((.*)\)\s*$/.exec(t.text);
    if (!m) return;
    const args = m[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (args.length === 0) {
      this.pack = 0;
      return;
    }
    if (args[0] === 'push') {
      let name: string | undefined;
      let value: number | undefined;
      for (const a of args.slice(1)) {
        if (/^\d+$/.test(a)) value = Number(a);
        else name = a;
      }
      this.packStack.push({ name, value: this.pack });
      if (value !== undefined) this.pack = value;
      return;
    }
    if (args[0] === 'pop') {
      const name = args[1] && !/^\d+$/.test(args[1]) ? args[1] : undefined;
      if (name) {
        const i = this.packStack.map((e) => e.name).lastIndexOf(name);
        if (i >= 0) {
          this.pack = this.packStack[i]!.value;
          this.packStack.length = i;
        }
      } else {
        const e = this.packStack.pop();
        this.pack = e ? e.value : 0;
      }
      const v = args.find((a, k) => k > 0 && /^\d+$/.test(a));
      if (v) this.pack = Number(v);
      return;
    }
    if (/^\d+$/.test(args[0]!)) this.pack = Number(args[0]);
  }

  // external-declaration: function-definition | declaration | static_assert | asm | ';'
  private externalDeclaration(): void {
    if (this.pragmaSemicolonOrAssert()) return;
    if (this.is('__asm__') || this.is('asm') || this.is('__asm')) {
      this.pos++;
      while (this.peek().kind === TK.Ident) this.pos++;
      if (this.is('(')) this.skipBalanced('(', ')');
      this.accept(';');
      return;
    }
    this.declaration(true);
  }

  /** A pragma, a stray ';' or a _Static_assert where a declaration may stand; true when consumed. */
  private pragmaSemicolonOrAssert(): boolean {
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

  private staticAssert(): void {
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
  private declaration(fileScope: boolean): void {
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
      try {
        d = this.declarator(spec.type);
      } finally {
        this.skipParams = outer;
      }
      const attrs = this.attributesInto([...spec.attrs, ...d.attrs]);
      this.asmLabel();
      this.attributesInto(attrs);
      if (first && this.is('{') && d.type.kind === 'func') {
        if (d.name) this.declareFunc(d.name, d.type);
        this.skipBalanced('{', '}');
        return;
      }
      if (first && d.type.kind === 'func' && this.isTypeStart()) {
        // K&R parameter declarations before the body.
        while (!this.is('{') && this.peek().kind !== TK.EOF) this.pos++;
        this.skipBalanced('{', '}');
        return;
      }
      first = false;
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
        if (d.name && n !== undefined && d.type.kind === 'array' && d.type.length === null && spec.storage !== 'typedef') {
          if (fileScope) this.vars.set(d.name, { ...d.type, length: n });
        }
      }
      if (this.accept(',')) continue;
      this.expect(';');
      return;
    }
  }

  private defineTypedef(name: string, type: CType, attrs: Attr[]): void {
    const ta = this.typeAttrs(attrs, true);
    let t = this.applyTypeModes(type, attrs);
    const s = strip(t);
    if (s.kind === 'record' && !s.decl.typedefName) s.decl.typedefName = name;
    if (s.kind === 'enum' && ta.packed && s.decl.values) s.decl.attrs = { ...s.decl.attrs, packed: true };
    this.typedefs.set(name, { kind: 'typedef', name, to: t, attrs: ta });
  }

  /** Skips an initializer; returns the element count it gives an array of unknown size. */
  private initializerLength(): number | undefined {
    const t = this.peek();
    if (t.kind === TK.String) {
      this.skipInitializer();
      return Math.max(0, t.text.length - 2 - (t.text.match(/\\./g)?.length ?? 0)) + 1;
    }
    if (!this.is('{')) {
      this.skipInitializer();
      return undefined;
    }
    this.pos++;
    let index = 0;
    let max = 0;
    while (!this.is('}') && this.peek().kind !== TK.EOF) {
      if (this.is('[')) {
        this.pos++;
        const v = parseCond(this);
        this.skipInitializer();
        this.accept(']');
        if (v.value !== undefined) index = Number(v.value);
        this.accept('=');
      }
      this.skipInitializer();
      index++;
      max = Math.max(max, index);
      if (!this.accept(',')) break;
    }
    this.accept('}');
    return max;
  }

  private skipInitializer(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === TK.EOF) return;
      if (t.kind === TK.Punct) {
        if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
        else if (t.text === ')' || t.text === ']' || t.text === '}') {
          if (depth === 0) return;
          depth--;
        } else if ((t.text === ',' || t.text === ';') && depth === 0) return;
      }
      this.pos++;
    }
  }

  private asmLabel(): void {
    if (this.is('__asm__') || this.is('asm') || this.is('__asm')) {
      this.pos++;
      this.skipBalanced('(', ')');
    }
  }

  // ---- declaration specifiers ----------------------------------------------------------------

  // declaration-specifiers: (storage-class | type-specifier | type-qualifier | function-specifier |
  //                          alignment-specifier | attribute)+
  private declSpec(): DeclSpec {
    const startTok = this.peek();
    const attrs: Attr[] = [];
    let storage: DeclSpec['storage'];
    let qConst = false, qVolatile = false, qRestrict = false, qAtomic = false;
    let base: CType | undefined;
    let alignas: number | undefined;
    let nSigned = 0, nUnsigned = 0, nShort = 0, nLong = 0, nChar = 0, nInt = 0, nComplex = 0;
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
      // One lookup decides what a word is (a chain of comparisons took some 90 for a typedef name).
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
          let a: number;
          if (this.isTypeStart()) a = this.alignOfSafe(this.typeName());
          else a = Number(this.constExpr() ?? 0n);
          this.expect(')');
          alignas = Math.max(alignas ?? 0, a);
          continue;
        }
      }
      // Type specifiers.
      this.pos++;
      seenAny = true;
      switch (w) {
        case SW.Void: other = { kind: 'void' }; continue;
        case SW.Bool: other = { kind: 'int', ik: 'bool' }; continue;
        case SW.Char: nChar++; continue;
        case SW.Short: nShort++; continue;
        case SW.Int: nInt++; continue;
        case SW.Long: nLong++; continue;
        case SW.Signed: nSigned++; continue;
        case SW.Unsigned: nUnsigned++; continue;
        case SW.Float: fk = 'float'; continue;
        case SW.Double: fk = 'double'; continue;
        case SW.Complex: nComplex++; continue;
        case SW.Int128:
          if (this.target.noInt128) this.error(`'__int128' is not supported on ${this.target.triple}`, t);
          other = { kind: 'int', ik: 'int128' };
          continue;
        case SW.Float128: other = { kind: 'float', fk: n === '_Float64x' && (this.target.arch === 'x86_64' || this.target.arch === 'i386') ? 'ldouble' : 'float128' }; continue;
        case SW.Float16: other = { kind: 'float', fk: 'float16' }; continue;
        case SW.BFloat16: other = { kind: 'float', fk: 'bfloat16' }; continue;
        case SW.Float32: other = { kind: 'float', fk: 'float' }; continue;
        case SW.Float64: other = { kind: 'float', fk: 'double' }; continue;
        case SW.Decimal32: other = { kind: 'float', fk: 'decimal32' }; continue;
        case SW.Decimal64: other = { kind: 'float', fk: 'decimal64' }; continue;
        case SW.Decimal128: other = { kind: 'float', fk: 'decimal128' }; continue;
        case SW.VaList: other = { kind: 'typedef', name: '__builtin_va_list', to: this.vaList, attrs: {} }; continue;
        case SW.AutoType: other = INT; continue;
        case SW.Record: other = this.recordSpec(n as 'struct' | 'union'); continue;
        case SW.Enum: other = this.enumSpec(); continue;
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

  private alignOfSafe(t: CType): number {
    try {
      return this.alignOf(t);
    } catch (e) {
      if (e instanceof LayoutError) return 1;
      throw e;
    }
  }
  private alignOf(t: CType): number {
    return alignOfType(t, this.target);
  }

  // ---- attributes ----------------------------------------------------------------------------

  // attribute-specifier: __attribute__ '((' attribute-list '))'   (any number in a row)
  /** Attribute specifiers that follow, in a new array. */
  private attributes(): Attr[] {
    return this.attributesInto([]);
  }
  /** Appends the attribute specifiers that follow to `out` and returns it. (Most places where one
   *  may stand have none: one look at the next token then, no array made or spread.) */
  private attributesInto(out: Attr[]): Attr[] {
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

  private declspecAttrs(): Attr[] {
    const kw = this.next();
    this.expect('(');
    const out: Attr[] = [];
    while (!this.is(')') && this.peek().kind !== TK.EOF) {
      const nameTok = this.next();
      const args: Token[][] = [];
      if (this.is('(')) {
        const start = this.pos + 1;
        this.skipBalanced('(', ')');
        args.push(this.toks.slice(start, this.pos - 1));
      }
      out.push({ name: nameTok.text === 'align' ? 'aligned' : nameTok.text, args, tok: nameTok ?? kw });
    }
    this.expect(')');
    return out;
  }

  /** Evaluates an attribute argument as an integer constant expression. */
  private attrInt(tokens: Token[] | undefined): number | undefined {
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
      return Number(v.value);
    } finally {
      this.toks = saveToks;
      this.pos = savePos;
    }
  }

  /** packed/aligned from attributes. On fields the strictest aligned() wins; on types (records,
   *  typedefs) the last one does, as gcc applies them in order. */
  private typeAttrs(attrs: Attr[], lastWins = false): TypeAttrs {
    let aligned: number | undefined;
    let packed: boolean | undefined;
    for (const a of attrs) {
      if (a.name === 'aligned') {
        const v = a.args.length ? this.attrInt(a.args[0]) : this.target.biggestAlign;
        if (v !== undefined) {
          if (v <= 0 || (v & (v - 1)) !== 0) this.error('requested alignment is not a positive power of 2', a.tok);
          else aligned = lastWins ? v : Math.max(aligned ?? 0, v);
        }
      } else if (a.name === 'packed') packed = true;
    }
    // (Each result made whole by one literal: properties added one by one give objects of several
    // hidden classes at one store, which throws optimised code away when a new one turns up.)
    if (aligned !== undefined) return packed ? { aligned, packed: true } : { aligned };
    return packed ? { packed: true } : {};
  }

  /** mode(...) and vector_size(...) change the declared type itself. */
  private applyTypeModes(type: CType, attrs: Attr[]): CType {
    for (const a of attrs) {
      if (a.name === 'mode' && a.args[0]?.[0]) {
        let m = a.args[0][0].text;
        if (m.startsWith('__') && m.endsWith('__')) m = m.slice(2, -2);
        const s = strip(type);
        const unsigned = s.kind === 'int' && ['uchar', 'ushort', 'uint', 'ulong', 'ullong', 'uint128', 'bool'].includes(s.ik);
        const bytes: Record<string, number> = { QI: 1, HI: 2, SI: 4, DI: 8, TI: 16, byte: 1, word: this.target.pointer.size, pointer: this.target.pointer.size };
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

  // ---- struct / union ------------------------------------------------------------------------

  // struct-or-union-specifier: ('struct'|'union') attribute* identifier? ('{' struct-declaration* '}' attribute*)?
  private recordSpec(kw: 'struct' | 'union'): CType {
    const kwTok = this.toks[this.pos - 1]!;
    let attrs = this.attributes();
    attrs.push(...(this.is('__declspec') ? this.declspecAttrs() : []));
    let name: string | null = null;
    let afterName = this.pos;
    if (this.peek().kind === TK.Ident && !this.is('{')) {
      name = this.next().text;
      afterName = this.pos;
      this.attributesInto(attrs);
    }
    if (!this.is('{')) {
      if (name === null) {
        this.error(`expected '{' before '${this.peek().text}'`);
        throw new ParseError();
      }
      // No body: attributes after the tag are the declaration's, as gcc reads them
      // (`struct ts_config __attribute__((aligned(8))) *config;` aligns the member).
      this.pos = afterName;
      const existing = this.tags.get(name);
      if (existing && 'tag' in existing && existing.tag === kw) return { kind: 'record', decl: existing };
      // Forward declaration (or use before definition).
      const decl = newRecordDecl(kw, name, siteLoc(kwTok), null);
      this.tags.set(name, decl);
      return { kind: 'record', decl };
    }
    // Definition: complete an existing forward declaration in place.
    let decl: RecordDecl;
    const existing = name !== null ? this.tags.get(name) : undefined;
    if (existing && 'tag' in existing && existing.tag === kw && existing.fields === null) decl = existing;
    else {
      decl = newRecordDecl(kw, name, siteLoc(kwTok), null);
      if (name !== null) this.tags.set(name, decl);
    }
    decl.loc = siteLoc(kwTok);
    this.pos++; // '{'
    this.enter();
    const fields: FieldDecl[] = [];
    while (!this.is('}') && this.peek().kind !== TK.EOF) {
      const start = this.pos;
      try {
        this.structDeclaration(fields, decl);
      } catch (e) {
        if (!(e instanceof ParseError) && !(e instanceof ExprDepthError)) throw e;
        this.recoverInBody();
      }
      if (this.pos === start) this.pos++;
    }
    this.leave();
    this.expect('}');
    this.attributesInto(attrs);
    decl.end = siteLoc(this.toks[this.pos - 1]!); // '}' or its attributes' last ')'
    decl.fields = fields;
    decl.attrs = this.recordAttrs(attrs, decl);
    if (this.pack) decl.pack = this.pack;
    this.records.push(decl);
    return { kind: 'record', decl };
  }

  /** Inside a record body: skip to after the next ';' at this level, or stop before '}'. */
  private recoverInBody(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === TK.EOF) return;
      if (t.kind === TK.Punct) {
        if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
        else if (t.text === ')' || t.text === ']') depth = Math.max(0, depth - 1);
        else if (t.text === '}') {
          if (depth === 0) return;
          depth--;
        } else if (t.text === ';' && depth === 0) {
          this.pos++;
          return;
        }
      }
      this.pos++;
    }
  }

  private recordAttrs(attrs: Attr[], decl: RecordDecl): RecordAttrs {
    const ta = this.typeAttrs(attrs, true);
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
  private structDeclaration(fields: FieldDecl[], decl: RecordDecl): void {
    if (this.pragmaSemicolonOrAssert()) return;
    const startTok = this.peek();
    const startIdx = this.pos;
    const spec = this.declSpec();
    const members: { name: string | null; type: CType; bitWidth: number | null; attrs: TypeAttrs; loc: Loc }[] = [];
    if (this.is(';')) {
      // Anonymous struct/union member (or a useless declaration).
      const s = strip(spec.type);
      if (s.kind === 'record') members.push({ name: null, type: spec.type, bitWidth: null, attrs: this.fieldAttrs(spec, []), loc: siteLoc(startTok) });
    } else {
      for (;;) {
        let name: string | null = null;
        let type = spec.type;
        let dattrs: Attr[] = [];
        let nameLoc = siteLoc(this.peek());
        if (!this.is(':')) {
          const d = this.declarator(spec.type);
          name = d.name;
          type = d.type;
          dattrs = d.attrs;
          if (d.nameTok) nameLoc = siteLoc(d.nameTok);
        }
        this.attributesInto(dattrs);
        let bitWidth: number | null = null;
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
              this.diags.error(`width of '${name ?? '<anonymous>'}' exceeds its type`, nameLoc, this.opts.includeChainOf?.(nameLoc.file));
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
        members.push({ name, type, bitWidth, attrs: this.fieldAttrs(spec, allAttrs), loc: nameLoc });
        for (const a of allAttrs) {
          if (!KNOWN_FIELD_ATTRS.has(a.name)) (decl.unknownAttrs ??= []).push(a.name);
        }
        if (this.accept(',')) continue;
        break;
      }
    }
    const semi = this.peek();
    if (!this.is(';')) {
      if (this.is('}')) this.diags.warning("no semicolon at end of struct or union", siteLoc(semi), this.opts.includeChainOf?.(siteLoc(semi).file));
      else {
        this.error(`expected ';' at end of member declaration`, semi);
        throw new ParseError();
      }
    } else this.pos++;
    const spelling = this.spellingOf(startIdx, this.pos - 1);
    const startLoc = siteLoc(startTok);
    const endLoc = siteLoc(semi);
    for (const m of members) {
      const s = strip(m.type);
      if (s.kind === 'record' && s.decl.fields === null) {
        this.error(`field '${m.name ?? '<anonymous>'}' has incomplete type`, startTok);
        continue;
      }
      if (s.kind === 'func') {
        this.error(`field '${m.name ?? '<anonymous>'}' declared as a function`, startTok);
        continue;
      }
      // (One literal with every field: spreads made each field object a slow dictionary.)
      fields.push({ name: m.name, type: m.type, bitWidth: m.bitWidth, attrs: m.attrs, loc: m.loc, startLoc, endLoc, spelling: spelling || undefined, cond: startTok.cond, comment: undefined, leadingComment: undefined });
    }
  }

  /** The source text of tokens [from, to) when a macro expanded any of them (struct rcu_head rcu_head
   *  is struct callback_head callback_head to the compiler), else undefined. */
  private spellingOf(from: number, to: number): string | undefined {
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
    const spelled = text.slice(a.pos, end).replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\s+/g, ' ').trim();
    return spelled.length > 0 && spelled.length <= 200 ? spelled : undefined;
  }

  private fieldAttrs(spec: DeclSpec, attrs: Attr[]): TypeAttrs {
    if (spec.attrs.length === 0 && attrs.length === 0 && !spec.alignas) return NO_TYPE_ATTRS;
    const ta = this.typeAttrs([...spec.attrs.filter((a) => !attrs.includes(a)), ...attrs]);
    if (spec.alignas) return { ...ta, aligned: Math.max(ta.aligned ?? 0, spec.alignas) };
    return ta;
  }

  // ---- enums ---------------------------------------------------------------------------------

  // enum-specifier: 'enum' attribute* identifier? (':' type)? ('{' enumerator-list ','? '}' attribute*)?
  private enumSpec(): CType {
    const kwTok = this.toks[this.pos - 1]!;
    const attrs = this.attributes();
    let name: string | null = null;
    let afterName = this.pos;
    if (this.peek().kind === TK.Ident && !this.is('{')) {
      name = this.next().text;
      afterName = this.pos;
      this.attributesInto(attrs);
    }
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
      const decl: EnumDecl = { name, id: nextId++, values: null, attrs: {}, loc: siteLoc(kwTok), fixed };
      this.tags.set(name, decl);
      return { kind: 'enum', decl };
    }
    this.pos++;
    const existing = name !== null ? this.tags.get(name) : undefined;
    const decl: EnumDecl = existing && !('tag' in existing) ? existing : { name, id: nextId++, values: null, attrs: {}, loc: siteLoc(kwTok), fixed };
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
    while (!this.is('}') && this.peek().kind !== TK.EOF) {
      const id = this.next();
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
      next++;
      if (!this.accept(',')) break;
    }
    this.expect('}');
    this.attributesInto(attrs);
    const ta = this.typeAttrs(attrs);
    decl.values = values;
    decl.attrs = { ...decl.attrs, ...(ta.packed ? { packed: true } : {}), ...(ta.aligned ? { aligned: ta.aligned } : {}) };
    for (const a of attrs) {
      if (a.name === 'mode') this.applyTypeModes({ kind: 'enum', decl }, [a]);
    }
    if (wide.length) {
      const type: CType = { kind: 'int', ik: enumIntKind(decl, this.target) };
      for (const w of wide) this.enumConsts.set(w.name, { type, value: w.value });
    }
    return { kind: 'enum', decl };
  }

  // ---- declarators ---------------------------------------------------------------------------

  // declarator: pointer* direct-declarator
  // pointer: '*' (type-qualifier | attribute)*
  // direct-declarator: identifier | '(' attribute* declarator ')' | direct-declarator suffix
  private declarator(base: CType): { name: string | null; type: CType; attrs: Attr[]; nameTok?: Token } {
    this.enter();
    try {
      const attrs: Attr[] = [];
      let type = base;
      for (;;) {
        const p = this.peek();
        if (p.kind === TK.Punct && p.text === '*') {
          this.pos++;
          type = { kind: 'pointer', to: type };
          let q: { -readonly [K in keyof Quals]: Quals[K] } | undefined;
          for (;;) {
            const n = this.peek().text;
            if (n === 'const' || n === '__const' || n === '__const__') (q ??= {}).const = true;
            else if (n === 'volatile' || n === '__volatile' || n === '__volatile__') (q ??= {}).volatile = true;
            else if (n === 'restrict' || n === '__restrict' || n === '__restrict__') (q ??= {}).restrict = true;
            else if (n === '_Atomic') (q ??= {}).atomic = true;
            else if (n === '__attribute__' || n === '__attribute') {
              this.attributesInto(attrs);
              continue;
            } else if (n === '__seg_fs' || n === '__seg_gs' || n === '__ptr64' || n === '__ptr32' || n === '__unaligned' || n === '__cdecl' || n === '__stdcall') {
              // ignored qualifiers
            } else break;
            this.pos++;
          }
          if (q) type = withQuals(type, q);
          continue;
        }
        if (p.kind === TK.Ident && (p.text === '__cdecl' || p.text === '__stdcall' || p.text === '__fastcall')) {
          this.pos++;
          continue;
        }
        break;
      }
      this.attributesInto(attrs);
      if (this.is('(') && this.isNestedDeclarator()) {
        // '(' declarator ')': parse the suffixes after ')' first, then the inner declarator on top.
        const open = this.pos;
        this.pos++;
        this.skipToClose();
        const afterSuffix = this.suffixes(type);
        const end = this.pos;
        this.pos = open + 1;
        const inner = this.declarator(afterSuffix);
        this.expect(')');
        this.pos = end;
        return { name: inner.name, type: inner.type, attrs: [...attrs, ...inner.attrs], nameTok: inner.nameTok };
      }
      let name: string | null = null;
      let nameTok: Token | undefined;
      const t = this.peek();
      if (t.kind === TK.Ident && !TYPE_KEYWORDS.has(t.text)) {
        name = t.text;
        nameTok = t;
        this.pos++;
      }
      this.attributesInto(attrs);
      type = this.suffixes(type);
      return { name, type, attrs, nameTok };
    } finally {
      this.leave();
    }
  }

  private isNestedDeclarator(): boolean {
    const t = this.peek(1);
    if (t.kind === TK.Punct) return t.text === '*' || t.text === '(' || t.text === '[' || t.text === '^';
    if (t.kind !== TK.Ident) return false;
    if (t.text === '__attribute__' || t.text === '__attribute' || t.text === '__cdecl' || t.text === '__stdcall') return true;
    return !this.isTypeStart(1);
  }

  private skipToClose(): void {
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.kind === TK.EOF) return;
      if (t.kind !== TK.Punct) continue;
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
    }
  }

  // suffix: '[' array-size ']' | '(' parameter-list ')'
  private suffixes(base: CType): CType {
    const t = this.peek();
    if (t.kind !== TK.Punct) return base;
    if (t.text === '[') {
      this.pos++;
      let length: number | null = null;
      while (this.is('static') || this.is('const') || this.is('restrict') || this.is('volatile') || this.is('__restrict')) this.pos++;
      if (this.is('*') && this.is(']', 1)) this.pos++;
      else if (!this.is(']')) {
        const tok = this.peek();
        const v = parseExpr(this);
        if (v.value === undefined) {
          this.diags.warning('array size is not an integer constant expression', siteLoc(tok), this.opts.includeChainOf?.(siteLoc(tok).file));
          length = null;
        } else if (v.value < 0n) {
          this.error('size of array is negative', tok);
          length = 0;
        } else if (v.value > 1n << 48n) {
          this.error('size of array is too large', tok);
          length = 0;
        } else length = Number(v.value);
      }
      this.expect(']');
      const of = this.suffixes(base);
      return { kind: 'array', of, length };
    }
    if (t.text === '(') {
      if (this.skipParams) {
        this.skipBalanced('(', ')');
        return { kind: 'func', ret: this.suffixes(base), params: SKIPPED_PARAMS, variadic: true };
      }
      this.pos++;
      const params: CType[] = [];
      let variadic = false;
      if (this.is('void') && this.is(')', 1)) this.pos++;
      while (!this.is(')') && this.peek().kind !== TK.EOF) {
        if (this.accept('...')) {
          variadic = true;
          break;
        }
        if (this.isTypeStart() || this.is('__attribute__')) {
          const spec = this.declSpec();
          const d = this.declarator(spec.type);
          let pt = d.type;
          if (pt.kind === 'array') pt = { kind: 'pointer', to: pt.of };
          else if (pt.kind === 'func') pt = { kind: 'pointer', to: pt };
          params.push(pt);
        } else {
          // K&R identifier list.
          this.pos++;
          params.push(INT);
        }
        if (!this.accept(',')) break;
      }
      this.expect(')');
      const ret = this.suffixes(base);
      return { kind: 'func', ret, params, variadic };
    }
    return base;
  }

  // type-name: specifier-qualifier-list abstract-declarator?
  typeName(): CType {
    const spec = this.declSpec();
    const d = this.declarator(spec.type);
    let t = this.applyTypeModes(d.type, [...spec.attrs, ...d.attrs]);
    const ta = this.typeAttrs([...spec.attrs, ...d.attrs]);
    if (ta.aligned) t = { kind: 'typedef', name: typeSpelling(t), to: t, attrs: ta };
    return t;
  }
  parseTypeName(): CType {
    return this.typeName();
  }

  /** The type an enumeration constant too big for int has inside its enumeration: its initializer's
   *  type, at least as wide as int (GCC's c_common_type_for_size of that width and signedness). */
  private wideEnumConstType(t: CType): CType {
    const s = strip(t);
    const ik: IntKind = s.kind === 'int' ? s.ik : s.kind === 'enum' && (s.decl.values || s.decl.fixed) ? enumIntKind(s.decl, this.target) : 'long';
    const bytes = Math.max(this.target.ints[ik].size, this.target.ints.int.size);
    const unsigned = this.target.ints[ik].size >= this.target.ints.int.size && isUnsigned({ kind: 'int', ik }, this.target);
    return { kind: 'int', ik: intKindOfSize(bytes, unsigned, this.target) };
  }

  private constExpr(): bigint | undefined {
    return this.constVal()?.value;
  }

  /** An integer constant expression's value and type; undefined (reported) when it is not one. */
  private constVal(): Val | undefined {
    const tok = this.peek();
    const v = parseCond(this);
    if (v.value !== undefined) return v;
    this.error('expression is not an integer constant expression', tok);
    return undefined;
  }
}

const KNOWN_FIELD_ATTRS = new Set([
  'packed', 'aligned', 'mode', 'vector_size', 'deprecated', 'unused', 'used', 'nonstring', 'btf_type_tag', 'btf_decl_tag',
  'noderef', 'address_space', 'context', 'counted_by', 'warn_if_not_aligned', 'may_alias', 'preserve_access_index', 'nocast',
  'unavailable', 'section', 'designated_init', 'randomize_layout', 'no_randomize_layout', 'visibility', 'weak', 'noinit',
  'cleanup', 'format', 'nonnull', 'noreturn', 'const', 'pure', 'malloc', 'always_inline', 'noinline', 'cold', 'hot',
  'warn_unused_result', 'alloc_size', 'sentinel', 'access', 'transparent_union', 'scalar_storage_order', 'user',
  'force', 'bitwise', 'safe', 'iomem', 'percpu', 'rcu', 'latent_entropy', 'fallthrough',
]);

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

/** __builtin_va_list per ABI: x86-64 and s390x use an array of one register-save struct, AArch64 a
 *  five-field struct, 32-bit ARM a one-pointer struct, the others a plain pointer. */
function vaListType(t: Target): CType {
  const loc = { file: 0, pos: 0 };
  const f = (name: string, type: CType): FieldDecl => ({ name, type, bitWidth: null, attrs: {}, loc, endLoc: loc });
  const vp: CType = { kind: 'pointer', to: { kind: 'void' } };
  const rec = (name: string, fields: FieldDecl[]): CType => ({ kind: 'record', decl: newRecordDecl('struct', name, loc, fields) });
  const uint: CType = { kind: 'int', ik: 'uint' };
  const int: CType = { kind: 'int', ik: 'int' };
  const long: CType = { kind: 'int', ik: 'long' };
  if (t.os === 'linux' && t.arch === 'x86_64')
    return { kind: 'array', of: rec('__va_list_tag', [f('gp_offset', uint), f('fp_offset', uint), f('overflow_arg_area', vp), f('reg_save_area', vp)]), length: 1 };
  if (t.arch === 's390x')
    return { kind: 'array', of: rec('__va_list_tag', [f('__gpr', long), f('__fpr', long), f('__overflow_arg_area', vp), f('__reg_save_area', vp)]), length: 1 };
  if (t.arch === 'aarch64') return rec('__va_list', [f('__stack', vp), f('__gr_top', vp), f('__vr_top', vp), f('__gr_offs', int), f('__vr_offs', int)]);
  if (t.arch === 'arm') return rec('__va_list', [f('__ap', vp)]);
  return { kind: 'pointer', to: { kind: 'int', ik: 'char' } };
}

/** A record declaration with every field set from the start: a field added later would give it
 *  another hidden class, and code optimised for one is thrown away at the other (the parser's
 *  member loop was, in every kernel unit). */
function newRecordDecl(tag: 'struct' | 'union', name: string | null, loc: Loc, fields: FieldDecl[] | null): RecordDecl {
  return { tag, name, id: nextId++, fields, attrs: {}, pack: undefined, loc, end: undefined, typedefName: undefined, comment: undefined, memberDocs: undefined, unknownAttrs: undefined };
}

function withQuals(t: CType, q: Quals | undefined): CType {
  if (!q || Object.keys(q).length === 0) {
    if (!t.q) return t;
    const { q: _q, ...rest } = t as CType & { q?: Quals };
    return rest as CType;
  }
  return { ...t, q: { ...t.q, ...q } } as CType;
}

function intKindOfSize(bytes: number, unsigned: boolean, t: Target): IntKind {
  const order: [IntKind, IntKind][] = [['schar', 'uchar'], ['short', 'ushort'], ['int', 'uint'], ['long', 'ulong'], ['llong', 'ullong'], ['int128', 'uint128']];
  for (const [s, u] of order) if (t.ints[s].size === bytes) return unsigned ? u : s;
  return unsigned ? 'uint' : 'int';
}

function typeSpelling(t: CType): string {
  return t.kind === 'typedef' ? t.name : t.kind;
}

import { alignOf as alignOfType } from '../layout/layout.js';
