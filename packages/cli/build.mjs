// Bundles the CLI and the workspace packages it uses into dist/, so `ncms` starts without
// compiling TypeScript (tsx alone costs more than the 0.3 s a command may take to start).
// npm packages stay external and load from node_modules; commands import theirs lazily, and
// each lazy import becomes its own chunk. dist/inputs.json lists the sources bundled with a
// hash of each, so bin/ncms.js can tell a stale bundle from a fresh one (by content, not by
// time: a checkout or a restored build cache changes file times, not contents).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

/** Workspace packages (@ncms/*) are bundled; every other bare import stays a runtime import. */
const externalNpm = {
  name: 'external-npm',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@ncms/') || args.path.startsWith('node:') ? undefined : { path: args.path, external: true }));
  },
};

const result = await build({
  absWorkingDir: here,
  entryPoints: [join(here, 'src', 'main.ts')],
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  plugins: [externalNpm],
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
});
const inputs = Object.keys(result.metafile.inputs).map((p) => resolve(here, p)).filter((p) => !p.includes('node_modules'));
const hashes = {};
for (const p of inputs) hashes[relative(here, p)] = createHash('sha1').update(await readFile(p)).digest('hex');
await writeFile(join(dist, 'inputs.json'), JSON.stringify(hashes, null, 1));
