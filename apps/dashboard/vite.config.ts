import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig(({ command }) => ({
  plugins: [sveltekit()],
  // A build says only what is wrong (warnings and errors), not every chunk's size; the dev
  // server keeps its address line.
  logLevel: command === 'build' ? 'warn' : 'info',
  // The workspace packages are TypeScript sources: bundled into the server, never loaded raw.
  ssr: { noExternal: [/^@ncms\//] },
  build: {
    rolldownOptions: {
      // SvelteKit builds the server and runs the adapter inside its `closeBundle` hook, so that
      // hook always "takes longer than the build": the timing report says nothing we can act on.
      checks: { bundlerTimings: false },
    },
  },
}));
