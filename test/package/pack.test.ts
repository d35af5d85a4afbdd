// The npm package as a user gets it: `npm pack`, the tarball installed into an empty project with no
// network (fzstd, the one runtime dependency, comes from npm's cache), imported by its name and
// type-checked against its `types`, and its command run, which builds the start-up snapshot the
// tarball must not carry. Uses the built dist/ (npm run build), as the CLI tests do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = process.cwd();
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const tsc = join(repo, 'node_modules/typescript/bin/tsc');

function sh(
  cmd: string,
  args: string[],
  opts: SpawnSyncOptions = {},
): { code: number | null; out: string; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { code: r.status, out: String(r.stdout), err: String(r.stderr) };
}
const ok = (r: { code: number | null; out: string; err: string }, what: string): string => {
  assert.equal(r.code, 0, `${what}:\n${r.out}\n${r.err}`);
  return r.out;
};

/** The packed tarball, installed with `npm ci --offline --ignore-scripts` into a new project. The
 *  project's lock names fzstd as the repo's lock does (npm 11's `npm install <tarball>` asks the
 *  registry for fzstd's full metadata, which npm ci does not keep), and layoutof with the
 *  dependencies its packed package.json declares: a dependency left out of the tarball's manifest
 *  shows as extraneous in `npm ls`. */
function installPacked(): { dir: string; files: string[]; pkgDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-pack-'));
  const name = ok(sh('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir]), 'npm pack')
    .trim()
    .split('\n')
    .pop()!;
  const tarball = join(dir, name);
  const files = ok(sh('tar', ['-tzf', tarball]), 'tar -t')
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''));
  const packed = JSON.parse(ok(sh('tar', ['-xzOf', tarball, 'package/package.json']), 'tar -x'));
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
  const project = join(dir, 'project');
  mkdirSync(project);
  const spec = `file:../${name}`;
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { layoutof: spec } }),
  );
  const packages: { [k: string]: unknown } = {
    '': { name: 'consumer', dependencies: { layoutof: spec } },
    'node_modules/layoutof': {
      version: packed.version,
      resolved: spec,
      license: packed.license,
      bin: packed.bin,
      engines: packed.engines,
      dependencies: packed.dependencies,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
    },
  };
  for (const dep of Object.keys(lock.packages['']!.dependencies))
    packages[`node_modules/${dep}`] = lock.packages[`node_modules/${dep}`];
  writeFileSync(
    join(project, 'package-lock.json'),
    JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }),
  );
  ok(
    sh('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: project }),
    'npm ci --offline of the packed tarball',
  );
  ok(sh('npm', ['ls', '--all'], { cwd: project }), 'npm ls (a dependency the tarball does not declare is extraneous)');
  return { dir, files, pkgDir: join(project, 'node_modules/layoutof') };
}

