// Writes docs/ip_vs_conn.svg, the picture of struct ip_vs_conn the README shows, from the example
// header with the built CLI (run `npm run build` first): `node scripts/make-picture.mjs`.
// `--check` only says whether the committed picture is current (exit 1 when it is not).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const OUT = 'docs/ip_vs_conn.svg';
const r = spawnSync(
  process.execPath,
  ['dist/cli/run.js', '--no-cache', 'examples/ip_vs_conn.h', 'ip_vs_conn', '--format', 'svg'],
  { encoding: 'utf8' },
);
if (r.status !== 0) {
  process.stderr.write(r.stderr || `make-picture: layoutof exited with ${r.status}\n`);
  process.exit(1);
}
if (process.argv.includes('--check')) {
  let old = '';
  try {
    old = readFileSync(OUT, 'utf8');
  } catch {
    /* missing: not current */
  }
  if (old !== r.stdout) {
    process.stderr.write(`make-picture: ${OUT} is out of date; run node scripts/make-picture.mjs\n`);
    process.exit(1);
  }
} else {
  writeFileSync(OUT, r.stdout);
  console.log(`make-picture: wrote ${OUT}`);
}
