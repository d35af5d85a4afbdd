// Lowering from the parser's RecordDecls (with the layout engine's numbers) to the shared model:
// Records with members at bit offsets, TypeRefs that keep typedef names, and the source comments
// attached to each member (trailing same-line comment, own-line block above, kernel-doc @member:).

import type { Loc, SourceManager } from '../core/source.js';
import { commentText, CommentList } from '../cpp/lexer.js';
import type { CType, FieldDecl, RecordDecl } from '../cparse/ctype.js';
import {
  layoutRecord,
  LayoutError,
  sizeOf,
  alignOf,
  alignofOperator,
  recordForcedAlign,
  type RecordLayout,
} from '../layout/layout.js';
import type { IntKind, Target } from '../target/target.js';
import type { Diagnostics } from '../core/diag.js';
import {
  elementRecordOf,
  type Member,
  type Qualifier,
  type RecordType,
  type TypeRef,
  type UnplacedMember,
} from './model.js';
import { errorsWithin, firstUnsizable, located } from './incomplete.js';
import { LineCursor } from './line-cursor.js';

const INT_NAMES: { [K in IntKind]: string } = {
  bool: '_Bool',
  char: 'char',
  schar: 'signed char',
  uchar: 'unsigned char',
  short: 'short',
  ushort: 'unsigned short',
  int: 'int',
  uint: 'unsigned int',
  long: 'long',
  ulong: 'unsigned long',
  llong: 'long long',
  ullong: 'unsigned long long',
  int128: '__int128',
  uint128: 'unsigned __int128',
};
const FLOAT_NAMES: { [k: string]: string } = {
  float: 'float',
  double: 'double',
  ldouble: 'long double',
  float128: '_Float128',
  float16: '_Float16',
  bfloat16: '__bf16',
  decimal32: '_Decimal32',
  decimal64: '_Decimal64',
  decimal128: '_Decimal128',
};

export interface LowerContext {
  readonly target: Target;
  readonly sources: SourceManager;
  readonly comments: readonly CommentList[];
  readonly diags: Diagnostics;
  includeChainOf?(fileId: number): Loc[];
}

export class Lowerer {
  private readonly records = new Map<RecordDecl, RecordType>();
  private readonly types = new Map<CType, TypeRef>();
  private readonly lines = new LineCursor();

  constructor(private readonly ctx: LowerContext) {}

