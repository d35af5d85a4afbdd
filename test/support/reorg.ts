// Helpers for the reorganizer's proofs: a generated record's top-level declarations as written, so
// that a new order can be written back as C and compiled, and the check that an order keeps every
// unit whole and every group in place.
import type { RecordType } from '../../src/model/model.js';
import { unitsOf, type ReorganizeOptions } from '../../src/analyze/reorganize.js';

export interface Written {
  /** `#pragma pack(push, N)` or ''. */
  readonly pragma: string;
  readonly kind: string;
  readonly decls: string[];
  /** What follows the closing brace (attributes). */
  readonly tail: string;
}

/** The definition of `tag` in generated source, cut at the top-level semicolons of its body. */
export function writtenRecord(source: string, tag: string): Written | undefined {
  const m = new RegExp(
    `(#pragma pack\\(push, \\d+\\)\\n)?^(struct|union)([^{\\n]*) ${tag} \\{\\n([\\s\\S]*?)\\n\\}([^;\\n]*);$`,
    'm',
  ).exec(source);
  if (!m) return undefined;
  const decls: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of m[4]!) {
    cur += c;
    if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    else if (c === ';' && depth === 0) {
      decls.push(cur.trim());
      cur = '';
    }
  }
  // A block's closing directive ends the declaration before it, not the one after (the cut above
  // puts `#endif` in front of the next declaration).
  for (let i = 1; i < decls.length; i++) {
    const close = /^(?:#\s*(?:endif|else|elif)[^\n]*\n\s*)+/.exec(decls[i]!);
    if (!close) continue;
    decls[i - 1] += '\n' + close[0].trim();
    decls[i] = decls[i]!.slice(close[0].length);
  }
  return { pragma: m[1] ?? '', kind: m[2]! + m[3]!, decls, tail: m[5]! };
}

/** C for the written record with its declarations in `order` (original indexes), under a new tag. */
export function rewrite(w: Written, tag: string, order: readonly number[]): string {
  return `${w.pragma}${w.kind} ${tag} {\n  ${order.map((i) => w.decls[i]).join('\n  ')}\n}${w.tail};\n${w.pragma ? '#pragma pack(pop)\n' : ''}`;
}

/** Problems with `order` for `r`: a unit split, a group left, a member lost or doubled. */
export function constraintProblems(r: RecordType, order: readonly number[], opts: ReorganizeOptions = {}): string[] {
  const out: string[] = [];
  if ([...order].sort((a, b) => a - b).join() !== r.members.map((_, i) => i).join())
    out.push(`member set changed: ${order.join()}`);
  const groups = unitsOf(r, opts);
  let at = 0;
  for (const g of groups) {
    const want = new Set(g.flatMap((u) => u.members));
    const got = order.slice(at, at + want.size);
    if (!got.every((i) => want.has(i)))
      out.push(`group [${[...want].join()}] not kept together in place: ${order.join()}`);
    if (g[0]!.pinned !== undefined && got[0] !== g[0]!.members[0])
      out.push(`pinned ${g[0]!.members[0]} (${g[0]!.pinned}) moved`);
    for (const u of g) {
      const p = order.indexOf(u.members[0]!);
      if (u.members.some((m, k) => order[p + k] !== m)) out.push(`unit [${u.members.join()}] split`);
    }
    at += want.size;
  }
  return out;
}

/** Visits every order of `xs` (swapping in place; each visit gets a copy). */
export function permutations(xs: number[], visit: (p: number[]) => void, at = 0): void {
  if (at === xs.length) return visit([...xs]);
  for (let i = at; i < xs.length; i++) {
    [xs[at], xs[i]] = [xs[i]!, xs[at]!];
    permutations(xs, visit, at + 1);
    [xs[at], xs[i]] = [xs[i]!, xs[at]!];
  }
}
