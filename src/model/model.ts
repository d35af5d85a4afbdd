// The one model every front end produces (C source after layout, BTF, DWARF) and every analysis and
// renderer reads: records whose members carry bit offsets and sizes, and a small type graph that can
// spell C declarations. Nothing downstream knows which front end a record came from except `origin`.

export type Origin =
  | { readonly kind: 'source'; readonly file: string; readonly line: number; readonly col?: number }
  | { readonly kind: 'btf'; readonly id: number }
  | { readonly kind: 'dwarf'; readonly offset: number };

export type Qualifier = 'const' | 'volatile' | 'restrict' | '_Atomic';

/** A type as far as spelling and nesting go. Records are shared objects; the graph may be cyclic
 *  through pointers (struct list_head { struct list_head *next; }). */
export type TypeRef =
  | { readonly kind: 'base'; readonly name: string; readonly size: number; readonly align: number }
  | { readonly kind: 'record'; readonly record: RecordType }
  | {
      readonly kind: 'enum';
      readonly name: string | null;
      readonly size: number;
      readonly align: number;
      /** The enumerators, when the front end knows them (bindings name values by them). */
      readonly values?: readonly { readonly name: string; readonly value: bigint }[];
    }
  | { readonly kind: 'typedef'; readonly name: string; readonly to: TypeRef }
  | { readonly kind: 'pointer'; readonly to: TypeRef }
  | {
      readonly kind: 'array';
      readonly of: TypeRef;
      readonly length: number | null;
      /** The length when it is past 2^53 (length is then the nearest double). */
      readonly exactLength?: bigint;
    }
  | { readonly kind: 'func'; readonly ret: TypeRef; readonly params: readonly TypeRef[]; readonly variadic: boolean }
  | { readonly kind: 'qualified'; readonly quals: readonly Qualifier[]; readonly of: TypeRef };

export interface RecordType {
  readonly kind: 'struct' | 'union';
  /** The tag; null for an anonymous record. */
  readonly name: string | null;
  /** A typedef name that refers to this record (the first one seen), when there is one. */
  readonly typedef?: string;
  /** The function whose body defines the record (C source parsed with function bodies). */
  readonly scope?: string;
  /** An anonymous record in a function body: the variable it declares. */
  readonly variable?: string;
  /** Bytes. */
  readonly size: number;
  /** Bytes. */
  readonly align: number;
  /** True when the alignment was inferred (BTF carries none). */
  readonly alignInferred?: boolean;
  readonly members: readonly Member[];
  readonly origin?: Origin;
  /** Layout-relevant attributes as declared. */
  readonly packed?: boolean;
  readonly alignedAttr?: number;
  /** Bytes: the #pragma pack in force at the definition (source only). */
  readonly pack?: number;
  /** Bytes: the record's alignment when the compiler records it as explicit (gcc's TYPE_USER_ALIGN,
   *  DWARF's DW_AT_alignment on the type): an aligned() on the record, or a member with a forced
   *  alignment (Member.forcedAlign). pahole prints it after the closing brace. Absent from BTF. */
  readonly forcedAlign?: number;
  /** __randomize_layout / randomize_layout: the compiler would reorder it when the plugin is enabled. */
  readonly randomizeLayout?: boolean;
  /** Why the layout may not be exact (e.g. an unknown attribute that can matter). Absent when certain. */
  readonly uncertain?: readonly string[];
  /** Kernel-doc / own-line comment block above the record. */
  readonly comment?: string;
  /** Bytes, exact: present only for a record larger than 2^50 bytes (gcc allows up to PTRDIFF_MAX),
   *  whose numbers (size, and members' bitOffset and size, see Member.exact) are then the nearest
   *  doubles. Renderers print these; an analysis that needs exact numbers refuses such a record
   *  (see inexact). */
  readonly exactSize?: bigint;
  /** Present when an error touched the record (see Incomplete): its layout is not to be trusted past
   *  `members`, and `size` is only where the members that were placed end. */
  readonly incomplete?: Incomplete;
}

/** What is known of a record that an error touched: an error located inside its definition, a member
 *  that could not be laid out, or a member whose own record is incomplete. `members` holds only the
 *  members laid out before the first failure; those after it are listed here, without offsets. */
export interface Incomplete {
  /** "file:line:col: message" for each error, in source order. */
  readonly errors: readonly string[];
  readonly unplaced: readonly UnplacedMember[];
}

export interface UnplacedMember {
  readonly name: string | null;
  readonly type: TypeRef;
}

