// The reorganized record as its author's own text: the body of the definition is cut into one chunk
// of lines per unit (the unit's declarations with the comments and preprocessor lines above them,
// and the #endif that closes a block it opened), the chunks are put in the new order, and the result
// is printed as the new definition (--format c) or as a unified diff of the file (--patch) that
// touches only the record's lines. Formatting only: the order comes from src/analyze/reorganize.ts.

import type { Reorganized } from '../analyze/reorganize.js';

export type SourceEdit =
  | {
      readonly ok: true;
      readonly start: number;
      readonly oldLines: readonly string[];
      readonly newLines: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

/** The record's body lines (0-based `start`, the line after `{`) before and after the new order. */
export function reorderSource(text: string, res: Reorganized): SourceEdit {
  const origin = res.original.origin;
  if (origin?.kind !== 'source') return { ok: false, reason: 'the record has no source text' };
  const lines = text.split('\n');
  const open = findOpen(lines, origin.line - 1);
  if (open === undefined) return { ok: false, reason: `no '{' ending a line at ${origin.file}:${origin.line}` };
  const ends = statementEnds(lines, open + 1);
  if (!ends) return { ok: false, reason: "the body's braces do not balance" };
  const close = ends.close;
  // The line each member's declaration ends on.
  const endOf = res.original.members.map((m) => {
    const line = m.origin?.kind === 'source' ? m.origin.line - 1 : -1;
    return ends.statements.find((e) => e.first <= line && line <= e.last)?.last;
  });
  if (endOf.some((e) => e === undefined))
    return { ok: false, reason: "a member's declaration was not found in the body" };
  const units = [...res.units].sort((a, b) => a.members[0]! - b.members[0]!);
  const chunks = new Map<(typeof units)[number], string[]>();
  let at = open + 1;
  for (const u of units) {
    let last = Math.max(...u.members.map((i) => endOf[i]!));
    if (last < at) return { ok: false, reason: 'two units share a line' };
    // A trailing comment that goes on past the declaration's line goes with it.
    while (opensComment(lines[last]!) && last + 1 < close) {
      last++;
      while (!lines[last]!.includes('*/') && last + 1 < close) last++;
    }
    // Take in the #endif (or #else part) that closes what the chunk opened.
    while (balance(lines.slice(at, last + 1)) > 0 && last + 1 < close) last++;
    const chunk = lines.slice(at, last + 1);
    if (balance(chunk) !== 0 || hasBranch(chunk))
      return { ok: false, reason: 'an #if block holds members of more than one unit' };
    chunks.set(u, chunk);
    at = last + 1;
  }
  const tail = lines.slice(at, close);
  const newLines = [...res.units.flatMap((u) => chunks.get(u)!), ...tail];
  return { ok: true, start: open + 1, oldLines: lines.slice(open + 1, close), newLines };
}

/** --format c: the definition with its body in the new order. */
export function renderCSource(text: string, res: Reorganized): string | undefined {
  const e = reorderSource(text, res);
  if (!e.ok) return undefined;
  return cDefinition(text, res, e);
}

function cDefinition(text: string, res: Reorganized, e: Extract<SourceEdit, { ok: true }>): string {
  const lines = text.split('\n');
  const o = res.original.origin;
  const first = o?.kind === 'source' ? o.line - 1 : 0;
  const end = e.start + e.oldLines.length;
  return [...lines.slice(first, e.start), ...e.newLines, lines[end]!].join('\n') + '\n';
}

/** --patch: a unified diff of `path` (one hunk, the body with 3 lines of context). */
export function renderPatch(path: string, text: string, e: Extract<SourceEdit, { ok: true }>): string {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // (the newline ends the last line)
  const from = Math.max(0, e.start - 3);
  const to = Math.min(lines.length, e.start + e.oldLines.length + 3);
  const before = lines.slice(from, e.start);
  const after = lines.slice(e.start + e.oldLines.length, to);
  const body = diffLines(e.oldLines, e.newLines);
  const out = [...before.map((l) => ' ' + l), ...body, ...after.map((l) => ' ' + l)];
  const oldCount = before.length + e.oldLines.length + after.length;
  const newCount = before.length + e.newLines.length + after.length;
  return `--- ${path}\n+++ ${path}\n@@ -${from + 1},${oldCount} +${from + 1},${newCount} @@\n${out.join('\n')}\n`;
}

/** A line diff by longest common subsequence (record bodies are a few hundred lines at most). */
function diffLines(a: readonly string[], b: readonly string[]): string[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(' ' + a[i++]);
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) out.push('+' + b[j++]);
    else out.push('-' + a[i++]);
  }
  return out;
}

/** The line, at or after `from`, that ends with the record's `{`. */
function findOpen(lines: readonly string[], from: number): number | undefined {
  for (let i = Math.max(0, from); i < Math.min(lines.length, from + 5); i++) {
    const t = stripComments(lines[i]!).trimEnd();
    if (t.endsWith('{')) return i;
    if (t.includes('{')) return undefined;
  }
  return undefined;
}

/** Top-level statements of the body from `start` (line ranges, 0-based) and the line of the `}`
 *  closing it, which must begin its line. */
function statementEnds(
  lines: readonly string[],
  start: number,
): { statements: { first: number; last: number }[]; close: number } | undefined {
  const statements: { first: number; last: number }[] = [];
  let depth = 0;
  let inComment = false;
  let first = -1;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    if (!inComment && /^\s*#/.test(line)) continue;
    for (let k = 0; k < line.length; k++) {
      const c = line[k]!;
      if (inComment) {
        if (c === '*' && line[k + 1] === '/') {
          inComment = false;
          k++;
        }
        continue;
      }
      if (c === '/' && line[k + 1] === '*') {
        inComment = true;
        k++;
      } else if (c === '/' && line[k + 1] === '/') break;
      else if (c === '{' || c === '(' || c === '[') {
        if (first < 0) first = i;
        depth++;
      } else if (c === '}' || c === ')' || c === ']') {
        if (depth === 0 && c === '}') return /^\s*\}/.test(line) ? { statements, close: i } : undefined;
        depth--;
      } else if (c === ';' && depth === 0) {
        statements.push({ first: first < 0 ? i : first, last: i });
        first = -1;
      } else if (!/\s/.test(c) && first < 0) first = i;
    }
  }
  return undefined;
}

/** Whether a line ends inside a block comment it opened. */
function opensComment(line: string): boolean {
  const open = line.lastIndexOf('/*');
  return open >= 0 && line.indexOf('*/', open + 2) < 0;
}

function stripComments(line: string): string {
  return line.replace(/\/\*.*?\*\//g, '').replace(/\/\/.*$/, '');
}

/** #if opened minus #endif closed in a run of lines. */
function balance(lines: readonly string[]): number {
  let b = 0;
  for (const l of lines) {
    if (/^\s*#\s*if/.test(l)) b++;
    else if (/^\s*#\s*endif/.test(l)) b--;
  }
  return b;
}

/** An #else or #elif at the chunk's own level (the block's other branch would be split from it). */
function hasBranch(lines: readonly string[]): boolean {
  let b = 0;
  for (const l of lines) {
    if (/^\s*#\s*if/.test(l)) b++;
    else if (/^\s*#\s*endif/.test(l)) b--;
    else if (/^\s*#\s*el/.test(l) && b === 0) return true;
  }
  return false;
}
