// Entry used by bin/layoutof (built) and by tests (through tsx). A cached query is answered before
// the engine is even loaded, so a repeated query costs little more than Node's start-up (and
// bin/layoutof answers most repeated queries without starting Node at all).
import { cacheableArgv, cacheKey, cacheLookup } from './cache.js';
import { VERSION } from './version.js';

const argv = process.argv.slice(2);
const hit = cacheableArgv(argv) ? cacheLookup(cacheKey(argv, VERSION), argv) : undefined;
if (hit) {
  process.stderr.write(hit.stderr);
  process.stdout.write(hit.stdout);
  process.exitCode = hit.code;
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(argv);
}
