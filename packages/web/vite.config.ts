import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w @zhixin/web` serves the client with hot reload against a server on :8080;
// `npm run build` writes dist/, which the server serves itself.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1600 },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
});
