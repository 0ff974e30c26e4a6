// Bundles the command line (and language server) with esbuild into dist/.
import { build } from 'esbuild';

await build({
  entryPoints: { shoreline: 'server/src/cli.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // CommonJS dependencies inside an ES module bundle need a real require.
  banner: { js: "import { createRequire as __shorelineRequire } from 'node:module'; const require = __shorelineRequire(import.meta.url);" },
});
