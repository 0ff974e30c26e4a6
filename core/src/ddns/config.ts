import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DDNS_PROVIDERS, providerDefinition, type ProviderDefinition, type ZoneSource } from './registry.js';
import { parseRecordItem } from './record-names.js';
import { loadPublicSuffixList, zoneOf } from './zones.js';
import { parseIPv6 } from '../dns/ip.js';
import { CommandSource, HttpEchoSource, InterfaceSource, type IpSource } from './sources.js';

/** The keys of a record under records: in a configuration file. */
const RECORD_KEYS = ['name', 'type', 'provider', 'zone', 'ttl', 'min_interval', 'ipv6_suffix', 'prefix_length'];
import type { DdnsProvider, DdnsRecord, Family } from './types.js';

/** The settings that are not a provider's, as environment variables (or the same keys in a YAML/JSON file). */
const GENERAL_VARIABLES: Record<string, string> = {
  DDNS_PROVIDER: `the provider, one of ${DDNS_PROVIDERS.map((definition) => definition.name).join(', ')} (or several under providers: in a --config file)`,
  DDNS_RECORDS: 'comma-separated names, each optionally :A or :AAAA (default A), e.g. home.example.com,home.example.com:AAAA (or records: in a --config file)',
  DDNS_MIN_UPDATE_INTERVAL_SECS: 'minimum seconds between two updates of one record (default 60)',
  DDNS_CHECK_INTERVAL_SECS: 'how often every record is read on the server and repaired when it differs (default 300; 0: only at start and on address changes)',
  DDNS_STATE_FILE: 'where published addresses are kept (default $XDG_STATE_HOME/shoreline/ddns-state.json)',
  DDNS_IP_SOURCE: 'http (public address from echo services, default), interface or interface:NAME (local addresses), or command (DDNS_IP_COMMAND)',
  DDNS_IP_COMMAND: 'a shell command that prints the address(es), run every DDNS_IP_POLL_SECS (command source: a router, UPnP)',
  DDNS_IP_URLS: 'comma-separated IPv4 echo service URLs (http source)',
  DDNS_IP_URLS_V6: 'comma-separated IPv6 echo service URLs (http source)',
  DDNS_IP_POLL_SECS: 'poll interval: echo services and the command (default 300) or interfaces without ip monitor (default 30)',
  DDNS_ALLOW_PRIVATE: 'true to publish private (RFC 1918, CGNAT, ULA) addresses (default false)',
  DDNS_ALLOW_LINK_LOCAL: 'true to publish link-local addresses (default false)',
  DDNS_ALLOW_TEMPORARY: 'true to publish IPv6 temporary addresses (default false)',
  DDNS_TTL: 'TTL of published records in seconds (default 60; providers with a minimum raise it to theirs)',
  DDNS_ZONE: 'the zone of every record (default: rfc2136 asks the server, as nsupdate does; the other providers take each name’s registrable domain)',
  DDNS_HOOK_COMMAND: 'a shell command run after each update or failure, given the change as JSON on standard input and as SHORELINE_DDNS_* variables',
  DDNS_HOOK_URL: 'a URL each update or failure is POSTed to as JSON',
};

/** Every setting with its meaning: the general ones, then each provider's (the help and the docs list these). */
export const DDNS_VARIABLES: Record<string, string> = {
  ...GENERAL_VARIABLES,
  ...Object.fromEntries(DDNS_PROVIDERS.flatMap((definition) => definition.settings.filter((entry) => !entry.hidden).map((entry) => [entry.variable, `${entry.description} (${definition.name})`]))),
};

const KNOWN_VARIABLES = new Set([...Object.keys(GENERAL_VARIABLES), ...DDNS_PROVIDERS.flatMap((definition) => definition.settings.map((entry) => entry.variable))]);

