import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import * as vscode from 'vscode';
import { parseRecordItem } from '../../core/src/ddns/record-names.js';
import { DEFAULT_UPSTREAMS, parseUpstream } from '../../core/src/mirror/upstream-spec.js';

/** What the set-up writes besides settings: the secret of the chosen provider, by its storage key. */
export interface DdnsSetupSecrets {
  /** The storage key of a provider's credential. */
  keyOf(provider: string): string;
  prompt(provider: string): string;
}

interface SettingSchema {
  enum?: string[];
  enumDescriptions?: string[];
  default?: unknown;
}

/** A setting's schema in our manifest: the choices offered here are the ones the settings accept (one place for them). */
function schemaOf(context: vscode.ExtensionContext, key: string): SettingSchema {
  const groups = (context.extension.packageJSON as { contributes: { configuration: { properties: Record<string, SettingSchema> }[] } }).contributes.configuration;
  return groups.map((group) => group.properties[`shoreline.${key}`]).find(Boolean) ?? {};
}

/** Why a value cannot be HOST or HOST:PORT. */
function serverProblem(value: string): string | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^\s:[\]]+)(?::(\d+))?$/i.exec(value.trim());
  if (!match) return 'HOST or HOST:PORT (an IPv6 address as [ADDRESS]:PORT)';
  if (match[2] !== undefined && (Number(match[2]) < 1 || Number(match[2]) > 65535)) return 'the port is a number from 1 to 65535';
  return undefined;
}

/**
 * Shoreline: Set Up DDNS — provider, records, the provider's settings and
 * secret, address source; writes the user settings (a watcher belongs to the
 * machine, not to a workspace) and the secret into VS Code's secret storage,
 * then offers to start the watcher. Escape at any step changes nothing.
 */
export async function setUpDdns(context: vscode.ExtensionContext, secrets: DdnsSetupSecrets): Promise<boolean> {
  const config = vscode.workspace.getConfiguration('shoreline');
  const steps = 5;
  const title = (step: number) => `Shoreline: Set Up DDNS (${step}/${steps})`;
  const providerSchema = schemaOf(context, 'ddns.provider');
  const current = config.get<string>('ddns.provider');
  const picked = await vscode.window.showQuickPick(
    (providerSchema.enum ?? []).map((name, index) => ({ label: name, description: providerSchema.enumDescriptions?.[index] ?? '', picked: name === current })),
    { title: title(1), placeHolder: 'Where the watcher publishes this machine’s address', ignoreFocusOut: true },
  );
  if (!picked) return false;
  const provider = picked.label;

  const records = await vscode.window.showInputBox({
    title: title(2),
    prompt: 'The records to keep at this machine’s address, comma-separated: NAME or NAME:AAAA (e.g. home.example.com, home.example.com:AAAA)',
    value: config.get<string[]>('ddns.records', []).join(', '),
    ignoreFocusOut: true,
    validateInput: (value) => {
      const items = value.split(',').filter((item) => item.trim());
      if (items.length === 0) return 'Name at least one record';
      return items.map((item) => parseRecordItem(item)).find((parsed) => 'problem' in parsed)?.problem;
    },
  });
  if (records === undefined) return false;

  const updates: [string, unknown][] = [
    ['ddns.provider', provider],
    [
      'ddns.records',
      records
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ],
  ];
  if (provider === 'rfc2136') {
    const server = await vscode.window.showInputBox({
      title: title(3),
      prompt: 'The DNS server that takes the updates (the zone’s primary): HOST or HOST:PORT',
      value: config.get<string>('ddns.rfc2136.server', ''),
      ignoreFocusOut: true,
      validateInput: serverProblem,
    });
    if (server === undefined) return false;
    const keyName = await vscode.window.showInputBox({
      title: title(3),
      prompt: 'The TSIG key’s name, as in the server’s key statement',
      value: config.get<string>('ddns.rfc2136.keyName', ''),
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'The key name is needed'),
    });
    if (keyName === undefined) return false;
    const algorithmSchema = schemaOf(context, 'ddns.rfc2136.algorithm');
    const algorithm = await vscode.window.showQuickPick(algorithmSchema.enum ?? [], { title: title(3), placeHolder: 'The key’s algorithm', ignoreFocusOut: true });
    if (!algorithm) return false;
    updates.push(['ddns.rfc2136.server', server.trim()], ['ddns.rfc2136.keyName', keyName.trim()], ['ddns.rfc2136.algorithm', algorithm]);
  }

  const secretKey = secrets.keyOf(provider);
  const stored = await context.secrets.get(secretKey);
  const secret = await vscode.window.showInputBox({
    title: title(4),
    prompt: `${secrets.prompt(provider)} — kept in VS Code’s secret storage${stored ? '; empty keeps the one stored' : ''}`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() || stored ? undefined : 'The watcher cannot publish without it'),
  });
  if (secret === undefined) return false;

  const interfaces = Object.entries(networkInterfaces())
    .filter(([, addresses]) => (addresses ?? []).some((address) => !address.internal))
    .map(([name, addresses]) => ({ label: `interface:${name}`, description: (addresses ?? []).map((address) => address.address).join(', ') }));
  const source = await vscode.window.showQuickPick(
    [
      { label: 'http', description: 'the public address, from echo services (behind NAT: a home router)' },
      { label: 'interface', description: 'the addresses of this machine’s interfaces, as they change' },
      ...interfaces,
    ],
    { title: title(5), placeHolder: 'Where the address comes from', ignoreFocusOut: true },
  );
  if (!source) return false;
  updates.push(['ddns.ipSource', source.label]);

  for (const [key, value] of updates) await config.update(key, value, vscode.ConfigurationTarget.Global);
  if (secret.trim()) await context.secrets.store(secretKey, secret.trim());
  return true;
}

