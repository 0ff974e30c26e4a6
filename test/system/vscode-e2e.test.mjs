// The extension in a real VS Code: code-server (installed by
// scripts/install-code-server.sh) with the packaged .vsix, driven by
// playwright-core and Debian's Chromium. Screenshots go to test-artifacts/.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { NAMED, startBind } from '../support/bind.mjs';
import { startDreamhostFake } from '../support/fake-servers.mjs';
import { startUpstreamRegistry } from '../support/fake-upstream-registry.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const codeServer = join(process.env.CODE_SERVER_DIR ?? join(homedir(), '.cache', 'code-server-e2e'), 'node_modules', '.bin', 'code-server');
const browserPath = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
const artifacts = join(root, 'test-artifacts');
const missing = [!existsSync(codeServer) && `code-server (run bash scripts/install-code-server.sh)`, !browserPath && 'Chromium (apt-get install chromium)'].filter(Boolean);
if (missing.length) process.stderr.write(`\n${'!'.repeat(72)}\n!! The VS Code end-to-end suite cannot run: missing ${missing.join(' and ')}.\n${'!'.repeat(72)}\n\n`);

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Starts code-server on a free port with these folders and Chromium on it; resolves once the workbench is shown. */
async function launch({ extensions, userData, workspace, trustFlags, env, log }) {
  const port = await freePort();
  let output = '';
  const server = spawn(
    codeServer,
    ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--extensions-dir', extensions, '--user-data-dir', userData, ...trustFlags, '--disable-telemetry', '--disable-update-check', workspace],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  const collect = (chunk) => {
    output += chunk;
    log?.(chunk);
  };
  server.stdout.on('data', collect);
  server.stderr.on('data', collect);
  for (let i = 0; i < 150 && !/HTTP server listening/.test(output); i++) await new Promise((resolve) => setTimeout(resolve, 200));
  assert.match(output, /HTTP server listening/, `code-server did not start:\n${output}`);
  const browser = await chromium.launch({
    executablePath: browserPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return { server, browser, page };
}

/** Stops what launch() started. */
async function shutDown({ server, browser }) {
  await browser?.close();
  if (server?.pid) {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {}
  }
}

describe('the extension in a real VS Code (code-server)', { skip: missing.length ? `missing ${missing.join(', ')}` : false, timeout: 300_000 }, () => {
  let work;
  let server;
  let browser;
  let page;
  let upstream;
  let dreamhost;
  let mirrorPort;
  let bind;
  let echo;
  let serverLog = '';
  const echoAddress = '93.184.216.61';

  const shot = async (name) => {
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, `vscode-${name}.png`) });
  };
  const statusBar = () => page.locator('#workbench\\.parts\\.statusbar');
  const runCommand = async (label) => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${label}`);
    // Enter runs the highlighted row: wait until it is the command asked for.
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: label }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
  };
  /** Reloads the window and waits for the new one, with the extension active again. */
  const reloadWindow = async () => {
    const loaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand('Developer: Reload Window');
    await loaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await statusBar().getByText('Mirror: stopped').waitFor({ timeout: 60_000 });
  };
  const showProblems = async () => {
    if (!(await page.locator('.markers-panel').isVisible())) await page.locator('#status\\.problems').click();
    await page.locator('.markers-panel').waitFor({ timeout: 30_000 });
  };
  const openFile = async (name) => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator(`.tab[aria-label^="${name}"]`).first().waitFor({ timeout: 15_000 });
  };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'shoreline-vscode-'));
    execFileSync(process.execPath, [join(root, 'scripts', 'package-vsix.mjs')], { cwd: root, stdio: 'inherit' });
    upstream = await startUpstreamRegistry();
    dreamhost = await startDreamhostFake({ records: [{ record: 'legacy.example.com', type: 'A', value: '192.0.2.99' }] });
    mirrorPort = await freePort();
    // The DDNS set-up publishes to a real BIND9; the watcher learns its address from this echo service.
    if (NAMED) bind = await startBind();
    echo = createHttpServer((request, response) => response.end(`${echoAddress}\n`));
    await new Promise((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const userData = join(work, 'user-data');
    const extensions = join(work, 'extensions');
    const workspace = join(work, 'examples');
    cpSync(join(root, 'examples'), workspace, { recursive: true });
    // A plain AWS project, as most are: nothing Shoreline checks beyond Terraform itself, and valid.
    mkdirSync(join(workspace, 'aws-plain'));
    writeFileSync(
      join(workspace, 'aws-plain', 'main.tf'),
      'variable "region" {\n  type = string\n}\n\nvariable "tags" {\n  type    = map(string)\n  default = {}\n}\n\nprovider "aws" {\n  region = var.region\n}\n\nresource "aws_s3_bucket" "logs" {\n  bucket = "example-logs"\n  tags   = var.tags\n}\n',
    );
    writeFileSync(join(workspace, 'aws-plain', 'terraform.tfvars'), 'region = "eu-west-1"\n\ntags = {\n  team = "platform"\n  env  = "prod"\n}\n');
    writeFileSync(join(workspace, 'dreamhost-site', 'probe.tf'), 'resource "dreamhost_dns_record" "probe" {\n  record = "probe.example.com"\n  type   = ""\n  value  = "192.0.2.1"\n}\n');
    mkdirSync(join(userData, 'User'), { recursive: true });
    writeFileSync(
      join(userData, 'User', 'settings.json'),
      JSON.stringify({
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'shoreline.mirror.port': mirrorPort,
        'shoreline.mirror.cacheFolder': join(work, 'mirror-cache'),
        'shoreline.mirror.upstreams': [`registry.terraform.io=${upstream.url}`],
        'shoreline.ddns.records': ['home.example.com'],
        'editor.quickSuggestions': { other: 'on', comments: 'off', strings: 'on' },
      }),
    );
    execFileSync(codeServer, ['--install-extension', join(root, 'shoreline.vsix'), '--extensions-dir', extensions, '--user-data-dir', userData], { stdio: 'pipe' });
    ({ server, browser, page } = await launch({
      extensions,
      userData,
      workspace,
      trustFlags: ['--disable-workspace-trust'],
      env: { SHORELINE_LIVE_REGISTRY: 'off', SHORELINE_DREAMHOST_API_URL: dreamhost.url, DDNS_IP_URLS: `http://127.0.0.1:${echo.address().port}/ip` },
      log: (chunk) => (serverLog += chunk),
    }));
  });

  after(async () => {
    if (page) await shot('final').catch(() => {});
    await shutDown({ server, browser });
    await upstream?.close();
    await dreamhost?.close();
    await bind?.stop();
    echo?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('shows the mirror and DDNS status bar items', async () => {
    await statusBar().getByText('Mirror: stopped').waitFor({ timeout: 60_000 });
    await statusBar().getByText('DDNS: stopped').waitFor();
    await shot('status-bar');
  });

  it('shows a service’s status item only while it is configured (or running)', async () => {
    const file = join(work, 'user-data', 'User', 'settings.json');
    const original = readFileSync(file, 'utf8');
    const withoutDdns = Object.fromEntries(Object.entries(JSON.parse(original)).filter(([key]) => !key.startsWith('shoreline.ddns.')));
    writeFileSync(file, JSON.stringify(withoutDdns));
    try {
      await reloadWindow();
      assert.equal(await statusBar().getByText('DDNS: stopped').count(), 0, 'no DDNS item in a workspace that has not set it up');
      await shot('status-bar-quiet');
    } finally {
      writeFileSync(file, original);
    }
    await reloadWindow();
    await statusBar().getByText('DDNS: stopped').waitFor({ timeout: 30_000 });
  });

  it('lists the expected diagnostics in the Problems panel', async () => {
    await showProblems();
    const panel = page.locator('.markers-panel');
    await panel.getByText('is a CNAME and also has a TXT record', { exact: false }).first().waitFor({ timeout: 60_000 });
    await shot('problems');
    // The list is virtualised: filter it to see problems further down (Pulumi YAML, .lagoon.yml, the Python program).
    const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
    for (const text of ["'CAA' is not a record type DreamHost accepts", "'runtim' is not accepted", 'is above the largest day of week', "'chanel' is not an argument of NotificationSlack"]) {
      await filter.fill(text);
      await panel.getByText(text, { exact: false }).first().waitFor({ timeout: 60_000 });
    }
    await shot('problems-filtered');
    await filter.fill('');
  });

  it('offers the record types when completing type in a record block', async () => {
    await openFile('probe.tf');
    // The server has the file once it reports the empty type.
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
    await page.locator('.monaco-editor textarea').first().focus();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('3:12');
    await page.keyboard.press('Enter');
    // Retype the opening quote, as a user would: '"' is one of the server's trigger characters.
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('Delete');
    await page.keyboard.type('"');
    const suggest = page.locator('.editor-widget.suggest-widget');
    await suggest.waitFor({ state: 'visible', timeout: 30_000 });
    for (const type of ['AAAA', 'CNAME', 'MX', 'TXT']) await suggest.locator('.monaco-list-row', { hasText: type }).first().waitFor({ timeout: 15_000 });
    await shot('completion');
    await page.keyboard.press('Escape');
    await suggest.waitFor({ state: 'hidden' });
    // Explicitly, with the keyboard shortcut.
    await page.keyboard.press('Control+Space');
    await suggest.locator('.monaco-list-row', { hasText: 'CNAME' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
  });

  it('keeps the DreamHost API key in secret storage and the server uses it for live diagnostics', async () => {
    await runCommand('Shoreline: Set DreamHost API Key');
    const input = page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('TESTKEY123');
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts').getByText('credential saved', { exact: false }).first().waitFor({ timeout: 30_000 });
    await showProblems();
    const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
    await filter.fill('legacy.example.com');
    await page.locator('.markers-panel').getByText('DreamHost has the A record legacy.example.com', { exact: false }).first().waitFor({ timeout: 60_000 });
    await shot('live-diagnostic');
    await filter.fill('');
    assert.ok(
      dreamhost.state.requests.some((request) => request.cmd === 'dns-list_records' && request.key === 'TESTKEY123'),
      'the server called DreamHost with the key',
    );
    assert.ok(!readFileSync(join(work, 'user-data', 'User', 'settings.json'), 'utf8').includes('TESTKEY123'), 'the key is not in settings.json');
  });

  it('starts the registry mirror from the command palette: the item changes and /healthz answers', async () => {
    await runCommand('Shoreline: Start Registry Mirror');
    await statusBar().getByText(`Mirror :${mirrorPort}`).waitFor({ timeout: 60_000 });
    await shot('mirror-running');
    const certificate = readFileSync(join(work, 'mirror-cache', 'tls', 'localhost.crt'));
    const health = await new Promise((resolve, reject) => {
      request(`https://localhost:${mirrorPort}/healthz`, { ca: certificate }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode, body: JSON.parse(body) }));
      })
        .on('error', reject)
        .end();
    });
    assert.equal(health.status, 200);
    assert.equal(health.body.storage.state, 'ok');
    assert.equal(health.body.upstreams['registry.terraform.io'], 'ok');
    // While it runs, the palette offers Stop, not Start.
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Shoreline: St');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Stop Registry Mirror' }).first().waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Start Registry Mirror' }).count(), 0, 'no Start while running');
    await page.keyboard.press('Escape');
    await runCommand('Shoreline: Stop Registry Mirror');
    await statusBar().getByText('Mirror: stopped').waitFor({ timeout: 30_000 });
  });

  it('offers another port when the mirror’s port is in use, and starts there', async () => {
    const squatter = createServer().listen(mirrorPort, '127.0.0.1');
    await new Promise((resolve) => squatter.once('listening', resolve));
    try {
      await runCommand('Shoreline: Start Registry Mirror');
      const toast = page
        .locator('.notifications-toasts .notification-toast')
        .filter({ hasText: `port ${mirrorPort} is in use` })
        .first();
      await toast.waitFor({ timeout: 60_000 });
      await shot('mirror-port-in-use');
      await toast.getByRole('button', { name: 'Use Another Port' }).click();
      await statusBar()
        .getByText(/Mirror :\d+/)
        .waitFor({ timeout: 60_000 });
      const shown = Number(
        /Mirror :(\d+)/.exec(
          await statusBar()
            .getByText(/Mirror :\d+/)
            .first()
            .innerText(),
        )[1],
      );
      assert.notEqual(shown, mirrorPort);
      assert.equal(JSON.parse(readFileSync(join(work, 'user-data', 'User', 'settings.json'), 'utf8'))['shoreline.mirror.port'], shown, 'the new port is saved');
      await runCommand('Shoreline: Stop Registry Mirror');
      await statusBar().getByText('Mirror: stopped').waitFor({ timeout: 30_000 });
    } finally {
      squatter.close();
    }
  });

  it('says every DDNS configuration problem in the toast, naming settings and commands, not variables', async () => {
    const file = join(work, 'user-data', 'User', 'settings.json');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(original), 'shoreline.ddns.provider': 'rfc2136' }));
    try {
      await reloadWindow();
      await statusBar().getByText('DDNS: stopped').waitFor({ timeout: 60_000 });
      await runCommand('Shoreline: Start DDNS Watcher');
      const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'Shoreline DDNS' }).first();
      await toast.waitFor({ timeout: 60_000 });
      await shot('ddns-configuration');
      const text = await toast.innerText();
      for (const expected of ['shoreline.ddns.rfc2136.server is not set', 'shoreline.ddns.rfc2136.keyName is not set', 'the secret (Shoreline: Set DDNS Secret) is not set'])
        assert.ok(text.includes(expected), `${expected} in: ${text}`);
      assert.ok(!/RFC2136_|DDNS_/.test(text), `no variable names in: ${text}`);
    } finally {
      writeFileSync(file, original);
    }
    await reloadWindow();
  });

  it('offers a Getting Started walkthrough', async () => {
    await runCommand('Welcome: Open Walkthrough...');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get Started with Shoreline' }).first().click({ timeout: 15_000 });
    await page.getByText('Compare with your accounts').first().waitFor({ timeout: 30_000 });
    await page.getByText('Keep a name at this machine').first().waitFor();
    await shot('walkthrough');
    await page.keyboard.press('Control+W');
  });

  /** The language status hover (the {} item beside the language mode), opened and read. */
  const languageStatus = async () => {
    // Forced: a notification toast may lie over the status bar's right end.
    await page
      .locator('#status\\.languageStatus')
      .click({ force: true })
      .catch(async (error) => {
        await shot('language-status-missing');
        throw error;
      });
    const hover = page.locator('.monaco-hover, .context-view').filter({ hasText: 'Shoreline' }).first();
    await hover.waitFor({ timeout: 15_000 });
    return hover;
  };
  const serverProcesses = () => {
    try {
      return execFileSync('pgrep', ['-f', 'dist/shoreline.mjs lsp'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };

  it('names the language server and its state in a language status item; Restart Language Server brings it back', async () => {
    await openFile('probe.tf');
    const hover = await languageStatus();
    await hover.getByText('Shoreline: running').waitFor({ timeout: 30_000 });
    // What the server knows: the files it indexed, and the live lookups (DreamHost's key was stored above).
    await hover.getByText(/\d+ files · live lookups: DreamHost on, Lagoon off, registry off/).waitFor({ timeout: 30_000 });
    await shot('language-status');
    await page.keyboard.press('Escape');
    const before = serverProcesses();
    assert.equal(before.length, 1, `one language server: ${before}`);
    await runCommand('Shoreline: Restart Language Server');
    for (let i = 0; i < 100 && (serverProcesses().length !== 1 || serverProcesses()[0] === before[0]); i++) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.notEqual(serverProcesses()[0], before[0], 'a new server process');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
  });

  it('stays visibly failed, with a Restart action, after the server is killed again and again', async () => {
    for (let kill = 0; kill < 5; kill++) {
      let pids = [];
      for (let i = 0; i < 100 && (pids = serverProcesses()).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 200));
      if (pids.length === 0) break; // given up already
      execFileSync('kill', ['-9', ...pids]);
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    const toast = page.locator('.notifications-toasts').getByText('is not restarted: files are not checked', { exact: false }).first();
    await toast.waitFor({ timeout: 30_000 });
    await shot('server-failed');
    const hover = await languageStatus();
    await hover.getByText('Shoreline: failed').waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
    assert.deepEqual(serverProcesses(), [], 'not restarted behind the user’s back');
    await runCommand('Shoreline: Restart Language Server');
    for (let i = 0; i < 100 && serverProcesses().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(serverProcesses().length, 1);
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
    // The item belongs to the active Terraform editor: make sure it is the one in front (the restart may have shown the output).
    await openFile('probe.tf');
    const after = await languageStatus();
    await after.getByText('Shoreline: running').waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
  });

  it('shows no problems in a plain AWS project with a terraform.tfvars, which opens as terraform-vars', async () => {
    await openFile('terraform.tfvars');
    await statusBar().getByText('Terraform Variables').first().waitFor({ timeout: 30_000 });
    const hover = await languageStatus();
    await hover.getByText('Shoreline: running').waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    await openFile('main.tf');
    // The server has analysed the folder once the probe's error elsewhere is listed; give these files the same time.
    await showProblems();
    const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
    await filter.fill('aws-plain');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await shot('aws-plain');
    assert.equal(await page.locator('.markers-panel .monaco-list-row').count(), 0, 'no problem in aws-plain/');
    assert.equal(await page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning').count(), 0);
    await filter.fill('');
  });

  /** The quick input of a multi-step command, at the step whose title or prompt says `expected`; fills it and accepts. */
  const answer = async (expected, value) => {
    const widget = page.locator('.quick-input-widget');
    // The step's title, prompt or (a quick pick's) placeholder.
    await widget
      .filter({ hasText: expected })
      .or(widget.locator(`input[placeholder*="${expected}"]`))
      .first()
      .waitFor({ timeout: 15_000 });
    await widget.locator('input').first().fill(value);
    // A quick pick accepts the highlighted row: wait until the filter has left the wanted one first.
    const rows = widget.locator('.quick-input-list .monaco-list-row');
    if ((await rows.count()) > 0) await widget.locator('.quick-input-list .monaco-list-row.focused', { hasText: value }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
  };

  it('sets up DDNS from nothing to a watcher publishing to BIND9: provider, records, server, key, secret, address source', { skip: NAMED ? false : 'named is not installed' }, async () => {
    const file = join(work, 'user-data', 'User', 'settings.json');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(original)).filter(([key]) => !key.startsWith('shoreline.ddns.')))));
    try {
      await reloadWindow();
      await runCommand('Shoreline: Set Up DDNS');
      await answer('(1/5)', 'rfc2136');
      await answer('(2/5)', 'e2e.example.test');
      await answer('the zone’s primary', `127.0.0.1:${bind.port}`);
      await answer('TSIG key’s name', 'ddns-key');
      await answer('algorithm', 'hmac-sha256');
      await shot('ddns-setup-secret');
      await answer('(4/5)', bind.keys['ddns-key'].secret);
      await answer('(5/5)', 'http');
      const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'Shoreline DDNS is set up' }).first();
      await toast.waitFor({ timeout: 30_000 });
      await toast.getByRole('button', { name: 'Start DDNS Watcher' }).click();
      let published = [];
      for (let i = 0; i < 150 && published[0] !== echoAddress; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        published = await bind.lookup('e2e.example.test');
      }
      assert.deepEqual(published, [echoAddress], 'BIND holds the address the watcher learnt');
      await shot('ddns-setup-running');
      const saved = JSON.parse(readFileSync(file, 'utf8'));
      assert.equal(saved['shoreline.ddns.provider'], 'rfc2136');
      assert.deepEqual(saved['shoreline.ddns.records'], ['e2e.example.test']);
      assert.equal(saved['shoreline.ddns.rfc2136.server'], `127.0.0.1:${bind.port}`);
      assert.ok(!readFileSync(file, 'utf8').includes(bind.keys['ddns-key'].secret), 'the secret is not in settings.json');
      await runCommand('Shoreline: Stop DDNS Watcher');
      await statusBar().getByText('DDNS: stopped').waitFor({ timeout: 30_000 });
    } finally {
      writeFileSync(file, original);
    }
    await reloadWindow();
  });

  it('sets up the registry mirror: a port in use refused with a free one named, then HTTPS, upstreams, cache; it starts there', async () => {
    const file = join(work, 'user-data', 'User', 'settings.json');
    const original = readFileSync(file, 'utf8');
    const squatter = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => squatter.once('listening', resolve));
    const port = await freePort();
    try {
      await runCommand('Shoreline: Set Up Registry Mirror');
      const widget = page.locator('.quick-input-widget');
      await widget.filter({ hasText: '(1/4)' }).waitFor({ timeout: 15_000 });
      await widget.locator('input').first().fill(String(squatter.address().port));
      await widget.getByText(`Port ${squatter.address().port} is in use`, { exact: false }).waitFor({ timeout: 15_000 });
      await shot('mirror-setup-port');
      await widget.locator('input').first().fill(String(port));
      await widget.getByText('is in use', { exact: false }).waitFor({ state: 'hidden', timeout: 15_000 });
      await page.keyboard.press('Enter');
      await answer('How the mirror serves', 'HTTPS');
      await answer('(3/4)', `registry.terraform.io=${upstream.url}`);
      await answer('Where the mirror caches', 'In VS Code');
      const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'registry mirror is set up' }).first();
      await toast.waitFor({ timeout: 30_000 });
      await toast.getByRole('button', { name: 'Start Registry Mirror' }).click();
      await statusBar().getByText(`Mirror :${port}`).waitFor({ timeout: 60_000 });
      const saved = JSON.parse(readFileSync(file, 'utf8'));
      assert.equal(saved['shoreline.mirror.port'], port);
      assert.deepEqual(saved['shoreline.mirror.upstreams'], [`registry.terraform.io=${upstream.url}`]);
      await runCommand('Shoreline: Stop Registry Mirror');
      await statusBar().getByText('Mirror: stopped').waitFor({ timeout: 30_000 });
    } finally {
      squatter.close();
      writeFileSync(file, original);
    }
  });

  /** The TextMate scopes at the cursor, from Developer: Inspect Editor Tokens and Scopes. */
  const scopesAtCursor = async () => {
    await runCommand('Developer: Inspect Editor Tokens and Scopes');
    // The widget fills in once the line is tokenized: wait for a scope.
    const widget = page.locator('.token-inspect-widget').filter({ hasText: /source\./ });
    await widget.waitFor({ timeout: 15_000 });
    const text = await widget.innerText();
    await page.keyboard.press('Escape');
    return text;
  };
  const cursorOnResource = async () => {
    await openFile('probe.tf');
    await page.locator('.monaco-editor textarea').first().focus();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('1:3');
    await page.keyboard.press('Enter');
  };

  it('leaves colouring and language configuration to HashiCorp’s extension once it is installed: our grammar absent, diagnostics ours', async () => {
    await cursorOnResource();
    const standalone = await scopesAtCursor();
    assert.match(standalone, /source\.shoreline\.terraform/, `standalone: our grammar, in ${standalone}`);
    // A stand-in of HashiCorp's extension: its id, its two languages, a grammar of its scope name.
    const stub = join(work, 'hashicorp-stub');
    mkdirSync(join(stub, 'syntaxes'), { recursive: true });
    writeFileSync(join(stub, 'syntaxes', 'terraform.tmGrammar.json'), JSON.stringify({ scopeName: 'source.hcl.terraform', patterns: [{ match: '\\b[a-z_]+\\b', name: 'keyword.stub' }] }));
    writeFileSync(join(stub, 'README.md'), 'A stand-in for end-to-end tests.\n');
    writeFileSync(join(stub, 'LICENSE'), 'MIT\n');
    writeFileSync(
      join(stub, 'package.json'),
      JSON.stringify({
        name: 'terraform',
        publisher: 'hashicorp',
        displayName: 'Terraform (stand-in)',
        version: '0.0.1',
        license: 'MIT',
        repository: 'https://example.com/stub',
        engines: { vscode: '^1.80.0' },
        contributes: {
          languages: [
            { id: 'terraform', aliases: ['Terraform'], extensions: ['.tf'] },
            { id: 'terraform-vars', extensions: ['.tfvars'] },
          ],
          grammars: ['terraform', 'terraform-vars'].map((language) => ({ language, scopeName: 'source.hcl.terraform', path: './syntaxes/terraform.tmGrammar.json' })),
        },
      }),
    );
    const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', join(work, 'hashicorp-stub.vsix')], { cwd: stub, stdio: 'pipe' });
    const installedManifest = () => {
      const folder = readdirSync(join(work, 'extensions')).find((name) => name.startsWith('shoreline.'));
      return JSON.parse(readFileSync(join(work, 'extensions', folder, 'package.json'), 'utf8'));
    };
    // Earlier tests' notifications would crowd the new one out of the toasts (VS Code shows three).
    await runCommand('Notifications: Clear All Notifications');
    // Installed as a user does, from the running window (an install from outside it is only seen after a restart).
    await runCommand('Extensions: Install from VSIX...');
    const path = page.locator('.quick-input-widget input');
    await path.waitFor({ state: 'visible', timeout: 15_000 });
    // The simple file dialog fills in its starting folder first: replace the path once it has listed it.
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 15_000 });
    await path.fill(join(work, 'hashicorp-stub.vsix'));
    await page.waitForFunction((expected) => document.querySelector('.quick-input-widget input')?.value === expected, join(work, 'hashicorp-stub.vsix'));
    // Its Install button: Enter may take the highlighted row of the listing instead.
    await page.locator('.quick-input-widget').getByRole('button', { name: 'Install' }).click();
    const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'leaves Terraform syntax colouring to HashiCorp' }).first();
    await toast.waitFor({ timeout: 60_000 });
    await shot('coexistence-notice');
    assert.equal(installedManifest().contributes.grammars, undefined, 'no grammar of ours in the installed manifest');
    assert.ok(
      installedManifest().contributes.languages.every((language) => language.configuration === undefined),
      'no language configuration of ours',
    );
    const loaded = page.waitForEvent('load', { timeout: 60_000 });
    await toast.getByRole('button', { name: 'Reload Window' }).click();
    await loaded;
    await statusBar().getByText('Mirror: stopped').waitFor({ timeout: 60_000 });
    await cursorOnResource();
    const scopes = await scopesAtCursor();
    assert.match(scopes, /source\.hcl\.terraform/, 'HashiCorp’s grammar colours .tf');
    assert.doesNotMatch(scopes, /source\.shoreline\.terraform/, 'ours is absent');
    // Diagnostics stay Shoreline's.
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
    await shot('coexistence-hashicorp');
  });
});

