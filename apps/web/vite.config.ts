import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const webRoot = fileURLToPath(new URL('.', import.meta.url))
const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

/** Where /api is forwarded in development; TESSERA_API overrides it. */
const apiTarget = process.env.TESSERA_API ?? 'http://127.0.0.1:3000'

// The workspace packages export their TypeScript sources ("./src/index.ts"),
// reached through pnpm's symlinks; Vite compiles them like our own files.
// Serving them needs the repository root on the dev server's allow list.
export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    fs: { allow: [repoRoot] },
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
})
