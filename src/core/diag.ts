// Diagnostics: loaders and parsers report into a sink and go on; only the CLI prints.
// A diagnostic carries a Loc (file id + byte offset) and the include chain active at that point.

import type { Loc, SourceManager } from './source.js';

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  readonly severity: Severity;
  readonly message: string;
  readonly loc?: Loc;
  /** Innermost first: where each enclosing file was #included. */
  readonly includeChain?: readonly Loc[];
  /** For inputs that are not source text (binaries): a plain location such as "file.o: .debug_info+0x1c". */
  readonly where?: string;
}

export class Diagnostics {
  readonly list: Diagnostic[] = [];
  errors = 0;
  warnings = 0;
  /** Hard cap so hostile input cannot flood memory with messages. */
  limit = 1000;

  report(d: Diagnostic): void {
    if (d.severity === 'error') this.errors++;
    else if (d.severity === 'warning') this.warnings++;
    if (this.list.length < this.limit) this.list.push(d);
  }
  error(message: string, loc?: Loc, includeChain?: readonly Loc[]): void {
    this.report({ severity: 'error', message, loc, includeChain });
  }
  warning(message: string, loc?: Loc, includeChain?: readonly Loc[]): void {
    this.report({ severity: 'warning', message, loc, includeChain });
  }
}

/** gcc's format: "In file included from a.h:3,\n                 from b.c:1:\nfile:line:col: error: msg". */
export function formatDiagnostic(d: Diagnostic, sm: SourceManager): string {
  const lines: string[] = [];
  if (d.includeChain && d.includeChain.length > 0) {
    d.includeChain.forEach((inc, i) => {
      const { line, col } = sm.lineCol(inc);
      const last = i === d.includeChain!.length - 1;
      lines.push(
        `${i === 0 ? 'In file included from' : '                 from'} ` +
          `${sm.get(inc.file).path}:${line}:${col}${last ? ':' : ','}`,
      );
    });
  }
  let where = d.where ?? '';
  if (d.loc) {
    const { line, col } = sm.lineCol(d.loc);
    where = `${sm.get(d.loc.file).path}:${line}:${col}`;
  }
  lines.push(`${where ? where + ': ' : ''}${d.severity}: ${d.message}`);
  return lines.join('\n');
}

/** Thrown only for conditions that must abort a stage (resource limits); caught at the api boundary. */
export class FatalError extends Error {
  constructor(
    message: string,
    readonly loc?: Loc,
    readonly includeChain?: readonly Loc[],
  ) {
    super(message);
  }
}
