// Every message a run prints goes through one Report: written to stderr as gcc writes it, and kept
// (structured) for the JSON document's "diagnostics". After MAX_ERRORS errors the rest are counted,
// not shown (random bytes read as C would otherwise give pages of "unknown type name").

import { formatDiagnostic, type Diagnostic, type Severity } from '../core/diag.js';
import type { SourceManager } from '../core/source.js';
import type { SourceOptions, SourceResult } from '../api.js';
import { BUILTIN_INCLUDE_DIR } from '../target/headers.js';
import { DEFAULT_TARGET, findTarget } from '../target/target.js';
import type { CliOptions } from './args.js';

export const MAX_ERRORS = 20;

export interface JsonDiagnostic {
  severity: Severity;
  message: string;
  /** Where, for source input (1-based line and column). */
  file?: string;
  line?: number;
  column?: number;
  /** Where, for other input: "file.o+0x1c", or "[aarch64-linux-gnu]" for one of --compare-targets. */
  where?: string;
  /** The enclosing #include lines, innermost first. */
  includedFrom?: { file: string; line: number; column: number }[];
  /** The whole message as printed on stderr. */
  text: string;
}

export class Report {
  readonly list: JsonDiagnostic[] = [];
  errors = 0;
  /** Errors (and what followed them) not shown after MAX_ERRORS. */
  suppressed = 0;
  /** The include search path is listed once, after the first header not found. */
  private searchShown = false;

  /** Every diagnostic of a source analysis made with `opts`; `prefix` marks which of several. */
  analysis(res: Pick<SourceResult, 'diagnostics' | 'sources'>, opts: SourceOptions, prefix = ''): void {
    for (const d of res.diagnostics.list) {
      this.source(d, res.sources, prefix);
      if (!this.searchShown && d.loc && d.message.endsWith(': No such file or directory')) {
        this.searchShown = true;
        this.tool('note', searchPath(opts));
      }
    }
  }

  /** A diagnostic of a source analysis; `prefix` marks which of several analyses it came from. */
  source(d: Diagnostic, sm: SourceManager, prefix = ''): void {
    const j: JsonDiagnostic = { severity: d.severity, message: d.message, text: prefix + formatDiagnostic(d, sm) };
    if (d.loc) {
      const { line, col } = sm.lineCol(d.loc);
      j.file = sm.get(d.loc.file).path;
      j.line = line;
      j.column = col;
    } else if (d.where) j.where = d.where;
    if (prefix) j.where = prefix.trim();
    if (d.includeChain?.length) {
      j.includedFrom = d.includeChain.map((l) => {
        const { line, col } = sm.lineCol(l);
        return { file: sm.get(l.file).path, line, column: col };
      });
    }
    this.add(j);
  }

  /** A diagnostic of a binary input (located by "file+0xOFFSET", not by line). */
  binary(d: Diagnostic): void {
    const j: JsonDiagnostic = {
      severity: d.severity,
      message: d.message,
      text: `${d.where ? d.where + ': ' : ''}${d.severity}: ${d.message}`,
    };
    if (d.where) j.where = d.where;
    this.add(j);
  }

  /** The tool's own message, as gcc's driver words one: "layoutof: error: FILE: message". */
  tool(severity: Severity, message: string, where?: string): void {
    const j: JsonDiagnostic = {
      severity,
      message,
      text: `layoutof: ${severity}: ${where ? where + ': ' : ''}${message}`,
    };
    if (where) j.where = where;
    this.add(j);
  }

  private add(j: JsonDiagnostic): void {
    if (j.severity === 'error') this.errors++;
    if (this.errors > MAX_ERRORS || (this.suppressed > 0 && j.severity !== 'error')) {
      this.suppressed++;
      return;
    }
    this.list.push(j);
    process.stderr.write(j.text + '\n');
  }

  /** Says how many were not shown (once, at the end of the run). */
  finish(): void {
    if (this.suppressed === 0) return;
    const n = this.suppressed;
    this.suppressed = 0;
    const message = `too many errors (more than ${MAX_ERRORS}): ${n} more diagnostics not shown`;
    this.list.push({ severity: 'note', message, text: `layoutof: note: ${message}` });
    process.stderr.write(`layoutof: note: ${message}\n`);
  }

  /** The document's "diagnostics", when there are any (omitted otherwise, as other empty fields). */
  json(): { diagnostics?: JsonDiagnostic[] } {
    this.finish();
    return this.list.length ? { diagnostics: this.list } : {};
  }
}

/** A mode's one JSON document, with the run's diagnostics last. */
export function jsonDocument(doc: object, report: Report): string {
  return JSON.stringify({ ...doc, ...report.json() }, null, 2) + '\n';
}

/** The mode's document when nothing could be analysed (JSON only: the other formats print nothing). */
export function failureDocument(o: CliOptions, report: Report): string {
  if (o.format !== 'json') return '';
  if (o.diff) return jsonDocument({ before: o.diffInputs![0], after: o.diffInputs![1] }, report);
  if (o.compareTargets)
    return jsonDocument({ targets: o.compareTargets.map((n) => findTarget(n)?.triple ?? n), comparisons: [] }, report);
  return jsonDocument({ target: (findTarget(o.target ?? '') ?? DEFAULT_TARGET).triple, records: [] }, report);
}

/** Where #include looked, in gcc's order (its -v "search starts here" lists). */
function searchPath(opts: SourceOptions): string {
  const inc = opts.include;
  const builtin = opts.nostdinc ? [] : inc.builtin.length ? inc.builtin : [BUILTIN_INCLUDE_DIR];
  const angled = [...inc.angled, ...inc.system, ...builtin, ...inc.after].map((d) =>
    d === BUILTIN_INCLUDE_DIR ? "(layoutof's freestanding headers)" : d,
  );
  const quoted = ["the including file's directory", ...inc.quote];
  return (
    `#include <...> searched: ${angled.join(', ') || '(no directories)'}; #include "..." searched ` +
    `${quoted.join(', ')} first`
  );
}
