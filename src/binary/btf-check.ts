// BTF checked where it is used, as cheaply as reading it: a split blob's names against its base when
// parsed, and each member's type before its record is built (every type its spelling reaches exists,
// and none reaches itself without a struct or union in between). A check over the whole graph when
// parsing cost a cold run some 0.2 s of vmlinux's 1.5 s, for types most queries never reach.

import { K, SPLIT_HINT, type Btf } from './btf.js';

/** Throws when a split blob's names start inside strings of its base: the sign of a wrong base
 *  (ip_vs.ko over another kernel's vmlinux: 279 of its 631 names). */
export function checkSplitBase(t: Btf, startsString: (off: number) => boolean): void {
  let mid = 0;
  for (let id = t.firstId; id < t.count; id++) if (!startsString(t.nameOff[id]!)) mid++;
  if (mid > 0) {
    throw t.fail(
      t.firstId,
      `split BTF does not match its base: ${mid} of its ${t.count - t.firstId} type names start inside ` +
        'another string of the base (is the base the vmlinux this module was built for?)',
    );
  }
}

/** The i-th type that spelling `id` reads (a pointer's, qualifier's or typedef's target, an array's
 *  element, a prototype's return then parameter types), or -1 past the last. Records end a
 *  spelling (they are spelled by name, and checked as they are built). */
function spellingEdge(t: Btf, id: number, i: number): number {
  switch (t.kind[id]) {
    case K.PTR:
    case K.TYPEDEF:
    case K.VOLATILE:
    case K.CONST:
    case K.RESTRICT:
    case K.TYPE_TAG:
      return i === 0 ? t.sizeOrType[id]! : -1;
    case K.ARRAY:
      return i === 0 ? t.u32(id, t.data[id]!) : -1;
    case K.FUNC_PROTO:
      if (i === 0) return t.sizeOrType[id]!;
      return i <= t.vlen[id]! ? t.u32(id, t.data[id]! + 8 * (i - 1) + 4) : -1;
    default:
      return -1;
  }
}

/** Throws a located BinaryError unless every type spelling `root` reaches exists and none reaches
 *  itself (a PTR to itself, const const const..., a FUNC_PROTO returning itself). `state` per type
 *  id: 0 unchecked, 1 on the current path, 2 checked. */
export function checkSpelling(t: Btf, state: Uint8Array, root: number): void {
  if (state[root] === 2) return;
  if (root >= t.count) throw t.fail(0, `BTF type ${root} does not exist`);
  const stack = [root];
  const next = [0];
  state[root] = 1;
  try {
    while (stack.length > 0) {
      const id = stack[stack.length - 1]!;
      const to = spellingEdge(t, id, next[next.length - 1]!++);
      if (to < 0) {
        state[id] = 2;
        stack.pop();
        next.pop();
        continue;
      }
      if (to >= t.count)
        throw t.fail(
          id,
          `BTF ${t.describe(id)} refers to type ${to}, which does not exist${t.firstId > 1 ? '' : SPLIT_HINT}`,
        );
      if (state[to] === 1) {
        const path = [...stack.slice(stack.indexOf(to)), to].join(' → ');
        throw t.fail(to, `BTF ${t.describe(to)} refers to itself with no struct or union in between (types ${path})`);
      }
      if (state[to] === 0) {
        state[to] = 1;
        stack.push(to);
        next.push(0);
      }
    }
  } catch (e) {
    for (const id of stack) state[id] = 0; // unchecked again: a later check finds the same fault
    throw e;
  }
}
