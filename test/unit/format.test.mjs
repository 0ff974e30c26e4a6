import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { formatTerraform } from '../../core/dist/index.js';
import { messUp, random } from '../support/messy-hcl.mjs';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'fmt');
const inputs = readdirSync(FIXTURES).filter((name) => /\.(tf|tfvars)$/.test(name));

describe('terraform fmt, byte for byte', () => {
  for (const name of inputs) {
    it(`${name}: the output terraform fmt gave (expected/${name})`, () => {
      const input = readFileSync(join(FIXTURES, name), 'utf8');
      const expected = readFileSync(join(FIXTURES, 'expected', name), 'utf8');
      assert.equal(formatTerraform(input), expected);
      // Formatting is idempotent.
      assert.equal(formatTerraform(expected), expected);
    });
  }

  it('whatever the whitespace between tokens, the same output', () => {
    const next = random(20261202);
    for (const name of inputs) {
      const expected = readFileSync(join(FIXTURES, 'expected', name), 'utf8');
      for (let round = 0; round < 20; round++) assert.equal(formatTerraform(messUp(expected, next)), expected, `${name}, round ${round}`);
    }
  });

  it('rewrites what Terraform rewrites, and only that', () => {
    assert.equal(formatTerraform('resource aws_instance web {\n}\n'), 'resource "aws_instance" "web" {\n}\n');
    assert.equal(formatTerraform('a = "${b}"\nc = "${d}-x"\ne = "${f}${g}"\n'), 'a = b\nc = "${d}-x"\ne = "${f}${g}"\n');
    assert.equal(formatTerraform('variable "v" {\n  type = "list"\n}\n'), 'variable "v" {\n  type = list(string)\n}\n');
    // Only a variable's own type: elsewhere `type` is an ordinary argument.
    assert.equal(formatTerraform('resource "x" "y" {\n  type = "string"\n}\n'), 'resource "x" "y" {\n  type = "string"\n}\n');
    // Values inside objects are not unwrapped.
    assert.equal(formatTerraform('tags = { Name = "${var.name}" }\n'), 'tags = { Name = "${var.name}" }\n');
  });

  it('ends the file with a newline, keeps blank lines, and refuses text with syntax errors', () => {
    assert.equal(formatTerraform('a = 1'), 'a = 1\n');
    assert.equal(formatTerraform(''), '\n');
    assert.equal(formatTerraform('a = 1\n\n\n\nb = 2\n'), 'a = 1\n\n\n\nb = 2\n');
    assert.equal(formatTerraform('a = \n'), undefined);
    assert.equal(formatTerraform('resource "x" {\n'), undefined);
  });
});
