// What makes a record incomplete, found without knowing which stage reported what: every error whose
// location lies inside the record's definition (from its keyword to its closing brace and the
// attributes after it), and every member that layout cannot place. The members before the first such
// point keep their offsets; the rest are listed without them.

import type { Diagnostic, Diagnostics } from '../core/diag.js';
import type { SourceManager } from '../core/source.js';
import type { CType, RecordDecl } from '../cparse/ctype.js';
import { alignOf, LayoutError, OutOfRange, sizeOf } from '../layout/layout.js';
import type { Target } from '../target/target.js';

export interface RecordErrors {
  /** "file:line:col: message", in report order. */
  readonly errors: string[];
  /** How many leading fields lie wholly before the first error. */
  readonly before: number;
}

/** The errors reported inside `decl`'s definition, or undefined when there are none. */
export function errorsWithin(decl: RecordDecl, diags: Diagnostics, sources: SourceManager): RecordErrors | undefined {
  const { file, pos } = decl.loc;
  const end = decl.end && decl.end.file === file ? decl.end.pos : pos;
  let first = Infinity;
  const errors: string[] = [];
  for (const d of diags.list) {
    if (d.severity !== 'error' || !d.loc) continue;
    // The error itself, or the #include line inside the record that led to it.
    let at = d.loc.file === file ? d.loc.pos : -1;
    for (const inc of d.includeChain ?? []) if (!(at >= pos && at <= end) && inc.file === file) at = inc.pos;
    if (at < pos || at > end) continue;
    first = Math.min(first, at);
    errors.push(located(d, sources));
  }
  if (errors.length === 0) {
    // Past the sink's limit errors are counted but not kept: one of them may lie in this record.
    if (diags.list.length < diags.limit) return undefined;
    const where = located(
      {
        severity: 'error',
        message: `not checked: more than ${diags.limit} diagnostics, and the rest were not kept`,
        loc: decl.loc,
      },
      sources,
    );
    return { errors: [where], before: decl.fields?.length ?? 0 };
  }
  let before = 0;
  for (const f of decl.fields ?? []) {
    if (f.endLoc.file !== file || f.endLoc.pos >= first) break;
    before++;
  }
  return { errors, before };
}

/** "file:line:col: message" for a diagnostic (its location as gcc prints it). */
export function located(d: Diagnostic, sources: SourceManager): string {
  if (!d.loc) return d.message;
  const { line, col } = sources.lineCol(d.loc);
  return `${sources.get(d.loc.file).path}:${line}:${col}: ${d.message}`;
}

/** The first field whose type layout cannot size or align (an incomplete record or enum as an array
 *  element or member, a type the target lacks), with layout's message; undefined when all can be. */
export function firstUnsizable(decl: RecordDecl, target: Target): { index: number; message: string } | undefined {
  const fields = decl.fields ?? [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    let t = f.type;
    while (t.kind === 'typedef') t = t.to;
    try {
      sizeOf(t.kind === 'array' && t.length === null ? t.of : t, target);
      alignOf(f.type, target);
    } catch (e) {
      if (!(e instanceof LayoutError)) throw e;
      if (e instanceof OutOfRange) continue; // (sizable: only past 2^50 bytes, see layout's big.ts)
      return { index: i, message: gccMessage(f.name, t, e.message) };
    }
  }
  return undefined;
}

/** gcc's words for a member of incomplete type, when that is what layout found. */
function gccMessage(name: string | null, t: CType, message: string): string {
  let e = t;
  while (e.kind === 'array' || e.kind === 'typedef') e = e.kind === 'array' ? e.of : e.to;
  // A defined record that layout cannot complete has its own errors: name it, as propagation does.
  if (e.kind === 'record' && e.decl.fields !== null)
    return (
      `member '${name ?? '<anonymous>'}' has type '${e.decl.tag} ${e.decl.name ?? '<anonymous>'}', which is ` +
      `incomplete`
    );
  if (!message.startsWith('incomplete type')) return message;
  const what = message.slice('incomplete type '.length);
  if (t.kind === 'array') return `array type has incomplete element type ${what}`;
  return `field '${name ?? '<anonymous>'}' has incomplete type`;
}
