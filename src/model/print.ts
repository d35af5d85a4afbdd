// Spelling C types and declarations from the model's TypeRef graph: "struct hlist_node",
// "char name[16]", "void (*fn)(int)", "const char *const p". Shared by every renderer.
// Declarators are built inside-out: pointers prefix, arrays and functions suffix, parentheses where a
// pointer meets an array or function. A type's spelling is memoised per TypeRef (WeakMap): the model
// is immutable once built, and a vmlinux's 100,000 members share a few thousand types.

import { isUnnamedRecord, type Member, type RecordType, type TypeRef } from './model.js';

/** The type's name as C spells it without a declarator name: "char[16]", "int *", "void (*)(int)".
 *  Memoised per TypeRef (the model is immutable once built). */
export function typeName(t: TypeRef): string {
  // (A typedef's or a base type's name is its spelling: nothing to build or remember.)
  if (t.kind === 'typedef' || t.kind === 'base') return t.name;
  let s = typeNames.get(t);
  if (s === undefined) {
    s = declare(t, '');
    typeNames.set(t, s);
  }
  return s;
}
const typeNames = new WeakMap<TypeRef, string>();

/** A full declaration of `name` with type `t`. */
export function declare(t: TypeRef, name: string): string {
  const { base, declarator } = split(t, name);
  if (declarator === '') return base;
  return base + ' ' + declarator;
}

/** The base specifier ("struct foo", "const char") and the declarator around `name`. */
export function split(t: TypeRef, name: string): { base: string; declarator: string } {
  if (name === '') {
    const d = spell(t, false);
    return { base: d.base, declarator: d.before + d.after };
  }
  const d = declParts(t);
  return { base: d.base, declarator: d.before + name + d.after };
}

/** A declaration of a (non-empty) name split around it: base, and the declarator before and after the
 *  name ("struct foo", "(*", ")(int)"). Memoised per TypeRef. */
export interface DeclParts {
  readonly base: string;
  readonly before: string;
  readonly after: string;
}

export function declParts(t: TypeRef): DeclParts {
  let d = named.get(t);
  if (d === undefined) {
    d = spell(t, true);
    named.set(t, d);
  }
  return d;
}
const named = new WeakMap<TypeRef, DeclParts>();

/** The declarator grows around the name: pointers prefix it, arrays and functions suffix it. A
 *  pointer's qualifiers take a space before whatever follows them (the name, when there is one). */
function spell(t: TypeRef, hasName: boolean): DeclParts {
  let before = '';
  let after = '';
  let cur = t;
  let pendingQuals = '';
  for (;;) {
    switch (cur.kind) {
      case 'qualified':
        if (cur.of.kind === 'pointer') {
          pendingQuals = cur.quals.join(' ');
          cur = cur.of;
          continue;
        }
        return { base: cur.quals.join(' ') + ' ' + baseName(cur.of), before, after };
      case 'pointer': {
        const q = pendingQuals ? pendingQuals + (hasName || before !== '' || after !== '' ? ' ' : '') : '';
        pendingQuals = '';
        before = '*' + q + before;
        const to = cur.to;
        if (to.kind === 'array' || to.kind === 'func') {
          before = '(' + before;
          after = after + ')';
        }
        cur = to;
        continue;
      }
      case 'array':
        after = after + '[' + (cur.length === null ? '' : String(cur.exactLength ?? cur.length)) + ']';
        cur = cur.of;
        continue;
      case 'func': {
        const params = cur.params.map((p) => typeName(p));
        if (cur.variadic) params.push('...');
        after = after + '(' + (params.length ? params.join(', ') : 'void') + ')';
        cur = cur.ret;
        continue;
      }
      default:
        return { base: baseName(cur), before, after };
    }
  }
}

function baseName(t: TypeRef): string {
  switch (t.kind) {
    case 'base':
      return t.name;
    case 'record':
      return t.record.name !== null
        ? `${t.record.kind} ${t.record.name}`
        : (t.record.typedef ?? `${t.record.kind} {...}`);
    case 'enum':
      return t.name !== null ? `enum ${t.name}` : 'enum {...}';
    case 'typedef':
      return t.name;
    case 'qualified':
      return t.quals.join(' ') + ' ' + baseName(t.of);
    default:
      return typeName(t);
  }
}

/** The first and last line of a member shown inline with its record's members: "const struct {" and
 *  "} q;", "struct {" and "} slots[4];" (an array's first element is what is shown), "struct foo {"
 *  for a named record (--expand), "union {" and "};" for an anonymous member; `declarator` is the
 *  part after the brace ("slots[4]", "" for an anonymous member). */
export function inlineSpelling(m: Member, r: RecordType): { open: string; declarator: string; close: string } {
  const d = m.name !== null ? declParts(m.type) : undefined;
  let open: string;
  if (!isUnnamedRecord(r)) open = `${r.name !== null ? `${r.kind} ${r.name}` : r.kind} {`;
  else {
    const base = d?.base ?? split(m.type, '').base;
    open = base.endsWith('{...}') ? base.slice(0, -4) : `${r.kind} {`;
  }
  const declarator = d ? d.before + m.name + d.after : '';
  return { open, declarator, close: declarator ? `} ${declarator};` : '};' };
}
