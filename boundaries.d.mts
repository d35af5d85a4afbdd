// Types of boundaries.mjs for the TypeScript that reads it (test/engine-purity.test.ts).
export declare const ALLOWED: { readonly [folder: string]: readonly string[] };
export declare const TYPE_ONLY: { readonly [folder: string]: readonly string[] };
export declare const KNOWN_EXCEPTIONS: readonly { readonly from: string; readonly to: string }[];
export declare function folderOf(path: string): string | undefined;
export declare function resolveSpecifier(fromFile: string, specifier: string): string;
export declare function importViolation(fromFile: string, specifier: string, typeOnly: boolean): string | undefined;
