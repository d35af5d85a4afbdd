// Differential proof against gcc on x86_64: thousands of generated records per run, every size,
// alignment, member offset and bitfield bit position compared. LAYOUTOF_SEED sets the first seed,
// LAYOUTOF_DIFF_BATCHES the number of batches of 250.
import { test } from 'node:test';
import { DEFAULT_TARGET } from '../../src/target/target.js';
import { haveTool, HOST_TOOLCHAIN } from '../support/gcc-truth.js';
import { runGenerated, seedRange } from '../support/differential.js';

const firstSeed = Number(process.env.LAYOUTOF_SEED ?? 1);
const batches = Number(process.env.LAYOUTOF_DIFF_BATCHES ?? 40);

test(
  `generated records match gcc (${batches} × 250, seeds from ${firstSeed})`,
  { skip: !(haveTool('gcc') && haveTool('objcopy')) && 'gcc/objcopy not installed' },
  () => {
    runGenerated(DEFAULT_TARGET, HOST_TOOLCHAIN, seedRange(firstSeed, batches), 250);
  },
);
