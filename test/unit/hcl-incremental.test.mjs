import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lineIndexOf, parseHcl, reparseHcl } from '../../core/dist/index.js';
import { LineIndex } from '../../core/dist/diagnostics/line-index.js';
import { generateModule } from '../../bench/generate.mjs';

const BASE = `${generateModule(12)}
locals {
  list = [1, 2, 3]
  text = <<EOT
heredoc
EOT
}
# a comment between blocks
data "dreamhost_dns_records" "all" {
  filter {
    type = "A"
  }
}
`;

const PIECES = ['"', '{', '}', '\n', 'x', ' = ', '1', 'resource "a" "b" {\n}\n', '# c\n', '[', ']', '<<EOT\n', 'EOT\n', 'locals {\n  a = 1\n}\n', '\n\n'];

describe('incremental re-parse', () => {
  it('gives exactly the document a full parse gives, for random edits (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat({ max: 30 }), fc.constantFrom(...PIECES)), { minLength: 1, maxLength: 8 }), (edits) => {
        let text = BASE;
        let document = parseHcl(text, { source: 'main.tf' });
        for (const [at, length, insert] of edits) {
          const start = at % (text.length + 1);
          text = text.slice(0, start) + insert + text.slice(Math.min(text.length, start + length));
          document = reparseHcl(document, text, { source: 'main.tf' });
          assert.deepEqual(document, parseHcl(text, { source: 'main.tf' }));
          // The line index carried over from the previous version is the one a fresh scan builds.
          const carried = lineIndexOf(document);
          const fresh = new LineIndex(text);
          assert.equal(carried.lineCount, fresh.lineCount);
          for (let offset = 0; offset <= text.length; offset += 7) assert.deepEqual(carried.positionAt(offset), fresh.positionAt(offset));
        }
      }),
      { numRuns: 400 },
    );
  });
  it('keeps the objects of blocks before the edit and shifts those after it', () => {
    const before = parseHcl(BASE, { source: 'main.tf' });
    const line = BASE.split('\n').findIndex((l) => l.includes('host5.example.com'));
    const offset = BASE.split('\n').slice(0, line).join('\n').length + 1;
    const text = `${BASE.slice(0, offset)}  # inserted\n${BASE.slice(offset)}`;
    const after = reparseHcl(before, text);
    assert.equal(after.body.blocks[0], before.body.blocks[0]);
    assert.equal(after.body.blocks[7].range.start.line, before.body.blocks[7].range.start.line + 1);
    assert.deepEqual(after, parseHcl(text, { source: 'main.tf' }));
  });
});
