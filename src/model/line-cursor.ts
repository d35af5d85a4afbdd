// The line of a position, for lowering's origins: records and members are lowered mostly in source
// order, so the newlines between the last position asked in a file and the next one are counted
// forward (indexOf), without a table of every line start of every file with a record. Asked for an
// earlier position, it answers from the file's line-start table (core/source.ts's lineColOf), as
// the plain path does; test/model/line-cursor.test.ts holds the two equal.

import { lineColOf, type SourceFile } from '../core/source.js';

export class LineCursor {
  /** Per file id: the last position counted to, and its 1-based line. */
  private readonly pos: number[] = [];
  private readonly line: number[] = [];

  /** 1-based line of `pos` in `file` (one plus the newlines before it). */
  lineOf(file: SourceFile, pos: number): number {
    const from = this.pos[file.id];
    if (from === undefined || pos < from) {
      if (from !== undefined || file.lineStarts) return lineColOf(file, pos).line;
      this.pos[file.id] = 0;
      this.line[file.id] = 1;
      return this.lineOf(file, pos);
    }
    const text = file.text;
    let line = this.line[file.id]!;
    for (let i = text.indexOf('\n', from); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
    this.pos[file.id] = pos;
    this.line[file.id] = line;
    return line;
  }
}
