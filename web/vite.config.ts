import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The C++ server serves web/dist and falls back to index.html for client routes.
export default defineConfig({
  base: '/',
  plugins: [vue()],
  define: {
    // vue-i18n: use the JIT message compiler (no eval / new Function), required by CSP default-src 'self'.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  resolve: {
    alias: { '@': new URL('./src', import.meta.url).pathname },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    // No inline <script>: Vite emits module scripts as files; keep assets as files too.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
})
