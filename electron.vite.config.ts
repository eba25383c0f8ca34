import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const here = import.meta.dirname;
const fromRoot = (path: string) => resolve(here, path);

export default defineConfig({
  main: {
    build: {
      // package.json dependencies (tfjs, sharp, zod...) stay external: tfjs-node and sharp load native
      // or wasm files from their own package folders, which a bundle would break.
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: fromRoot('src-main/electron/main.ts'),
          // The engine forks this file to run training off main's event loop.
          'worker-entry': fromRoot('src-main/engine/compute/worker-entry.ts'),
          // Each data-parallel training worker thread runs this file (engine/train/parallel).
          'replica-worker': fromRoot('src-main/engine/train/parallel/replica-worker.ts'),
          // The headless CLI, shipped with the app (package.json "bin": ganvas).
          cli: fromRoot('src-main/cli/index.ts'),
        },
        output: {
          // Only the CLI is run as a program; the shebang lets `ganvas` start it from a shell.
          banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can only require('electron') and a few built-ins, so everything it
      // imports (the contract's zod schemas included) is bundled, and it must be CommonJS.
      externalizeDeps: false,
      rolldownOptions: {
        input: {
          index: fromRoot('src-main/electron/preload.ts'),
          // The hidden compute window's: it only passes on a MessagePort (electron/compute-window.ts).
          'compute-preload': fromRoot('src-main/electron/compute-preload.ts'),
        },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: fromRoot('src-renderer'),
    plugins: [svelte()],
    // `$shared/…` is the renderer's way into src-main/shared (types, error codes, pure helpers);
    // tsconfig.web.json maps the same alias for svelte-check.
    resolve: { alias: { $shared: fromRoot('src-main/shared') } },
    build: {
      outDir: fromRoot('out/renderer'),
      rolldownOptions: {
        input: {
          index: fromRoot('src-renderer/index.html'),
          // The hidden compute window (WebGPU training, engine/compute/browser): its own bundle, so no
          // engine code reaches the UI's page and no view code the compute window.
          compute: fromRoot('src-renderer/compute.html'),
        },
      },
    },
  },
});
