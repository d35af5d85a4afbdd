// Messages between the page (main.ts) and the engine's web worker (worker.ts).

/** What to analyse: C source (the editor's text and any files dropped beside it) or a binary. */
export type Input =
  | {
      readonly kind: 'source';
      readonly main: string;
      readonly files: { readonly [path: string]: string };
      readonly includeDirs: readonly string[];
    }
  | { readonly kind: 'binary'; readonly name: string; readonly bytes: Uint8Array };

export type Request =
  | { readonly type: 'load'; readonly id: number; readonly input: Input; readonly targets: readonly string[] }
  | {
      readonly type: 'show';
      readonly id: number;
      readonly name: string;
      readonly cacheline: number;
      readonly expand: boolean;
    };

export interface RecordEntry {
  readonly name: string;
  readonly kind: 'struct' | 'union';
  readonly size: number;
  /** Defined in the main input (not in a header it includes). */
  readonly main: boolean;
}

export interface Problem {
  readonly severity: 'error' | 'warning' | 'note';
  readonly message: string;
  /** gcc's spelling: "file:line:col: error: message", with the include chain. */
  readonly text: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
}

export type Reply =
  | {
      readonly type: 'loaded';
      readonly id: number;
      readonly records: readonly RecordEntry[];
      readonly problems: readonly Problem[];
      readonly targets: readonly string[];
      readonly ms: number;
    }
  | {
      readonly type: 'shown';
      readonly id: number;
      readonly name: string;
      readonly svg: string;
      readonly table: string;
      readonly json: string;
      readonly summary: string;
      readonly ms: number;
    }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
