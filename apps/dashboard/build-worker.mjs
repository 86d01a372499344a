// Bundles the file worker thread (src/lib/server/files/worker.ts and what it imports) into
// build/file-worker.js, after `vite build` has written build/: a worker is started from a file,
// and plain Node cannot start one from TypeScript. npm packages stay external and load from
// node_modules; the workspace's own packages (TypeScript sources) and $lib are bundled in.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const lib = join(here, 'src', 'lib');
const resolveLocal = {
  name: 'local',
  setup(b) {
    b.onResolve({ filter: /^\$lib(\/|$)/ }, (args) => b.resolve(`./${args.path.slice('$lib/'.length)}`, { resolveDir: lib, kind: args.kind }));
    b.onResolve({ filter: /^[^./$]/ }, (args) => (args.path.startsWith('@ncms/') || args.path.startsWith('node:') ? undefined : { path: args.path, external: true }));
  },
};
await build({
  entryPoints: [join(here, 'src', 'lib', 'server', 'files', 'worker.ts')],
  outfile: join(here, 'build', 'file-worker.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [resolveLocal],
  logLevel: 'warning',
});
