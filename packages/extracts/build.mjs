// Bundles the worker thread's entry (src/file-worker.ts and what it imports) into
// dist/file-worker.js: a worker is started from a file path, and plain Node cannot start one
// from TypeScript. npm packages stay external and load from node_modules.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
await build({
  entryPoints: [join(here, 'src', 'file-worker.ts')],
  outfile: join(here, 'dist', 'file-worker.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
