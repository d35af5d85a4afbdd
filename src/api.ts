// Public library entry points. Everything here runs in a browser as well as in Node: file access goes
// through the FileSystem interface, and nothing prints.

import { Diagnostics } from './core/diag.js';
import type { FileSystem } from './core/fs.js';
import { SourceManager } from './core/source.js';
import type { Record } from './model/model.js';
import type { Target } from './target/target.js';

export interface IncludePaths {
  /** -iquote: searched for "..." only, after the including file's directory. */
  readonly quote: readonly string[];
  /** -I */
  readonly angled: readonly string[];
  /** -isystem */
  readonly system: readonly string[];
  /** The compiler's own system directories (cc -E -v), or the project's freestanding headers. */
  readonly builtin: readonly string[];
  /** -idirafter */
  readonly after: readonly string[];
}

export interface SourceOptions {
  readonly fs: FileSystem;
  readonly target: Target;
  readonly include: IncludePaths;
  /** -D and -U in command-line order: ['D', 'NAME=VALUE'] or ['U', 'NAME']. */
  readonly macros: readonly (readonly ['D' | 'U', string])[];
  /** -include FILE, in order. */
  readonly forcedIncludes: readonly string[];
  /** -nostdinc: do not search `include.builtin`. */
  readonly nostdinc?: boolean;
}

export interface SourceResult {
  readonly sources: SourceManager;
  readonly diagnostics: Diagnostics;
  /** Every struct/union defined in the translation unit, in definition order. */
  readonly records: readonly Record[];
  /** The subset defined in the main file itself. */
  readonly mainRecords: readonly Record[];
  /** Typedef names that name records (for NAME lookup): typedef name -> record. */
  readonly typedefs: ReadonlyMap<string, Record>;
}

export { Diagnostics, SourceManager };
