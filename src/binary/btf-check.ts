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

/** The edges a cycle can run through: the ones the model follows (not a FUNC's, a VAR's, a
 *  DATASEC's or a DECL_TAG's, nor an array's index type). byValue: not a pointer's; otherwise not a
 *  record's members. */
function cycleEdges(t: Btf, id: number, byValue: boolean): number {
  switch (t.kind[id]) {
    case K.PTR: return byValue ? 0 : 1;
    case K.TYPEDEF: case K.VOLATILE: case K.CONST: case K.RESTRICT: case K.TYPE_TAG: case K.ARRAY: return 1;
    case K.STRUCT: case K.UNION: return byValue ? t.vlen[id]! : 0;
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

/** The first name offset in a type's data (member, enumerator, parameter names) past `limit`, or -1. */
function badDataName(t: Btf, id: number, limit: number): number {
  const d = t.data[id]!;
  const n = t.vlen[id]!;
  const k = t.kind[id];
  const step = k === K.STRUCT || k === K.UNION || k === K.ENUM64 ? 12 : k === K.ENUM || k === K.FUNC_PROTO ? 8 : 0;
  if (step === 0) return -1;
  for (let i = 0; i < n; i++) {
    const off = t.u32(id, d + step * i);
    if (off >= limit) return off;
  }
  return -1;
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
    const bad = badDataName(t, id, t.strLen);
    if (bad >= 0) throw t.fail(id, `BTF ${t.describe(id)}: string offset ${bad} out of range${split ? '' : SPLIT_HINT}`);
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
    if (cycleEdges(t, root, byValue) === 0) {
      color[root] = 2;
      continue;
    }
    let sp = 0;
    stack[0] = root;
    next[0] = 0;
    color[root] = 1;
    while (sp >= 0) {
      const id = stack[sp]!;
      if (next[sp]! >= cycleEdges(t, id, byValue)) {
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
