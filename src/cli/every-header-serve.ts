// What a worker process of --every-header (every-header.ts) does: answers units as they are sent,
// says so at once, and sends the answers when told the units are over. Its entries:
// every-header-worker.ts (the unbundled tool), and the start-up snapshot (snapshot.ts), started with
// EVERY_HEADER_WORKER as its only argument and an IPC channel.
import type { CliOptions } from './args.js';
import { runUnit, type UnitExtra, type UnitJob, type UnitResult } from './every-header-unit.js';

/** The argument that starts the snapshot as a worker (with no IPC channel it is an unknown option). */
export const EVERY_HEADER_WORKER = '--every-header-worker';

export type WorkerJob = { o: CliOptions; job: UnitJob; extra: UnitExtra } | { end: true };
export type WorkerReply = { answered: number } | { results: UnitResult[] } | { error: string };

export function serveUnits(): void {
  let results: UnitResult[] = [];
  const reply = (m: WorkerReply): boolean => process.send!(m);
  process.on('message', (m: WorkerJob) => {
    if ('end' in m) {
      reply({ results });
      results = [];
      return;
    }
    try {
      results.push(runUnit(m.o, m.job, m.extra));
      reply({ answered: m.job.index });
    } catch (e) {
      reply({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
}
