// BTF checked once, as the kernel's verifier checks it before use: every type and name reference
// resolves, and no type reaches itself except through a pointer to a struct or union. Records are then
// built lazily (a pointer's target only when spelled) with nothing left that can fail or loop.

import { K, SPLIT_HINT, type Btf } from './btf.js';

/** How many types `id` refers to; edge() gives each (a struct's member types, a prototype's return
 *  type then its parameters' types, an array's element then index type...). */
function edgeCount(t: Btf, id: number): number {
  switch (t.kind[id]) {
    case K.PTR: case K.TYPEDEF: case K.VOLATILE: case K.CONST: case K.RESTRICT: case K.TYPE_TAG: case K.FUNC: case K.VAR: case K.DECL_TAG: return 1;
    case K.ARRAY: return 2;
    case K.STRUCT: case K.UNION: case K.DATASEC: return t.vlen[id]!;
    case K.FUNC_PROTO: return 1 + t.vlen[id]!;
    default: return 0;
  }
}

function edge(t: Btf, id: number, i: number): number {
  const d = t.data[id]!;
  switch (t.kind[id]) {
    case K.ARRAY: return t.u32(id, d + 4 * i);
    case K.STRUCT: case K.UNION: return t.u32(id, d + 12 * i + 4);
    case K.DATASEC: return t.u32(id, d + 12 * i);
    case K.FUNC_PROTO: return i === 0 ? t.sizeOrType[id]! : t.u32(id, d + 8 * (i - 1) + 4);
    default: return t.sizeOrType[id]!;
  }
}

/** Name offsets in a type's data: member, enumerator and parameter names. */
function dataNames(t: Btf, id: number, each: (off: number) => void): void {
  const d = t.data[id]!;
  const n = t.vlen[id]!;
  switch (t.kind[id]) {
    case K.STRUCT: case K.UNION: case K.ENUM64: for (let i = 0; i < n; i++) each(t.u32(id, d + 12 * i)); break;
    case K.ENUM: case K.FUNC_PROTO: for (let i = 0; i < n; i++) each(t.u32(id, d + 8 * i)); break;
  }
}

/** Throws a BinaryError at the first type (of the blob's own, not its base's) that refers to a type
 *  or a string that does not exist, or that contains itself. `startsString` tells a name offset that
 *  points at the start of a string: a split blob's names that point elsewhere mean a wrong base. */
export function checkBtf(t: Btf, startsString: (off: number) => boolean): void {
  const split = t.firstId > 1;
  let mid = 0;
  for (let id = t.firstId; id < t.count; id++) {
    const n = edgeCount(t, id);
    for (let i = 0; i < n; i++) {
      const to = edge(t, id, i);
      if (to >= t.count) {
        const hint = split ? '' : SPLIT_HINT;
        throw t.fail(id, `BTF ${t.describe(id)} refers to type ${to}, which does not exist${hint}`);
      }
    }
    dataNames(t, id, (off) => {
      if (off >= t.strLen) throw t.fail(id, `BTF ${t.describe(id)}: string offset ${off} out of range${split ? '' : SPLIT_HINT}`);
    });
    if (split && !startsString(t.nameOff[id]!)) mid++;
  }
  // A blob over the wrong base reads its names from the wrong strings: nearly all start mid-string.
  if (mid > 0) {
    throw t.fail(t.firstId, `split BTF does not match its base: ${mid} of its ${t.count - t.firstId} type names start inside another string of the base (is the base the vmlinux this module was built for?)`);
  }
  findCycle(t, true);
  findCycle(t, false);
}

/** Depth-first search for a cycle. byValue: the edges that are not pointers (a struct that contains
 *  itself, a typedef or a qualifier chain that loops, a prototype that returns itself); otherwise
 *  every edge except a struct's or union's members (a pointer to itself: a type no C can spell). */
function findCycle(t: Btf, byValue: boolean): void {
  const color = new Uint8Array(t.count); // 0 unseen, 1 on the path, 2 done
  const stack = new Int32Array(t.count);
  const next = new Int32Array(t.count);
  for (let root = t.firstId; root < t.count; root++) {
    if (color[root] !== 0) continue;
    let sp = 0;
    stack[0] = root;
    next[0] = 0;
    color[root] = 1;
    while (sp >= 0) {
      const id = stack[sp]!;
      const k = t.kind[id];
      const n = byValue ? (k === K.PTR ? 0 : edgeCount(t, id)) : k === K.STRUCT || k === K.UNION ? 0 : edgeCount(t, id);
      if (next[sp]! >= n) {
        color[id] = 2;
        sp--;
        continue;
      }
      const to = edge(t, id, next[sp]++);
      if (to < t.firstId) continue; // void or the base's (checked with the base)
      if (color[to] === 1) {
        const from = stack.indexOf(to);
        const path = [...stack.subarray(from, sp + 1), to].join(' → ');
        throw t.fail(to, byValue
          ? `BTF ${t.describe(to)} contains itself (types ${path})`
          : `BTF ${t.describe(to)} refers to itself through pointers with no struct or union in between (types ${path})`);
      }
      if (color[to] === 0) {
        color[to] = 1;
        stack[++sp] = to;
        next[sp] = 0;
      }
    }
  }
}