export interface Member {
  /** null for an anonymous struct/union member or an unnamed bitfield. */
  readonly name: string | null;
  readonly type: TypeRef;
  /** Bits from the start of the record that contains this member (not the top-level record). */
  readonly bitOffset: number;
  /** Exact values when the record is larger than 2^50 bytes (see RecordType.exactSize): bits from
   *  the start of its record, and bytes. */
  readonly exact?: { readonly bitOffset: bigint; readonly size: bigint };
  /** Present for bitfields only: the width in bits. */
  readonly bitSize?: number;
  /** Bytes: the declared type's size (a bitfield's too); 0 for a flexible array. */
  readonly size: number;
  /** Bytes: the member's effective alignment in this record (after packed/aligned/pragma pack). */
  readonly align: number;
  readonly alignInferred?: boolean;
  /** Bytes: the alignment the compiler records as the user's for this member (gcc's DECL_USER_ALIGN,
   *  DWARF's DW_AT_alignment): an aligned() or _Alignas on it, or a type that carries one, such as
   *  the kernel's ____cacheline_aligned structs. pahole prints it as __attribute__((__aligned__(N)))
   *  and calls a hole before such a member forced. Absent otherwise, and from BTF (no alignments). */
  readonly forcedAlign?: number;
  /** A bitfield declared packed (source only): it goes at the next bit, whatever its unit. */
  readonly packed?: boolean;
  /** Trailing same-line comment, or the kernel-doc @member: text. */
  readonly comment?: string;
  /** The own-line comment block directly above the member. */
  readonly leadingComment?: string;
  /** How the source spelled the declaration before macro expansion, when it differs
   *  (e.g. "struct rcu_head rcu_head" for struct callback_head callback_head). */
  readonly spelling?: string;
  /** The preprocessor condition that kept this member, e.g. "CONFIG_IP_VS_NFCT". */
  readonly condition?: string;
  readonly origin?: Origin;
}

/** Strip typedefs and qualifiers. */
export function resolveType(t: TypeRef): TypeRef {
  for (;;) {
    if (t.kind === 'typedef') t = t.to;
    else if (t.kind === 'qualified') t = t.of;
    else return t;
  }
}

/** The record a member's type is, through typedefs and qualifiers (not through arrays or pointers). */
export function recordOf(t: TypeRef): RecordType | undefined {
  const r = resolveType(t);
  return r.kind === 'record' ? r.record : undefined;
}

/** The record an array's innermost element type is, or a direct record. */
export function elementRecordOf(t: TypeRef): RecordType | undefined {
  let r = resolveType(t);
  while (r.kind === 'array') r = resolveType(r.of);
  return r.kind === 'record' ? r.record : undefined;
}

/** A record with neither a tag nor a typedef name: nothing but its members can show it. */
export function isUnnamedRecord(r: RecordType): boolean {
  return r.name === null && r.typedef === undefined;
}

/** The unnamed record a member's type is, directly, through qualifiers, or as an array's element
 *  (not through a typedef: that names it). */
export function unnamedRecordOf(t: TypeRef): RecordType | undefined {
  while (t.kind === 'qualified' || t.kind === 'array') t = t.of;
  return t.kind === 'record' && isUnnamedRecord(t.record) ? t.record : undefined;
}

export function isAnonymousRecordMember(m: Member): boolean {
  return m.type.kind === 'record' && isUnnamedRecord(m.type.record);
}

/** Why an analysis that needs the whole layout (code generation, decoding, reordering) cannot take
 *  this record: an error left it incomplete (see Incomplete); undefined when it can. */
export function unfinished(r: RecordType, analysis: string): string | undefined {
  if (!r.incomplete) return undefined;
  const first = r.incomplete.errors[0];
  return `${cannotHandle(r, analysis)}: its layout is incomplete${first ? ` (${first})` : ''}`;
}

/** Why an analysis that computes in numbers cannot take this record (larger than 2^50 bytes, its
 *  numbers rounded: see RecordType.exactSize), as "file:line: message"; undefined when it can. */
export function inexact(r: RecordType, analysis: string): string | undefined {
  if (r.exactSize === undefined && !r.members.some((m) => m.exact)) return undefined;
  const size = r.exactSize ?? 'size';
  return `${cannotHandle(r, analysis)}: its ${size} bytes are past 2^50, where only the layout is exact`;
}

/** "file:line: ANALYSIS cannot handle 'struct NAME'", the start of a refusal. */
function cannotHandle(r: RecordType, analysis: string): string {
  const at = r.origin?.kind === 'source' ? `${r.origin.file}:${r.origin.line}: ` : '';
  return `${at}${analysis} cannot handle '${r.kind} ${r.name ?? r.typedef ?? '<anonymous>'}'`;
}
