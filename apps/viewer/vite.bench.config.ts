/**
 * The benchmark page only (bench.html): the viewer's canvas and layout on synthetic graphs,
 * built by bench/viewer.bench.ts into bench/out/, never into dist/ (which serve ships).
 */
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    target: 'es2022',
    rollupOptions: { input: 'bench.html' },
  },
  worker: { format: 'es' },
});