test(
  'the tarball carries the built JS, its types and the LICENSE; no snapshot, sources or tests',
  { timeout: 120_000 },
  () => {
    const { dir, files } = installPacked();
    try {
      for (const f of [
        'LICENSE',
        'package.json',
        'bin/layoutof',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/cli/node.js',
        'dist/cli/node.d.ts',
        'dist/layoutof.cjs',
        'dist/cli/run.js',
        'examples/ip_vs_conn.h',
      ]) {
        assert.ok(files.includes(f), `${f} is packed`);
      }
      assert.deepEqual(
        files.filter((f) => /\.blob$|^src\/|^test\/|^scripts\/|^node_modules\/|\.test\./.test(f)),
        [],
      );
      // Every export target exists in the tarball.
      for (const [sub, target] of Object.entries(pkg.exports as { [k: string]: string | { [c: string]: string } })) {
        for (const p of typeof target === 'string' ? [target] : Object.values(target))
          assert.ok(files.includes(p.replace(/^\.\//, '')), `${sub}: ${p} is packed`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'installed offline with --ignore-scripts: imported by name, type-checked, and its command builds its snapshot',
  { timeout: 180_000 },
  () => {
    const { dir, pkgDir } = installPacked();
    const project = join(dir, 'project');
    try {
      // Imported by the package's name, from both entries.
      writeFileSync(
        join(project, 'main.mjs'),
        [
          "import { analyzeSourceText, analyzeRecord, renderText, findTarget } from 'layoutof';",
          "import { NodeFileSystem } from 'layoutof/node';",
          "const res = analyzeSourceText('struct s { char c; long l; };', { target: findTarget('i686-linux-gnu') });",
          "const s = res.find('s');",
          'console.log(s.size, analyzeRecord(s).holes.length, typeof new NodeFileSystem().readFile);',
          'process.stdout.write(renderText([analyzeRecord(s)]));',
        ].join('\n'),
      );
      const out = ok(sh(process.execPath, ['main.mjs'], { cwd: project }), 'node main.mjs');
      assert.match(out, /^8 1 function\nstruct s \{\n\tchar +c; +\/\* +0 +1 \*\/\n/);
      // Only the exported entries: the deep paths the package used to be reached by are closed.
      const deep = sh(process.execPath, ['--input-type=module', '-e', "await import('layoutof/dist/api.js')"], {
        cwd: project,
      });
      assert.notEqual(deep.code, 0);
      assert.match(deep.err, /ERR_PACKAGE_PATH_NOT_EXPORTED/);

      // The `types` are found through `exports`, strict, with the repo's tsc; a misuse is an error.
      writeFileSync(
        join(project, 'good.ts'),
        [
          "import { analyzeSourceText, analyzeBinary, analyzeRecord, renderJson, type RecordType, type RecordView } from 'layoutof';",
          "import { NodeFileSystem, systemIncludeDirs } from 'layoutof/node';",
          "const r: RecordType | undefined = analyzeSourceText('struct s { int a; };').find('s');",
          'const size: number = r ? r.size : 0;',
          'const views: RecordView[] = r ? [analyzeRecord(r, 64)] : [];',
          "const json: string = renderJson('x86_64-linux-gnu', views);",
          "const bin = analyzeBinary(new Uint8Array(0), { path: 'x.o' });",
          "const fmt: 'btf' | 'dwarf' | 'none' = bin.format;",
          'const dirs: string[] | undefined = systemIncludeDirs();',
          "export const all = [size, json, fmt, dirs, new NodeFileSystem().isFile('/')];",
        ].join('\n'),
      );
      writeFileSync(
        join(project, 'bad.ts'),
        [
          "import { analyzeSourceText } from 'layoutof';",
          "export const name: number = analyzeSourceText('struct s { int a; };').records[0]!.name;",
        ].join('\n'),
      );
      // (No @types/node in the project: the package's types must not need it.)
      const compilerOptions = {
        noEmit: true,
        strict: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        types: [],
      };
      for (const f of ['good', 'bad'])
        writeFileSync(join(project, `${f}.json`), JSON.stringify({ compilerOptions, files: [`${f}.ts`] }));
      ok(sh(process.execPath, [tsc, '-p', 'good.json'], { cwd: project }), 'tsc good.ts');
      const bad = sh(process.execPath, [tsc, '-p', 'bad.json'], { cwd: project });
      assert.notEqual(bad.code, 0);
      assert.match(bad.out, /bad\.ts\(2,14\): error TS2322: Type 'string \| null' is not assignable to type 'number'/);

      // The command: no snapshot until the first run makes one for this Node; the answer is the same.
      const blob = join(pkgDir, 'dist/layoutof.blob');
      assert.equal(existsSync(blob), false);
      const env = { ...process.env, LAYOUTOF_NO_CACHE: '1' };
      const bin = join(project, 'node_modules/.bin/layoutof');
      const args = [join(pkgDir, 'examples/ip_vs_conn.h'), 'ip_vs_conn'];
      const want = ok(
        sh(join(repo, 'bin/layoutof'), args, { env: { ...env, LAYOUTOF_NO_SNAPSHOT: '1' } }),
        'repo bin/layoutof',
      );
      assert.equal(ok(sh(bin, args, { env }), 'first run'), want);
      assert.ok(existsSync(blob), 'the first run built dist/layoutof.blob');
      // The next run starts from it (a Node that logs its arguments shows the blob in use).
      const log = join(dir, 'argv');
      const logging = join(dir, 'node');
      writeFileSync(logging, `#!/bin/sh\necho "$@" >> '${log}'\nexec "${process.execPath}" "$@"\n`, { mode: 0o755 });
      assert.equal(ok(sh(bin, args, { env: { ...env, LAYOUTOF_NODE: logging } }), 'second run'), want);
      assert.match(
        readFileSync(log, 'utf8'),
        /^--v8-pool-size=\d --snapshot-blob \S+\/layoutof\/bin\/\.\.\/dist\/layoutof\.blob -- /,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test("package.json: MIT as LICENSE says, exports with types, esbuild's install script approved", () => {
  assert.equal(pkg.license, 'MIT');
  const license = readFileSync('LICENSE', 'utf8');
  assert.match(license, /^MIT License\n\nCopyright \(c\) the layoutof authors\n/);
  assert.equal(pkg.exports['.'].types, './dist/index.d.ts');
  assert.equal(
    Object.keys(pkg.exports['.'])[0],
    'types',
    "'types' first: TypeScript takes the first condition that matches",
  );
  assert.equal(pkg.exports['./node'].types, './dist/cli/node.d.ts');
  // Approved in package.json (npm 11 warns about each unapproved install script on npm ci).
  assert.equal(pkg.allowScripts?.esbuild, true);
  assert.match(
    ok(sh('npm', ['install-scripts', 'ls']), 'npm install-scripts ls'),
    /No packages with unreviewed install scripts/,
  );
  // No install-time script of its own: `npm install --ignore-scripts` installs the same package.
  for (const s of ['preinstall', 'install', 'postinstall']) assert.equal(pkg.scripts[s], undefined, s);
});