describe('the extension in an untrusted workspace (code-server, Restricted Mode)', { skip: missing.length ? `missing ${missing.join(', ')}` : false, timeout: 300_000 }, () => {
  let work;
  let running;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'shoreline-vscode-untrusted-'));
    if (!existsSync(join(root, 'shoreline.vsix'))) execFileSync(process.execPath, [join(root, 'scripts', 'package-vsix.mjs')], { cwd: root, stdio: 'inherit' });
    const userData = join(work, 'user-data');
    const extensions = join(work, 'extensions');
    const workspace = join(work, 'examples');
    cpSync(join(root, 'examples'), workspace, { recursive: true });
    mkdirSync(join(userData, 'User'), { recursive: true });
    // Trust on, as VS Code ships it: the folder is new, so VS Code asks.
    writeFileSync(
      join(userData, 'User', 'settings.json'),
      JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false, 'update.mode': 'none' }),
    );
    execFileSync(codeServer, ['--install-extension', join(root, 'shoreline.vsix'), '--extensions-dir', extensions, '--user-data-dir', userData], { stdio: 'pipe' });
    running = await launch({ extensions, userData, workspace, trustFlags: [], env: { SHORELINE_LIVE_REGISTRY: 'off' } });
  });
  after(async () => {
    if (running?.page) await running.page.screenshot({ path: join(artifacts, 'vscode-untrusted-final.png') }).catch(() => {});
    if (running) await shutDown(running);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('validates files but runs no mirror or watcher, and says how to trust the folder', async () => {
    const { page } = running;
    // The trust question: decline it, as a user opening a stranger's repository would.
    await page.getByRole('button', { name: /No, I don.t trust the authors/ }).click({ timeout: 60_000 });
    await page.locator('#workbench\\.parts\\.statusbar').getByText('Restricted Mode').first().waitFor({ timeout: 30_000 });
    if (!(await page.locator('.markers-panel').isVisible())) await page.locator('#status\\.problems').click();
    await page.locator('.markers-panel').getByText('is a CNAME and also has a TXT record', { exact: false }).first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Shoreline: Start Registry Mirror');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Start Registry Mirror' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts').getByText('runs the registry mirror only in a trusted workspace', { exact: false }).first().waitFor({ timeout: 30_000 });
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'vscode-untrusted.png') });
    let mirrors = '';
    try {
      mirrors = execFileSync('pgrep', ['-f', 'shoreline.mjs mirror'], { encoding: 'utf8' });
    } catch {}
    assert.equal(mirrors.trim(), '', 'no mirror process');
  });
});
