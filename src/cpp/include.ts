// #include, #include_next and __has_include: header names and the search of the include path.
// Methods of Preprocessor (preprocessor.ts).

import type { Loc } from '../core/source.js';
import { dirname, joinPath } from '../core/fs.js';
import type { Preprocessor } from './preprocessor.js';
import { F_SPACE, TK, type Token } from './token.js';

/** An included file: its path and the index of the search directory it was found in (-1: the
 *  including file's directory or an absolute path). */
export interface Found {
  readonly path: string;
  readonly dirIndex: number;
}

export class Includes {
  // #include
  headerName(this: Preprocessor, toks: Token[], loc: Loc): { name: string; quoted: boolean } | undefined {
    let t = toks;
    if (t.length === 0) {
      this.err('#include expects "FILENAME" or <FILENAME>', loc);
      return undefined;
    }
    if (!(t[0]!.kind === TK.String && t[0]!.text.startsWith('"')) && t[0]!.text !== '<') t = this.expandLine(t, loc);
    const first = t[0];
    if (first && first.kind === TK.String && first.text.startsWith('"'))
      return { name: first.text.slice(1, -1), quoted: true };
    if (first && first.text === '<') {
      let name = '';
      let k = 1;
      for (; k < t.length && t[k]!.text !== '>'; k++) name += (k > 1 && t[k]!.flags & F_SPACE ? ' ' : '') + t[k]!.text;
      if (k >= t.length) {
        this.err('missing terminating > character', loc);
        return undefined;
      }
      return { name, quoted: false };
    }
    this.err('#include expects "FILENAME" or <FILENAME>', loc);
    return undefined;
  }

  /** Where an #include (or __has_include) finds `name`; the answer depends only on the name, the
   *  search start and (for "...") the including file's directory, so it is remembered by them (a
   *  kernel unit runs thousands of #include lines for a few hundred files). */
  findInclude(this: Preprocessor, name: string, quoted: boolean, next: boolean): Found | undefined {
    if (name.startsWith('/')) return this.fs.isFile(name) ? { path: name, dirIndex: -1 } : undefined;
    const ff = this.curFile();
    let start = this.angledStart;
    let dir: string | undefined;
    if (next) start = ff.dirIndex >= 0 ? ff.dirIndex + 1 : this.angledStart;
    else if (quoted) {
      start = 0;
      dir = ff.path === '<command-line>' ? '.' : dirname(ff.path);
    }
    const key = `${start}\0${dir ?? ''}\0${name}`;
    const hit = this.includeCache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    let found: Found | undefined;
    if (dir !== undefined) {
      const p = joinPath(dir, name);
      if (this.fs.isFile(p)) found = { path: p, dirIndex: -1 };
    }
    for (let k = start; !found && k < this.searchDirs.length; k++) {
      const p = joinPath(this.searchDirs[k]!, name);
      if (this.fs.isFile(p)) found = { path: p, dirIndex: k };
    }
    this.includeCache.set(key, found ?? null);
    return found;
  }

  include(this: Preprocessor, toks: Token[], loc: Loc, next: boolean): void {
    const spec = this.headerName(toks, loc);
    if (!spec) return;
    const found = this.findInclude(spec.name, spec.quoted, next);
    if (!found) {
      this.err(`${spec.name}: No such file or directory`, loc);
      return;
    }
    let id = this.fileIds.get(found.path);
    if (id !== undefined) {
      if (this.pragmaOnce.has(id)) return;
      const g = this.guards.get(id);
      if (g && this.macros.has(g)) return;
    } else {
      const text = this.fs.readFile(found.path);
      if (text === undefined) {
        this.err(`${spec.name}: ${this.fs.readError?.(found.path) ?? 'cannot read file'}`, loc);
        return;
      }
      if (text.length > this.limits.maxFileBytes) {
        this.err(`${spec.name}: file too large (${text.length} bytes)`, loc);
        return;
      }
      id = this.registerFile(found.path, text);
    }
    if (!this.chains.has(id)) this.chains.set(id, [loc, ...this.currentChain()]);
    this.pushFile(id, found.path, found.dirIndex, loc);
  }
}
