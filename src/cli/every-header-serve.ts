// What a worker process of --every-header (every-header-share.ts) does: answers the units of the
// list it is sent that it claims first (`claim`: this process and the other workers go down the same
// list), says so after each, and sends the answers at the end. Its entries: every-header-worker.ts
// (the unbundled tool), and the start-up snapshot (snapshot.ts), started with EVERY_HEADER_WORKER as
// its only argument and an IPC channel.
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { CliOptions } from './args.js';
import { SharedSeen } from './every-header-seen.js';
import { runUnit, type UnitExtra, type UnitJob, type UnitResult } from './every-header-unit.js';

/** The argument that starts the snapshot as a worker (with no IPC channel it is an unknown option). */
export const EVERY_HEADER_WORKER = '--every-header-worker';

export interface WorkerJobs {
  readonly o: CliOptions;
  readonly jobs: readonly UnitJob[];
  readonly extra: UnitExtra;
  /** The directory where a unit is claimed. */
  readonly claims: string;
  /** This worker's number (this process is 0) and the number of processes, for SharedSeen. */
  readonly self: number;
  readonly processes: number;
}
export type WorkerReply = { answered: number } | { results: UnitResult[] } | { error: string };

/** Whether this process is the first to claim unit `index` (a file created exclusively, which one
 *  process alone can do). */
export function claim(claims: string, index: number): boolean {
  try {
    closeSync(openSync(join(claims, String(index)), 'wx'));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

export function serveUnits(): void {
  const reply = (m: WorkerReply): boolean => process.send!(m);
  process.once('message', (m: WorkerJobs) => {
    const results: UnitResult[] = [];
    const peers = new SharedSeen(m.claims, m.self, m.processes);
    let k = 0;
    // One unit at a time, and the channel looked at between two: a run that failed disconnects.
    const step = (): void => {
      if (!process.connected) return;
      try {
        for (; k < m.jobs.length; k++) {
          const job = m.jobs[k]!;
          if (!claim(m.claims, job.index)) continue;
          results.push(runUnit(m.o, job, m.extra, peers));
          reply({ answered: job.index });
          k++;
          setImmediate(step);
          return;
        }
      } catch (e) {
        reply({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        return;
      }
      reply({ results });
    };
    step();
  });
}
