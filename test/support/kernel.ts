// Kernel test support: find Debian's linux-headers, build a probe module with kbuild (V=1) to learn the
// exact compiler command, and turn that command into flags for the gcc ground truth.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function findKernelHeaders(): string | undefined {
  if (process.env.LAYOUTOF_KERNEL_DIR) return process.env.LAYOUTOF_KERNEL_DIR;
  if (!existsSync('/usr/src')) return undefined;
  const dirs = readdirSync('/usr/src')
    .filter((d) => /^linux-headers-.*-amd64$/.test(d))
    .sort();
  return dirs.length ? join('/usr/src', dirs[dirs.length - 1]!) : undefined;
}

export interface KbuildProbe {
  readonly dir: string;
  readonly file: string;
  readonly cc: string;
  readonly flags: string[];
  readonly cwd: string;
}

/** Builds `source` as an external module with kbuild; returns the compiler and flags it used. */
export function kbuildProbe(headers: string, name: string, source: string): KbuildProbe {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-kmod-'));
  const file = join(dir, `${name}.c`);
  writeFileSync(file, source + '\nMODULE_LICENSE("GPL");\n');
  writeFileSync(join(dir, 'Kbuild'), `obj-m := ${name}.o\nccflags-y += -fno-eliminate-unused-debug-types -g\n`);
  const r = spawnSync('make', ['-C', headers, `M=${dir}`, 'V=1', 'modules'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`kbuild failed:\n${r.stdout}\n${r.stderr}`);
  const line = r.stdout.split('\n').find((l) => l.includes(` -c -o ${join(dir, name)}.o ${file}`));
  if (!line) throw new Error(`no compiler command in kbuild output:\n${r.stdout}`);
  const words = shellWords(line.slice(0, line.indexOf(';')).trim());
  const cc = words[0]!;
  const flags: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-c' || w === file) continue;
    if (w === '-o') {
      i++;
      continue;
    }
    if (w.startsWith('-Wp,') || w.startsWith('-W') || w === '-g' || w === '-pg' || w.startsWith('-mrecord-mcount'))
      continue;
    flags.push(w);
  }
  const enter = /Entering directory '([^']+)'/.exec(r.stdout);
  return { dir, file, cc, flags, cwd: enter ? enter[1]! : headers };
}

function shellWords(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q: string | null = null;
  let any = false;
  for (const c of s) {
    if (q) {
      if (c === q) q = null;
      else cur += c;
    } else if (c === "'" || c === '"') {
      q = c;
      any = true;
    } else if (c === ' ' || c === '\t') {
      if (cur || any) out.push(cur);
      cur = '';
      any = false;
    } else cur += c;
  }
  if (cur || any) out.push(cur);
  return out;
}

/** The kernel header sweep's translation units (test/kernel/sweep-headers.txt: one per paragraph). */
export function sweepUnits(): string[][] {
  return readFileSync(new URL('../kernel/sweep-headers.txt', import.meta.url), 'utf8')
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#')),
    )
    .filter((u) => u.length > 0);
}
