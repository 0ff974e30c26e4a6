// Builds shoreline.vsix with @vscode/vsce from a staging folder holding only
// what the extension needs at run time: the bundles, grammars, walkthrough, manifest,
// README and licence (as .vscodeignore lists). Staging keeps the npm
// package's "files" list and the .vsix contents independent.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stage = join(root, 'build', 'vsix');
const out = join(root, 'shoreline.vsix');
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
for (const path of ['dist', 'syntaxes', 'media', 'README.md', 'LICENSE', '.vscodeignore']) cpSync(join(root, path), join(stage, path), { recursive: true });
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// The bundles inline every dependency: the extension installs nothing.
for (const key of ['files', 'scripts', 'dependencies', 'devDependencies', 'bin', 'exports', 'types']) delete manifest[key];
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
const vsce = join(dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], { cwd: stage, stdio: 'inherit' });
rmSync(stage, { recursive: true, force: true });
console.log(`shoreline.vsix: ${(statSync(out).size / 1024).toFixed(0)} KiB`);