  /** The model RecordType of a complete RecordDecl (memoised; cyclic graphs through pointers are fine).
   *  A record that an error touched is still returned, marked incomplete (see model/incomplete.ts). */
  record(decl: RecordDecl): RecordType | undefined {
    const hit = this.records.get(decl);
    if (hit) return hit;
    const ctx = this.ctx;
    const fields = decl.fields!;
    // (No error at all, as in a kernel unit: nothing to look for.)
    const within = ctx.diags.errors > 0 ? errorsWithin(decl, ctx.diags, ctx.sources) : undefined;
    const errors = within ? within.errors : [];
    let placed = within ? within.before : fields.length;
    let layout: RecordLayout;
    let failed = false;
    try {
      layout = layoutRecord(decl, ctx.target);
    } catch (e) {
      if (!(e instanceof LayoutError)) throw e;
      ({ layout, placed } = this.placedBefore(decl, e, placed, errors));
      failed = true;
    }
    const members: Member[] = [];
    const forced = failed ? undefined : recordForcedAlign(decl, ctx.target);
    const file = ctx.sources.get(decl.loc.file);
    const line = this.lines.lineOf(file, decl.loc.pos);
    // (Built a property at a time, in the order the fields are documented, without spreading a
    // fresh object for each optional one.)
    const rec = { kind: decl.tag, name: decl.name } as { -readonly [K in keyof RecordType]: RecordType[K] } & {
      members: Member[];
    };
    if (decl.typedefName !== undefined) rec.typedef = decl.typedefName;
    if (decl.scope !== undefined) rec.scope = decl.scope;
    if (decl.variable !== undefined) rec.variable = decl.variable;
    rec.size = layout.size;
    if (layout.exact && !failed) rec.exactSize = layout.exact.size;
    // _Alignof's answer (the alignment as a member); differs from the layout's on i386 for 8-byte records.
    rec.align = failed ? layout.align : alignofOperator({ kind: 'record', decl }, ctx.target);
    rec.members = members;
    rec.origin = { kind: 'source', file: file.path, line };
    if (decl.attrs.packed) rec.packed = true;
    if (decl.pack) rec.pack = decl.pack;
    if (decl.attrs.aligned) rec.alignedAttr = decl.attrs.aligned;
    if (forced !== undefined) rec.forcedAlign = forced;
    if (decl.attrs.randomizeLayout) rec.randomizeLayout = true;
    if (decl.unknownAttrs?.length)
      rec.uncertain = decl.unknownAttrs.map((a) => `unknown attribute '${a}' may affect the layout`);
    this.records.set(decl, rec);
    const docs = this.kernelDoc(decl);
    if (docs.comment && !rec.comment) rec.comment = docs.comment;
    const unplaced: UnplacedMember[] = [];
    fields.forEach((f, i) => {
      const type = this.typeRef(f.type);
      if (i < placed) {
        // A member whose own record is incomplete has no trustworthy size: nor has anything after it.
        const sub = elementRecordOf(type);
        if (sub?.incomplete) {
          placed = i;
          errors.push(
            located(
              {
                severity: 'error',
                message:
                  `member '${f.name ?? '<anonymous>'}' has type '${sub.kind} ` +
                  `${sub.name ?? sub.typedef ?? '<anonymous>'}', which is incomplete`,
                loc: f.loc,
              },
              ctx.sources,
            ),
          );
        }
      }
      if (i >= placed) {
        unplaced.push({ name: f.name, type });
        return;
      }
      const fl = layout.fields[i]!;
      const m: { -readonly [K in keyof Member]: Member[K] } = {
        name: f.name,
        type,
        bitOffset: fl.bitOffset,
        size: fl.size,
        align: fl.align,
      };
      if (layout.exact) m.exact = { bitOffset: layout.exact.bitOffsets[i]!, size: layout.exact.sizes[i]! };
      if (fl.bitSize !== undefined) m.bitSize = fl.bitSize;
      if (fl.forcedAlign !== undefined) m.forcedAlign = fl.forcedAlign;
      if (f.attrs.packed && fl.bitSize !== undefined) m.packed = true;
      const c = this.trailingComment(f);
      if (c) m.comment = c;
      else if (f.name && docs.members.has(f.name)) m.comment = docs.members.get(f.name);
      const lc = this.leadingComment(f);
      if (lc) m.leadingComment = lc;
      if (f.spelling) m.spelling = f.spelling;
      const cond = conditionWithin(f, decl);
      if (cond) m.condition = cond;
      const mf = ctx.sources.get(f.loc.file);
      m.origin = { kind: 'source', file: mf.path, line: this.lines.lineOf(mf, f.loc.pos) };
      members.push(m);
    });
    if (errors.length > 0) {
      // Only where the placed members end is known.
      rec.size = placedEnd(members);
      delete rec.exactSize;
      rec.incomplete = { errors, unplaced };
    }
    return rec;
  }

  /** A record whose layout failed: the error reported at the member that cannot be placed, and the
   *  layout of the members before it, which keep their offsets. (Out of record(): rarely run.) */
  private placedBefore(
    decl: RecordDecl,
    e: LayoutError,
    placed: number,
    errors: string[],
  ): { layout: RecordLayout; placed: number } {
    const ctx = this.ctx;
    const fields = decl.fields!;
    const bad =
      e.field !== undefined && e.decl === decl
        ? { index: e.field, message: e.message }
        : (firstUnsizable(decl, ctx.target) ?? { index: 0, message: e.message });
    // (An error of the whole record, "type 'struct s' is too large", is at its tag, as gcc's.)
    const at = fields[bad.index]?.loc ?? decl.tagLoc ?? decl.loc;
    ctx.diags.error(bad.message, at, ctx.includeChainOf?.(at.file));
    errors.push(located({ severity: 'error', message: bad.message, loc: at }, ctx.sources));
    placed = Math.min(placed, bad.index);
    const layout = prefixLayout(decl, placed, ctx.target);
    return { layout, placed: Math.min(placed, layout.fields.length) };
  }

  /** One TypeRef per parser type (the parser shares a typedef's, a tag's and a declaration's type
   *  between its uses): spelled once (print.ts memoises per TypeRef) and not allocated again. */
  typeRef(t: CType): TypeRef {
    let ref = this.types.get(t);
    if (ref === undefined) {
      ref = this.typeRefOf(t);
      this.types.set(t, ref);
    }
    return ref;
  }

  private typeRefOf(t: CType): TypeRef {
    const quals: Qualifier[] = [];
    if (t.q?.const) quals.push('const');
    if (t.q?.volatile) quals.push('volatile');
    if (t.q?.restrict) quals.push('restrict');
    if (t.q?.atomic) quals.push('_Atomic');
    const base = this.typeRefUnqual(t);
    return quals.length ? { kind: 'qualified', quals, of: base } : base;
  }

