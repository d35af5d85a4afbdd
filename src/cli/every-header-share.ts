// How --every-header (every-header.ts) shares its units out: this process and `--jobs` - 1 worker
// processes (every-header-serve.ts) go down the same list of units, and each answers the units it
// claims first (a file created exclusively in a directory of the run's own). No process waits for
// another to be given its next unit; the workers send their answers when the list is done.

import { fork, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CliOptions } from './args.js';
import { claim, EVERY_HEADER_WORKER, type WorkerJobs, type WorkerReply } from './every-header-serve.js';
import { SharedSeen } from './every-header-seen.js';
import { runUnit, type UnitExtra, type UnitJob, type UnitResult } from './every-header-unit.js';

/** Runs every job, `threads` at once: in this process and `threads - 1` worker processes (this
 *  process alone for 1), results in job order. */
export async function runAll(
  o: CliOptions,
  jobs: readonly UnitJob[],
  threads: number,
  tick: (done: number) => void,
  extra: UnitExtra,
): Promise<UnitResult[]> {
  const results: UnitResult[] = new Array(jobs.length);
  let done = 0;
  const answered = (r: UnitResult): void => void (results[r.index - jobs[0]!.index] = r);
  const ticked = (): void => tick(++done);
  if (threads <= 1 || jobs.length <= 1) {
    for (const j of jobs) {
      answered(runUnit(o, j, extra));
      ticked();
    }
    return results;
  }
  const claims = mkdtempSync(join(tmpdir(), 'layoutof-every-header-'));
  const running: ChildProcess[] = [];
  let failed = false;
  try {
    const processes = Math.min(threads, jobs.length);
    const workers = Array.from({ length: processes - 1 }, (_, k) =>
      worker({ o, jobs, extra, claims, self: k + 1, processes }, running, ticked, answered),
    );
    const peers = new SharedSeen(claims, 0, processes);
    // This process answers units too (it has the start-up snapshot, the workers start cold); between
    // two, it reads what the workers say.
    const here = async (): Promise<void> => {
      for (const job of jobs) {
        if (failed) return;
        if (!claim(claims, job.index)) continue;
        answered(runUnit(o, job, extra, peers));
        ticked();
        await new Promise((r) => setImmediate(r));
      }
    };
    await Promise.all([here(), ...workers]).catch((e) => {
      failed = true;
      throw e;
    });
  } finally {
    for (const w of running) if (w.connected) w.disconnect();
    rmSync(claims, { recursive: true, force: true });
  }
  return results;
}

/** The worker module beside this one (dist/cli/, or src/cli/ under tsx); in the bundle, beside the blob. */
function workerUrl(): URL {
  if (import.meta.url)
    return new URL(`./every-header-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);
  const dir = typeof __filename === 'string' ? dirname(__filename) : process.cwd();
  return pathToFileURL(join(dir, 'cli/every-header-worker.js'));
}

/** A worker process: from the start-up snapshot when this process has one (its modules loaded and
 *  compiled already), else the worker module. */
function startWorker(): ChildProcess {
  const options: SpawnOptions = { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] };
  // The size of V8's thread pool (bin/layoutof's) is the worker's too.
  const pool = process.execArgv.filter((a) => a.startsWith('--v8-pool-size='));
  const blob = process.execArgv.indexOf('--snapshot-blob');
  if (blob >= 0) {
    const args = [...pool, '--snapshot-blob', process.execArgv[blob + 1]!, '--', EVERY_HEADER_WORKER];
    return spawn(process.execPath, args, options);
  }
  // The loaders (tsx, under the tests).
  const LOADERS = new Set(['--import', '--require', '--loader', '--experimental-loader']);
  const loaders = process.execArgv.filter((a, i, all) => LOADERS.has(a) || LOADERS.has(all[i - 1] ?? ''));
  return fork(workerUrl(), [], { ...options, execArgv: [...loaders, ...pool] });
}

/** A worker process answering the units it claims. It says only that it has answered a unit, and
 *  sends its answers at the end: an answer (up to megabytes of records) would go through the pipe a
 *  buffer at a time, as this process reads it between two units of its own. */
function worker(
  m: WorkerJobs,
  running: ChildProcess[],
  ticked: () => void,
  answered: (r: UnitResult) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const w = startWorker();
    running.push(w);
    let finished = false;
    w.on('message', (r: WorkerReply) => {
      if ('answered' in r) return ticked();
      finished = true;
      w.disconnect();
      if ('error' in r) return reject(new Error(r.error));
      r.results.forEach(answered);
      resolve();
    });
    w.on('error', reject);
    w.on('exit', (code, signal) => {
      if (!finished)
        reject(new Error(`a worker process ended (${signal ?? `status ${code}`}) before its units were answered`));
    });
    w.send(m);
  });
}
