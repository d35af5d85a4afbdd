// Source files and positions. A position is a byte offset into a file's text plus the file's id;
// line and column are computed only when a message is printed (esbuild's Loc, acorn's getLineInfo).

export interface SourceFile {
  readonly id: number;
  /** Path as it was opened (the spelling used in diagnostics). */
  readonly path: string;
  readonly text: string;
  /** Lazily computed offsets of each line start. */
  lineStarts?: number[];
}

export interface Loc {
  readonly file: number;
  readonly pos: number;
}

/** Registry of every file read during one run; ids index into `files`. */
export class SourceManager {
  readonly files: SourceFile[] = [];

  add(path: string, text: string): SourceFile {
    const f: SourceFile = { id: this.files.length, path, text };
    this.files.push(f);
    return f;
  }

  get(id: number): SourceFile {
    return this.files[id]!;
  }

  /** 1-based line and column of a position. */
  lineCol(loc: Loc): { line: number; col: number } {
    return lineColOf(this.files[loc.file]!, loc.pos);
  }
}

export function lineStartsOf(f: SourceFile): number[] {
  if (f.lineStarts) return f.lineStarts;
  const starts = [0];
  const t = f.text;
  for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) starts.push(i + 1);
  f.lineStarts = starts;
  return starts;
}

export function lineColOf(f: SourceFile, pos: number): { line: number; col: number } {
  const starts = lineStartsOf(f);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: pos - starts[lo]! + 1 };
}