  private typeRefUnqual(t: CType): TypeRef {
    const target = this.ctx.target;
    switch (t.kind) {
      case 'void':
        return { kind: 'base', name: 'void', size: 1, align: 1 };
      case 'int':
        return { kind: 'base', name: INT_NAMES[t.ik], size: target.ints[t.ik].size, align: target.ints[t.ik].align };
      case 'float': {
        const f = target.floats[t.fk] ?? { size: 0, align: 1 };
        const name = (t.complex ? '_Complex ' : '') + FLOAT_NAMES[t.fk];
        return { kind: 'base', name, size: f.size * (t.complex ? 2 : 1), align: f.align };
      }
      case 'pointer': {
        // Lowered when first read: a pointer's target is spelled far more often than opened, and
        // lowering every pointee at once walks the kernel's whole type graph for one record.
        let to: TypeRef | undefined;
        const lower = (): TypeRef => (to ??= this.typeRef(t.to));
        return {
          kind: 'pointer',
          get to() {
            return lower();
          },
        };
      }
      case 'array':
        return t.exactLength !== undefined
          ? { kind: 'array', of: this.typeRef(t.of), length: t.length, exactLength: t.exactLength }
          : { kind: 'array', of: this.typeRef(t.of), length: t.length };
      case 'func':
        return {
          kind: 'func',
          ret: this.typeRef(t.ret),
          params: t.params.map((p) => this.typeRef(p)),
          variadic: t.variadic,
        };
      case 'record': {
        if (t.decl.fields === null) {
          // Incomplete: a shell record, only for spelling.
          return { kind: 'record', record: { kind: t.decl.tag, name: t.decl.name, size: 0, align: 1, members: [] } };
        }
        const r = this.record(t.decl);
        return r
          ? { kind: 'record', record: r }
          : { kind: 'record', record: { kind: t.decl.tag, name: t.decl.name, size: 0, align: 1, members: [] } };
      }
      case 'enum': {
        let size = 4;
        let align = 4;
        try {
          size = sizeOf(t, target);
          align = alignOf(t, target);
        } catch {
          /* incomplete enum */
        }
        return { kind: 'enum', name: t.decl.name, size, align, ...(t.decl.values ? { values: t.decl.values } : {}) };
      }
      case 'typedef':
        // (A nameless one is an attribute's aligned type, `int * __attribute__((aligned(8)))`.)
        return t.name === '' ? this.typeRef(t.to) : { kind: 'typedef', name: t.name, to: this.typeRef(t.to) };
      case 'vector':
        return {
          kind: 'array',
          of: this.typeRef(t.of),
          length: Math.max(1, Math.floor(t.size / safeSize(t.of, target))),
        };
    }
  }

  private commentsOf(file: number): CommentList {
    return this.ctx.comments[file] ?? NO_COMMENTS;
  }

  /** A comment that starts after the member's terminating ';' on the same line. */
  private trailingComment(f: FieldDecl): string | undefined {
    const end = f.endLoc;
    const list = this.commentsOf(end.file);
    const i = firstCommentAfter(list, end.pos);
    if (i >= list.length) return undefined;
    const text = this.ctx.sources.get(end.file).text;
    // Only blanks between, no newline (read in place: most members have code or a newline there).
    const start = list.start(i);
    for (let k = end.pos + 1; k < start; k++) {
      const c = text.charCodeAt(k);
      if (c === NEWLINE || !isBlank(c)) return undefined;
    }
    return cleanComment(commentText(text, list.get(i)!), true);
  }

  /** Own-line comments directly above the member's first token (consecutive ones merge). */
  private leadingComment(f: FieldDecl): string | undefined {
    const start = f.startLoc ?? f.loc;
    const text = this.ctx.sources.get(start.file).text;
    const list = this.commentsOf(start.file);
    let i = firstCommentAfter(list, start.pos) - 1;
    let limit = start.pos;
    const parts: string[] = [];
    while (i >= 0) {
      const c = list.get(i)!;
      // Only blanks between the comment and what follows it, counting the newlines.
      let newlines = 0;
      for (let k = c.end; k < limit; k++) {
        const ch = text.charCodeAt(k);
        if (ch === NEWLINE) newlines++;
        else if (!isBlank(ch)) return joinParts(parts);
      }
      if (newlines === 0 && parts.length === 0) break; // same line: `/* x */ int a;` is not own-line above
      if (newlines > 2) break; // more than one blank line
      // Own-line: only whitespace between the previous newline and the comment.
      for (let k = text.lastIndexOf('\n', c.start - 1) + 1; k < c.start; k++)
        if (!isBlank(text.charCodeAt(k))) return joinParts(parts);
      parts.unshift(cleanComment(commentText(text, c), false));
      limit = c.start;
      i--;
    }
    return joinParts(parts);
  }

