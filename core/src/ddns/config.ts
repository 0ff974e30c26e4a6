import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DreamhostApi } from '../dreamhost/api.js';
import { validateRecordName } from '../dns/names.js';
import { parseHostPort } from '../util/host-port.js';
import { CloudflareProvider, DreamhostProvider, Rfc2136Provider, zoneOf } from './providers.js';
import { TSIG_ALGORITHMS } from './rfc2136.js';
import { HttpEchoSource, InterfaceSource, type IpSource } from './sources.js';
import type { DdnsProvider, DdnsRecord, Family } from './types.js';

/** Every setting, as environment variables (or the same keys in a YAML/JSON file). */
export const DDNS_VARIABLES: Record<string, string> = {
  DDNS_PROVIDER: 'dreamhost, rfc2136 or cloudflare (required)',
  DDNS_RECORDS: 'comma-separated names, each optionally :A or :AAAA (default A), e.g. home.example.com,home.example.com:AAAA (required)',
  DDNS_MIN_UPDATE_INTERVAL_SECS: 'minimum seconds between two updates of one record (default 60)',
  DDNS_CHECK_INTERVAL_SECS: 'how often every record is read on the server and repaired when it differs (default 300; 0: only at start and on address changes)',
  DDNS_STATE_FILE: 'where published addresses are kept (default $XDG_STATE_HOME/shoreline/ddns-state.json)',
  DDNS_IP_SOURCE: 'http (public address from echo services, default), interface or interface:NAME (local addresses)',
  DDNS_IP_URLS: 'comma-separated IPv4 echo service URLs (http source)',
  DDNS_IP_URLS_V6: 'comma-separated IPv6 echo service URLs (http source)',
  DDNS_IP_POLL_SECS: 'poll interval: echo services (default 300) or interfaces without ip monitor (default 30)',
  DDNS_ALLOW_PRIVATE: 'true to publish private (RFC 1918, CGNAT, ULA) addresses (default false)',
  DDNS_ALLOW_LINK_LOCAL: 'true to publish link-local addresses (default false)',
  DDNS_ALLOW_TEMPORARY: 'true to publish IPv6 temporary addresses (default false)',
  DDNS_TTL: 'TTL of published records in seconds (default 60; rfc2136 and cloudflare)',
  DDNS_ZONE: 'the zone of every record (default: each name’s registrable domain)',
  RFC2136_SERVER: 'the DNS server taking updates, HOST or HOST:PORT (rfc2136)',
  RFC2136_TSIG_KEY_NAME: 'TSIG key name (rfc2136)',
  RFC2136_TSIG_SECRET: 'TSIG secret, base64 (rfc2136)',
  RFC2136_TSIG_ALGORITHM: `one of ${Object.keys(TSIG_ALGORITHMS).join(', ')} (default hmac-sha256)`,
  DREAMHOST_API_KEY: 'DreamHost API key with the dns-* functions (dreamhost)',
  CLOUDFLARE_API_TOKEN: 'API token with Zone:DNS:Edit (cloudflare)',
  CLOUDFLARE_PROXIED: 'true to proxy records through Cloudflare (default false)',
};

