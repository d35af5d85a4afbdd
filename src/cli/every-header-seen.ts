// The sites an --every-header process has rendered, told to the run's other processes
// (every-header-share.ts): each appends the keys of its records to a file of its own in the run's
// directory, and reads the others' before it renders a unit's records, so that a record shared by
// many units (<linux/module.h>'s, every unit holds them) is rendered by one process, not by each. A
// key is written only once its record is rendered, with its unit's index, and a process skips a site
// only if a peer rendered it from an earlier unit: the first unit of every site still renders it,
// and the output (each site's first unit's record, sorted) is the same whatever the timing.

import { appendFileSync, closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

export class SharedSeen {
  /** How far each peer's file has been read (bytes). */
  private readonly read: number[];
  /** An unfinished last line of a peer's file (a write seen half done). */
  private readonly rest: Buffer[];

  constructor(
    private readonly dir: string,
    private readonly self: number,
    processes: number,
  ) {
    this.read = new Array<number>(processes).fill(0);
    this.rest = new Array<Buffer>(processes).fill(Buffer.alloc(0));
  }

  private file(k: number): string {
    return join(this.dir, `seen-${k}`);
  }

  /** Tells the others that the sites of `keys` are rendered, from the unit numbered `unit`. */
  publish(unit: number, keys: readonly string[]): void {
    if (keys.length > 0) appendFileSync(this.file(this.self), keys.map((k) => `${unit} ${k}\n`).join(''));
  }

  /** Adds the sites the others have rendered since the last call to `seen`, each with the first unit
   *  it was rendered from. */
  gather(seen: Map<string, number>): void {
    for (let k = 0; k < this.read.length; k++) {
      if (k === this.self) continue;
      let fd: number;
      try {
        fd = openSync(this.file(k), 'r');
      } catch {
        continue;
      }
      try {
        const size = fstatSync(fd).size - this.read[k]!;
        if (size <= 0) continue;
        const buf = Buffer.allocUnsafe(size);
        const n = readSync(fd, buf, 0, size, this.read[k]!);
        this.read[k]! += n;
        const all = Buffer.concat([this.rest[k]!, buf.subarray(0, n)]);
        const end = all.lastIndexOf(10) + 1;
        this.rest[k] = Buffer.from(all.subarray(end));
        if (end > 0)
          for (const line of all.toString('utf8', 0, end - 1).split('\n')) {
            const space = line.indexOf(' ');
            const unit = Number(line.slice(0, space));
            const key = line.slice(space + 1);
            if (!(unit >= (seen.get(key) ?? Infinity))) seen.set(key, unit);
          }
      } finally {
        closeSync(fd);
      }
    }
  }
}
