// A queue worker that crashes on its first run (a bad message) and is restarted by rxproc.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One marker per rxproc run (the worker's parent), so every `npm start` crashes once.
const marker = join(tmpdir(), `rxproc-example-worker-${process.ppid}`);
if (!existsSync(marker)) {
  writeFileSync(marker, 'crashed once');
  console.log('worker: processing message 1');
  setTimeout(() => {
    console.error('worker: TypeError: cannot read properties of undefined (reading "id")');
    process.exit(1);
  }, 300);
} else {
  rmSync(marker, { force: true });
  let n = 1;
  console.log('worker: ready, polling the queue');
  setInterval(() => console.log(`worker: processed message ${++n}`), 400);
}