  /** Kernel-doc block (/** ... *\/) right above the record: its first line and @member: texts. */
  private kernelDoc(decl: RecordDecl): { comment?: string; members: Map<string, string> } {
    const members = new Map<string, string>();
    const loc = decl.loc;
    const text = this.ctx.sources.get(loc.file).text;
    const list = this.commentsOf(loc.file);
    const i = firstCommentAfter(list, loc.pos) - 1;
    const c = list.get(i);
    if (!c) return { members };
    // Allow `typedef` / `struct` keywords between (the loc is the struct keyword).
    const between = text.slice(c.end, loc.pos);
    if (!/^\s*(typedef\s*)?$/.test(between) || between.split('\n').length > 3) return { members };
    const ls = text.lastIndexOf('\n', c.start - 1) + 1;
    if (text.slice(ls, c.start).trim() !== '') return { members };
    return docOf(commentText(text, c), members);
  }
}

/** A kernel-doc block's first line and @member: texts, or a plain block's text. (Out of kernelDoc,
 *  which most records leave before here, so that what V8 optimises for every record stays small.) */
function docOf(raw: string, members: Map<string, string>): { comment?: string; members: Map<string, string> } {
  const lines = raw.split('\n').map((l) => l.replace(/^\s*\*?\s?/, ''));
  let comment: string | undefined;
  if (raw.startsWith('*')) {
    let cur: string | undefined;
    for (const l of lines) {
      const m = /^@([A-Za-z_][\w.]*)\s*:\s*(.*)$/.exec(l.trim());
      if (m) {
        cur = m[1]!.split('.').pop()!;
        members.set(cur, m[2]!.trim());
        continue;
      }
      if (cur !== undefined) {
        if (l.trim() === '') cur = undefined;
        else members.set(cur, (members.get(cur)! + ' ' + l.trim()).trim());
        continue;
      }
      if (comment === undefined && l.trim() !== '' && l.trim() !== '*') comment = l.trim();
    }
  } else comment = cleanComment(raw, false);
  return { comment, members };
}

/** The #if conditions around a member that lie inside its record's definition (not the header's own
 *  guards), innermost last: "defined(CONFIG_IP_VS_NFCT)". */
function conditionWithin(f: FieldDecl, decl: RecordDecl): string | undefined {
  const parts: string[] = [];
  for (let c = f.cond; c; c = c.parent) {
    if (c.loc.file === decl.loc.file && c.loc.pos > decl.loc.pos) parts.unshift(c.text);
  }
  return parts.length ? parts.join(' && ') : undefined;
}

/** The layout of a record's first `n` fields (offsets do not depend on what follows). */
function prefixLayout(decl: RecordDecl, n: number, target: Target): RecordLayout {
  try {
    return layoutRecord({ ...decl, fields: decl.fields!.slice(0, n) }, target);
  } catch (e) {
    if (!(e instanceof LayoutError)) throw e;
    return { size: 0, align: 1, fields: [] };
  }
}

/** Bytes up to the end of the last bit any member occupies. */
function placedEnd(members: readonly Member[]): number {
  let end = 0;
  for (const m of members) end = Math.max(end, m.bitOffset + (m.bitSize ?? m.size * 8));
  return Math.ceil(end / 8);
}

function safeSize(t: CType, target: Target): number {
  try {
    return sizeOf(t, target) || 1;
  } catch {
    return 1;
  }
}

const NO_COMMENTS = new CommentList();
const NEWLINE = 10;

/** Whether a character is white space as String.prototype.trim and the regexp \s see it. */
function isBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 0xa0 && isWideBlank(c));
}

function isWideBlank(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Comment blocks above a member, as one text (empty ones left out). */
function joinParts(parts: readonly string[]): string | undefined {
  const s = parts.filter((p) => p !== '').join('\n');
  return s || undefined;
}

function firstCommentAfter(list: CommentList, pos: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list.start(mid) < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Strips comment gutters; `oneLine` joins the lines with spaces. */
export function cleanComment(text: string, oneLine: boolean): string {
  // (One line without a gutter, as most trailing comments are: only its blanks go.)
  if (!text.includes('\n') && !text.includes('*')) return text.trim();
  let lines = text.split('\n').map((l) => l.replace(/^\s*\*+(?!\/)\s?/, '').trimEnd());
  if (lines.length && lines[0]!.trim() === '') lines = lines.slice(1);
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  const s = lines.map((l) => l.trim());
  return (oneLine ? s.join(' ') : s.join('\n')).replace(/^\*+\s*/, '').trim();
}