/** Whether a port on loopback can be listened on now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Why an upstream item is not what `shoreline mirror --upstream` takes (HOST or HOST=URL). */
function upstreamProblem(item: string): string | undefined {
  try {
    parseUpstream(item.trim());
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^--upstream /, '');
  }
}

/**
 * Shoreline: Set Up Registry Mirror — port (a port in use is refused, with a
 * free one offered), HTTPS or HTTP, the registries to mirror, the cache
 * folder; writes the user settings at the end (Escape changes nothing).
 */
export async function setUpMirror(freePort: () => Promise<number>): Promise<boolean> {
  const config = vscode.workspace.getConfiguration('shoreline');
  const steps = 4;
  const title = (step: number) => `Shoreline: Set Up Registry Mirror (${step}/${steps})`;
  const suggestion = await freePort();
  const port = await vscode.window.showInputBox({
    title: title(1),
    prompt: `The port the mirror listens on, on 127.0.0.1 only (${suggestion} is free now)`,
    value: String(config.get<number>('mirror.port', 8787)),
    ignoreFocusOut: true,
    validateInput: async (value) => {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 1 || number > 65535) return 'A port is a whole number from 1 to 65535';
      return (await portFree(number)) ? undefined : `Port ${number} is in use; ${suggestion} is free`;
    },
  });
  if (port === undefined) return false;
  const https = await vscode.window.showQuickPick(
    [
      { label: 'HTTPS', description: 'with a generated localhost certificate: Terraform uses network mirrors only over HTTPS', value: true },
      { label: 'HTTP', description: 'for clients other than Terraform (and the editor’s version lookups)', value: false },
    ],
    { title: title(2), placeHolder: 'How the mirror serves', ignoreFocusOut: true },
  );
  if (!https) return false;
  const upstreams = await vscode.window.showInputBox({
    title: title(3),
    prompt: `Registries to mirror, comma-separated: HOST or HOST=URL; empty for ${DEFAULT_UPSTREAMS.join(' and ')}`,
    value: config.get<string[]>('mirror.upstreams', []).join(', '),
    ignoreFocusOut: true,
    validateInput: (value) =>
      value
        .split(',')
        .filter((item) => item.trim())
        .map(upstreamProblem)
        .find(Boolean),
  });
  if (upstreams === undefined) return false;
  const folder = await vscode.window.showQuickPick(
    [
      { label: 'In VS Code’s storage for Shoreline', description: 'the default', choose: false },
      { label: 'Choose a folder…', description: 'a disk with room for provider archives (hundreds of MiB each)', choose: true },
    ],
    { title: title(4), placeHolder: 'Where the mirror caches providers and modules', ignoreFocusOut: true },
  );
  if (!folder) return false;
  let cacheFolder = '';
  if (folder.choose) {
    const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Cache Here', title: title(4) });
    if (!chosen?.[0]) return false;
    cacheFolder = chosen[0].fsPath;
  }
  const updates: [string, unknown][] = [
    ['mirror.port', Number(port)],
    ['mirror.https', https.value],
    [
      'mirror.upstreams',
      upstreams
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ],
    ['mirror.cacheFolder', cacheFolder],
  ];
  for (const [key, value] of updates) await config.update(key, value, vscode.ConfigurationTarget.Global);
  return true;
}
