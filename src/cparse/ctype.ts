// The parser's type model (chibicc's Type, as a discriminated union). Types are immutable values;
// records and enums are shared declaration objects that are completed in place when their body is
// parsed (a forward-declared struct becomes complete later). Sizes come from the target table via
// src/layout; nothing here knows an ABI.

import type { Loc } from '../core/source.js';
import type { Conditional } from '../cpp/token.js';
import type { FloatKind, IntKind } from '../target/target.js';

export interface Quals {
  readonly const?: boolean;
  readonly volatile?: boolean;
  readonly restrict?: boolean;
  readonly atomic?: boolean;
}

export type CType =
  | { readonly kind: 'void'; readonly q?: Quals }
  | { readonly kind: 'int'; readonly ik: IntKind; readonly q?: Quals }
  | { readonly kind: 'float'; readonly fk: FloatKind; readonly complex?: boolean; readonly q?: Quals }
  | { readonly kind: 'pointer'; readonly to: CType; readonly q?: Quals }
  /** length null: incomplete array ([] — a flexible array member at the end of a struct). */
  | {
      readonly kind: 'array';
      readonly of: CType;
      readonly length: number | null;
      /** The length when it is past 2^53 (length then holds the nearest double). */
      readonly exactLength?: bigint;
      readonly q?: Quals;
      /** A size was written but is no integer constant (a VLA, or an undeclared name): not a flexible array. */
      readonly variable?: true;
    }
  | {
      readonly kind: 'func';
      readonly ret: CType;
      readonly params: readonly CType[];
      readonly variadic: boolean;
      readonly q?: Quals;
    }
  | { readonly kind: 'record'; readonly decl: RecordDecl; readonly q?: Quals }
  | { readonly kind: 'enum'; readonly decl: EnumDecl; readonly q?: Quals }
  /** A typedef name as used; keeps the name for spelling and any alignment the typedef declared. */
  | {
      readonly kind: 'typedef';
      readonly name: string;
      readonly to: CType;
      readonly attrs: TypeAttrs;
      readonly q?: Quals;
    }
  /** GCC vector types (__attribute__((vector_size(N)))). size in bytes. */
  | { readonly kind: 'vector'; readonly of: CType; readonly size: number; readonly q?: Quals };

/** Attributes that change layout when attached to a type or typedef. */
export interface TypeAttrs {
  /** aligned(N) in bytes; on a typedef it may also lower the alignment (gcc allows that). */
  readonly aligned?: number;
  readonly packed?: boolean;
}

export interface RecordDecl {
  readonly tag: 'struct' | 'union';
  readonly name: string | null;
  /** Unique per definition, stable within a run. */
  readonly id: number;
  /** null while incomplete (forward declaration). */
  fields: FieldDecl[] | null;
  attrs: RecordAttrs;
  /** The #pragma pack value in effect for this definition (bytes), if any. */
  pack?: number;
  loc: Loc;
  /** A definition's tag, or its '{' when it has none: where gcc reports the record as a whole. */
  tagLoc?: Loc;
  /** The closing brace (expansion site): with `loc`, the span whose errors make the record incomplete. */
  end?: Loc;
  /** The first typedef name given to this record (for anonymous records known by typedef). */
  typedefName?: string;
  /** Kernel-doc or own-line comment block above the definition. */
  comment?: string;
  /** @member: texts from a kernel-doc block, by member name. */
  memberDocs?: Map<string, string>;
  /** Unknown attributes that might matter for layout, by name. */
  unknownAttrs?: string[];
  /** The function whose body defines the record (parsed with ParseOptions.functionBodies). */
  scope?: string;
  /** An anonymous record in a function body: the variable it declares (`static const struct {...} tab[]`). */
  variable?: string;
}

export interface RecordAttrs {
  readonly packed?: boolean;
  readonly aligned?: number;
  readonly randomizeLayout?: boolean;
  readonly designatedInit?: boolean;
  /** ms_struct / gcc_struct */
  readonly msStruct?: boolean;
}

export interface FieldDecl {
  /** null for anonymous struct/union members and unnamed bitfields. */
  readonly name: string | null;
  readonly type: CType;
  /** Width for bitfields, else null. */
  readonly bitWidth: number | null;
  readonly attrs: TypeAttrs;
  /** Where the member's name (or its type, when unnamed) is written; the expansion site for macros. */
  readonly loc: Loc;
  /** Where the member's declaration starts (first specifier token's site), for leading comments. */
  readonly startLoc?: Loc;
  /** Position of the terminating ';' (or ',' for declarators sharing a specifier) for trailing comments. */
  readonly endLoc: Loc;
  /** The source text of the declaration before macro expansion, when different from the expanded one. */
  readonly spelling?: string;
  readonly cond?: Conditional;
  comment?: string;
  leadingComment?: string;
}

export interface EnumDecl {
  readonly name: string | null;
  readonly id: number;
  /** null while incomplete. */
  values: { readonly name: string; readonly value: bigint }[] | null;
  attrs: { readonly packed?: boolean; readonly aligned?: number; readonly mode?: IntKind };
  /** Fixed underlying type (C23 `enum E : T`) when given. */
  fixed?: IntKind;
  loc: Loc;
}
