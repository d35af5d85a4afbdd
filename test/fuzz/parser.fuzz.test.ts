// The parser fuzzer (issue 23): real headers mutated token by token (deletions, duplications, swaps,
// truncation, unbalanced brackets and nested openers) must each end in a result or located
// diagnostics: never a throw, a hang or a blown heap. Runs in a worker thread with a heap limit and a
// watchdog, so a hang or a heap blow-up fails the test with the input that caused it. A brief fixed-
// seed budget by default; FUZZ_RUNS=n (and FUZZ_SEED=s) for a longer campaign.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { haveTool } from '../support/gcc-truth.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const SEED = Number(process.env.FUZZ_SEED ?? 20231);
/** No input may take longer than this (the slowest valid seed parses in some 50 ms). */
const WATCHDOG_MS = 15_000;

/** A header that exercises the GNU C this parser reads, with directives. */
const GNU_C = `#pragma pack(push, 2)
struct packed { char c; int i; } __attribute__((aligned(8)));
#pragma pack(pop)
enum e { A = 1 << 3, B, C = sizeof(struct packed) };
typedef int v4 __attribute__((vector_size(16)));
struct s {
  unsigned a : 3, : 0, b : 5;
  struct { int x; union { char y; long z; }; };
  void (__attribute__((noreturn)) *fp)(int (*)[4], ...);
  int * __attribute__((aligned(16))) * pp;
  _Alignas(16) char buf[C * 2];
  typeof(((struct packed *)0)->i) t;
  _Atomic(long) at;
  char flex[];
};
_Static_assert(sizeof(struct s) > 0, "s");
static inline int f(int x) { return ({ int y = x; y; }); }
`;

/** Real headers, preprocessed by gcc when it is installed; the example and GNU_C always. */
function seeds(): string[] {
  const out = [readFileSync('examples/ip_vs_conn.h', 'utf8'), GNU_C];
  if (haveTool('gcc')) {
    for (const h of ['sys/stat.h', 'netinet/tcp.h', 'linux/if_ether.h', 'signal.h']) {
      try {
        out.push(execFileSync('gcc', ['-E', '-P', '-x', 'c', '-'], { input: `#include <${h}>\n`, encoding: 'utf8' }));
      } catch {
        /* a header this system lacks */
      }
    }
  }
  return out;
}

test(
  `parser fuzzing: ${RUNS} mutated headers end in a result or located diagnostics`,
  { timeout: 600_000 },
  async () => {
    const worker = new Worker(new URL('./parser-fuzz-worker.mjs', import.meta.url), {
      workerData: { seeds: seeds(), runs: RUNS, seed: SEED },
      resourceLimits: { maxOldGenerationSizeMb: 768 },
    });
    let last = '';
    let timer: NodeJS.Timeout | undefined;
    const outcome = await new Promise<{ ok: boolean; why: string; text: string }>((resolve) => {
      const watch = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          void worker.terminate();
          resolve({ ok: false, why: `no result after ${WATCHDOG_MS} ms`, text: last });
        }, WATCHDOG_MS);
      };
      watch();
      worker.on('message', (m: { kind: string; text?: string; why?: string; runs?: number }) => {
        if (m.kind === 'input') {
          last = m.text!;
          watch();
        } else if (m.kind === 'failure') resolve({ ok: false, why: m.why!, text: m.text! });
        else if (m.kind === 'done') resolve({ ok: true, why: `${m.runs} runs`, text: '' });
      });
      worker.on('error', (e) => resolve({ ok: false, why: `worker died: ${e.message}`, text: last }));
    });
    clearTimeout(timer);
    await worker.terminate();
    assert.ok(
      outcome.ok,
      `${outcome.why}\n--- input (${outcome.text.length} bytes) ---\n${outcome.text.slice(0, 2000)}`,
    );
  },
);
