// --check's report: per target, the changes as --diff lists them, the alignments that changed and the
// baseline records the input lost; a last line says whether the check passed. JSON keeps the results.

import type { CheckResult } from '../analyze/check.js';
import { renderDiff } from './diff.js';

export function renderCheck(
  results: readonly CheckResult[],
  baseline: string,
  input: string,
  format: 'text' | 'markdown' | 'json',
): string {
  const passed = results.every((r) => r.changed.length === 0 && r.alignment.length === 0 && r.missing.length === 0);
  if (format === 'json') return JSON.stringify({ baseline, input, passed, results }, null, 2) + '\n';
  let out = '';
  for (const r of results) {
    const clean = r.changed.length === 0 && r.alignment.length === 0 && r.missing.length === 0;
    if (clean) {
      out += `${r.target}: ${r.unchanged} records unchanged\n`;
      continue;
    }
    const diff = { changed: r.changed, onlyBefore: r.missing, onlyAfter: [], unchanged: r.unchanged };
    out += `${r.target}:\n` + renderDiff(diff, `${baseline} (${r.target})`, input, format);
    for (const a of r.alignment)
      out +=
        format === 'markdown'
          ? `\n- \`${a.name}\`: alignment ${a.before} → ${a.after}\n`
          : `${a.name}: alignment ${a.before} -> ${a.after}\n`;
  }
  return out + (passed ? 'layouts unchanged\n' : 'layouts changed\n');
}