export class DdnsConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`the DDNS configuration is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'DdnsConfigError';
  }
}

/**
 * What the settings say, before they are checked: values by variable name
 * (environment over file), and a file's `providers:` and `records:` when it
 * has them.
 */
export interface DdnsSettings {
  values: Record<string, string>;
  /** `providers:` of a configuration file: NAME → { type, and the provider's settings by key }. */
  providers?: Record<string, unknown>;
  /** `records:` of a configuration file: names (`home.example.com:AAAA`) or mappings. */
  records?: unknown[];
  file?: string;
}

export interface DdnsConfig {
  /** The providers by name: one (named after its type) from the environment, or those of a file's `providers:`. */
  providers: Record<string, DdnsProvider>;
  records: DdnsRecord[];
  minIntervalMs: number;
  checkIntervalMs: number;
  stateFile: string;
  source: IpSource;
  families: Family[];
  hooks: { command?: string; url?: string };
}

/**
 * Merges a config file (YAML or JSON: the variables' keys, and optionally
 * providers: and records:) under the environment. The YAML parser is loaded
 * only for a YAML file: a watcher configured by its environment or a JSON
 * file keeps its memory for itself.
 */
export async function readDdnsSettings(env: NodeJS.ProcessEnv, file?: string): Promise<DdnsSettings> {
  const settings: DdnsSettings = { values: {} };
  if (file) {
    settings.file = file;
    let parsed: unknown;
    try {
      const text = readFileSync(file, 'utf8');
      parsed = file.endsWith('.json') ? JSON.parse(text) : (await yamlParser())(text);
    } catch (error) {
      throw new DdnsConfigError([`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`]);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new DdnsConfigError([`${file}: expected a mapping of settings such as DDNS_PROVIDER: rfc2136`]);
    for (const [key, value] of Object.entries(parsed)) {
      if (key === 'providers') {
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          throw new DdnsConfigError([`${file}: providers must be a mapping of names to provider settings (type: rfc2136, server: ...)`]);
        settings.providers = value as Record<string, unknown>;
      } else if (key === 'records' && Array.isArray(value)) {
        settings.records = value;
      } else if (KNOWN_VARIABLES.has(key)) {
        settings.values[key] = Array.isArray(value) ? value.join(',') : String(value);
      } else throw new DdnsConfigError([`${file}: unknown setting ${key}`]);
    }
  }
  for (const key of KNOWN_VARIABLES) if (env[key] !== undefined && env[key] !== '') settings.values[key] = env[key]!;
  return settings;
}

/** The YAML parser, loaded on first use (bundled, the CommonJS package is the module's default export). */
async function yamlParser(): Promise<(text: string) => unknown> {
  const yaml = (await import('yaml')) as typeof import('yaml') & { default?: typeof import('yaml') };
  return (yaml.parse ?? yaml.default!.parse).bind(undefined) as (text: string) => unknown;
}

function defaultStateFile(env: NodeJS.ProcessEnv): string {
  return join(env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state'), 'shoreline', 'ddns-state.json');
}

/** Reads the values of one place (the environment, a file's entry), reporting problems by the names the user wrote. */
class Reader {
  constructor(
    private readonly values: Record<string, string | undefined>,
    private readonly problems: string[],
    readonly label: (key: string) => string = (key) => key,
  ) {}
  get(key: string): string | undefined {
    return this.values[key]?.trim() || undefined;
  }
  bool(key: string): boolean {
    const value = this.get(key)?.toLowerCase();
    if (value === undefined || value === 'false' || value === '0' || value === 'no') return false;
    if (value === 'true' || value === '1' || value === 'yes') return true;
    this.problems.push(`${this.label(key)} must be true or false, not '${this.get(key)}'`);
    return false;
  }
  seconds(key: string, fallback: number, min = 1): number {
    const value = this.get(key);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) {
      this.problems.push(`${this.label(key)} must be a whole number of seconds ≥ ${min}, not '${value}'`);
      return fallback;
    }
    return parsed;
  }
}

/** A provider built from its settings; problems name each setting as the user wrote it. */
function buildProvider(definition: ProviderDefinition, values: Record<string, string | undefined>, label: (key: string) => string, problems: string[]): DdnsProvider | undefined {
  const reader = new Reader(values, problems, label);
  const before = problems.length;
  for (const entry of definition.settings) {
    if (entry.required && !reader.get(entry.key)) problems.push(`${label(entry.key)} is not set (${entry.description}; the ${definition.name} provider needs it)`);
  }
  const provider = definition.create({ get: (key) => reader.get(key), bool: (key) => reader.bool(key), label, problem: (message) => problems.push(message) });
  return problems.length === before ? provider : undefined;
}

/** What identifies how a provider publishes (its type and settings, secrets included), digested: a permanent failure is retried once it changes. */
function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** Parses `name[:TYPE]`; undefined (and a problem) when it is not a record Shoreline can keep. */
function parseRecordName(item: string, where: string, problems: string[]): { name: string; type: 'A' | 'AAAA' } | undefined {
  const parsed = parseRecordItem(item);
  if ('problem' in parsed) return void problems.push(`${where}: ${parsed.problem}`);
  return parsed;
}

/** Why a record's zone cannot be known, or the record is not inside it (found before any update is sent). */
function recordZoneProblem(record: DdnsRecord, where: string, zoneSetting: string): string | undefined {
  let zone: string;
  try {
    zone = zoneOf(record);
  } catch {
    return `${where}: cannot tell the zone of ${record.name} (no registrable domain under the public suffix list); set ${zoneSetting}`;
  }
  const name = record.name.replace(/^\*\./, '');
  if (name !== zone && !name.endsWith(`.${zone}`)) return `${where}: ${record.name} is not inside the zone ${zone} (${zoneSetting})`;
  return undefined;
}

/** Checks every setting and builds the providers, records and IP source; all problems are reported at once. */
export async function loadDdnsConfig(input: DdnsSettings | Record<string, string>, env: NodeJS.ProcessEnv = process.env): Promise<DdnsConfig> {
  const settings: DdnsSettings = 'values' in input && typeof input['values'] === 'object' ? (input as DdnsSettings) : { values: input as Record<string, string> };
  const file = settings.file ?? 'the configuration file';
  const problems: string[] = [];
  const general = new Reader(settings.values, problems);
  const ttl = general.seconds('DDNS_TTL', 60);
  const zone = general.get('DDNS_ZONE');
  const minIntervalMs = general.seconds('DDNS_MIN_UPDATE_INTERVAL_SECS', 60, 0) * 1000;

  // Providers: the environment's one, or a file's several.
  const providers: Record<string, DdnsProvider> = {};
  const configurations: Record<string, string> = {};
  const zoneSources: Record<string, ZoneSource> = {};
  const providerName = general.get('DDNS_PROVIDER');
  if (settings.providers) {
    if (providerName) problems.push(`DDNS_PROVIDER is set and ${file} has providers: name the providers in one place`);
    for (const [name, entry] of Object.entries(settings.providers)) {
      const at = (key: string) => `${file}: providers.${name}.${key}`;
      if (!/^[A-Za-z0-9][\w.-]*$/.test(name)) problems.push(`${file}: providers: '${name}' is not a name (letters, digits, . _ -)`);
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        problems.push(`${file}: providers.${name} must be a mapping with a type and the provider's settings`);
        continue;
      }
      const values = Object.fromEntries(Object.entries(entry).map(([key, value]) => [key, value === null || value === undefined ? undefined : String(value)]));
      const definition = providerDefinition(values['type'] ?? '');
      if (!definition) {
        problems.push(`${at('type')} must be one of ${DDNS_PROVIDERS.map((candidate) => candidate.name).join(', ')}, not '${values['type'] ?? ''}'`);
        continue;
      }
      for (const key of Object.keys(values)) {
        if (key !== 'type' && !definition.settings.some((candidate) => candidate.key === key))
          problems.push(`${at(key)} is not a setting of ${definition.name}; it takes ${definition.settings.map((candidate) => candidate.key).join(', ')}`);
      }
      const provider = buildProvider(definition, values, at, problems);
      if (provider) providers[name] = provider;
      configurations[name] = digest([definition.name, values]);
      zoneSources[name] = definition.zone;
    }
    if (Object.keys(settings.providers).length === 0) problems.push(`${file}: providers is empty`);
  } else if (!providerName) problems.push(`DDNS_PROVIDER is not set: ${GENERAL_VARIABLES['DDNS_PROVIDER']}`);
  else {
    const definition = providerDefinition(providerName);
    if (!definition) problems.push(`DDNS_PROVIDER must be one of ${DDNS_PROVIDERS.map((candidate) => candidate.name).join(', ')}, not '${providerName}'`);
    else {
      const values = Object.fromEntries(definition.settings.map((entry) => [entry.key, settings.values[entry.variable]]));
      const variableOf = (key: string) => definition.settings.find((entry) => entry.key === key)?.variable ?? key;
      const provider = buildProvider(definition, values, variableOf, problems);
      if (provider) providers[definition.name] = provider;
      configurations[definition.name] = digest([definition.name, values]);
      zoneSources[definition.name] = definition.zone;
    }
  }
  const names = settings.providers ? Object.keys(settings.providers) : providerName ? [providerName] : [];

  // Records: a file's records:, else DDNS_RECORDS.
  const records: DdnsRecord[] = [];
  // Zones are checked once every record is read: the public suffix list is loaded only if one needs it.
  const zoneChecks: { record: DdnsRecord; where: string; zoneSetting: string }[] = [];
  const addRecord = (record: DdnsRecord, where: string, zoneSetting: string, provider: string): void => {
    // A zone the record sets is always checked; without one, only a provider that derives it from the name needs it now.
    if (record.zone || zoneSources[provider] === 'name') zoneChecks.push({ record, where, zoneSetting });
    if (records.some((other) => other.name === record.name && other.type === record.type && other.provider === record.provider))
      return void problems.push(`${where}: ${record.name} ${record.type} is listed twice for the same provider`);
    records.push(record);
  };
  const single = names.length === 1 ? names[0] : undefined;
  const inMultiFile = settings.providers !== undefined;
  if (settings.records) {
    settings.records.forEach((item, index) => {
      const where = `${file}: records[${index}]`;
      const entry: Record<string, unknown> = typeof item === 'string' ? { name: item } : typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : {};
      for (const key of Object.keys(entry)) if (!RECORD_KEYS.includes(key)) problems.push(`${where}.${key} is not a record setting (${RECORD_KEYS.join(', ')})`);
      if (typeof entry['name'] !== 'string') return void problems.push(`${where} needs a name (home.example.com, or name: and type:)`);
      const parsed = parseRecordName(entry['type'] ? `${entry['name']}:${String(entry['type'])}` : entry['name'], where, problems);
      const provider = typeof entry['provider'] === 'string' ? entry['provider'] : single;
      if (provider === undefined) return void problems.push(`${where}: ${entry['name']} needs provider: (one of ${names.join(', ') || 'the providers'})`);
      if (!names.includes(provider)) return void problems.push(`${where}: provider '${provider}' is not one of ${names.join(', ')}`);
      const recordReader = new Reader(Object.fromEntries(Object.entries(entry).map(([key, value]) => [key, String(value)])), problems, (key) => `${where}.${key}`);
      const recordZone = recordReader.get('zone') ?? zone;
      const recordTtl = recordReader.seconds('ttl', ttl);
      const interval = recordReader.get('min_interval') !== undefined ? recordReader.seconds('min_interval', 60, 0) * 1000 : undefined;
      const suffix = recordReader.get('ipv6_suffix');
      const prefixLength = recordReader.get('prefix_length') !== undefined ? Number(recordReader.get('prefix_length')) : undefined;
      if (suffix !== undefined && (parsed?.type !== 'AAAA' || !parseIPv6(suffix)))
        problems.push(`${where}.ipv6_suffix must be an IPv6 interface identifier such as ::1234:5678:9abc:def0, on an AAAA record`);
      if (prefixLength !== undefined && (!Number.isInteger(prefixLength) || prefixLength < 1 || prefixLength > 127))
        problems.push(`${where}.prefix_length must be a whole number of bits from 1 to 127`);
      if (!parsed) return;
      addRecord(
        {
          name: parsed.name,
          type: parsed.type,
          ttl: recordTtl,
          ...(recordZone ? { zone: recordZone } : {}),
          ...(inMultiFile ? { provider } : {}),
          ...(interval !== undefined ? { minIntervalMs: interval } : {}),
          ...(suffix !== undefined ? { ipv6Suffix: suffix } : {}),
          ...(prefixLength !== undefined ? { ipv6PrefixLength: prefixLength } : {}),
          configuration: digest([configurations[provider], recordZone ?? '', recordTtl]),
        },
        where,
        recordReader.get('zone') ? `${where}.zone` : 'DDNS_ZONE',
        provider,
      );
    });
  } else {
    const recordsText = general.get('DDNS_RECORDS');
    if (!recordsText) problems.push(`DDNS_RECORDS is not set: ${GENERAL_VARIABLES['DDNS_RECORDS']}`);
    else if (inMultiFile && !single) problems.push(`DDNS_RECORDS cannot say which of the providers ${names.join(', ')} each record uses: list them under records: with provider:`);
    else {
      for (const item of recordsText.split(',').filter((part) => part.trim())) {
        const parsed = parseRecordName(item, 'DDNS_RECORDS', problems);
        if (parsed && single)
          addRecord(
            { ...parsed, ttl, ...(zone ? { zone } : {}), ...(inMultiFile ? { provider: single } : {}), configuration: digest([configurations[single], zone ?? '', ttl]) },
            'DDNS_RECORDS',
            'DDNS_ZONE',
            single,
          );
      }
    }
  }
  if (zoneChecks.some(({ record }) => !record.zone)) await loadPublicSuffixList();
  for (const { record, where, zoneSetting } of zoneChecks) {
    const problem = recordZoneProblem(record, where, zoneSetting);
    if (problem) problems.push(problem);
  }
  const families = [...new Set(records.map((record): Family => (record.type === 'A' ? 4 : 6)))].sort();

  const filter = { allowPrivate: general.bool('DDNS_ALLOW_PRIVATE'), allowLinkLocal: general.bool('DDNS_ALLOW_LINK_LOCAL'), allowTemporary: general.bool('DDNS_ALLOW_TEMPORARY') };
  const sourceSpec = general.get('DDNS_IP_SOURCE') ?? 'http';
  let source: IpSource | undefined;
  const urlList = (key: string): string[] | undefined => {
    const value = general.get(key);
    if (!value) return undefined;
    const urls = value.split(',').map((url) => url.trim());
    for (const url of urls) {
      try {
        if (!/^https?:$/.test(new URL(url).protocol)) throw new Error();
      } catch {
        problems.push(`${key}: '${url}' is not an http(s) URL`);
      }
    }
    return urls;
  };
  if (sourceSpec === 'http') {
    const v4 = urlList('DDNS_IP_URLS');
    const v6 = urlList('DDNS_IP_URLS_V6');
    source = new HttpEchoSource({ families, intervalMs: general.seconds('DDNS_IP_POLL_SECS', 300) * 1000, urls: { ...(v4 ? { 4: v4 } : {}), ...(v6 ? { 6: v6 } : {}) } });
  } else if (sourceSpec === 'interface' || sourceSpec.startsWith('interface:')) {
    const interfaceName = sourceSpec.slice('interface:'.length) || undefined;
    source = new InterfaceSource({ families, ...filter, pollMs: general.seconds('DDNS_IP_POLL_SECS', 30) * 1000, ...(interfaceName ? { interfaceName } : {}) });
  } else if (sourceSpec === 'command') {
    const command = general.get('DDNS_IP_COMMAND');
    if (!command) problems.push('DDNS_IP_COMMAND is not set (the command source runs it to learn the address)');
    else source = new CommandSource({ command, families, ...filter, intervalMs: general.seconds('DDNS_IP_POLL_SECS', 300) * 1000 });
  } else problems.push(`DDNS_IP_SOURCE must be http, interface, interface:NAME or command, not '${sourceSpec}'`);

  const checkIntervalMs = general.seconds('DDNS_CHECK_INTERVAL_SECS', 300, 0) * 1000;
  const hookUrl = urlList('DDNS_HOOK_URL')?.[0];
  const hookCommand = general.get('DDNS_HOOK_COMMAND');
  const hooks = { ...(hookCommand ? { command: hookCommand } : {}), ...(hookUrl ? { url: hookUrl } : {}) };
  if (problems.length > 0 || !source || Object.keys(providers).length !== names.length) throw new DdnsConfigError(problems);
  return { providers, records, minIntervalMs, checkIntervalMs, stateFile: general.get('DDNS_STATE_FILE') ?? defaultStateFile(env), source, families, hooks };
}
