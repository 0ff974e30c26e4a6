// Runs Shoreline's .lagoon.yml analysis over every Lagoon YAML file under the
// folders given (`.lagoon.yml`, `lagoon.yml`, `lagoon.polysite.yml`,
// `lagoon-override.yml`, ...) and prints the errors per rule code and the files
// with errors: the measure of agreement with Lagoon's own build on a corpus.
//   npm run corpus:lagoon -- DIR [DIR...] [--list] [--record "what the corpus is"]
// --record writes the counts to bench/RESULTS.md.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyzeLagoonYml } from '../core/dist/index.js';
import { writeSection } from '../bench/results.mjs';

const args = process.argv.slice(2);
const list = args.includes('--list');
const recordAt = args.indexOf('--record');
const label = recordAt >= 0 ? args[recordAt + 1] : undefined;
const roots = args.filter((arg, index) => !arg.startsWith('--') && !(recordAt >= 0 && index === recordAt + 1));
if (roots.length === 0) {
  console.error('usage: npm run corpus:lagoon -- DIR [DIR...] [--list]');
  process.exit(2);
}

const LAGOON_YAML = /^\.?lagoon([.-][^/]*)?\.yml$/;
const SKIPPED = new Set(['.git', 'node_modules', '.terraform']);

function* files(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) yield* files(path);
    } else if (entry.isFile() && LAGOON_YAML.test(entry.name)) yield path;
  }
}

const byCode = new Map();
const failing = [];
let count = 0;
for (const root of roots) {
  for (const file of files(root)) {
    count++;
    const errors = analyzeLagoonYml(readFileSync(file, 'utf8'), file).filter((d) => d.severity === 'error');
    if (errors.length === 0) continue;
    failing.push({ file: relative(process.cwd(), file), errors });
    for (const error of errors) byCode.set(error.code, (byCode.get(error.code) ?? 0) + 1);
  }
}
console.log(`${count} Lagoon YAML files, ${failing.length} with errors`);
for (const [code, n] of [...byCode].sort((a, b) => b[1] - a[1])) console.log(`  ${code}: ${n}`);
if (label !== undefined) {
  const codes = [...byCode].sort((a, b) => b[1] - a[1]).map(([code, n]) => `| \`${code}\` | ${n} |`);
  const files = failing.map(({ file, errors }) => `- ${file.replace(/^(\.\.\/)+tmp\/[^/]+\//, '')}: ${[...new Set(errors.map((e) => e.code))].join(', ')}`);
  writeSection(
    '.lagoon.yml corpus',
    `${label}\n\n${count} Lagoon YAML files, **${failing.length} with errors**.\n\n| code | errors |\n| --- | --- |\n${codes.join('\n') || '| (none) | 0 |'}\n\nFiles with errors:\n\n${files.join('\n') || '- none'}`,
  );
  console.log('wrote bench/RESULTS.md');
}
if (list) for (const { file, errors } of failing) for (const e of errors) console.log(`${file}:${e.range.start.line + 1} ${e.code} ${e.message}`);
