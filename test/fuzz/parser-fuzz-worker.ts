// The parser fuzzer's worker (see parser.fuzz.test.ts): mutates real headers token by token with
// fast-check and runs each input through the source pipeline, for one of four targets, and analyses and
// renders every record as the command line would. It posts every input before running it,
// so that the test can name the input that hung or ran out of memory when it stops this thread.
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { analyzeSourceText } from '../../src/api.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { analyzeRecord } from '../../src/analyze/layout-view.js';
import { renderJson } from '../../src/render/json.js';
import { renderText } from '../../src/render/text.js';
import { findTarget } from '../../src/target/target.js';

interface Job {
  readonly seeds: string[];
  readonly runs: number;
  readonly seed: number;
}

/** Fragments inserted between tokens: unbalanced brackets and the openers of every nested grammar. */
const FRAGMENTS = [
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ';',
  ',',
  '*',
  ':',
  '=',
  '...',
  '__attribute__((',
  '__attribute__((aligned(',
  '))',
  'struct',
  'union',
  'enum',
  'typedef',
  '_Alignas(',
  'typeof(',
  'sizeof(',
  '_Static_assert(',
  '__extension__',
  'int',
  'char',
  '0x7fffffff',
  '-1',
  '1ULL<<62',
  '"s"',
  "'c'",
  '\n#pragma pack(',
  '\n#pragma pack(push,3)\n',
  '\n#if 1\n',
  '\n#endif\n',
  '\n#define X (\n',
  'X',
  '\\\n',
  '/*',
  '\n',
];

/** Source split into tokens (words, numbers, strings, punctuators) and the blanks between them. */
function tokens(text: string): string[] {
  return (
    text.match(
      /\s+|[A-Za-z_]\w*|\d[\w.]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\/\*[\s\S]*?\*\/|\/\/[^\n]*|->|<<|>>|&&|\|\||##|[^\s]/g,
    ) ?? []
  );
}

type Op =
  | { kind: 'delete' | 'dup' | 'truncate'; at: number }
  | { kind: 'swap'; at: number; to: number }
  | { kind: 'insert'; at: number; text: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'dup' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...FRAGMENTS) }),
);

function mutate(toks: readonly string[], ops: readonly Op[]): string {
  const t = [...toks];
  for (const o of ops) {
    if (t.length === 0) break;
    const i = o.at % t.length;
    if (o.kind === 'delete') t.splice(i, 1);
    else if (o.kind === 'dup') t.splice(i, 0, t[i]!);
    else if (o.kind === 'truncate') t.length = i;
    else if (o.kind === 'insert') t.splice(i, 0, ' ', o.text, ' ');
    else {
      const j = o.to % t.length;
      [t[i], t[j]] = [t[j]!, t[i]!];
    }
  }
  return t.join('');
}

/** Why an input's run is not a clean result or located diagnostics, or undefined. */
function check(text: string, triple: string): string | undefined {
  const r = analyzeSourceText(text, { target: findTarget(triple)! });
  // Every record laid out, analysed and rendered, as the command line would.
  const views = r.records.map((rec) => analyzeRecord(rec, 64, { expand: true }));
  renderText(views, { comments: true });
  renderJson(triple, views);
  const unlocated = r.diagnostics.list.filter((d) => d.severity === 'error' && !d.loc);
  if (unlocated.length)
    return `error without a location: ${unlocated.map((d) => formatDiagnostic(d, r.sources)).join('; ')}`;
  return undefined;
}

const job = workerData as Job;
const seedTokens = job.seeds.map(tokens);
/** Targets whose rules differ most (MSVC's records and #pragma pack, i386's field alignment). */
const TRIPLES = ['x86_64-linux-gnu', 'i686-linux-gnu', 'aarch64-linux-gnu', 'x86_64-windows-msvc'];
const input = fc.record({
  seed: fc.nat({ max: seedTokens.length - 1 }),
  ops: fc.array(op, { minLength: 1, maxLength: 8 }),
  triple: fc.constantFrom(...TRIPLES),
});
const result = fc.check(
  fc.property(input, ({ seed, ops, triple }) => {
    const text = mutate(seedTokens[seed]!, ops);
    parentPort!.postMessage({ kind: 'input', text });
    let why: string | undefined;
    try {
      why = check(text, triple);
    } catch (e) {
      why = `threw: ${(e as Error)?.stack ?? String(e)}`;
    }
    if (why) parentPort!.postMessage({ kind: 'failure', text, why: `${triple}: ${why}` });
    return why === undefined;
  }),
  { seed: job.seed, numRuns: job.runs, endOnFailure: true },
);
parentPort!.postMessage({ kind: 'done', runs: result.numRuns, failed: result.failed });
