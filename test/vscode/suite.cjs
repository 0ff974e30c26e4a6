// Runs inside the VS Code extension host (see run.mjs): the scenarios of
// test/system/vscode-e2e.test.mjs through the VS Code API.
const assert = require('node:assert/strict');
const https = require('node:https');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const vscode = require('vscode');

const wait = async (what, predicate, timeoutMs = 60_000) => {
  const started = Date.now();
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

exports.run = async function run() {
  const config = vscode.workspace.getConfiguration('shoreline');
  await config.update('mirror.port', 18787, vscode.ConfigurationTarget.Global);
  await config.update('mirror.cacheFolder', process.env.SHORELINE_E2E_MIRROR_CACHE, vscode.ConfigurationTarget.Global);
  const extension = vscode.extensions.getExtension('shoreline.shoreline');
  await extension.activate();

  const commands = await vscode.commands.getCommands(true);
  for (const id of [
    'shoreline.startMirror',
    'shoreline.stopMirror',
    'shoreline.configureTerraform',
    'shoreline.startDdns',
    'shoreline.stopDdns',
    'shoreline.updateDnsNow',
    'shoreline.showMirrorLog',
    'shoreline.showDdnsLog',
    'shoreline.setDreamhostApiKey',
    'shoreline.setLagoonToken',
    'shoreline.refreshLiveData',
    'shoreline.validateWorkspace',
  ])
    assert.ok(commands.includes(id), `${id} is registered`);

  // Problems: the record conflicts of examples/dreamhost-site.
  const folder = vscode.workspace.workspaceFolders[0].uri;
  const records = vscode.Uri.joinPath(folder, 'dreamhost-site', 'records.tf');
  await wait('diagnostics for records.tf', () => vscode.languages.getDiagnostics(records).some((d) => /is a CNAME and also has a TXT record/.test(d.message)));

  // Completion of record types.
  const probe = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'dreamhost-site', 'probe.tf'));
  await vscode.window.showTextDocument(probe);
  const list = await wait('completion items', async () => {
    const result = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', probe.uri, new vscode.Position(2, 12));
    return result.items.length > 0 && result;
  });
  for (const type of ['A', 'AAAA', 'CNAME', 'MX', 'TXT'])
    assert.ok(
      list.items.some((item) => (item.label.label ?? item.label) === type),
      `completion offers ${type}`,
    );

  // Tasks: the provider offers both background tasks.
  const tasks = await vscode.tasks.fetchTasks({ type: 'shoreline' });
  assert.deepEqual(tasks.map((task) => task.definition.task).sort(), ['ddns', 'mirror']);

  // The mirror: start it, /healthz answers over HTTPS with its own certificate, stop it.
  await vscode.commands.executeCommand('shoreline.startMirror');
  const certificate = join(process.env.SHORELINE_E2E_MIRROR_CACHE, 'tls', 'localhost.crt');
  const health = await wait(
    'the mirror /healthz',
    () =>
      new Promise((resolve) => {
        https
          .get('https://localhost:18787/healthz', { ca: readFileSync(certificate) }, (response) => {
            let body = '';
            response.on('data', (chunk) => (body += chunk));
            response.on('end', () => resolve(response.statusCode === 200 && JSON.parse(body)));
          })
          .on('error', () => resolve(false));
      }),
  );
  assert.equal(health.storage.state, 'ok');
  await vscode.commands.executeCommand('shoreline.stopMirror');
};
