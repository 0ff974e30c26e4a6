import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeProgram, findProject } from '../../core/dist/index.js';
import { LspClient, uriOf } from '../support/lsp-client.mjs';

const VALID = `terraform {
  required_providers {
    dreamhost = {
      source  = "adamantal/dreamhost"
      version = "~> 0.3"
    }
  }
}

resource "dreamhost_dns_record" "www" {
  record = "www.example.com"
  type   = "A"
  value  = "192.0.2.10"
}

resource "dreamhost_dns_record" "mail" {
  record = "example.com"
  type   = "MX"
  value  = "10 mail.example.com"
}

import {
  to = dreamhost_dns_record.www
  id = "A|www.example.com|192.0.2.10"
}
`;

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '"',
  '{',
  '}',
  '[',
  ']',
  '=',
  '\n',
  '${',
  '%{',
  '<<EOT\n',
  'EOT\n',
  '#',
  '/*',
  '\\',
  'resource "dreamhost_dns_record" "x" {\n',
  'type = "MX"\n',
  'value = "',
  '\u00e9',
  '\ud83d\ude00',
  '\u0000',
  ' ',
  'xn--',
  '*.',
  '_sip._tcp.',
  '::',
  '10 ',
];

function positionAt(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

describe('language server under random edits (fuzz)', () => {
  it('answers every request and never dies through 3,000 random edits', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20261124);
    const next = random(seed);
    const client = await LspClient.start({});
    const uri = 'untitled:fuzz.tf';
    let text = VALID;
    let version = 1;
    client.open(uri, text, version);
    await client.nextDiagnostics(uri);
    const pending = [];
    for (let step = 0; step < 3000; step++) {
      const start = Math.floor(next() * (text.length + 1));
      const roll = next();
      let end = start;
      let insert = '';
      if (roll < 0.4) insert = PIECES[Math.floor(next() * PIECES.length)];
      else if (roll < 0.7) end = Math.min(text.length, start + Math.floor(next() * 12));
      else if (roll < 0.9) insert = String.fromCharCode(...Array.from({ length: 1 + Math.floor(next() * 6) }, () => 32 + Math.floor(next() * 95)));
      else {
        end = Math.min(text.length, start + Math.floor(next() * 40));
        insert = VALID.slice(Math.floor(next() * VALID.length), Math.floor(next() * VALID.length));
      }
      const range = { start: positionAt(text, start), end: positionAt(text, end) };
      text = text.slice(0, start) + insert + text.slice(end);
      if (text.length > 20_000) text = VALID; // keep the document small; resync below
      client.change(uri, ++version, text === VALID ? [{ text }] : [{ range, text: insert }]);
      if (step % 10 === 0) {
        const position = positionAt(text, Math.floor(next() * (text.length + 1)));
        pending.push(client.request('textDocument/completion', { textDocument: { uri }, position }));
        pending.push(client.request('textDocument/hover', { textDocument: { uri }, position }));
      }
      if (step % 25 === 0) {
        const position = positionAt(text, Math.floor(next() * (text.length + 1)));
        for (const method of ['textDocument/references', 'textDocument/prepareRename', 'textDocument/signatureHelp'])
          pending.push(client.request(method, { textDocument: { uri }, position, context: { includeDeclaration: true } }));
        pending.push(client.request('textDocument/rename', { textDocument: { uri }, position, newName: 'renamed' }).catch(() => null));
        pending.push(client.request('textDocument/selectionRange', { textDocument: { uri }, positions: [position] }));
        for (const method of ['textDocument/formatting', 'textDocument/foldingRange', 'textDocument/semanticTokens/full', 'textDocument/codeLens', 'textDocument/documentLink'])
          pending.push(client.request(method, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } }));
        pending.push(client.request('textDocument/rangeFormatting', { textDocument: { uri }, range: { start: position, end: position }, options: { tabSize: 2, insertSpaces: true } }));
      }
      if (step % 50 === 0) {
        pending.push(client.request('textDocument/documentSymbol', { textDocument: { uri } }));
        pending.push(client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: client.diagnostics.get(uri) ?? [] } }));
      }
    }
    const answers = await Promise.all(pending);
    assert.equal(answers.length, pending.length);
    // The server is alive and its view of the text matches ours: the final diagnostics arrive for the last version.
    const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(Array.isArray(symbols));
    assert.equal(await client.stop(), 0);
    assert.equal(client.stderr, '', `seed ${seed}`);
    assert.deepEqual(client.errors(), [], `seed ${seed}`);
  });
});

