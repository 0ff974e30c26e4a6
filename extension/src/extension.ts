import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { documentSelector } from '../../core/src/kinds/index.js';
import { ShorelineNotifications, ShorelineRequests, type ShorelineInitializationOptions, type ShorelineServerStatus } from '../../core/src/language/protocol.js';
import { terraformCliConfig } from '../../core/src/mirror/cli-config.js';
import { reconcileContributions } from './coexistence.js';
import { setUpDdns, setUpMirror } from './setup.js';
import { BackgroundService, type LaunchPlan } from './services.js';

let client: LanguageClient | undefined;

/** Crashes within this window count towards giving up (as vscode-languageclient's own handler: 5 in 3 minutes). */
const CRASH_WINDOW_MS = 3 * 60_000;
const CRASHES_BEFORE_GIVING_UP = 5;

/**
 * The language server's state where users look for it: a language status
 * item (as vscode-eslint's) naming Shoreline, its state, version, the files
 * it knows and its live lookups, with Restart and Show Output (Refresh Live
 * Data while a lookup fails); after repeated crashes it stays in an error
 * state with a Restart action instead of vanishing.
 */
class ServerStatus implements vscode.Disposable {
  readonly item: vscode.LanguageStatusItem;
  private crashes: number[] = [];
  private state: Parameters<ServerStatus['show']>[0] = 'starting';
  private known: ShorelineServerStatus | undefined;
  constructor(private readonly version: string) {
    this.item = vscode.languages.createLanguageStatusItem('shoreline.server', documentSelector());
    this.item.name = 'Shoreline';
    this.show('starting');
  }

  show(state: 'starting' | 'running' | 'restarting' | 'stopped' | 'failed', detail?: string): void {
    const texts = { starting: 'starting', running: 'running', restarting: 'restarting after a crash', stopped: 'stopped', failed: 'failed' };
    this.state = state;
    if (state !== 'running') this.known = undefined;
    const failing = this.known?.live.filter((source) => source.state === 'failing') ?? [];
    this.item.text = `Shoreline: ${texts[state]}`;
    this.item.detail = detail ?? [`language server ${this.version}`, ...(this.known ? [`${this.known.files} files`, liveSummary(this.known.live)] : [])].join(' · ');
    this.item.busy = state === 'starting' || state === 'restarting';
    this.item.severity =
      state === 'failed' || state === 'stopped' ? vscode.LanguageStatusSeverity.Error : failing.length ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    this.item.command =
      state !== 'running'
        ? { title: 'Restart', command: 'shoreline.restartServer' }
        : failing.length
          ? { title: 'Refresh Live Data', command: 'shoreline.refreshLiveData', tooltip: failing.map((source) => `${source.name}: ${source.error ?? 'failing'}`).join('\n') }
          : { title: 'Show Output', command: 'shoreline.showServerOutput' };
  }

  /** What the server says it knows (files, live lookups), shown while it runs. */
  update(known: ShorelineServerStatus): void {
    this.known = known;
    if (this.state === 'running') this.show('running');
  }

  /** Records a crash; true when the server should be started again. */
  crashed(now = Date.now()): boolean {
    this.crashes = [...this.crashes.filter((at) => now - at < CRASH_WINDOW_MS), now];
    return this.crashes.length < CRASHES_BEFORE_GIVING_UP;
  }

  reset(): void {
    this.crashes = [];
  }

  dispose(): void {
    this.item.dispose();
  }
}
let serverStatus: ServerStatus | undefined;
/** Whether the user has been told this window that live lookups are unavailable. */
let liveNoticeShown = false;

/** Credentials live in VS Code's SecretStorage, never in settings.json; processes get them in their environment only. */
const SECRETS = {
  dreamhost: { key: 'shoreline.dreamhostApiKey', variable: 'DREAMHOST_API_KEY', prompt: 'DreamHost API key (from the DreamHost panel, with the dns-* functions enabled); empty to remove it' },
  lagoon: { key: 'shoreline.lagoonToken', variable: 'LAGOON_TOKEN', prompt: 'Lagoon API token; empty to remove it' },
} as const;
const DDNS_SECRET = 'shoreline.ddnsSecret';

interface MirrorStats {
  hitRatio: number;
  HIT: number;
  MISS: number;
  STALE: number;
  cacheObjects: number;
  cacheBytes: number;
}

function settings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('shoreline');
}

