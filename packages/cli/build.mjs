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

/**
 * The pure-JavaScript libraries every read command loads, bundled too: imported from
 * node_modules they are hundreds of files to resolve, read and (for CommonJS) lex — apache-arrow
 * alone ~0.3 s, the DuckDB wrapper and zod ~0.1 s each — against a few chunks here. DuckDB's
 * native binding (@duckdb/node-bindings) and everything else stay in node_modules.
 */
const BUNDLED_NPM = ['apache-arrow', '@duckdb/node-api', 'zod', 'node-cron', 'flatbuffers', 'tslib'];
const bundled = (path) => path.startsWith('@ncms/') || BUNDLED_NPM.some((p) => path === p || path.startsWith(`${p}/`));

/** Workspace packages (@ncms/*) and BUNDLED_NPM are bundled; every other bare import stays a runtime import. */
const externalNpm = {
  name: 'external-npm',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (bundled(args.path) || args.path.startsWith('node:') ? undefined : { path: args.path, external: true }));
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
  // Bundled CommonJS (the DuckDB wrapper) requires its native binding: give it a require.
  banner: { js: "import { createRequire as __ncmsRequire } from 'node:module'; const require = __ncmsRequire(import.meta.url);" },
});
const inputs = Object.keys(result.metafile.inputs).map((p) => resolve(here, p)).filter((p) => !p.includes('node_modules'));
const hashes = {};
for (const p of inputs) hashes[relative(here, p)] = createHash('sha1').update(await readFile(p)).digest('hex');
await writeFile(join(dist, 'inputs.json'), JSON.stringify(hashes, null, 1));
