// A worker process of --every-header (every-header.ts) when the tool runs without its start-up
// snapshot (whose worker starts in snapshot.ts). A process, not a worker thread: Node 20 cannot start
// worker threads from a start-up snapshot (bin/layoutof's).
import { serveUnits } from './every-header-serve.js';

serveUnits();
