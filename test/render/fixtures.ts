// Hand-built model records for analysis and renderer tests (no front end involved). Offsets are the
// ones gcc gives on x86_64; each record is small enough to check by eye.
import type { Member, RecordType, TypeRef } from '../../src/model/model.js';

export const base = (name: string, size: number, align = size): TypeRef => ({ kind: 'base', name, size, align });
export const CHAR = base('char', 1);
export const SHORT = base('short', 2);
export const INT = base('int', 4);
export const UINT = base('unsigned int', 4);
export const LONG = base('long', 8);
export const ptr = (to: TypeRef): TypeRef => ({ kind: 'pointer', to });
export const arr = (of: TypeRef, length: number | null): TypeRef => ({ kind: 'array', of, length });
export const rec = (record: RecordType): TypeRef => ({ kind: 'record', record });

/** A member at byte `off` (or, with `bits`, a bitfield at bit `off`). */
export function m(
  name: string | null,
  type: TypeRef,
  off: number,
  size: number,
  extra: Partial<Member> & { bits?: number } = {},
): Member {
  const { bits, ...rest } = extra;
  const align = type.kind === 'base' ? type.align : type.kind === 'record' ? type.record.align : 8;
  if (bits !== undefined) return { name, type, bitOffset: off, bitSize: bits, size, align, ...rest };
  return { name, type, bitOffset: off * 8, size, align, ...rest };
}

export function record(
  kind: 'struct' | 'union',
  name: string | null,
  size: number,
  align: number,
  members: Member[],
  extra: Partial<RecordType> = {},
): RecordType {
  return { kind, name, size, align, members, ...extra };
}

/** struct node { struct node *next, **pprev; } */
export const node: RecordType = (() => {
  const r = { kind: 'struct', name: 'node', size: 16, align: 8, members: [] as Member[] } as {
    -readonly [K in keyof RecordType]: RecordType[K];
  };
  const self = rec(r as RecordType);
  r.members = [m('next', ptr(self), 0, 8), m('pprev', ptr(ptr(self)), 8, 8)];
  return r as RecordType;
})();

/** struct padded { long l; char c; } — 7 bytes of tail padding. */
export const padded = record('struct', 'padded', 16, 8, [m('l', LONG, 0, 8), m('c', CHAR, 8, 1)]);

/**
 * struct conn {
 *   struct node list;          // 0 16   hash chain
 *   short port;                // 16 2
 *   // 2-byte hole
 *   union { int v4; char v6[16]; } addr;   // 20 16   (anonymous union type, named member)
 *   // 4-byte hole
 *   long bytes;                // 40 8
 *   unsigned int flags:3;      // 48:0
 *   unsigned int state:4;      // 48:3
 *   // 25 bits hole (to byte 52)
 *   struct padded p;           // 56 16   straddles the 64-byte line
 *   struct { int a; int b; };  // 72 8   anonymous struct member
 *   void (*fn)(int);           // 80 8
 *   char tail[];               // 88 0
 * }  size 88
 */
const anonUnion = record('union', null, 16, 4, [m('v4', INT, 0, 4), m('v6', arr(CHAR, 16), 0, 16)]);
const anonStruct = record('struct', null, 8, 4, [m('a', INT, 0, 4), m('b', INT, 4, 4, { comment: 'b | c' })]);
export const conn = record(
  'struct',
  'conn',
  88,
  8,
  [
    m('list', rec(node), 0, 16, { comment: 'hash chain', leadingComment: 'Lookup' }),
    m('port', SHORT, 16, 2),
    m('addr', rec(anonUnion), 20, 16),
    m('bytes', LONG, 40, 8, { leadingComment: 'Statistics', spelling: 'u64 bytes', condition: 'CONFIG_STATS' }),
    m('flags', UINT, 48 * 8, 4, { bits: 3 }),
    m('state', UINT, 48 * 8 + 3, 4, { bits: 4 }),
    m('p', rec(padded), 56, 16),
    m(null, rec(anonStruct), 72, 8),
    m(
      'fn',
      ptr({ kind: 'func', ret: { kind: 'base', name: 'void', size: 1, align: 1 }, params: [INT], variadic: false }),
      80,
      8,
    ),
    m('tail', arr(CHAR, null), 88, 0),
  ],
  { origin: { kind: 'source', file: 'conn.h', line: 3 } },
);
