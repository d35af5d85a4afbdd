// A worker thread's entry: tsx's loader first (a worker does not inherit the test's), then the
// TypeScript worker itself.
import { register } from 'tsx/esm/api';

register();
await import('./parser-fuzz-worker.ts');
