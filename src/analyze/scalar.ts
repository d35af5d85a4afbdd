// What a member holds, as the binding generators and the decoder need it: integers with their width
// and signedness, floats with their format, pointers, enums, arrays and records, and the flat list of
// a record's accessible members (anonymous members' members are the record's own, as C reads them).
// Base types are named as the front ends spell them (C: "unsigned long"; DWARF/BTF: "long unsigned int").

import { resolveType, type Member, type RecordType, type TypeRef } from '../model/model.js';
import type { Target } from '../target/target.js';

export type FloatFormat = 'binary16' | 'bfloat16' | 'binary32' | 'binary64' | 'x87' | 'binary128' | 'ibm128';

export type Scalar =
  | { readonly kind: 'int'; readonly size: number; readonly signed: boolean; readonly bool?: boolean }
  | { readonly kind: 'float'; readonly size: number; readonly format: FloatFormat; readonly complex: boolean }
  | { readonly kind: 'pointer'; readonly size: number }
  | {
      readonly kind: 'enum';
      readonly size: number;
      readonly signed: boolean;
      readonly name: string | null;
      readonly values: readonly { readonly name: string; readonly value: bigint }[];
    }
  | { readonly kind: 'array'; readonly of: TypeRef; readonly length: number; readonly flexible: boolean }
  | { readonly kind: 'record'; readonly record: RecordType }
  /** void, functions, incomplete types: shown as bytes. */
  | { readonly kind: 'opaque'; readonly size: number };

/** How a type's bytes are read on `target`. */
export function classify(t: TypeRef, target: Target): Scalar {
  const r = resolveType(t);
  switch (r.kind) {
    case 'base':
      return classifyBase(r.name, r.size, target);
    case 'enum': {
      const values = r.values ?? [];
      // gcc gives an enum without negative enumerators an unsigned underlying type.
      const signed = r.values ? values.some((v) => v.value < 0n) : true;
      return { kind: 'enum', size: r.size, signed, name: r.name, values };
    }
    case 'pointer':
      return { kind: 'pointer', size: target.pointer.size };
    case 'array':
      return { kind: 'array', of: r.of, length: r.length ?? 0, flexible: r.length === null };
    case 'record':
      return r.record.members.length || r.record.size
        ? { kind: 'record', record: r.record }
        : { kind: 'opaque', size: 0 };
    default:
      return { kind: 'opaque', size: 0 };
  }
}

function classifyBase(name: string, size: number, target: Target): Scalar {
  const n = name.replace(/\b(const|volatile|_Atomic)\b/g, '').trim();
  const complex = /complex/i.test(n);
  if (/float|double|_Float|__bf16/.test(n)) {
    const part = complex ? size / 2 : size;
    let format: FloatFormat;
    if (/__bf16/.test(n)) format = 'bfloat16';
    else if (part === 2) format = 'binary16';
    else if (part === 4) format = 'binary32';
    else if (part === 8) format = 'binary64';
    else if (/long double/.test(n)) format = target.ldoubleFormat === 'binary64' ? 'binary64' : target.ldoubleFormat;
    else format = 'binary128';
    return { kind: 'float', size, format, complex };
  }
  if (n === 'void' || size === 0) return { kind: 'opaque', size };
  if (/^_?[Bb]ool$/.test(n)) return { kind: 'int', size, signed: false, bool: true };
  if (/\bunsigned\b/.test(n)) return { kind: 'int', size, signed: false };
  if (n === 'char') return { kind: 'int', size, signed: target.charSigned };
  return { kind: 'int', size, signed: true };
}

/** A member as C code reaches it from the record: `path` through anonymous members is the bare name. */
export interface Field {
  readonly name: string;
  readonly member: Member;
  /** Bits from the start of the record the list was made for. */
  readonly bitOffset: number;
}

/** The named members reachable by name from `r` (anonymous structs and unions opened), in order.
 *  Unnamed bitfields are padding and left out. */
export function fieldsOf(r: RecordType, base = 0, out: Field[] = []): Field[] {
  for (const m of r.members) {
    const abs = base + m.bitOffset;
    if (m.name === null) {
      const t = resolveType(m.type);
      if (m.bitSize === undefined && t.kind === 'record') fieldsOf(t.record, abs, out);
      continue;
    }
    out.push({ name: m.name, member: m, bitOffset: abs });
  }
  return out;
}

/** How C names the record: "struct foo", or its typedef when it has no tag; undefined when neither. */
export function cName(r: RecordType): string | undefined {
  if (r.name !== null) return `${r.kind} ${r.name}`;
  return r.typedef;
}

/** The name a binding gives the record: its tag, else its typedef name. */
export function bindingName(r: RecordType): string | undefined {
  return r.name ?? r.typedef;
}
