// Timing ours against a peer on a shared machine: runs by turns, each with its wall time and, where
// GNU time is installed, the CPU time (user + system) the kernel charged it, which other load on
// the machine disturbs far less than wall time. Ratios are medians of each pair's ratio.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** One run: wall ms, CPU ms (NaN without GNU time), stdout (when `keep`), exit status. */
export function run(cmd, args, { env, keep } = {}) {
  const [c, a] = GNU_TIME ? [GNU_TIME, ['-f', '@cpu %U %S', cmd, ...args]] : [cmd, args];
  const t = process.hrtime.bigint();
  const r = spawnSync(c, a, {
    stdio: ['ignore', keep ? 'pipe' : 'ignore', 'pipe'],
    env: env ?? process.env,
    maxBuffer: 1 << 30,
  });
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  const m = /@cpu ([\d.]+) ([\d.]+)\s*$/.exec(String(r.stderr));
  return {
    wall,
    cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN,
    out: keep ? String(r.stdout) : '',
    status: r.status,
  };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** "W ms wall, C ms CPU" medians of a list of runs. */
export function fmt(rs) {
  const cpu = median(rs.map((r) => r.cpu));
  return `${median(rs.map((r) => r.wall)).toFixed(0)} ms wall${Number.isNaN(cpu) ? '' : `, ${cpu.toFixed(0)} ms CPU`}`;
}

/** Median of the pairs' ratios, wall and CPU: "ratio 1.23 (CPU 1.10)". */
export function ratio(ours, theirs) {
  const w = median(ours.map((r, i) => r.wall / theirs[i].wall));
  const c = median(ours.map((r, i) => r.cpu / theirs[i].cpu));
  return `ratio ${w.toFixed(2)}${Number.isNaN(c) ? '' : ` (CPU ${c.toFixed(2)})`}`;
}
