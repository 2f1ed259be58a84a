import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The query language runs in the browser from its sources (it has no dependencies).
export default defineConfig({
  plugins: [react()],
  resolve: {
    // The subpath first: an alias also matches the paths below its name.
    alias: {
      '@fawkes/query/cases': fileURLToPath(new URL('../query/src/cases.ts', import.meta.url)),
      '@fawkes/query': fileURLToPath(new URL('../query/src/index.ts', import.meta.url)),
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1000 },
  server: {
    // `npm run dev -w @fawkes/ui` next to `npm start`: the API comes from the running server.
    proxy: { '/v1': 'http://127.0.0.1:6006' },
  },
});
