// What the kernel benchmarks share: Debian's linux-headers tree, and kbuild's exact compiler command
// for a probe module (from a real V=1 build), as the compiler and its flags for `gcc -fsyntax-only`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** $LAYOUTOF_KERNEL_DIR, else the newest /usr/src/linux-headers-*-amd64; undefined when none. */
export function kernelHeaders() {
  if (process.env.LAYOUTOF_KERNEL_DIR) return process.env.LAYOUTOF_KERNEL_DIR;
  if (!existsSync('/usr/src')) return undefined;
  return readdirSync('/usr/src')
    .filter((d) => /^linux-headers-.*-amd64$/.test(d))
    .map((d) => join('/usr/src', d))
    .pop();
}

/** Builds `source` as probe.c in a new directory with kbuild; its directory, file, compiler and flags. */
export function kbuildProbe(headers, source, prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'probe.c');
  writeFileSync(file, source);
  writeFileSync(join(dir, 'Kbuild'), 'obj-m := probe.o\n');
  const mk = spawnSync('make', ['-C', headers, `M=${dir}`, 'V=1', 'modules'], { encoding: 'utf8' });
  const line = mk.stdout.split('\n').find((l) => l.includes(`-c -o ${join(dir, 'probe.o')} ${file}`));
  if (!line) throw new Error(`kbuild failed:\n${mk.stdout}\n${mk.stderr}`);
  const words = line
    .slice(0, line.indexOf(';'))
    .trim()
    .match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g)
    .map((w) => w.replace(/'/g, ''));
  const flags = words
    .slice(1)
    .filter((w, i, a) => w !== '-c' && w !== file && w !== '-o' && a[i - 1] !== '-o' && !w.startsWith('-Wp,'));
  return { dir, file, cc: words[0], flags };
}
