// Entry of the bundled tool (scripts/build.mjs bundles it into dist/layoutof.cjs). Built into a V8
// start-up snapshot (`node --build-snapshot`, dist/layoutof.blob), every module is already loaded and
// initialised when Node starts, which saves the loading and compiling of some fifty ES modules on every
// run; the primer is run once while it is built (compileAhead), so that the engine's functions are in
// the blob as bytecode, not compiled from source on first call. bin/layoutof starts
// `node --snapshot-blob dist/layoutof.blob -- ARGS`; the bundle also runs as a plain script
// (`node dist/layoutof.cjs ARGS`).
import { dirname } from 'node:path';
import { startupSnapshot } from 'node:v8';
import { setBuiltTool } from './cache.js';
import { main } from './main.js';
import { startCli } from './start.js';
import { compileAhead } from './prime.js';
import { EVERY_HEADER_WORKER, serveUnits } from './every-header-serve.js';

const loaded = { main };

if (startupSnapshot.isBuildingSnapshot()) {
  compileAhead();
  startupSnapshot.setDeserializeMainFunction(async () => {
    // process.argv is [node, ARGS...] here; the blob is named by --snapshot-blob.
    const i = process.execArgv.indexOf('--snapshot-blob');
    const blob = i >= 0 ? process.execArgv[i + 1] : undefined;
    if (blob) setBuiltTool(dirname(blob), blob);
    // A worker of --every-header (every-header.ts starts it so, with an IPC channel).
    if (process.argv[1] === EVERY_HEADER_WORKER && process.argv.length === 2 && process.send) return serveUnits();
    process.exitCode = await startCli(process.argv.slice(1), async () => loaded);
  });
} else {
  // As a plain CommonJS script (the bundle run without its blob).
  if (typeof __filename === 'string') setBuiltTool(dirname(__filename), __filename);
  void startCli(process.argv.slice(2), async () => loaded).then((code) => (process.exitCode = code));
}
