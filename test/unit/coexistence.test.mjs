// The manifest's two forms: standalone (our Terraform grammar and language
// configuration) and alongside HashiCorp's extension (neither).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { contributionMode, wantedContributionMode, withContributionMode } from '../../core/dist/language/index.js';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

describe('coexistence with HashiCorp’s Terraform extension', () => {
  it('ships the standalone form: terraform for .tf, terraform-vars for .tfvars, each with our grammar and configuration', () => {
    assert.equal(contributionMode(manifest), 'standalone');
    assert.deepEqual(withContributionMode(manifest, 'standalone'), manifest, 'the shipped manifest is exactly the standalone form');
    const languages = Object.fromEntries(manifest.contributes.languages.map((language) => [language.id, language]));
    assert.deepEqual(languages['terraform'].extensions, ['.tf']);
    assert.deepEqual(languages['terraform-vars'].extensions, ['.tfvars']);
    assert.deepEqual(manifest.contributes.grammars.map((grammar) => grammar.language).sort(), ['terraform', 'terraform-vars']);
    assert.ok(manifest.activationEvents.includes('onLanguage:terraform-vars'));
  });

  it('alongside HashiCorp’s: no grammar and no language configuration, the same language ids, everything else untouched; and back', () => {
    assert.equal(wantedContributionMode(true), 'alongside');
    const alongside = withContributionMode(manifest, 'alongside');
    assert.equal(contributionMode(alongside), 'alongside');
    assert.equal(alongside.contributes.grammars, undefined);
    assert.deepEqual(
      alongside.contributes.languages.map((language) => [language.id, language.configuration]),
      manifest.contributes.languages.map((language) => [language.id, undefined]),
    );
    for (const key of Object.keys(manifest.contributes).filter((key) => key !== 'languages' && key !== 'grammars')) assert.deepEqual(alongside.contributes[key], manifest.contributes[key], key);
    assert.deepEqual(withContributionMode(alongside, wantedContributionMode(false)), manifest);
  });
});
