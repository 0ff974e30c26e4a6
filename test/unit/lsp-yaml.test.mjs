import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LspClient, uriOf } from '../support/lsp-client.mjs';

const PROGRAM = `name: shop
runtime: yaml
resources:
  shop:
    type: lagoon:lagoon:Project
    properties:
      name: shop
      gitUrl: git@github.com:example/shop.git
      deploytargetId: 1
  key:
    type: lagoon:lagoon:Variable
    properties:
      name: API_KEY
      value: plain
      projectId: \${shop.lagoonId}
      scope: runtime
`;
const LAGOON_YML = 'environments:\n  main:\n    cronjobs:\n      - name: cron\n        schedule: "61 * * * *"\n        command: drush cron\n        service: cli\n';

let root;
let client;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'shoreline-lsp-yaml-'));
  writeFileSync(join(root, 'Pulumi.yaml'), PROGRAM);
  writeFileSync(join(root, '.lagoon.yml'), LAGOON_YML);
  client = await LspClient.start({ root });
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('language server: Pulumi YAML and .lagoon.yml', () => {
  const program = () => uriOf(join(root, 'Pulumi.yaml'));
  const lagoonYml = () => uriOf(join(root, '.lagoon.yml'));

  it('publishes diagnostics for YAML configurations found in the workspace', async () => {
    const programFindings = await client.waitForDiagnostics(program(), (d) => d.length > 0);
    assert.deepEqual(
      programFindings.map((d) => `${d.code}@${d.range.start.line}`),
      ['lagoon/secret-in-plain-text@13'],
    );
    const cron = await client.waitForDiagnostics(lagoonYml(), (d) => d.length > 0);
    assert.deepEqual(
      cron.map((d) => `${d.code}@${d.range.start.line}`),
      ['lagoon-yml/cron-invalid@4'],
    );
  });

  it('outlines Pulumi programs and .lagoon.yml: keys nested as written, resources with their type, list items by name', async () => {
    const names = (symbols) => symbols.map((symbol) => [symbol.name, symbol.detail, symbol.children ? names(symbol.children) : undefined].filter((part) => part !== undefined));
    client.open(lagoonYml(), LAGOON_YML, 1);
    const lagoon = await client.request('textDocument/documentSymbol', { textDocument: { uri: lagoonYml() } });
    assert.deepEqual(names(lagoon), [
      [
        'environments',
        [
          [
            'main',
            [
              [
                'cronjobs',
                [
                  [
                    'cron',
                    [
                      ['name', 'cron'],
                      ['schedule', '61 * * * *'],
                      ['command', 'drush cron'],
                      ['service', 'cli'],
                    ],
                  ],
                ],
              ],
            ],
          ],
        ],
      ],
    ]);
    assert.deepEqual(lagoon[0].selectionRange, { start: { line: 0, character: 0 }, end: { line: 0, character: 12 } });
    client.open(program(), PROGRAM, 1);
    const pulumi = await client.request('textDocument/documentSymbol', { textDocument: { uri: program() } });
    assert.deepEqual(
      pulumi.map((symbol) => symbol.name),
      ['name', 'runtime', 'resources'],
    );
    assert.deepEqual(
      pulumi[2].children.map((symbol) => [symbol.name, symbol.detail]),
      [
        ['shop', 'lagoon:lagoon:Project'],
        ['key', 'lagoon:lagoon:Variable'],
      ],
    );
  });

  it('tells the client what it knows for its status item: the files indexed and each live lookup’s state', async () => {
    for (let i = 0; i < 100 && client.statuses.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const status = client.statuses.at(-1);
    assert.ok(status, 'a shoreline/status notification');
    assert.ok(status.files >= 2, `the two YAML configurations at least: ${JSON.stringify(status)}`);
    assert.ok(Array.isArray(status.live) && status.live.every((source) => ['off', 'ok', 'failing'].includes(source.state)));
  });

  it('re-validates an open program as it changes', async () => {
    const uri = program();
    client.open(uri, PROGRAM, 1);
    const fixed = client.waitForDiagnostics(uri, (d) => d.length === 0);
    client.change(uri, 2, [{ range: { start: { line: 13, character: 13 }, end: { line: 13, character: 18 } }, text: '${apiKey}' }]);
    const stillWrong = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'lagoon/unknown-reference'));
    assert.ok(stillWrong.length > 0);
    client.change(uri, 3, [{ range: { start: { line: 13, character: 13 }, end: { line: 13, character: 22 } }, text: '\n        fn::secret: plain' }]);
    await fixed;
  });

  it('completes type tokens, properties and enum values in a program', async () => {
    const uri = program();
    const text = `${PROGRAM}  env:\n    type: \n    properties:\n      deployType: \n`;
    client.change(uri, 4, [{ text }]);
    const at = (line, character) => client.request('textDocument/completion', { textDocument: { uri }, position: { line, character } });
    const lines = text.split('\n');
    const typeLine = lines.indexOf('    type: ');
    const tokens = await at(typeLine, 10);
    assert.ok(tokens.some((item) => item.label === 'lagoon:lagoon:Environment'));
    const deployType = await at(typeLine + 2, 18);
    assert.deepEqual(deployType, []); // the resource has no type yet
    const scope = await at(15, 13);
    assert.deepEqual(
      scope.map((item) => item.label),
      ['build', 'runtime', 'global', 'container_registry', 'internal_container_registry'],
    );
    // A new line in the project's properties: the properties not yet set, documented.
    client.change(uri, 5, [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: '      \n' }]);
    const properties = await at(9, 6);
    const labels = properties.map((item) => item.label);
    assert.ok(labels.includes('productionEnvironment') && labels.includes('branches'));
    assert.ok(!labels.includes('name') && !labels.includes('gitUrl'));
    assert.match(properties.find((item) => item.label === 'autoIdle').textEdit.newText, /^autoIdle: \$\{1\|0,1\|\}$/);
  });

  it('hovers property documentation, saying when a change replaces the resource', async () => {
    const uri = program();
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 8 } });
    assert.match(hover.contents.value, /\*\*name\*\* \(Project\).*changing it replaces the resource/);
    const type = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 12 } });
    assert.match(type.contents.value, /lagoon:lagoon:Project/);
  });

  it('completes .lagoon.yml keys', async () => {
    const uri = lagoonYml();
    const text = 'environments:\n  main:\n    \n';
    client.open(uri, text, 1);
    const items = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 4 } });
    assert.ok(['routes', 'cronjobs', 'types', 'autogenerateRoutes'].every((key) => items.some((item) => item.label === key)));
  });

  it('shuts down cleanly', async () => {
    assert.equal(await client.stop(), 0);
    assert.deepEqual(client.errors(), []);
  });
});