/**
 * Whether the user has set any of a service's settings (shoreline.mirror.*,
 * shoreline.ddns.*), in any scope: a workspace with only .tf files does not
 * get status items for services nobody asked for.
 */
function configured(context: vscode.ExtensionContext, section: 'mirror' | 'ddns'): boolean {
  const properties = (context.extension.packageJSON as { contributes?: { configuration?: { properties?: Record<string, unknown> } | { properties?: Record<string, unknown> }[] } }).contributes
    ?.configuration;
  const keys = (Array.isArray(properties) ? properties : [properties]).flatMap((group) => Object.keys(group?.properties ?? {}));
  const config = settings();
  return keys
    .filter((key) => key.startsWith(`shoreline.${section}.`))
    .some((key) => {
      const value = config.inspect(key.slice('shoreline.'.length));
      return value?.globalValue !== undefined || value?.workspaceValue !== undefined || value?.workspaceFolderValue !== undefined;
    });
}

function mirrorCacheFolder(context: vscode.ExtensionContext): string {
  return settings().get<string>('mirror.cacheFolder') || join(context.globalStorageUri.fsPath, 'mirror');
}

function mirrorUrl(): string {
  return `${settings().get<boolean>('mirror.https', true) ? 'https' : 'http'}://localhost:${settings().get<number>('mirror.port', 8787)}`;
}

async function serverEnvironment(context: vscode.ExtensionContext, viaMirror: boolean): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // An untrusted workspace is validated, nothing more: no credentials, no lookups on the network.
  if (!vscode.workspace.isTrusted) return { ...env, SHORELINE_LIVE_REGISTRY: 'off' };
  for (const secret of Object.values(SECRETS)) {
    const value = await context.secrets.get(secret.key);
    if (value) env[secret.variable] = value;
  }
  // Provider version lookups go through the local mirror while it runs (the server falls back to the registry when it is down).
  if (viaMirror) {
    env['SHORELINE_MIRROR_URL'] = mirrorUrl();
    const certificate = join(mirrorCacheFolder(context), 'tls', 'localhost.crt');
    if (existsSync(certificate)) env['SHORELINE_MIRROR_CA'] = certificate;
  }
  return env;
}

async function startClient(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel, viaMirror: boolean): Promise<void> {
  const server = context.asAbsolutePath('dist/shoreline.mjs');
  const env = await serverEnvironment(context, viaMirror);
  const serverOptions: ServerOptions = {
    run: { module: server, args: ['lsp'], transport: TransportKind.ipc, options: { env } },
    debug: { module: server, args: ['lsp'], transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // The kinds of file Shoreline analyses, by name whatever language another extension gives them (core/src/kinds).
    documentSelector: documentSelector(),
    // The server pulls the "shoreline" settings and registers its own file watchers.
    outputChannel,
    // With HashiCorp's Terraform extension installed, formatting and the other general Terraform features are its own: never two formatters.
    initializationOptions: { terraformFeatures: vscode.extensions.getExtension('hashicorp.terraform') === undefined, liveNoticeShown } satisfies ShorelineInitializationOptions,
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        if (serverStatus?.crashed() !== false) {
          serverStatus?.show('restarting');
          return { action: CloseAction.Restart };
        }
        serverStatus?.show('failed', `the language server stopped ${CRASHES_BEFORE_GIVING_UP} times in 3 minutes; see Show Server Output, then Restart`);
        void vscode.window
          .showErrorMessage(`Shoreline's language server stopped ${CRASHES_BEFORE_GIVING_UP} times in 3 minutes and is not restarted: files are not checked.`, 'Restart', 'Show Output')
          .then((choice) => choice && vscode.commands.executeCommand(choice === 'Restart' ? 'shoreline.restartServer' : 'shoreline.showServerOutput'));
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
  };
  client = new LanguageClient('shoreline', 'Shoreline', serverOptions, clientOptions);
  // Once per window: a restarted server is told the user knows already.
  client.onNotification(ShorelineNotifications.status, (known: ShorelineServerStatus) => serverStatus?.update(known));
  client.onNotification(ShorelineNotifications.liveNoticeShown, () => {
    liveNoticeShown = true;
  });
  client.onDidChangeState((event) => {
    if (event.newState === State.Running) serverStatus?.show('running');
  });
  const version = (context.extension.packageJSON as { version?: string }).version ?? '';
  const config = settings();
  outputChannel.info(
    `Shoreline ${version}: starting the language server (${server}); settings ${JSON.stringify({ validation: config.get('validation'), maxItemsComputed: config.get('maxItemsComputed'), liveLookupsViaMirror: config.get('mirror.useForLiveLookups') })}, live lookups ${viaMirror ? 'through the local mirror' : 'direct'}`,
  );
  try {
    await client.start();
  } catch (error) {
    // A server that dies while it initializes (killed, out of memory): said where the server's state is shown, not as a command's error dialog.
    const reason = (error as Error).message;
    outputChannel.error(`the language server did not start: ${reason}`);
    if (client.state !== State.Running) serverStatus?.show('failed', `the language server did not start (${reason}); see Show Server Output, then Restart`);
  }
}

/** A TCP port nothing listens on now, on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** GET a small JSON document from the local mirror, trusting its own certificate. */
function mirrorJson<T>(context: vscode.ExtensionContext, path: string): Promise<T> {
  const url = new URL(path, mirrorUrl());
  const certificate = join(mirrorCacheFolder(context), 'tls', 'localhost.crt');
  const get = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = get(url, { timeout: 3000, ...(url.protocol === 'https:' && existsSync(certificate) ? { ca: readFileSync(certificate) } : {}) }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        try {
          resolve(JSON.parse(body) as T);
        } catch (error) {
          reject(error);
        }
      });
    });
    request.on('error', reject);
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.end();
  });
}

