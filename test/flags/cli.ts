// Runs the command line from source (no build needed), without the result cache.
import { sourceCli, type CliRun } from '../support/source-cli.js';

export const cli = (args: string[], cwd?: string): CliRun => sourceCli(['--no-cache', ...args], { cwd });
