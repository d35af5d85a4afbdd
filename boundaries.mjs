// Which src/ folder may import which: the one table that ESLint's layoutof/boundaries rule
// (eslint.config.mjs) and test/engine-purity.test.ts both read, so the two cannot disagree.
// docs/architecture.md explains the order; a folder may always import from itself.

/** Folder (or file directly under src/) → the folders it may import. */
export const ALLOWED = {
  core: [],
  target: ['core'],
  cpp: ['core', 'target'],
  // layout works on the parser's C types (cparse/ctype.ts), and the parser asks layout for sizeof:
  // the cycle is one of folders, not modules, because layout takes types only (see TYPE_ONLY).
  layout: ['core', 'target'],
  cparse: ['core', 'target', 'cpp', 'layout'],
  model: ['core', 'target', 'cpp', 'cparse', 'layout'],
  binary: ['core', 'target', 'model'],
  analyze: ['core', 'target', 'model'],
  render: ['core', 'target', 'model', 'analyze'],
  kernel: ['core', 'target'],
  // The library's façade: it may use every engine folder, and no engine folder may import it.
  'api.ts': ['core', 'target', 'cpp', 'cparse', 'layout', 'model', 'binary', 'analyze', 'render', 'kernel'],
  // The package's entry: re-exports the façade and the engine's public modules.
  'index.ts': ['core', 'target', 'cpp', 'cparse', 'layout', 'model', 'binary', 'analyze', 'render', 'kernel', 'api.ts'],
  cli: ['core', 'target', 'cpp', 'cparse', 'layout', 'model', 'binary', 'analyze', 'render', 'kernel', 'api.ts'],
};

/** Imports of types only (`import type`, erased at run time) that a folder may make beyond ALLOWED. */
export const TYPE_ONLY = {
  layout: ['cparse'],
  // core/options.ts names the Target its options carry (a type: no code of target/ runs in core/).
  core: ['target'],
};

/** Imports that break the table today, each to be removed; the purity test fails when one is gone,
 *  so that its entry is deleted here too. `to` is a folder (or a file directly under src/). */
export const KNOWN_EXCEPTIONS = [];

/** 'src/cpp/lexer.ts' → 'cpp'; 'src/api.ts' → 'api.ts'; a path outside src/ → undefined. */
export function folderOf(path) {
  const parts = path.split('/');
  if (parts[0] !== 'src' || parts.length < 2) return undefined;
  return parts.length === 2 ? parts[1].replace(/\.js$/, '.ts') : parts[1];
}

/** The repository-relative path a relative specifier names, from a repository-relative file path. */
export function resolveSpecifier(fromFile, specifier) {
  const out = fromFile.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.') out.push(part);
  }
  return out.join('/');
}

/** Why `fromFile` may not import `specifier` (undefined when it may). Both paths repository-relative
 *  with '/'; bare specifiers (packages, node:) are not this table's business. */
export function importViolation(fromFile, specifier, typeOnly) {
  if (!specifier.startsWith('.')) return undefined;
  const from = folderOf(fromFile);
  if (from === undefined) return undefined;
  const allowed = ALLOWED[from];
  if (allowed === undefined) return `${fromFile}: folder '${from}' is not in the import table (boundaries.mjs)`;
  const target = resolveSpecifier(fromFile, specifier);
  const to = folderOf(target);
  if (to === undefined) return `${fromFile} imports ${specifier}, outside src/`;
  if (to === from || allowed.includes(to)) return undefined;
  if (typeOnly && TYPE_ONLY[from]?.includes(to)) return undefined;
  if (KNOWN_EXCEPTIONS.some((e) => e.from === fromFile && e.to === to)) return undefined;
  const may = allowed.length ? allowed.join(', ') : 'nothing outside itself';
  return `src/${from}${from.endsWith('.ts') ? '' : '/'} may not import ${to} (${specifier}); it may import ${may}`;
}
