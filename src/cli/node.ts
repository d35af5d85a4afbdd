// 'layoutof/node': what a Node program adds to the engine (docs/api.md): the file system adapter the CLI
// reads through, and the system compiler's #include <...> directories (`cc -E -v`).
export { NodeFileSystem } from './nodefs.js';
export { systemIncludeDirs } from './sysinc.js';
