// A file's comments, kept on the side of its tokens (layoutof reports them next to members).

export interface Comment {
  /** Byte offsets of the comment including its delimiters. */
  readonly start: number;
  readonly end: number;
  /** Offsets of the text between the delimiters (read it with commentText). */
  readonly innerStart: number;
  readonly innerEnd: number;
  readonly block: boolean;
}

const NO_COMMENTS = new Int32Array(0);

/** A file's comments in order, five integers each in one typed array (as objects, the garbage
 *  collector copied every one of a kernel unit's many comments out of the young generation). */
export class CommentList {
  // (Made at the first comment: a typed array costs to make, and a #define body's lexer keeps none.)
  private data = NO_COMMENTS;
  length = 0;
  push(start: number, end: number, innerStart: number, innerEnd: number, block: boolean): void {
    let d = this.data;
    if (5 * this.length === d.length) {
      const bigger = new Int32Array(d.length === 0 ? 5 * 16 : d.length * 2);
      bigger.set(d);
      this.data = d = bigger;
    }
    const o = 5 * this.length++;
    d[o] = start;
    d[o + 1] = end;
    d[o + 2] = innerStart;
    d[o + 3] = innerEnd;
    d[o + 4] = block ? 1 : 0;
  }
  /** Where comment i starts (its '/'). */
  start(i: number): number {
    return this.data[5 * i]!;
  }
  /** Comment i, or undefined past either end. */
  get(i: number): Comment | undefined {
    if (i < 0 || i >= this.length) return undefined;
    const d = this.data;
    const o = 5 * i;
    return { start: d[o]!, end: d[o + 1]!, innerStart: d[o + 2]!, innerEnd: d[o + 3]!, block: d[o + 4] === 1 };
  }
  toArray(): Comment[] {
    return Array.from({ length: this.length }, (_, i) => this.get(i)!);
  }
}

/** A comment's text between its delimiters, line splices removed. Computed only when asked for. */
export function commentText(src: string, c: Comment): string {
  const raw = src.slice(c.innerStart, c.innerEnd);
  const t = raw.includes('\\') ? raw.replace(/\\[ \t]*\r?\n/g, '') : raw;
  return c.block ? t : t.replace(/\r$/, '');
}
