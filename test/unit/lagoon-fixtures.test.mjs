import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeLagoonYml, analyzePulumiProgram, LAGOON_RESOURCES } from '../../core/dist/index.js';

const fixture = (name) => readFileSync(new URL(`../fixtures/lagoon/${name}`, import.meta.url), 'utf8');

/** The resource each line of a program belongs to (by the `  name:` keys under resources). */
function resourceOfLine(text) {
  const owners = [];
  let current;
  for (const line of text.split('\n')) {
    const key = line.match(/^ {2}([A-Za-z][\w-]*):\s*$/);
    if (key) current = key[1];
    owners.push(current);
  }
  return owners;
}

describe('Lagoon fixtures', () => {
  it('a program with every resource of the provider is valid', () => {
    const text = fixture('Pulumi.yaml');
    const tokens = new Set([...text.matchAll(/type: (lagoon:lagoon:\w+)/g)].map((match) => match[1]));
    assert.deepEqual([...tokens].sort(), LAGOON_RESOURCES.map((resource) => resource.token).sort());
    assert.deepEqual(analyzePulumiProgram(text), []);
  });
  it('the same program with one mistake per resource yields a finding on every resource', () => {
    const text = fixture('invalid.yaml');
    const owners = resourceOfLine(text);
    const flagged = new Set(analyzePulumiProgram(text).map((d) => owners[d.range.start.line]));
    const resources = text.slice(text.indexOf('\nresources:'));
    const declared = [...resources.matchAll(/^ {2}([A-Za-z][\w-]*):\s*$/gm)].map((match) => match[1]);
    assert.equal(declared.length, 18);
    assert.deepEqual(
      declared.filter((name) => !flagged.has(name)),
      [],
    );
  });
  it('the example .lagoon.yml has its intended findings', () => {
    const text = readFileSync(new URL('../../examples/lagoon-pulumi/.lagoon.yml', import.meta.url), 'utf8');
    assert.deepEqual(
      analyzeLagoonYml(text).map((d) => d.code),
      ['lagoon-yml/missing-key', 'lagoon-yml/cron-invalid', 'dns/target-invalid', 'lagoon-yml/cron-in-pod', 'lagoon-yml/cron-invalid', 'lagoon/secret-in-plain-text'],
    );
  });
});
