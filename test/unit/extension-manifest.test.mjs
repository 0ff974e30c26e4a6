import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const root = new URL('../../', import.meta.url);
const read = (path) => JSON.parse(readFileSync(new URL(path, root), 'utf8'));

/** Every setting of the manifest, whatever section it is in. */
const settingsOf = (manifest) => Object.assign({}, ...[manifest.contributes.configuration].flat().map((section) => section.properties));

describe('VS Code extension manifest', () => {
  const pkg = read('package.json');
  it('points to the bundled extension and declares the terraform and terraform-vars languages and grammar', () => {
    assert.equal(pkg.main, './dist/extension.cjs');
    assert.ok(existsSync(new URL(pkg.main, root)), 'dist/extension.cjs is built');
    const [terraform, vars] = pkg.contributes.languages;
    assert.deepEqual([terraform.id, terraform.extensions, vars.id, vars.extensions], ['terraform', ['.tf'], 'terraform-vars', ['.tfvars']]);
    for (const language of [terraform, vars]) assert.ok(existsSync(new URL(language.configuration, root)));
    for (const grammar of pkg.contributes.grammars) assert.equal(read(grammar.path).scopeName, grammar.scopeName);
    // The DDNS watcher's own bundle needs the package's dependencies: it never ships in the .vsix.
    assert.ok(!readFileSync(new URL('.vscodeignore', root), 'utf8').includes('!dist/*.cjs'));
  });
  it('contributes the Shoreline commands, which the extension registers', () => {
    const source = readFileSync(new URL('extension/src/extension.ts', root), 'utf8');
    for (const { command, category } of pkg.contributes.commands) {
      assert.equal(category, 'Shoreline');
      assert.ok(source.includes(`'${command}'`), `${command} is registered`);
    }
    assert.deepEqual(pkg.contributes.commands.map((command) => command.title).sort(), [
      'Configure Terraform to Use the Mirror',
      'Refresh Live Data',
      'Restart Language Server',
      'Set DDNS Secret',
      'Set DreamHost API Key',
      'Set Lagoon Token',
      'Set Up DDNS',
      'Set Up Registry Mirror',
      'Show DDNS Log',
      'Show Mirror Log',
      'Show Server Output',
      'Start DDNS Watcher',
      'Start Registry Mirror',
      'Stop DDNS Watcher',
      'Stop Registry Mirror',
      'Update DNS Now',
      'Validate Workspace',
    ]);
    // The mirror and the DDNS watcher are tasks of type "shoreline", declarable in tasks.json.
    const [tasks] = pkg.contributes.taskDefinitions;
    assert.equal(tasks.type, 'shoreline');
    assert.deepEqual(tasks.properties.task.enum, ['mirror', 'ddns']);
    assert.ok(source.includes("registerTaskProvider('shoreline'"));
    // Credentials go to SecretStorage and the server's environment, never to settings.
    assert.ok(source.includes('context.secrets.store') && source.includes('password: true'));
    assert.ok(!Object.keys(settingsOf(pkg)).some((name) => /apikey|token|secret|password/i.test(name)));
  });
  it('declares the settings the server reads, with safe defaults, in sections', () => {
    const settings = settingsOf(pkg);
    assert.deepEqual(
      pkg.contributes.configuration.map((section) => section.title),
      ['Shoreline: Validation', 'Shoreline: Registry mirror', 'Shoreline: Dynamic DNS'],
    );
    assert.equal(settings['shoreline.validation.enable'].default, true);
    assert.equal(settings['shoreline.validation.debounceMs'].default, 200);
    assert.deepEqual(settings['shoreline.trace.server'].enum, ['off', 'messages', 'verbose']);
    for (const [name, setting] of Object.entries(settings)) assert.ok(setting.description, `${name} has a description`);
  });

  it('shows Start and Stop only when they apply, and declares what it does in an untrusted workspace', () => {
    const when = Object.fromEntries(pkg.contributes.menus.commandPalette.map((entry) => [entry.command, entry.when]));
    assert.equal(when['shoreline.startMirror'], '!shoreline.mirrorRunning');
    assert.equal(when['shoreline.stopMirror'], 'shoreline.mirrorRunning');
    assert.equal(when['shoreline.startDdns'], '!shoreline.ddnsRunning');
    assert.equal(when['shoreline.stopDdns'], 'shoreline.ddnsRunning');
    const source = readFileSync(new URL('extension/src/extension.ts', root), 'utf8');
    assert.ok(source.includes("'setContext'") && source.includes('Running`'), 'the extension sets the context keys');
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    for (const name of pkg.capabilities.untrustedWorkspaces.restrictedConfigurations) assert.ok(settingsOf(pkg)[name], `${name} is a setting`);
  });
});

describe('Getting Started walkthrough', () => {
  const pkg = read('package.json');
  it('has steps whose pages exist, whose commands the extension registers, and that ship in the .vsix', () => {
    const source = readFileSync(new URL('extension/src/extension.ts', root), 'utf8');
    const [walkthrough] = pkg.contributes.walkthroughs;
    assert.ok(walkthrough.steps.length >= 4);
    for (const step of walkthrough.steps) {
      assert.ok(existsSync(new URL(step.media.markdown, root)), `${step.media.markdown} exists`);
      for (const [, command] of step.description.matchAll(/\(command:(shoreline\.[\w]+)/g)) assert.ok(source.includes(`'${command}'`), `${command} is registered`);
    }
    assert.ok(readFileSync(new URL('.vscodeignore', root), 'utf8').includes('!media/**'));
    assert.ok(readFileSync(new URL('scripts/package-vsix.mjs', root), 'utf8').includes("'media'"));
  });
});

describe('TextMate grammar', () => {
  const grammar = read('syntaxes/terraform.tmLanguage.json');
  const patterns = [];
  const collect = (node) => {
    if (!node || typeof node !== 'object') return;
    for (const key of ['match', 'begin', 'end']) if (typeof node[key] === 'string') patterns.push(node[key]);
    for (const value of Object.values(node)) collect(value);
  };
  collect(grammar);
  it('every regular expression compiles', () => {
    assert.ok(patterns.length > 15);
    for (const pattern of patterns) assert.doesNotThrow(() => new RegExp(pattern.replace(/\\\\[0-9]/g, 'x')), pattern);
  });
  it('recognises the parts of a record block', () => {
    const block = new RegExp(grammar.repository.block.begin);
    assert.equal('resource "dreamhost_dns_record" "www" {'.match(block)[1], 'resource');
    const attribute = new RegExp(grammar.repository.attribute.match);
    assert.equal('  record = "www.example.com"'.match(attribute)[1], 'record');
    assert.equal('  a == b'.match(attribute), null);
    const heredoc = new RegExp(grammar.repository.heredoc.begin);
    assert.equal('value = <<-EOT'.match(heredoc)[2], 'EOT');
  });
});
