// Entry used by bin/layoutof (built) and by tests (through tsx).
import { main } from './main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
