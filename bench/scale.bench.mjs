// The language server at workspace scale, through a real LSP client over stdio
// (debounce 0), medians of interleaved runs: a module of 200 files × 100
// records, one file of 20,000 records, and a workspace of 500 files in 50
// modules. Figures go to bench/RESULTS.md.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateModule } from './generate.mjs';
import { LspClient, uriOf } from '../test/support/lsp-client.mjs';
import { writeSection } from './results.mjs';

const ROUNDS = 15;
const BIN = fileURLToPath(new URL('../bin/shoreline.js', import.meta.url));
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const median = (values) => percentile(values, 50);
const rssMiB = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;
const verdict = (ok) => (ok ? 'met' : 'NOT met');
const root = mkdtempSync(join(tmpdir(), 'shoreline-scale-bench-'));
const rows = [];
let failed = false;
const row = (what, figure, target, ok) => {
  rows.push([what, figure, target ? `${target}: ${verdict(ok)}` : '']);
  if (target && !ok) failed = true;
  console.log([what, figure, target ? `${target}: ${verdict(ok)}` : ''].join('  |  '));
};

/** Edits a digit of an address back and forth and times edit → publication; completion of the type value. */
async function editAndComplete(client, uri, text, rounds) {
  const lines = text.split('\n');
  const line = lines.findIndex((candidate, index) => index > lines.length / 2 && candidate.includes('value  = "192.0.2.'));
  const column = lines[line].indexOf('192.0.2.') + 8;
  const typeLine = lines.findIndex((candidate, index) => index > lines.length / 2 && candidate.includes('type   = "'));
  const edits = [];
  const completions = [];
  let version = 1;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    const published = client.nextDiagnostics(uri, 60_000);
    client.change(uri, ++version, [{ range: { start: { line, character: column }, end: { line, character: column + 1 } }, text: String(i % 2) }]);
    await published;
    edits.push(performance.now() - start);
    for (let c = 0; c < 5; c++) {
      const began = performance.now();
      await client.request('textDocument/completion', { textDocument: { uri }, position: { line: typeLine, character: 12 } });
      completions.push(performance.now() - began);
    }
  }
  return { edits, completions };
}

