// Helpers that make parser types: records with every field set, qualified types, the integer kind of
// a size, and each ABI's __builtin_va_list.

import type { Loc } from '../core/source.js';
import type { IntKind, Target } from '../target/target.js';
import type { CType, FieldDecl, Quals, RecordDecl } from './ctype.js';

let nextId = 1;

/** A fresh record or enum id (unique within a run). */
export function newId(): number {
  return nextId++;
}

/** __builtin_va_list per ABI: x86-64 and s390x use an array of one register-save struct, AArch64 a
 *  five-field struct, 32-bit ARM a one-pointer struct, the others a plain pointer. */
export function vaListType(t: Target): CType {
  const loc = { file: 0, pos: 0 };
  const f = (name: string, type: CType): FieldDecl => ({ name, type, bitWidth: null, attrs: {}, loc, endLoc: loc });
  const vp: CType = { kind: 'pointer', to: { kind: 'void' } };
  const rec = (name: string, fields: FieldDecl[]): CType => ({
    kind: 'record',
    decl: newRecordDecl('struct', name, loc, fields),
  });
  const uint: CType = { kind: 'int', ik: 'uint' };
  const int: CType = { kind: 'int', ik: 'int' };
  const long: CType = { kind: 'int', ik: 'long' };
  if (t.os === 'linux' && t.arch === 'x86_64')
    return {
      kind: 'array',
      of: rec('__va_list_tag', [
        f('gp_offset', uint),
        f('fp_offset', uint),
        f('overflow_arg_area', vp),
        f('reg_save_area', vp),
      ]),
      length: 1,
    };
  if (t.arch === 's390x')
    return {
      kind: 'array',
      of: rec('__va_list_tag', [
        f('__gpr', long),
        f('__fpr', long),
        f('__overflow_arg_area', vp),
        f('__reg_save_area', vp),
      ]),
      length: 1,
    };
  if (t.arch === 'aarch64')
    return rec('__va_list', [
      f('__stack', vp),
      f('__gr_top', vp),
      f('__vr_top', vp),
      f('__gr_offs', int),
      f('__vr_offs', int),
    ]);
  if (t.arch === 'arm') return rec('__va_list', [f('__ap', vp)]);
  return { kind: 'pointer', to: { kind: 'int', ik: 'char' } };
}

/** A record declaration with every field set from the start: a field added later would give it
 *  another hidden class, and code optimised for one is thrown away at the other (the parser's
 *  member loop was, in every kernel unit). */
export function newRecordDecl(
  tag: 'struct' | 'union',
  name: string | null,
  loc: Loc,
  fields: FieldDecl[] | null,
): RecordDecl {
  return {
    tag,
    name,
    id: newId(),
    fields,
    attrs: {},
    pack: undefined,
    loc,
    end: undefined,
    typedefName: undefined,
    comment: undefined,
    memberDocs: undefined,
    unknownAttrs: undefined,
    scope: undefined,
    variable: undefined,
  };
}

export function withQuals(t: CType, q: Quals | undefined): CType {
  if (!q || Object.keys(q).length === 0) {
    if (!t.q) return t;
    const { q: _q, ...rest } = t as CType & { q?: Quals };
    return rest as CType;
  }
  return { ...t, q: { ...t.q, ...q } } as CType;
}

export function intKindOfSize(bytes: number, unsigned: boolean, t: Target): IntKind {
  const order: [IntKind, IntKind][] = [
    ['schar', 'uchar'],
    ['short', 'ushort'],
    ['int', 'uint'],
    ['long', 'ulong'],
    ['llong', 'ullong'],
    ['int128', 'uint128'],
  ];
  for (const [s, u] of order) if (t.ints[s].size === bytes) return unsigned ? u : s;
  return unsigned ? 'uint' : 'int';
}

/** The name an aligned type name gets (`sizeof(int __attribute__((aligned(8))))`). */
export function typeSpelling(t: CType): string {
  return t.kind === 'typedef' ? t.name : t.kind;
}
