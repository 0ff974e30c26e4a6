import { networkInterfaces } from 'node:os';
import * as vscode from 'vscode';
import { parseRecordItem } from '../../core/src/ddns/record-names.js';

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
