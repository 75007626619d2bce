/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// A plain SPA loaded by the Tauri shell from `dist/` (relative paths: no server in production).
export default defineConfig({
  plugins: [svelte()],
  base: './',
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 800,
  },
  // Unit tests of src/lib and src/i18n (`npm test`): plain modules, no DOM.
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
