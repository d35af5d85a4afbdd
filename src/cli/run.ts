// Entry used by bin/layoutof when there is no start-up snapshot (see snapshot.ts), and by tests. A
// cached query is answered before the engine is even loaded, so a repeated query costs little more
// than Node's start-up (and bin/layoutof answers most repeated queries without starting Node at all).
import { startCli } from './start.js';

process.exitCode = await startCli(process.argv.slice(2), () => import('./main.js'));
