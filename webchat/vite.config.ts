import { resolve } from "node:path";
import { defineConfig } from "vite";

// The web chat's build: one HTML page, hashed assets, nothing inlined as data: URLs (the CSP allows 'self' only),
// no source maps shipped.
export default defineConfig({
  root: resolve(import.meta.dirname, "app"),
  base: "/",
  publicDir: false,
  logLevel: "warn",
  build: {
    outDir: resolve(import.meta.dirname, "dist"),
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4000,
  },
});
