// Options shared by the stages (preprocessor, kernel and compilation-database helpers) and the public
// API, kept here so that no stage imports the API module above it.

import type { FileSystem } from './fs.js';
import type { Target } from '../target/target.js';

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
  /** Also the records defined inside function bodies (slower: bodies are otherwise stepped over). */
  readonly functionBodies?: boolean;
}
