/**
 * Files a package reads at run time (migrations, model SQL, example policies), found from the
 * package's own package.json rather than from `import.meta.url`: when Vite bundles a package
 * into a server, its modules move to the bundle's folder, but the package stays where npm put it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Absolute path of `rel` inside the installed package `name` (which must export `./package.json`). */
export function packageFile(name: string, ...rel: string[]): string {
  return join(dirname(require.resolve(`${name}/package.json`)), ...rel);
}
