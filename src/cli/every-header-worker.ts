// A worker process of --every-header (every-header.ts): answers units as they are sent. A process,
// not a worker thread: Node 20 cannot start worker threads from a start-up snapshot (bin/layoutof's).
import type { CliOptions } from './args.js';
import { runUnit, type UnitExtra, type UnitJob } from './every-header-unit.js';

process.on('message', (m: { o: CliOptions; job: UnitJob; extra: UnitExtra }) => {
  try {
    process.send!({ ok: runUnit(m.o, m.job, m.extra) });
  } catch (e) {
    process.send!({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
