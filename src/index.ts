// The package's public entry (`import { ... } from 'layoutof'`, docs/api.md): the front ends (C source,
// BTF/DWARF/ELF bytes, kernel trees, compile_commands.json), the analyses and the renderers, re-exported
// from their modules. Browser-safe like the engine; the Node side is 'layoutof/node' (src/cli/node.ts).

// C source
export { analyzeSource, analyzeSourceText, Diagnostics, SourceManager } from './api.js';
export type { IncludePaths, SourceOptions, SourceResult } from './api.js';
export { formatDiagnostic } from './core/diag.js';
export type { Diagnostic, Severity } from './core/diag.js';
export { MemoryFileSystem } from './core/fs.js';
export type { FileSystem } from './core/fs.js';
export { DEFAULT_TARGET, findTarget, TARGETS } from './target/target.js';
export type { Target } from './target/target.js';

// The model every front end produces
export { elementRecordOf, recordOf, resolveType } from './model/model.js';
export type { Member, Origin, Qualifier, RecordType, TypeRef } from './model/model.js';
export { declare, typeName } from './model/print.js';
export { withSourceComments } from './model/merge.js';

// Compiled type info: an ELF object's DWARF or .BTF section, or a raw BTF blob
export { analyzeBinary, isBinaryInput } from './binary/index.js';
export type { BinaryOptions, BinaryResult } from './binary/index.js';

// Kernel build trees and compilation databases
export { KernelTreeError, kernelSourceOptions, kernelTree, resolveKernelFile } from './kernel/kbuild.js';
export type { KernelTree } from './kernel/kbuild.js';
export { CompDbError, compileFlagsFor, parseCompilerArgs } from './kernel/compdb.js';
export type { CompileFlags } from './kernel/compdb.js';

// Analyses
export { analyzeRecord, estimateMemory } from './analyze/layout-view.js';
export type { AnalyzeOptions, BitHole, Hole, MemoryEstimate, RecordView, Row } from './analyze/layout-view.js';
export { diffLayouts } from './analyze/diff.js';
export type { LayoutDiff, MemberChange, RecordDiff } from './analyze/diff.js';
export { compareAcrossTargets } from './analyze/compare.js';
export type { ComparedMember, TargetCell, TargetComparison } from './analyze/compare.js';
// (An analysis that computes in numbers throws it for a record larger than 2^50 bytes.)
export { IncompleteRecordError, InexactRecordError, isExact } from './analyze/exact.js';

// Renderers
export { renderText } from './render/text.js';
export type { TextOptions } from './render/text.js';
export { renderMarkdown } from './render/markdown.js';
export type { MarkdownOptions } from './render/markdown.js';
export { renderJson, toJson } from './render/json.js';
export type { JsonMember, JsonOptions } from './render/json.js';
export { renderDiff } from './render/diff.js';
export { renderComparison } from './render/compare.js';
