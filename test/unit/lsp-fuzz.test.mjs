import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LspClient } from '../support/lsp-client.mjs';

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
