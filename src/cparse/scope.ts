// Block scopes for the tables the parser keeps flat (tags, typedef names, enumeration constants): a
// map that, while a block is open, logs the value each change replaced and puts it back when the block
// closes. Used only when function bodies are parsed; at file scope it is a plain Map.

export class ScopedMap<K, V> extends Map<K, V> {
  /** Key, the value it had, whether it had one: every change made while a block is open. */
  private readonly log: [K, V | undefined, boolean][] = [];
  /** Where each open block's changes start in `log`. */
  private readonly marks: number[] = [];

  override set(k: K, v: V): this {
    if (this.marks.length > 0) this.log.push([k, super.get(k), super.has(k)]);
    return super.set(k, v);
  }
  override delete(k: K): boolean {
    if (this.marks.length > 0 && super.has(k)) this.log.push([k, super.get(k), true]);
    return super.delete(k);
  }
  open(): void {
    this.marks.push(this.log.length);
  }
  /** Undoes the innermost block's changes, latest first. */
  close(): void {
    const mark = this.marks.pop() ?? 0;
    for (let i = this.log.length - 1; i >= mark; i--) {
      const [k, v, had] = this.log[i]!;
      if (had) super.set(k, v as V);
      else super.delete(k);
    }
    this.log.length = mark;
  }
  /** Whether `k` was declared in the innermost open block (always true at file scope). */
  declaredHere(k: K): boolean {
    if (this.marks.length === 0) return true;
    for (let i = this.marks[this.marks.length - 1]!; i < this.log.length; i++) if (this.log[i]![0] === k) return true;
    return false;
  }
}
