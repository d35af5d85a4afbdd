// Which entry of a compilation database includes a header, directly or through other headers: the
// entry's source and forced includes followed along their `#include` lines (a text scan, as the
// name index is: every `#include` counts, whatever `#if` it sits under; a name made by a macro is
// not followed). Lines and lookups are remembered across entries, which mostly share their flags.

import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** An entry's file and where its includes are looked for, as the compiler would. */
export interface ReachEntry {
  readonly file: string;
  /** `-I`, `-isystem` and `-idirafter` directories, in search order. */
  readonly include: readonly string[];
  /** `-iquote` directories (searched before `include` for `#include "..."`). */
  readonly quote: readonly string[];
  /** `-include` files, read before the source. */
  readonly forced: readonly string[];
}

const INCLUDE = /^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]/gm;

export class IncludeReach {
  /** Each file's includes: [quoted, name]; null when the file cannot be read. */
  private readonly lines = new Map<string, readonly (readonly [boolean, string])[] | null>();
  private readonly isFile = new Map<string, boolean>();

  /** Whether `e`'s unit includes every file of `targets`. */
  reaches(e: ReachEntry, targets: ReadonlySet<string>): boolean {
    const left = new Set(targets);
    const seen = new Set<string>();
    const todo = [...e.forced, e.file];
    for (let f = todo.pop(); f !== undefined && left.size > 0; f = todo.pop()) {
      if (seen.has(f)) continue;
      seen.add(f);
      left.delete(f);
      for (const [quoted, name] of this.includes(f)) {
        const dirs = quoted ? [dirname(f), ...e.quote, ...e.include] : e.include;
        const hit = name.startsWith('/') ? name : dirs.map((d) => resolve(d, name)).find((p) => this.file(p));
        if (hit !== undefined && !seen.has(hit)) todo.push(hit);
      }
    }
    return left.size === 0;
  }

  private includes(file: string): readonly (readonly [boolean, string])[] {
    let got = this.lines.get(file);
    if (got === undefined) {
      try {
        const text = readFileSync(file, 'latin1');
        got = [...text.matchAll(INCLUDE)].map((m) => [m[1] === '"', m[2]!.trim()] as const);
      } catch {
        got = null;
      }
      this.lines.set(file, got);
    }
    return got ?? [];
  }

  private file(path: string): boolean {
    let is = this.isFile.get(path);
    if (is === undefined) {
      is = statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
      this.isFile.set(path, is);
    }
    return is;
  }
}
