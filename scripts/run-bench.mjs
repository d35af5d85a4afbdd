// Runs every bench/*.mjs in turn (each measures layoutof and its anchor in the same run).
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
const only = process.argv.slice(2);
for (const f of readdirSync('bench')
  .filter((f) => f.endsWith('.mjs'))
  .sort()) {
  if (only.length && !only.some((o) => f.includes(o))) continue;
  console.log(`== ${f}`);
  const r = spawnSync(process.execPath, [`bench/${f}`], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = r.status ?? 1;
}
