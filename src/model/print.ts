// Spelling C types and declarations from the model's TypeRef graph: "struct hlist_node",
// "char name[16]", "void (*fn)(int)". Shared by every renderer.

import type { TypeRef } from './model.js';

/** The type's name as C spells it without a declarator name: "char[16]", "int *", "void (*)(int)". */
export function typeName(t: TypeRef): string {
  return declare(t, '').trim();
}

/** A full declaration of `name` with type `t`. */
export function declare(t: TypeRef, name: string): string {
  let inner = name;
  let cur = t;
  // Walk declarator layers outside-in, building the declarator around `inner`.
  for (;;) {
    switch (cur.kind) {
      case 'pointer': {
        let quals = '';
        let to = cur.to;
        inner = '*' + quals + inner;
        const next = to;
        if (next.kind === 'array' || next.kind === 'func') inner = '(' + inner + ')';
        cur = next;
        continue;
      }
      case 'qualified': {
        // Qualifiers on a pointer go after the star: "char *const p".
        if (cur.of.kind === 'pointer') {
          const q = cur.quals.join(' ');
          const to = cur.of.to;
          inner = '*' + q + (inner && !inner.startsWith('(') && !inner.startsWith('[') ? ' ' + inner : inner === '' ? '' : inner);
          if (to.kind === 'array' || to.kind === 'func') inner = '(' + inner + ')';
          cur = to;
          continue;
        }
        return joinSpec(cur.quals.join(' ') + ' ' + baseSpelling(cur.of), inner, cur.of);
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
        return joinSpec(baseSpelling(cur), inner, cur);
    }
  }
}

function joinSpec(spec: string, declarator: string, _t: TypeRef): string {
  if (declarator === '') return spec;
  if (declarator.startsWith('*')) return spec + ' ' + declarator;
  return spec + ' ' + declarator;
}

function baseSpelling(t: TypeRef): string {
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
      return t.quals.join(' ') + ' ' + baseSpelling(t.of);
    default:
      return typeName(t);
  }
}
