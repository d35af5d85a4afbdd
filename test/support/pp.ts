// Helpers: preprocess an in-memory tree and spell the result.
import { preprocess } from '../../src/cpp/preprocess.js';
import { Diagnostics, formatDiagnostic } from '../../src/core/diag.js';
import { MemoryFileSystem } from '../../src/core/fs.js';
import { SourceManager } from '../../src/core/source.js';
import { TK } from '../../src/cpp/token.js';
import { DEFAULT_TARGET } from '../../src/target/target.js';

export function pp(
  files: Record<string, string>,
  main = '/main.c',
  angled: string[] = [],
  functionBodies?: 'keep',
): { text: string; errors: string[]; warnings: string[]; pragmas: string[]; comments: string[] } {
  const sources = new SourceManager();
  const diags = new Diagnostics();
  const r = preprocess(main, {
    fs: new MemoryFileSystem(files),
    target: DEFAULT_TARGET,
    sources,
    diags,
    macros: [],
    forcedIncludes: [],
    include: { quote: [], angled, system: [], builtin: [], after: [] },
    functionBodies,
  });
  const text = r.tokens
    .filter((t) => t.kind !== TK.EOF && t.kind !== TK.Pragma)
    .map((t) => t.text)
    .join(' ');
  const fmt = (sev: string) => diags.list.filter((d) => d.severity === sev).map((d) => formatDiagnostic(d, sources));
  const comments = r.comments.flatMap((cs, id) =>
    (cs?.toArray() ?? []).map((c) => `${sources.get(id).path}:${c.start}-${c.end}`),
  );
  return {
    text,
    errors: fmt('error'),
    warnings: fmt('warning'),
    pragmas: r.tokens.filter((t) => t.kind === TK.Pragma).map((t) => t.text),
    comments,
  };
}