try {
  // 1. One module of 200 files × 100 records.
  const moduleFolder = join(root, 'big-module');
  mkdirSync(moduleFolder);
  for (let i = 0; i < 200; i++) writeFileSync(join(moduleFolder, `records-${i}.tf`), generateModule(100, `f${i}`));
  let client = await LspClient.start({ root: moduleFolder, settings: { validation: { enable: true, debounceMs: 0 } } });
  const moduleUri = uriOf(join(moduleFolder, 'records-100.tf'));
  const moduleText = readFileSync(join(moduleFolder, 'records-100.tf'), 'utf8');
  await client.waitForDiagnostics(moduleUri, () => true, 120_000);
  client.open(moduleUri, moduleText, 1);
  await client.nextDiagnostics(moduleUri, 60_000);
  const big = await editAndComplete(client, moduleUri, moduleText, ROUNDS);
  row('module of 200 files × 100 records: edit → diagnostics, median', `${median(big.edits).toFixed(0)} ms`, '≤ 50 ms', median(big.edits) <= 50);
  row('module of 200 files × 100 records: edit → diagnostics, p95', `${percentile(big.edits, 95).toFixed(0)} ms`, '≤ 100 ms', percentile(big.edits, 95) <= 100);
  row('module of 200 files × 100 records: completion p95', `${percentile(big.completions, 95).toFixed(1)} ms`, '≤ 15 ms', percentile(big.completions, 95) <= 15);
  await client.stop();

  // 2. One file of 20,000 records.
  const fileFolder = join(root, 'one-file');
  mkdirSync(fileFolder);
  const hugeText = generateModule(20000);
  writeFileSync(join(fileFolder, 'records.tf'), hugeText);
  client = await LspClient.start({ root: fileFolder, settings: { validation: { enable: true, debounceMs: 0 } } });
  const hugeUri = uriOf(join(fileFolder, 'records.tf'));
  client.open(hugeUri, hugeText, 1);
  await client.nextDiagnostics(hugeUri, 120_000);
  const huge = await editAndComplete(client, hugeUri, hugeText, ROUNDS);
  const symbols = [];
  const formatting = [];
  for (let i = 0; i < 5; i++) {
    let start = performance.now();
    await client.request('textDocument/documentSymbol', { textDocument: { uri: hugeUri } });
    symbols.push(performance.now() - start);
    start = performance.now();
    await client.request('textDocument/formatting', { textDocument: { uri: hugeUri }, options: { tabSize: 2, insertSpaces: true } });
    formatting.push(performance.now() - start);
  }
  row('one file of 20,000 records: edit → diagnostics, median', `${median(huge.edits).toFixed(0)} ms`, '≤ 50 ms', median(huge.edits) <= 50);
  row('one file of 20,000 records: completion p95', `${percentile(huge.completions, 95).toFixed(1)} ms`, '≤ 15 ms', percentile(huge.completions, 95) <= 15);
  row('one file of 20,000 records: document symbols, median', `${median(symbols).toFixed(0)} ms`, '≤ 100 ms', median(symbols) <= 100);
  row('one file of 20,000 records: formatting, median', `${median(formatting).toFixed(0)} ms`, '≤ 200 ms', median(formatting) <= 200);
  await client.stop();

  // 3. A workspace of 500 files in 50 modules; 200 of them opened.
  const workspaceFolder = join(root, 'workspace');
  const uris = [];
  const texts = [];
  for (let m = 0; m < 50; m++) {
    mkdirSync(join(workspaceFolder, `m${m}`), { recursive: true });
    for (let f = 0; f < 10; f++) {
      const path = join(workspaceFolder, `m${m}`, `f${f}.tf`);
      texts.push(generateModule(20, `f${f}`));
      writeFileSync(path, texts[texts.length - 1]);
      uris.push(uriOf(path));
    }
  }
  const spawned = performance.now();
  client = await LspClient.start({ root: workspaceFolder, settings: { validation: { enable: true, debounceMs: 0 } } });
  // From `initialized` (start() returns once it is sent), as the target is stated; the start of the process is a row of its own.
  const started = performance.now();
  const startMs = started - spawned;
  const first = new Promise((resolve) => {
    const poll = setInterval(() => {
      if (client.diagnostics.size > 0) {
        clearInterval(poll);
        resolve(performance.now() - started);
      }
    }, 2);
  });
  const firstMs = await first;
  for (let i = 0; i < 600 && client.diagnostics.size < uris.length; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const allMs = performance.now() - started;
  for (let i = 0; i < 200; i++) client.open(uris[i], texts[i], 1);
  await client.nextDiagnostics(uris[199], 60_000);
  const rss = rssMiB(client.child.pid);
  row('server process start → initialized', `${startMs.toFixed(0)} ms`, '', true);
  row('workspace of 500 files in 50 modules: first diagnostics after initialized', `${firstMs.toFixed(0)} ms`, '≤ 300 ms', firstMs <= 300);
  row('workspace of 500 files in 50 modules: all diagnostics', `${allMs.toFixed(0)} ms`, '≤ 1,500 ms', allMs <= 1500);
  row('server RSS with 200 files open', `${rss.toFixed(0)} MiB`, '≤ 300 MiB', rss <= 300);
  await client.stop();

  // 4. `shoreline check` on one module of 100,000 records in 25 files: wall time and peak RSS of the process.
  const checkFolder = join(root, 'check-module');
  mkdirSync(checkFolder);
  for (let f = 0; f < 25; f++) writeFileSync(join(checkFolder, `records-${f}.tf`), generateModule(4000, `f${f}`));
  const preload = join(root, 'max-rss.cjs');
  writeFileSync(preload, "process.on('exit', () => require('node:fs').writeSync(3, String(process.resourceUsage().maxRSS)));\n");
  const checks = [];
  for (let i = 0; i < 3; i++) {
    const began = performance.now();
    const run = spawnSync(process.execPath, ['--require', preload, BIN, 'check', checkFolder], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`shoreline check failed: ${run.stderr}`);
    checks.push({ ms: performance.now() - began, rssMiB: Number(run.output[3]) / 1024 });
  }
  const checkMs = median(checks.map((entry) => entry.ms));
  const checkRss = Math.max(...checks.map((entry) => entry.rssMiB));
  row('shoreline check, 100,000 records in 25 files: time, median', `${(checkMs / 1000).toFixed(2)} s`, '≤ 2.5 s', checkMs <= 2500);
  row('shoreline check, 100,000 records in 25 files: peak RSS', `${checkRss.toFixed(0)} MiB`, '≤ 300 MiB', checkRss <= 300);

  writeSection(
    'Language server at workspace scale',
    `Measured through a real LSP client over stdio (test/support/lsp-client.mjs), debounce 0; ${ROUNDS} edits per case (each followed by 5 completions), medians and 95th percentiles. The workspace times count from \`initialized\`; starting the server process is its own row. \`shoreline check\` runs as its own process (3 runs).

| what | figure | target |
| --- | --- | --- |
${rows.map((entry) => `| ${entry.join(' | ')} |`).join('\n')}
`,
  );
  if (failed) process.exitCode = 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