const PROGRAMS = {
  python: {
    file: '__main__.py',
    runtime: 'python',
    languageId: 'python',
    text: `import pulumi
from pulumi_lagoon import Environment, Project, ProjectArgs

site = Project("site", ProjectArgs(name="site", git_url="git@github.com:a/site.git", deploytarget_id=1, branches="^main$"))
Environment("main", name="main", project_id=site.lagoon_id, deploy_type="branch", environment_type="production")
`,
    pieces: [
      '"',
      "'",
      '(',
      ')',
      ',',
      '=',
      '\n',
      '    ',
      'f"{x}"',
      '**kw',
      '"""',
      '#',
      'Project(',
      'ProjectArgs(',
      'name=',
      'deploy_type="',
      'from pulumi_lagoon import Route\n',
      '\u00e9',
      '\ud83d\ude00',
      '...',
      'if x:\n    ',
      'else:\n    ',
    ],
  },
  typescript: {
    file: 'index.ts',
    runtime: 'nodejs',
    languageId: 'typescript',
    text: `import * as lagoon from "@tag1consulting/pulumi-lagoon";

const site = new lagoon.lagoon.Project("site", { name: "site", gitUrl: "git@github.com:a/site.git", deploytargetId: 1 });
new lagoon.Environment("main", { name: "main", projectId: site.lagoonId, deployType: "branch", environmentType: "production" });
`,
    pieces: [
      '"',
      '`',
      '${x}',
      '{',
      '}',
      '(',
      ')',
      ',',
      ':',
      '\n',
      '...spread',
      '//',
      '/*',
      'new lagoon.Project(',
      'name: ',
      'deployType: "',
      'import { Route } from "@tag1consulting/pulumi-lagoon";\n',
      '\u00e9',
      '\ud83d\ude00',
      ' as any',
      '? a : b',
    ],
  },
};

describe('language server under random edits of Pulumi programs (fuzz)', () => {
  for (const [language, program] of Object.entries(PROGRAMS)) {
    it(`${language}: answers every request through 1,500 random edits, and ends with the findings of a fresh read`, async () => {
      const seed = Number(process.env.FUZZ_SEED ?? 20261201);
      const next = random(seed);
      const root = mkdtempSync(join(tmpdir(), `shoreline-fuzz-${language}-`));
      writeFileSync(join(root, 'Pulumi.yaml'), `name: fuzz\nruntime: ${program.runtime}\n`);
      writeFileSync(join(root, program.file), program.text);
      const client = await LspClient.start({ root });
      const uri = uriOf(join(root, program.file));
      let text = program.text;
      let version = 1;
      client.open(uri, text, version, program.languageId);
      await client.nextDiagnostics(uri);
      const pending = [];
      try {
        for (let step = 0; step < 1500; step++) {
          const start = Math.floor(next() * (text.length + 1));
          const roll = next();
          let end = start;
          let insert = '';
          if (roll < 0.5) insert = program.pieces[Math.floor(next() * program.pieces.length)];
          else if (roll < 0.8) end = Math.min(text.length, start + Math.floor(next() * 12));
          else insert = String.fromCharCode(...Array.from({ length: 1 + Math.floor(next() * 6) }, () => 32 + Math.floor(next() * 95)));
          const range = { start: positionAt(text, start), end: positionAt(text, end) };
          text = text.slice(0, start) + insert + text.slice(end);
          if (text.length > 8_000) text = program.text;
          client.change(uri, ++version, text === program.text ? [{ text }] : [{ range, text: insert }]);
          if (step % 10 === 0) {
            const position = positionAt(text, Math.floor(next() * (text.length + 1)));
            pending.push(client.request('textDocument/completion', { textDocument: { uri }, position }));
            pending.push(client.request('textDocument/hover', { textDocument: { uri }, position }));
          }
        }
        assert.equal((await Promise.all(pending)).length, pending.length);
        // The incrementally parsed text gives what a fresh read of the final text gives.
        const files = {
          read: async (path) => (path === join(root, program.file) ? text : path.endsWith('Pulumi.yaml') ? `name: fuzz\nruntime: ${program.runtime}\n` : undefined),
          isFile: async (path) => path === join(root, program.file),
        };
        const fresh = await analyzeProgram(await findProject(join(root, program.file), files), files);
        const expected = JSON.stringify((fresh.usesSdk ? fresh.files.get(join(root, program.file)) : []).map((d) => [d.code, d.range]));
        const final = await client.waitForDiagnostics(uri, (d) => JSON.stringify(d.map((x) => [x.code, x.range])) === expected, 20_000).catch(() => client.diagnostics.get(uri));
        assert.equal(JSON.stringify(final.map((d) => [d.code, d.range])), expected, `seed ${seed}`);
        assert.equal(await client.stop(), 0);
        assert.equal(client.stderr, '', `seed ${seed}`);
        assert.deepEqual(client.errors(), [], `seed ${seed}`);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
