// What a worker process of --every-header (every-header.ts) does: answers units as they are sent.
// Its entries: every-header-worker.ts (the unbundled tool), and the start-up snapshot (snapshot.ts),
// started with EVERY_HEADER_WORKER as its only argument and an IPC channel.
import type { CliOptions } from './args.js';
import { runUnit, type UnitExtra, type UnitJob } from './every-header-unit.js';

/** The argument that starts the snapshot as a worker (with no IPC channel it is an unknown option). */
export const EVERY_HEADER_WORKER = '--every-header-worker';

export function serveUnits(): void {
  process.on('message', (m: { o: CliOptions; job: UnitJob; extra: UnitExtra }) => {
    try {
      process.send!({ ok: runUnit(m.o, m.job, m.extra) });
    } catch (e) {
      process.send!({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
}