/**
 * The watcher's settings as VS Code has them: each `shoreline ddns`
 * variable from its setting (or, for credentials, the command that stores
 * it). One table builds the watcher's environment and turns its messages,
 * which name variables, into the names users see here.
 */
const DDNS_SETTINGS: { variable: string; setting?: string; command?: string; value?: (config: vscode.WorkspaceConfiguration) => string }[] = [
  { variable: 'DDNS_PROVIDER', setting: 'ddns.provider', value: (config) => config.get<string>('ddns.provider', 'dreamhost') },
  { variable: 'DDNS_RECORDS', setting: 'ddns.records', value: (config) => config.get<string[]>('ddns.records', []).join(',') },
  { variable: 'DDNS_IP_SOURCE', setting: 'ddns.ipSource', value: (config) => config.get<string>('ddns.ipSource', 'http') },
  { variable: 'DDNS_MIN_UPDATE_INTERVAL_SECS', setting: 'ddns.minUpdateIntervalSeconds', value: (config) => String(config.get<number>('ddns.minUpdateIntervalSeconds', 60)) },
  { variable: 'DDNS_ALLOW_PRIVATE', setting: 'ddns.allowPrivateAddresses', value: (config) => String(config.get<boolean>('ddns.allowPrivateAddresses', false)) },
  { variable: 'RFC2136_SERVER', setting: 'ddns.rfc2136.server', value: (config) => config.get<string>('ddns.rfc2136.server', '') },
  { variable: 'RFC2136_TSIG_KEY_NAME', setting: 'ddns.rfc2136.keyName', value: (config) => config.get<string>('ddns.rfc2136.keyName', '') },
  { variable: 'RFC2136_TSIG_ALGORITHM', setting: 'ddns.rfc2136.algorithm', value: (config) => config.get<string>('ddns.rfc2136.algorithm', 'hmac-sha256') },
  { variable: 'RFC2136_TSIG_SECRET', command: 'Shoreline: Set DDNS Secret' },
  { variable: 'CLOUDFLARE_API_TOKEN', command: 'Shoreline: Set DDNS Secret' },
  { variable: 'DREAMHOST_API_KEY', command: 'Shoreline: Set DreamHost API Key' },
];

/** Live lookups in a few words: each source on, off or failing. */
function liveSummary(sources: ShorelineServerStatus['live']): string {
  if (sources.length === 0) return 'live lookups off';
  return `live lookups: ${sources.map((source) => `${source.name} ${source.state === 'ok' ? 'on' : source.state}`).join(', ')}`;
}

/** What the credential of a DDNS provider is, as the prompt asking for it says. */
function ddnsSecretPrompt(provider: string): string {
  if (provider === 'cloudflare') return 'Cloudflare API token (Zone:DNS:Edit)';
  if (provider === 'rfc2136') return 'TSIG secret (base64, as in the server’s key statement)';
  return 'DreamHost API key (from the DreamHost panel, with the dns-* functions enabled)';
}

/** A watcher's message with its variables named as settings and commands. */
function inSettingsTerms(message: string): string {
  return DDNS_SETTINGS.reduce((text, entry) => text.replaceAll(entry.variable, entry.setting ? `shoreline.${entry.setting}` : `the secret (${entry.command})`), message);
}

