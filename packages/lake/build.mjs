// Bundles the analyst-SQL child process (src/sandbox/child.ts and the workspace code it uses)
// into dist/sandbox-child.js: a child is started from a file, and plain Node cannot start one
// from TypeScript. npm packages (DuckDB's client) stay external and load from node_modules.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const externalNpm = {
  name: 'external-npm',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@ncms/') || args.path.startsWith('node:') ? undefined : { path: args.path, external: true }));
  },
};
await build({
  entryPoints: [join(here, 'src', 'sandbox', 'child.ts')],
  outfile: join(here, 'dist', 'sandbox-child.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [externalNpm],
  logLevel: 'warning',
});
