// One stage of a pipeline: prints a line every half second. The parser crashes once per run of
// statevisor, so the one-for-all group restarts both stages together. (Every process of one run
// has the same parent, statevisor's process helper: the mark is named after it.)
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const name = process.argv[2];
const crashMark = join(tmpdir(), `statevisor-example-${name}-crashed-${process.ppid}`);
let count = 0;
const timer = setInterval(() => {
  count += 1;
  console.log(`${name}: batch ${count}`);
  if (name === 'parse' && count === 2 && !existsSync(crashMark)) {
    writeFileSync(crashMark, '');
    console.error('parse: unexpected token in batch 2');
    process.exit(1);
  }
}, 500);
process.on('SIGTERM', () => {
  clearInterval(timer);
  process.exit(0);
});
