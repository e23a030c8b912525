import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Writes a .gz beside each script and stylesheet: the hub sends it to browsers that accept gzip (slow links). */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'hub-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir;
    },
    writeBundle(_options, bundle) {
      for (const file of Object.keys(bundle)) {
        if (!/\.(js|css)$/.test(file)) continue;
        const full = path.join(outDir, file);
        const item = bundle[file];
        const source = item.type === 'chunk' ? item.code : item.source;
        writeFileSync(`${full}.gz`, gzipSync(Buffer.from(source), { level: 9 }));
      }
    },
  };
}

/** Message files become chunks named after their locale and namespace (i18n-ru-app-<hash>.js). */
function chunkName(chunk: { facadeModuleId: string | null }): string {
  const m = chunk.facadeModuleId && /i18n[\\/]([\w-]+)[\\/]([\w-]+)\.json$/.exec(chunk.facadeModuleId);
  return m ? `assets/i18n-${m[1]}-${m[2]}-[hash].js` : 'assets/[name]-[hash].js';
}

/**
 * The hub's web pages, built once by `npm install` / `npm ci` (the `prepare` script) into
 * dist/web/ and served by the hub itself: the caseworkers' client at /app/ and the auditor
 * console at /audit/ (src/http/web-app.ts). Two pages, one bundle graph: Preact, the shared
 * i18n runtime and the GraphQL client are split into chunks both pages load from /app/assets/.
 * JSX is compiled by Vite's own esbuild (no Babel, no framework plugin).
 */
export default defineConfig({
  root: here('.'),
  base: '/app/',
  publicDir: false,
  logLevel: 'warn',
  plugins: [precompress()],
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact', legalComments: 'none' },
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // Everything the CSP allows is 'self': no inlined scripts; small images may be data: URLs.
    assetsInlineLimit: 2048,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rollupOptions: {
      input: { app: here('index.html'), audit: here('audit/index.html') },
      output: { chunkFileNames: chunkName },
    },
  },
  server: {
    // `npm run dev:web` next to `npm start`: the dev server forwards API calls to the hub.
    fs: { allow: [here('..')] },
    proxy: { '/graphql': 'http://127.0.0.1:4000' },
  },
});