export class DdnsConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`the DDNS configuration is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'DdnsConfigError';
  }
}

export interface DdnsConfig {
  provider: DdnsProvider;
  records: DdnsRecord[];
  minIntervalMs: number;
  checkIntervalMs: number;
  /** A digest of the settings records are published with: a permanent failure is retried once it changes. */
  configuration: string;
  stateFile: string;
  source: IpSource;
  families: Family[];
}

/** Merges a config file (YAML or JSON, same keys as the variables) under the environment. */
export function readDdnsSettings(env: NodeJS.ProcessEnv, file?: string): Record<string, string> {
  const settings: Record<string, string> = {};
  if (file) {
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new DdnsConfigError([`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`]);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new DdnsConfigError([`${file}: expected a mapping of settings such as DDNS_PROVIDER: rfc2136`]);
    for (const [key, value] of Object.entries(parsed)) {
      if (!(key in DDNS_VARIABLES) && key !== 'CLOUDFLARE_API_URL' && key !== 'SHORELINE_DREAMHOST_API_URL') throw new DdnsConfigError([`${file}: unknown setting ${key}`]);
      settings[key] = Array.isArray(value) ? value.join(',') : String(value);
    }
  }
  for (const key of [...Object.keys(DDNS_VARIABLES), 'CLOUDFLARE_API_URL', 'SHORELINE_DREAMHOST_API_URL']) if (env[key] !== undefined && env[key] !== '') settings[key] = env[key]!;
  return settings;
}

function defaultStateFile(env: NodeJS.ProcessEnv): string {
  return join(env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state'), 'shoreline', 'ddns-state.json');
}

/** Checks every setting and builds the provider, records and IP source; all problems are reported at once. */
export function loadDdnsConfig(settings: Record<string, string>, env: NodeJS.ProcessEnv = process.env): DdnsConfig {
  const problems: string[] = [];
  const get = (key: string): string | undefined => settings[key]?.trim() || undefined;
  const bool = (key: string): boolean => {
    const value = get(key)?.toLowerCase();
    if (value === undefined || value === 'false' || value === '0' || value === 'no') return false;
    if (value === 'true' || value === '1' || value === 'yes') return true;
    problems.push(`${key} must be true or false, not '${get(key)}'`);
    return false;
  };
  const seconds = (key: string, fallback: number, min = 1): number => {
    const value = get(key);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) {
      problems.push(`${key} must be a whole number of seconds ≥ ${min}, not '${value}'`);
      return fallback;
    }
    return parsed;
  };

  const records: DdnsRecord[] = [];
  const recordsText = get('DDNS_RECORDS');
  const ttl = seconds('DDNS_TTL', 60);
  const zone = get('DDNS_ZONE') ?? get('RFC2136_ZONE');
  if (!recordsText) problems.push(`DDNS_RECORDS is not set: ${DDNS_VARIABLES['DDNS_RECORDS']}`);
  else {
    for (const item of recordsText
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const [name = '', type = 'A', extra] = item.split(':');
      const normalised = name.toLowerCase().replace(/\.$/, '');
      const nameProblem = validateRecordName(normalised, 'A').find((finding) => finding.severity !== 'warning' && finding.severity !== 'hint' && finding.severity !== 'information');
      if (extra !== undefined || !normalised.includes('.')) problems.push(`DDNS_RECORDS: '${item}' is not a fully qualified name with an optional :A or :AAAA`);
      else if (nameProblem) problems.push(`DDNS_RECORDS: '${name}': ${nameProblem.message}`);
      else if (type.toUpperCase() !== 'A' && type.toUpperCase() !== 'AAAA') problems.push(`DDNS_RECORDS: '${item}' has type ${type}; only A and AAAA hold addresses`);
      else {
        const record: DdnsRecord = { name: normalised, type: type.toUpperCase() as 'A' | 'AAAA', ttl, ...(zone ? { zone } : {}) };
        const zoneProblem = recordZoneProblem(record);
        if (zoneProblem) problems.push(zoneProblem);
        else records.push(record);
      }
    }
  }
  const families = [...new Set(records.map((record): Family => (record.type === 'A' ? 4 : 6)))].sort();

  let provider: DdnsProvider | undefined;
  const providerName = get('DDNS_PROVIDER');
  if (!providerName) problems.push(`DDNS_PROVIDER is not set: ${DDNS_VARIABLES['DDNS_PROVIDER']}`);
  else if (providerName === 'dreamhost') {
    const apiKey = get('DREAMHOST_API_KEY');
    if (!apiKey) problems.push('DREAMHOST_API_KEY is not set (the dreamhost provider needs an API key with the dns-* functions)');
    else provider = new DreamhostProvider(new DreamhostApi({ apiKey, ...(get('SHORELINE_DREAMHOST_API_URL') ? { baseUrl: get('SHORELINE_DREAMHOST_API_URL')! } : {}) }));
  } else if (providerName === 'rfc2136') {
    const server = get('RFC2136_SERVER');
    const keyName = get('RFC2136_TSIG_KEY_NAME');
    const secret = get('RFC2136_TSIG_SECRET');
    const algorithm = (get('RFC2136_TSIG_ALGORITHM') ?? 'hmac-sha256').toLowerCase();
    let host: string | undefined;
    let port = 53;
    if (!server) problems.push('RFC2136_SERVER is not set (HOST or HOST:PORT of the DNS server taking updates)');
    else {
      const parsed = parseHostPort(server);
      if (!parsed || (parsed.port !== undefined && (Number(parsed.port) < 1 || Number(parsed.port) > 65535)))
        problems.push(`RFC2136_SERVER must be HOST or HOST:PORT (IPv6 as [ADDR]:PORT), not '${server}'`);
      else {
        host = parsed.host;
        if (parsed.port !== undefined) port = Number(parsed.port);
      }
    }
    if (!keyName) problems.push('RFC2136_TSIG_KEY_NAME is not set (the name of the TSIG key the server knows)');
    if (!secret) problems.push('RFC2136_TSIG_SECRET is not set (the key’s base64 secret)');
    else if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret) || Buffer.from(secret, 'base64').length < 8)
      problems.push('RFC2136_TSIG_SECRET must be base64 (as in the server’s key statement), at least 8 bytes');
    if (!TSIG_ALGORITHMS[algorithm]) problems.push(`RFC2136_TSIG_ALGORITHM must be one of ${Object.keys(TSIG_ALGORITHMS).join(', ')}, not '${algorithm}'`);
    if (host && keyName && secret && TSIG_ALGORITHMS[algorithm] && problems.length === 0) provider = new Rfc2136Provider({ server: host, port, ttl, key: { name: keyName, secret, algorithm } });
  } else if (providerName === 'cloudflare') {
    const apiToken = get('CLOUDFLARE_API_TOKEN');
    if (!apiToken) problems.push('CLOUDFLARE_API_TOKEN is not set (an API token with Zone:DNS:Edit)');
    else provider = new CloudflareProvider({ apiToken, proxied: bool('CLOUDFLARE_PROXIED'), ...(get('CLOUDFLARE_API_URL') ? { baseUrl: get('CLOUDFLARE_API_URL')! } : {}) });
  } else problems.push(`DDNS_PROVIDER must be one of dreamhost, rfc2136, cloudflare, not '${providerName}'`);

  const filter = { allowPrivate: bool('DDNS_ALLOW_PRIVATE'), allowLinkLocal: bool('DDNS_ALLOW_LINK_LOCAL'), allowTemporary: bool('DDNS_ALLOW_TEMPORARY') };
  const sourceSpec = get('DDNS_IP_SOURCE') ?? 'http';
  let source: IpSource | undefined;
  const urlList = (key: string): string[] | undefined => {
    const value = get(key);
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
    source = new HttpEchoSource({ families, intervalMs: seconds('DDNS_IP_POLL_SECS', 300) * 1000, urls: { ...(v4 ? { 4: v4 } : {}), ...(v6 ? { 6: v6 } : {}) } });
  } else if (sourceSpec === 'interface' || sourceSpec.startsWith('interface:')) {
    const interfaceName = sourceSpec.slice('interface:'.length) || undefined;
    source = new InterfaceSource({ families, ...filter, pollMs: seconds('DDNS_IP_POLL_SECS', 30) * 1000, ...(interfaceName ? { interfaceName } : {}) });
  } else problems.push(`DDNS_IP_SOURCE must be http, interface or interface:NAME, not '${sourceSpec}'`);

  const minIntervalMs = seconds('DDNS_MIN_UPDATE_INTERVAL_SECS', 60, 0) * 1000;
  const checkIntervalMs = seconds('DDNS_CHECK_INTERVAL_SECS', 300, 0) * 1000;
  if (problems.length > 0 || !provider || !source) throw new DdnsConfigError(problems);
  return { provider, records, minIntervalMs, checkIntervalMs, configuration: configurationDigest(settings), stateFile: get('DDNS_STATE_FILE') ?? defaultStateFile(env), source, families };
}

/** The settings that decide how a record is published (not how addresses are found), digested: never the secrets themselves. */
function configurationDigest(settings: Record<string, string>): string {
  const relevant = Object.keys(settings)
    .filter((key) => !key.startsWith('DDNS_IP_') && !key.startsWith('DDNS_ALLOW_') && key !== 'DDNS_STATE_FILE' && !key.endsWith('_INTERVAL_SECS'))
    .sort()
    .map((key) => [key, settings[key]]);
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 16);
}

/** Why a record's zone cannot be known, or the record is not inside it (found before any update is sent). */
function recordZoneProblem(record: DdnsRecord): string | undefined {
  let zone: string;
  try {
    zone = zoneOf(record);
  } catch {
    return `DDNS_RECORDS: cannot tell the zone of ${record.name} (no registrable domain under the public suffix list); set DDNS_ZONE`;
  }
  const name = record.name.replace(/^\*\./, '');
  if (name !== zone && !name.endsWith(`.${zone}`)) return `DDNS_RECORDS: ${record.name} is not inside the zone ${zone} (DDNS_ZONE)`;
  return undefined;
}