async function ddnsEnvironment(context: vscode.ExtensionContext): Promise<NodeJS.ProcessEnv> {
  const config = settings();
  const provider = config.get<string>('ddns.provider', 'dreamhost');
  const env: NodeJS.ProcessEnv = { ...process.env, DDNS_STATE_FILE: join(context.globalStorageUri.fsPath, 'ddns-state.json') };
  for (const entry of DDNS_SETTINGS) if (entry.value) env[entry.variable] = entry.value(config);
  const dreamhostKey = await context.secrets.get(SECRETS.dreamhost.key);
  if (dreamhostKey) env['DREAMHOST_API_KEY'] = dreamhostKey;
  const secret = await context.secrets.get(DDNS_SECRET);
  if (secret && provider === 'rfc2136') env['RFC2136_TSIG_SECRET'] = secret;
  if (secret && provider === 'cloudflare') env['CLOUDFLARE_API_TOKEN'] = secret;
  return env;
}

/** The control surface: status bar items, commands and the task provider; the work is done by the `shoreline` CLI. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const outputChannel = vscode.window.createOutputChannel('Shoreline', { log: true });
  const mirrorLog = vscode.window.createOutputChannel('Shoreline Mirror', { log: true });
  const ddnsLog = vscode.window.createOutputChannel('Shoreline DDNS', { log: true });
  context.subscriptions.push(outputChannel, mirrorLog, ddnsLog);
  const cli = context.asAbsolutePath('dist/shoreline.mjs');
  // HashiCorp's extension installed or removed: our grammar steps aside or comes back.
  void reconcileContributions(context, outputChannel);
  context.subscriptions.push(vscode.extensions.onDidChange(() => void reconcileContributions(context, outputChannel)));

  const mirror = new BackgroundService('mirror', mirrorLog, cli, async (): Promise<LaunchPlan> => {
    const config = settings();
    const args = ['mirror', '--listen', `127.0.0.1:${config.get<number>('mirror.port', 8787)}`, '--cache', mirrorCacheFolder(context)];
    if (config.get<boolean>('mirror.https', true)) args.push('--self-signed', '--public-url', mirrorUrl());
    for (const upstream of config.get<string[]>('mirror.upstreams', [])) args.push('--upstream', upstream);
    return { args, env: { ...process.env } };
  });
  const ddns = new BackgroundService('ddns', ddnsLog, cli, async () => ({ args: ['ddns'], env: await ddnsEnvironment(context) }));
  context.subscriptions.push(mirror, ddns);

  // Mirror status: port and hit ratio, refreshed from /stats while it runs.
  let stats: MirrorStats | undefined;
  let statsTimer: NodeJS.Timeout | undefined;
  let mirrorReady: (() => void) | undefined;
  let lookupsViaMirror = false;
  mirror.onLine((line) => {
    if (/^Mirror ready at /.test(line)) {
      mirror.set('running');
      mirrorReady?.();
    }
  });
  const mirrorItem = vscode.window.createStatusBarItem('shoreline.mirror', vscode.StatusBarAlignment.Left, 10);
  mirrorItem.name = 'Shoreline Registry Mirror';
  mirrorItem.command = 'shoreline.mirrorActions';
  const renderMirror = (): void => {
    const port = settings().get<number>('mirror.port', 8787);
    const state = mirror.state;
    mirrorItem.text =
      state === 'running'
        ? `$(cloud-download) Mirror :${port}${stats ? ` · ${Math.round(stats.hitRatio * 100)}% hits` : ''}`
        : state === 'starting'
          ? `$(loading~spin) Mirror starting`
          : state === 'error'
            ? `$(error) Mirror failed`
            : `$(cloud-download) Mirror: stopped`;
    const tooltip = new vscode.MarkdownString(`**Shoreline registry mirror** — ${state}\n\n`);
    if (state === 'running')
      tooltip.appendMarkdown(
        `${mirrorUrl()}\n\n${stats ? `Cache: ${stats.cacheObjects} objects, ${(stats.cacheBytes / 1048576).toFixed(1)} MiB · hits ${stats.HIT}, misses ${stats.MISS}, stale ${stats.STALE}` : ''}`,
      );
    if (mirror.error) tooltip.appendText(mirror.error);
    tooltip.appendMarkdown('\n\nClick for actions.');
    mirrorItem.tooltip = tooltip;
    mirrorItem.backgroundColor = state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  };
  mirror.onDidChange(async () => {
    clearInterval(statsTimer);
    stats = undefined;
    if (mirror.state === 'running') {
      const poll = async (): Promise<void> => {
        stats = await mirrorJson<MirrorStats>(context, '/stats').catch(() => stats);
        renderMirror();
      };
      void poll();
      statsTimer = setInterval(() => void poll(), 5000);
    }
    renderMirror();
    // Live lookups follow the mirror: restart the language server with (or without) it, once per change.
    const viaMirror = mirror.state === 'running' && settings().get<boolean>('mirror.useForLiveLookups', true);
    if (viaMirror !== lookupsViaMirror) {
      lookupsViaMirror = viaMirror;
      void restartClient();
    }
  });
  context.subscriptions.push(mirrorItem, { dispose: () => clearInterval(statsTimer) });

  // DDNS status: current address, time of the last update, errors.
  let ddnsAddress: string | undefined;
  let ddnsUpdatedAt: string | undefined;
  let ddnsLastLine: string | undefined;
  let ddnsFailure: string | undefined;
  ddns.onLine((line, stream) => {
    const match = /^(\S+) (\S+) (A|AAAA) (\S+) (updated|unchanged|deferred|failed|unsupported)(.*)$/.exec(line);
    if (stream === 'stdout' && match) {
      ddns.set('running');
      ddnsAddress = match[4];
      ddnsLastLine = line;
      if (match[5] === 'updated') {
        ddnsUpdatedAt = match[1];
        ddnsFailure = undefined;
      }
      if (match[5] === 'failed' || match[5] === 'unsupported') ddnsFailure = `${match[2]} ${match[3]}${match[6]}`;
      renderDdns();
    } else if (stream === 'stderr' && /"msg":"watching for address changes"/.test(line)) ddns.set('running');
  });
  const ddnsItem = vscode.window.createStatusBarItem('shoreline.ddns', vscode.StatusBarAlignment.Left, 9);
  ddnsItem.name = 'Shoreline DDNS';
  ddnsItem.command = 'shoreline.ddnsActions';
  const renderDdns = (): void => {
    const state = ddns.state;
    const time = ddnsUpdatedAt ? new Date(ddnsUpdatedAt).toLocaleTimeString() : undefined;
    ddnsItem.text =
      state === 'error' || ddnsFailure
        ? `$(warning) DDNS${ddnsAddress ? ` ${ddnsAddress}` : ''} failed`
        : state === 'running'
          ? `$(globe) DDNS ${ddnsAddress ?? 'waiting for an address'}${time ? ` · ${time}` : ''}`
          : state === 'starting'
            ? '$(loading~spin) DDNS starting'
            : '$(globe) DDNS: stopped';
    const tooltip = new vscode.MarkdownString(`**Shoreline DDNS watcher** — ${state}\n\n`);
    tooltip.appendText(
      [
        `Provider: ${settings().get<string>('ddns.provider')}`,
        `Records: ${settings().get<string[]>('ddns.records', []).join(', ') || '(none set)'}`,
        ddnsLastLine ? `Last: ${ddnsLastLine}` : '',
        ddnsFailure ? `Error: ${ddnsFailure}` : '',
        ddns.error ? `Error: ${inSettingsTerms(ddns.error)}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
    ddnsItem.tooltip = tooltip;
    ddnsItem.backgroundColor = state === 'error' || ddnsFailure ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  };
  ddns.onDidChange(() => {
    if (ddns.state === 'error' && ddns.error)
      void vscode.window.showErrorMessage(`Shoreline DDNS: ${inSettingsTerms(ddns.error)}`, 'Open Settings', 'Show Log').then((choice) => {
        if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'shoreline.ddns');
        if (choice === 'Show Log') ddnsLog.show();
      });
    renderDdns();
  });
  context.subscriptions.push(ddnsItem);
  /**
   * A service's item shows once it is configured, running (or failed), or
   * asked for: quiet where it is not needed. Its Start or Stop command is
   * offered as it applies (context keys shoreline.mirrorRunning, shoreline.ddnsRunning).
   */
  const showWhenWanted = (): void => {
    for (const [item, service, section] of [
      [mirrorItem, mirror, 'mirror'],
      [ddnsItem, ddns, 'ddns'],
    ] as const) {
      if (service.state !== 'stopped' || configured(context, section)) item.show();
      else item.hide();
      void vscode.commands.executeCommand('setContext', `shoreline.${section}Running`, service.state === 'running' || service.state === 'starting');
    }
  };
  mirror.onDidChange(showWhenWanted);
  ddns.onDidChange(showWhenWanted);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('shoreline.mirror') || event.affectsConfiguration('shoreline.ddns')) {
        showWhenWanted();
        renderMirror();
        renderDdns();
      }
    }),
  );
  renderMirror();
  renderDdns();
  showWhenWanted();

  context.subscriptions.push(
    vscode.tasks.registerTaskProvider('shoreline', {
      provideTasks: () => [mirror.task(), ddns.task()],
      resolveTask: (task) => {
        const kind = task.definition['task'];
        return kind === 'mirror' ? mirror.task(task.definition) : kind === 'ddns' ? ddns.task(task.definition) : undefined;
      },
    }),
  );

  const restartClient = async (): Promise<void> => {
    serverStatus?.show('starting');
    serverStatus?.reset();
    await client?.stop().catch(() => {});
    client = undefined;
    await startClient(context, outputChannel, lookupsViaMirror);
  };

  const command = (id: string, run: (...args: unknown[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, run));
  };
  /** Services that run programs and use credentials need a trusted workspace; says so, with the way to trust it. */
  const trusted = (what: string): boolean => {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window
      .showWarningMessage(`Shoreline runs ${what} only in a trusted workspace; this one is validated, nothing more.`, 'Manage Workspace Trust')
      .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
    return false;
  };
  // Trusted later: the server gets its credentials and live lookups.
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void restartClient()));
  command('shoreline.restartServer', () => restartClient());
  command('shoreline.showServerOutput', () => outputChannel.show());
  // The code lens "N references" of a declaration: VS Code's own references view at it.
  command('shoreline.findReferences', (uri, position) => {
    const at = position as { line: number; character: number } | undefined;
    if (typeof uri !== 'string' || !at) return;
    const location = vscode.Uri.parse(uri);
    return vscode.commands.executeCommand('editor.action.findReferences', location, new vscode.Position(at.line, at.character));
  });
  for (const [name, secret] of Object.entries(SECRETS)) {
    command(name === 'dreamhost' ? 'shoreline.setDreamhostApiKey' : 'shoreline.setLagoonToken', async () => {
      const value = await vscode.window.showInputBox({ prompt: secret.prompt, password: true, ignoreFocusOut: true });
      if (value === undefined) return;
      if (value.trim() === '') await context.secrets.delete(secret.key);
      else await context.secrets.store(secret.key, value.trim());
      // The server reads credentials at start: restart it with the new environment.
      await restartClient();
      void vscode.window.showInformationMessage(value.trim() === '' ? 'Shoreline: credential removed.' : 'Shoreline: credential saved in VS Code’s secret storage.');
    });
  }
  command('shoreline.setDdnsSecret', async () => {
    const provider = settings().get<string>('ddns.provider', 'dreamhost');
    if (provider === 'dreamhost') return vscode.commands.executeCommand('shoreline.setDreamhostApiKey');
    const value = await vscode.window.showInputBox({ prompt: `${ddnsSecretPrompt(provider)}; empty to remove it`, password: true, ignoreFocusOut: true });
    if (value === undefined) return;
    if (value.trim() === '') await context.secrets.delete(DDNS_SECRET);
    else await context.secrets.store(DDNS_SECRET, value.trim());
  });
  command('shoreline.setUpDdns', async () => {
    if (!trusted('the DDNS watcher')) return;
    const done = await setUpDdns(context, { keyOf: (provider) => (provider === 'dreamhost' ? SECRETS.dreamhost.key : DDNS_SECRET), prompt: ddnsSecretPrompt });
    if (!done) return;
    // The DreamHost key is the language server's too: it reads credentials at start.
    if (settings().get<string>('ddns.provider') === 'dreamhost') await restartClient();
    const running = ddns.state === 'running' || ddns.state === 'starting';
    const choice = await vscode.window.showInformationMessage('Shoreline DDNS is set up (user settings, secret in VS Code’s secret storage).', running ? 'Restart DDNS Watcher' : 'Start DDNS Watcher');
    if (!choice) return;
    if (running) await ddns.stop();
    await vscode.commands.executeCommand('shoreline.startDdns');
  });
  command('shoreline.refreshLiveData', async () => {
    const statuses = (await client?.sendRequest(ShorelineRequests.refreshLiveData)) as { name: string; state: string; error?: string }[] | undefined;
    const summary = (statuses ?? []).map((status) => `${status.name}: ${status.state}${status.error ? ` (${status.error})` : ''}`).join(', ');
    void vscode.window.showInformationMessage(`Shoreline live data refreshed — ${summary || 'no sources'}`);
  });
  command('shoreline.validateWorkspace', () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Shoreline: validating the workspace' }, async () => {
      const result = (await client?.sendRequest(ShorelineRequests.validateWorkspace)) as { files: number } | undefined;
      const problems = vscode.languages.getDiagnostics().flatMap(([, diagnostics]) => diagnostics.filter((diagnostic) => diagnostic.source?.startsWith('shoreline')));
      const errors = problems.filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error).length;
      void vscode.commands.executeCommand('workbench.actions.view.problems');
      void vscode.window.showInformationMessage(`Shoreline: ${result?.files ?? 0} files checked — ${errors} errors, ${problems.length - errors} other problems.`);
    }),
  );
  command(
    'shoreline.startMirror',
    () =>
      trusted('the registry mirror') &&
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Shoreline: starting the registry mirror' }, async () => {
        const ready = new Promise<void>((resolve) => (mirrorReady = resolve));
        await mirror.start();
        await Promise.race([ready, new Promise((resolve) => setTimeout(resolve, 30_000)), new Promise<void>((resolve) => mirror.onDidChange(() => mirror.state === 'error' && resolve()))]);
        if (mirror.state !== 'error') return;
        // A port in use: offer a free one (saved in shoreline.mirror.port) rather than a dead end.
        const portInUse = /the port is in use/.test(mirror.error ?? '');
        // Not awaited: the progress notification ends while the question waits for an answer.
        void vscode.window
          .showErrorMessage(
            portInUse ? `Shoreline mirror: port ${settings().get<number>('mirror.port', 8787)} is in use (setting shoreline.mirror.port).` : `Shoreline mirror: ${mirror.error ?? 'failed to start'}`,
            ...(portInUse ? ['Use Another Port'] : []),
            'Show Log',
          )
          .then(async (choice) => {
            if (choice === 'Show Log') mirrorLog.show();
            if (choice === 'Use Another Port') {
              await settings().update('mirror.port', await freePort(), vscode.ConfigurationTarget.Global);
              await vscode.commands.executeCommand('shoreline.startMirror');
            }
          });
      }),
  );
  command('shoreline.setUpMirror', async () => {
    if (!trusted('the registry mirror') || !(await setUpMirror(freePort))) return;
    const running = mirror.state === 'running' || mirror.state === 'starting';
    const choice = await vscode.window.showInformationMessage('Shoreline registry mirror is set up (user settings).', running ? 'Restart Registry Mirror' : 'Start Registry Mirror');
    if (!choice) return;
    if (running) await mirror.stop();
    await vscode.commands.executeCommand('shoreline.startMirror');
  });
  command('shoreline.stopMirror', () => mirror.stop());
  command('shoreline.showMirrorLog', () => mirrorLog.show());
  command('shoreline.configureTerraform', async () => {
    const https = settings().get<boolean>('mirror.https', true);
    if (!https) return void vscode.window.showWarningMessage('Terraform only uses network mirrors over HTTPS: enable shoreline.mirror.https first.');
    const bundle = join(mirrorCacheFolder(context), 'tls', 'ca-bundle.crt');
    if (!existsSync(bundle))
      return void vscode.window
        .showWarningMessage('Start the registry mirror once first: it creates the certificate Terraform must trust.', 'Start Registry Mirror')
        .then((choice) => choice && vscode.commands.executeCommand('shoreline.startMirror'));
    const file = join(context.globalStorageUri.fsPath, 'terraform-mirror.tfrc');
    await mkdir(context.globalStorageUri.fsPath, { recursive: true });
    await writeFile(file, `# Written by Shoreline: Configure Terraform to Use the Mirror\n${terraformCliConfig(mirrorUrl())}`);
    // New integrated terminals get both; existing ones keep their environment.
    context.environmentVariableCollection.replace('TF_CLI_CONFIG_FILE', file);
    context.environmentVariableCollection.replace('SSL_CERT_FILE', bundle);
    context.environmentVariableCollection.description = 'Terraform uses the Shoreline registry mirror';
    void vscode.window
      .showInformationMessage(`Terraform in new terminals now installs providers through ${mirrorUrl()} (TF_CLI_CONFIG_FILE=${file}).`, 'Open File')
      .then((choice) => choice && vscode.window.showTextDocument(vscode.Uri.file(file)));
  });
  command('shoreline.startDdns', () => trusted('the DDNS watcher') && ddns.start());
  command('shoreline.stopDdns', () => ddns.stop());
  command('shoreline.showDdnsLog', () => ddnsLog.show());
  command(
    'shoreline.updateDnsNow',
    () =>
      trusted('DNS updates') &&
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Shoreline: updating DNS records' }, async () => {
        const env = await ddnsEnvironment(context);
        const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [cli, 'ddns', '--once'], { env: { ...env, ELECTRON_RUN_AS_NODE: '1' } });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
          child.on('exit', (code) => resolve({ code, stdout, stderr }));
          child.on('error', (error) => resolve({ code: 1, stdout, stderr: error.message }));
        });
        for (const line of result.stdout.trim().split('\n').filter(Boolean)) ddnsLog.info(line);
        if (result.code === 0) void vscode.window.showInformationMessage(`Shoreline DDNS: ${result.stdout.trim().split('\n').filter(Boolean).length} records checked, all up to date.`);
        else if (result.code === 3) {
          // Exit 3: nothing failed, an update waits for the minimum interval between two updates of a record.
          const waiting = result.stdout.split('\n').find((line) => / deferred until /.test(line)) ?? '';
          void vscode.window
            .showInformationMessage(`Shoreline DDNS: an update waits for the minimum interval${waiting ? `: ${waiting.split(' ').slice(1).join(' ')}` : ''}.`, 'Show Log')
            .then((choice) => choice && ddnsLog.show());
        } else {
          const reason =
            result.stderr
              .split('\n')
              .find((line) => line.startsWith('shoreline:'))
              ?.replace(/^shoreline: /, '') ??
            result.stdout.split('\n').find((line) => / failed/.test(line)) ??
            'see the DDNS log';
          void vscode.window.showErrorMessage(`Shoreline DDNS: ${reason}`, 'Show Log').then((choice) => choice && ddnsLog.show());
        }
      }),
  );
  /** The quick pick behind a status bar item: the service's actions, then its settings. */
  const actions = async (title: string, picks: { label: string; id: string }[], settingsSection: string): Promise<void> => {
    const choice = await vscode.window.showQuickPick([...picks, { label: '$(settings) Settings', id: 'settings' }], { title });
    if (choice?.id === 'settings') await vscode.commands.executeCommand('workbench.action.openSettings', settingsSection);
    else if (choice) await vscode.commands.executeCommand(choice.id);
  };
  const isUp = (service: BackgroundService): boolean => service.state === 'running' || service.state === 'starting';
  command('shoreline.mirrorActions', () =>
    actions(
      'Shoreline registry mirror',
      [
        isUp(mirror) ? { label: '$(debug-stop) Stop Registry Mirror', id: 'shoreline.stopMirror' } : { label: '$(play) Start Registry Mirror', id: 'shoreline.startMirror' },
        { label: '$(gear) Configure Terraform to Use the Mirror', id: 'shoreline.configureTerraform' },
        { label: '$(output) Show Mirror Log', id: 'shoreline.showMirrorLog' },
      ],
      'shoreline.mirror',
    ),
  );
  command('shoreline.ddnsActions', () =>
    actions(
      'Shoreline DDNS watcher',
      [
        isUp(ddns) ? { label: '$(debug-stop) Stop DDNS Watcher', id: 'shoreline.stopDdns' } : { label: '$(play) Start DDNS Watcher', id: 'shoreline.startDdns' },
        { label: '$(sync) Update DNS Now', id: 'shoreline.updateDnsNow' },
        { label: '$(output) Show DDNS Log', id: 'shoreline.showDdnsLog' },
        { label: '$(key) Set DDNS Secret', id: 'shoreline.setDdnsSecret' },
      ],
      'shoreline.ddns',
    ),
  );
  context.subscriptions.push(
    vscode.tasks.onDidEndTask((event) => {
      if (event.execution.task.definition.type !== 'shoreline') return;
      const service = event.execution.task.definition['task'] === 'mirror' ? mirror : ddns;
      if (service.state === 'running' || service.state === 'starting') service.set('stopped');
    }),
  );

  serverStatus = new ServerStatus((context.extension.packageJSON as { version?: string }).version ?? '');
  context.subscriptions.push(serverStatus);
  await startClient(context, outputChannel, false);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
