// `npm run bench`: times `shoreline check` on a generated module of 2,000
// dreamhost_dns_record blocks next to hcl2-parser parsing the same file, in one
// run, and writes the figures to bench/RESULTS.md.
// Target: the whole check takes at most 40% of the time hcl2-parser needs to parse.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateModule } from './generate.mjs';
import { writeSection } from './results.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const BLOCKS = 2000;
const TARGET_RATIO = 0.4;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(0)} ms`;

const folder = mkdtempSync(join(tmpdir(), 'shoreline-bench-'));
try {
  const file = join(folder, 'records.tf');
  const text = generateModule(BLOCKS);
  writeFileSync(file, text);
  const kb = Buffer.byteLength(text) / 1024;
  console.log(`module: ${BLOCKS} dreamhost_dns_record blocks, ${kb.toFixed(0)} KiB`);

  // Interleaved, so that load on the machine weighs on both alike.
  const hcl2 = createRequire(import.meta.url)('hcl2-parser');
  const hclTimes = [];
  const checkTimes = [];
  const rss = [];
  for (let run = 0; run < RUNS; run++) {
    // hcl2-parser, in process: the parse call only (its own load time is not counted against it).
    const source = readFileSync(file, 'utf8');
    let start = performance.now();
    const [parsed, errors] = hcl2.parseToObject(source);
    hclTimes.push(performance.now() - start);
    if (!parsed || errors) throw new Error('hcl2-parser rejected the generated module');

    // shoreline check: the whole command in a fresh process (start-up, parse, analysis, report).
    start = performance.now();
    const child = spawnSync(process.execPath, ['--import', join(root, 'bench/rss-report.mjs'), join(root, 'bin/shoreline.js'), 'check', folder, '--format', 'json'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    checkTimes.push(performance.now() - start);
    if (child.status !== 0) throw new Error(`shoreline check exited ${child.status}: ${child.stderr}`);
    const findings = JSON.parse(child.stdout);
    if (findings.length !== 0) throw new Error(`expected no findings on the generated module, got ${findings.length}: ${findings[0].message}`);
    rss.push(Number(child.stderr.match(/BENCH_MAX_RSS_KB=(\d+)/)[1]) / 1024);
  }

  const hclMedian = median(hclTimes);
  const checkMedian = median(checkTimes);
  const ratio = checkMedian / hclMedian;
  const verdict = ratio <= TARGET_RATIO ? 'met' : 'NOT met';
  const rows = [
    ['hcl2-parser parse (in process)', ms(hclMedian), ms(Math.min(...hclTimes))],
    ['shoreline check (whole process)', ms(checkMedian), ms(Math.min(...checkTimes))],
  ];
  console.log(rows.map((row) => row.join('  |  ')).join('\n'));
  console.log(`ratio ${(ratio * 100).toFixed(0)}% (target ≤ ${TARGET_RATIO * 100}%): ${verdict}; peak RSS of check ${median(rss).toFixed(0)} MiB`);

  writeSection(
    'shoreline check vs hcl2-parser',
    `Module: ${BLOCKS} \`dreamhost_dns_record\` blocks (A, AAAA, CNAME, MX, TXT), ${kb.toFixed(0)} KiB in one file. Median of ${RUNS} runs.

| what | median | best |
| --- | --- | --- |
${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}

\`shoreline check\` is timed as a whole command in a fresh process: Node start-up,
parse, analysis and the JSON report. hcl2-parser is timed for the parse call
alone, in process.

- Ratio: **${(ratio * 100).toFixed(0)}%** of hcl2-parser's parse time (target ≤ ${TARGET_RATIO * 100}%): **${verdict}**.
- Peak memory (max RSS) of the check process: ${median(rss).toFixed(0)} MiB.
`,
  );
  console.log('wrote bench/RESULTS.md');
  if (ratio > TARGET_RATIO) process.exitCode = 1;
} finally {
  rmSync(folder, { recursive: true, force: true });
}
