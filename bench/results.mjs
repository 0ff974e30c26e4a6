// bench/RESULTS.md holds one section per benchmark; each run rewrites its own section.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

const FILE = new URL('./RESULTS.md', import.meta.url);

export function writeSection(title, body) {
  const header = `# Benchmark results\n\nWritten by \`npm run bench\`. Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}.\n`;
  const current = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '';
  const sections = new Map();
  for (const part of current.split(/^## /m).slice(1)) {
    const [name, ...rest] = part.split('\n');
    sections.set(name.trim(), rest.join('\n').trim());
  }
  sections.set(title, body.trim());
  writeFileSync(FILE, `${header}\n${[...sections].map(([name, text]) => `## ${name}\n\n${text}\n`).join('\n')}`);
}
