// Pulumi programs in Python and TypeScript through a real LSP client over
// stdio (debounce 0): a 2,000-line program of each language (bench/generate.mjs),
// a one-character edit → new diagnostics, completion latency right after an
// edit (as an editor asks while typing), and the cost of the grammars for a
// Terraform-only workspace (none: they load on first use). Python and
// TypeScript edits are interleaved. Figures go to bench/RESULTS.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPaths, loadedGrammars } from '../core/dist/index.js';
import { generateModule, generateProgram } from './generate.mjs';
import { LspClient, uriOf } from '../test/support/lsp-client.mjs';
import { writeSection } from './results.mjs';

const EDITS = 30;
const COMPLETIONS = 200;
const TARGETS = { editMs: 150, completionP95: 15 };
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

const root = mkdtempSync(join(tmpdir(), 'shoreline-programs-bench-'));
const programs = {
  python: { folder: join(root, 'py'), file: '__main__.py', runtime: 'python', text: generateProgram(2000, 'python'), languageId: 'python', argument: 'production_environment=' },
  typescript: { folder: join(root, 'ts'), file: 'index.ts', runtime: 'nodejs', text: generateProgram(2000, 'typescript'), languageId: 'typescript', argument: 'productionEnvironment:' },
};
for (const program of Object.values(programs)) {
  mkdirSync(program.folder);
  writeFileSync(join(program.folder, 'Pulumi.yaml'), `name: bench\nruntime: ${program.runtime}\n`);
  writeFileSync(join(program.folder, program.file), program.text);
  program.uri = uriOf(join(program.folder, program.file));
}
// A Terraform-only folder: checking it must not load any grammar.
const terraform = join(root, 'tf');
mkdirSync(terraform);
writeFileSync(join(terraform, 'records.tf'), generateModule(2000));
const terraformStart = performance.now();
await checkPaths([terraform]);
const terraformMs = performance.now() - terraformStart;
const grammarsForTerraform = loadedGrammars();

const client = await LspClient.start({ root, settings: { validation: { enable: true, debounceMs: 0 } } });
try {
  for (const program of Object.values(programs)) {
    const first = client.nextDiagnostics(program.uri, 60_000);
    client.open(program.uri, program.text, 1, program.languageId);
    await first;
    program.version = 1;
    program.edits = [];
    program.completions = [];
  }
  // A digit of a deploy target ID, changed back and forth: the file's findings are the same each time, so every edit is re-checked.
  for (let i = 0; i < EDITS; i++) {
    for (const program of Object.values(programs)) {
      const lines = program.text.split('\n');
      const line = lines.findIndex((candidate, index) => index > 1000 && candidate.includes('"^(main|develop)$"'));
      const character = lines[line].indexOf('develop');
      const start = performance.now();
      const published = client.nextDiagnostics(program.uri);
      client.change(program.uri, ++program.version, [{ range: { start: { line, character }, end: { line, character: character + 1 } }, text: i % 2 ? 'd' : 'D' }]);
      await published;
      program.edits.push(performance.now() - start);
    }
  }
  // Completion of argument names right after typing a character (the text the server completes in is new each time),
  // with the default debounce of 200 ms, as an editor runs it: the completion comes before the program is checked again.
  client.settings = { validation: { enable: true, debounceMs: 200 } };
  client.notify('workspace/didChangeConfiguration', { settings: { shoreline: client.settings } });
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (let i = 0; i < COMPLETIONS; i++) {
    for (const program of Object.values(programs)) {
      const lines = program.text.split('\n');
      const line = lines.findIndex((candidate, index) => index > 1500 && candidate.includes(program.argument));
      const character = lines[line].indexOf(program.argument);
      client.change(program.uri, ++program.version, [{ range: { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: 0 } }, text: i % 2 ? '' : ' ' }]);
      const start = performance.now();
      const items = await client.request('textDocument/completion', { textDocument: { uri: program.uri }, position: { line, character } });
      program.completions.push(performance.now() - start);
      if (!items.length) throw new Error(`no completion in the ${program.runtime} program`);
    }
    // A pause now and then, as typing has: the debounced checks run in it.
    if (i % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  const rows = [];
  let failed = false;
  for (const [language, program] of Object.entries(programs)) {
    const edit = percentile(program.edits, 50);
    const editP95 = percentile(program.edits, 95);
    const p95 = percentile(program.completions, 95);
    failed ||= editP95 > TARGETS.editMs || p95 > TARGETS.completionP95;
    rows.push(
      [`${language}: edit → new diagnostics, median / p95`, `${edit.toFixed(1)} / ${editP95.toFixed(1)} ms`, `≤ ${TARGETS.editMs} ms: ${verdict(editP95 <= TARGETS.editMs)}`],
      [
        `${language}: completion right after an edit (debounce 200 ms), p50 / p95`,
        `${percentile(program.completions, 50).toFixed(2)} / ${p95.toFixed(2)} ms`,
        `≤ ${TARGETS.completionP95} ms: ${verdict(p95 <= TARGETS.completionP95)}`,
      ],
    );
  }
  rows.push([
    'Terraform-only check (2,000 records): grammars loaded',
    grammarsForTerraform.length ? grammarsForTerraform.join(', ') : `none (${terraformMs.toFixed(0)} ms)`,
    `none: ${verdict(grammarsForTerraform.length === 0)}`,
  ]);
  failed ||= grammarsForTerraform.length > 0;
  for (const row of rows) console.log(row.join('  |  '));
  writeSection(
    'Pulumi programs',
    `Measured through a real LSP client over stdio, debounce 0, on generated ${programs.python.text.split('\n').length}-line Python and ${programs.typescript.text.split('\n').length}-line TypeScript programs (Lagoon projects, environments and variables built by helper functions), Python and TypeScript edits interleaved.

| what | figure | target |
| --- | --- | --- |
${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}
`,
  );
  if (failed) process.exitCode = 1;
} finally {
  await client.stop();
  rmSync(root, { recursive: true, force: true });
}
