// Bundles with esbuild into dist/: the command line with the language server
// (ES module) and the VS Code extension (CommonJS, as the extension host loads it).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// Chunk names carry content hashes: start from an empty dist/ so old chunks never ship.
rmSync('dist', { recursive: true, force: true });

// ES module builds first: jsonc-parser's CommonJS main is a UMD wrapper whose requires esbuild cannot follow.
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', mainFields: ['module', 'main'] };

await Promise.all([
  build({
    ...common,
    entryPoints: { shoreline: 'server/src/cli.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    // The language server is a chunk of its own, loaded only by `shoreline lsp`: `check` starts faster.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // CommonJS dependencies inside an ES module bundle need a real require.
    banner: { js: "import { createRequire as __shorelineRequire } from 'node:module'; const require = __shorelineRequire(import.meta.url);" },
  }),
  // The DDNS watcher alone, as CommonJS: a long-running process without the ES module loader (bin/shoreline.js).
  // What it loads only when a configuration needs it (HTTP, YAML, the public suffix list, SigV4) stays in
  // node_modules, as the package's dependencies, instead of ~1.2 MiB of source parsed at every start.
  // The extension starts the watcher from shoreline.mjs, which carries everything.
  build({
    ...common,
    entryPoints: { 'ddns-watcher': 'server/src/ddns-main.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    external: ['undici', 'yaml', 'tldts', 'aws4'],
  }),
  build({
    ...common,
    entryPoints: { extension: 'extension/src/extension.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    external: ['vscode'],
  }),
]);

// The WebAssembly grammars of Pulumi programs ship beside the bundle (core/src/programs/grammar.ts looks there first).
const { GRAMMAR_FILES, packagedGrammarPath } = await import('../core/dist/programs/grammar.js');
mkdirSync('dist/grammars', { recursive: true });
for (const [name, { file }] of Object.entries(GRAMMAR_FILES)) copyFileSync(packagedGrammarPath(name), join('dist/grammars', file));
