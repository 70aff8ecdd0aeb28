#!/usr/bin/env node
// Runs the compiled CLI. `npm install` builds it (the `prepare` script); if it is missing, say how to build.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('vigil: not built yet; run `npm run build` (npm install does it for you)\n');
  process.exit(2);
}
await import(main.href);
