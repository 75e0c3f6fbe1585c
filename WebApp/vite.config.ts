import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The API host serves dist/ at "/" (same origin). During `npm run dev`, API calls go to a local silo.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Nothing inlined as data: URLs or inline code: the Content-Security-Policy allows only same-origin files.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/v1': { target: 'http://127.0.0.1:5080', ws: true },
    },
  },
  test: {
    environment: 'node',
  },
});
