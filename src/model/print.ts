// Spelling C types and declarations from the model's TypeRef graph: "struct hlist_node",
// "char name[16]", "void (*fn)(int)", "const char *const p". Shared by every renderer.
// Declarators are built inside-out: pointers prefix, arrays and functions suffix, parentheses where a
// pointer meets an array or function.

import type { TypeRef } from './model.js';

/** The type's name as C spells it without a declarator name: "char[16]", "int *", "void (*)(int)". */
export function typeName(t: TypeRef): string {
  return declare(t, '');
}

/** A full declaration of `name` with type `t`. */
export function declare(t: TypeRef, name: string): string {
  const { base, declarator } = split(t, name);
  if (declarator === '') return base;
  return base + ' ' + declarator;
}

/** The base specifier ("struct foo", "const char") and the declarator around `name`. */
export function split(t: TypeRef, name: string): { base: string; declarator: string } {
  let inner = name;
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
        return { base: cur.quals.join(' ') + ' ' + baseName(cur.of), declarator: inner };
      case 'pointer': {
        const q = pendingQuals ? pendingQuals + (inner ? ' ' : '') : '';
        pendingQuals = '';
        inner = '*' + q + inner;
        const to = cur.to;
        if (to.kind === 'array' || to.kind === 'func') inner = '(' + inner + ')';
        cur = to;
        continue;
      }
      case 'array':
        inner = inner + '[' + (cur.length === null ? '' : String(cur.length)) + ']';
        cur = cur.of;
        continue;
      case 'func': {
        const params = cur.params.map((p) => typeName(p));
        if (cur.variadic) params.push('...');
        inner = inner + '(' + (params.length ? params.join(', ') : 'void') + ')';
        cur = cur.ret;
        continue;
      }
      default:
        return { base: baseName(cur), declarator: inner };
    }
  }
}

function baseName(t: TypeRef): string {
  switch (t.kind) {
    case 'base':
      return t.name;
    case 'record':
      return t.record.name !== null ? `${t.record.kind} ${t.record.name}` : t.record.typedef ?? `${t.record.kind} {...}`;
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
