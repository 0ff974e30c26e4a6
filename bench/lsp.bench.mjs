// The language server measured through a real LSP client over stdio, on the
// 2,000-record module of bench/generate.mjs, with debounce 0: open → first
// diagnostics, a one-character edit → new diagnostics, completion latency,
// and the server's memory after opening 200 such files (each in its own
// folder, so each is its own module). Figures go to bench/RESULTS.md.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateModule } from './generate.mjs';
import { LspClient, uriOf } from '../test/support/lsp-client.mjs';
import { writeSection } from './results.mjs';

const FILES = Number(process.env.BENCH_LSP_FILES ?? 200);
const COMPLETIONS = 200;
const EDITS = 20;
const TARGETS = { editRatio: 0.25, completionP95: 15, rssMiB: 300 };

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const median = (values) => percentile(values, 50);

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+)/)[1]) / 1024;
}

const folder = mkdtempSync(join(tmpdir(), 'shoreline-lsp-bench-'));
const text = generateModule(2000);
const client = await LspClient.start({ settings: { validation: { enable: true, debounceMs: 0 } } });
try {
  // Open → first diagnostics (the first file; later files include the warm-up).
  const openTimes = [];
  const uris = [];
  for (let i = 0; i < FILES; i++) {
    const dir = join(folder, `m${i}`);
    mkdirSync(dir);
    const path = join(dir, 'records.tf');
    writeFileSync(path, text);
    const uri = uriOf(path);
    uris.push(uri);
    const start = performance.now();
    const published = client.nextDiagnostics(uri, 60_000);
    client.open(uri, text);
    await published;
    if (i < 5) openTimes.push(performance.now() - start);
  }
  const rss = rssMiB(client.child.pid);

  // One-character edits on the first file: change a digit of an address back and forth.
  const uri = uris[0];
  const line = text.split('\n').findIndex((l) => l.includes('value  = "192.0.2.'));
  const column = text.split('\n')[line].indexOf('192.0.2.') + 8;
  const editTimes = [];
  for (let i = 0; i < EDITS; i++) {
    const start = performance.now();
    const published = client.nextDiagnostics(uri);
    client.change(uri, i + 2, [{ range: { start: { line, character: column }, end: { line, character: column + 1 } }, text: String(i % 2) }]);
    await published;
    editTimes.push(performance.now() - start);
  }

  // Completion inside a record block: the type values.
  const typeLine = text.split('\n').findIndex((l, index) => index > 1000 && l.includes('type   = "'));
  const completionTimes = [];
  for (let i = 0; i < COMPLETIONS; i++) {
    const start = performance.now();
    const items = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: typeLine, character: 12 } });
    completionTimes.push(performance.now() - start);
    if (items.length !== 9) throw new Error(`expected the 9 record types, got ${items.length}`);
  }

  const open = openTimes[0];
  const edit = median(editTimes);
  const ratio = edit / open;
  const p50 = percentile(completionTimes, 50);
  const p95 = percentile(completionTimes, 95);
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  const rows = [
    ['open → first diagnostics (first file, cold)', `${open.toFixed(0)} ms`, ''],
    ['open → first diagnostics (median of files 1–5)', `${median(openTimes).toFixed(0)} ms`, ''],
    ['one-character edit → new diagnostics (median)', `${edit.toFixed(1)} ms`, `≤ 25% of open: ${(ratio * 100).toFixed(0)}%, ${verdict(ratio <= TARGETS.editRatio)}`],
    ['completion p50', `${p50.toFixed(2)} ms`, ''],
    ['completion p95', `${p95.toFixed(2)} ms`, `≤ ${TARGETS.completionP95} ms: ${verdict(p95 <= TARGETS.completionP95)}`],
    [`server RSS after opening ${FILES} files`, `${rss.toFixed(0)} MiB`, `≤ ${TARGETS.rssMiB} MiB: ${verdict(rss <= TARGETS.rssMiB)}`],
  ];
  for (const row of rows) console.log(row.filter(Boolean).join('  |  '));
  writeSection(
    'Language server',
    `Measured through a real LSP client over stdio (test/support/lsp-client.mjs), debounce 0, on the ${Buffer.byteLength(text) >> 10} KiB
2,000-record file; ${FILES} copies opened, each in its own folder (its own module).

| what | figure | target |
| --- | --- | --- |
${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}
`,
  );
  if (ratio > TARGETS.editRatio || p95 > TARGETS.completionP95 || rss > TARGETS.rssMiB) process.exitCode = 1;
} finally {
  await client.stop();
  rmSync(folder, { recursive: true, force: true });
}
