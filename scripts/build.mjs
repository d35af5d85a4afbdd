// `npm run build` (and npm's prepare): type-checks and compiles src/ to dist/ with tsc (the library,
// the tests' view of the tool), then bundles the CLI into dist/layoutof.cjs with esbuild and builds it
// into a V8 start-up snapshot, dist/layoutof.blob, for this Node binary (bin/layoutof uses it when
// present; it falls back to dist/cli/run.js when the snapshot is missing or was built by another Node).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status === 0;
if (!run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'])) process.exit(1);

// (And bin/layoutof's note that this Node could not make one: the new bundle may do.)
for (const f of ['dist/layoutof.blob', 'dist/layoutof.blob.failed']) rmSync(f, { force: true });
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('build: esbuild not installed; no start-up snapshot (bin/layoutof runs dist/cli/run.js)');
  process.exit(0);
}
await esbuild.build({
  entryPoints: ['dist/cli/snapshot.js'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: 'dist/layoutof.cjs',
  logLevel: 'warning',
  // cache.ts finds the built tool through import.meta.url only when not bundled.
  logOverride: { 'empty-import-meta': 'silent' },
  // The snapshot keeps the bundle's source (for functions compiled on first call): without comments
  // and indentation, and all ASCII (kept at one byte a character, not two), every run starts from a
  // smaller blob (docs/performance.md).
  minifyWhitespace: true,
  legalComments: 'none',
});
if (/[^\0-\x7f]/.test(readFileSync('dist/layoutof.cjs', 'latin1')))
  console.error(
    'build: dist/layoutof.cjs is not ASCII (a regular expression with a non-ASCII character?): the snapshot keeps it at two bytes a character',
  );
const snap = spawnSync(
  process.execPath,
  ['--snapshot-blob', 'dist/layoutof.blob', '--build-snapshot', 'dist/layoutof.cjs'],
  { encoding: 'utf8' },
);
if (snap.status !== 0) {
  rmSync('dist/layoutof.blob', { force: true });
  console.error(
    `build: no start-up snapshot (bin/layoutof runs dist/cli/run.js): ${snap.stderr.split('\n').find((l) => l.trim() && !/Warning|still work|issue tracker|trace-warnings/.test(l)) ?? snap.status}`,
  );
}

// The web page (docs/picture.md): static files in dist/web/, the engine bundled for the browser and
// run in a web worker (web/worker.ts), the page and CodeMirror in main.js.
mkdirSync('dist/web', { recursive: true });
await esbuild.build({
  entryPoints: { main: 'web/main.ts', worker: 'web/worker.ts' },
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  minify: true,
  outdir: 'dist/web',
  loader: { '.h': 'text' },
  logLevel: 'warning',
});
for (const f of ['index.html', 'style.css']) copyFileSync(`web/${f}`, `dist/web/${f}`);
