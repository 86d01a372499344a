import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  // The workspace packages are TypeScript sources: bundled into the server, never loaded raw.
  ssr: { noExternal: [/^@ncms\//] },
});
