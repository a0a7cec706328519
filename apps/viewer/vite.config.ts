/**
 * The viewer's build. `pnpm --filter @chaintrail/viewer build` writes dist/, which
 * `chaintrail serve` serves at `/`. In development (`pnpm --filter @chaintrail/viewer dev`)
 * Vite proxies /api to a running `chaintrail serve` (CHAINTRAIL_API_URL, default
 * http://127.0.0.1:8321), so the page and the API share an origin as in production.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env['CHAINTRAIL_API_URL'] ?? 'http://127.0.0.1:8321';

export default defineConfig({
  plugins: [react()],
  // Relative asset URLs: the built viewer works wherever it is served from.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  worker: { format: 'es' },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/api': { target: api, changeOrigin: true } },
  },
});
