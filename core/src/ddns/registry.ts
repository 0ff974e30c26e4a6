import { DreamhostApi } from '../dreamhost/api.js';
import { parseHostPort } from '../util/host-port.js';
import { CloudflareProvider, DreamhostProvider, Rfc2136Provider } from './providers.js';
import { DesecProvider, DigitalOceanProvider, DuckDnsProvider, Dyndns2Provider, GandiProvider, HetznerProvider, PorkbunProvider, Route53Provider } from './rest-providers.js';
import { TSIG_ALGORITHMS } from './rfc2136.js';
import type { DdnsProvider } from './types.js';

/**
 * Every DDNS provider Shoreline knows, as data: its settings (the
 * environment variable of a single-provider setup, the key of an entry under
 * `providers:` in a configuration file) and how to build it. Help, docs,
 * validation and the configuration file all read this one table; adding a
 * provider is adding an entry.
 */

export interface ProviderSetting {
  /** The key in a configuration file's provider entry, e.g. `api_token`. */
  key: string;
  /** The environment variable of a single-provider setup, e.g. `CLOUDFLARE_API_TOKEN`. */
  variable: string;
  description: string;
  required?: boolean;
  /** A credential: digested for the configuration identity, never shown. */
  secret?: boolean;
  /** Only for tests and private deployments (another API endpoint): not in the help. */
  hidden?: boolean;
}

/** What building a provider sees: its settings by key, and where to report problems (named as the user wrote them). */
export interface ProviderContext {
  get(key: string): string | undefined;
  bool(key: string): boolean;
  /** How the user names a setting: the variable, or `providers.NAME.key` in a file. */
  label(key: string): string;
  problem(message: string): void;
}

/**
 * Where a provider finds a record's zone when the record sets none: from the
 * name, through the public suffix list (`name`); by asking the server
 * (`server`, RFC 2136's SOA query); or it needs none (`none`).
 */
export type ZoneSource = 'name' | 'server' | 'none';

export interface ProviderDefinition {
  name: string;
  summary: string;
  settings: ProviderSetting[];
  zone: ZoneSource;
  create(context: ProviderContext): DdnsProvider | undefined;
}

const setting = (key: string, variable: string, description: string, extra: Partial<ProviderSetting> = {}): ProviderSetting => ({ key, variable, description, ...extra });
const apiUrl = (variable: string): ProviderSetting => setting('api_url', variable, 'the API endpoint (tests, private deployments)', { hidden: true });

/** A provider whose only credential is one token. */
function tokenProvider(
  name: string,
  summary: string,
  variable: string,
  description: string,
  build: (settings: { token: string; baseUrl?: string }) => DdnsProvider,
  urlVariable: string,
  zone: ZoneSource = 'name',
): ProviderDefinition {
  return {
    name,
    summary,
    zone,
    settings: [setting('token', variable, description, { required: true, secret: true }), apiUrl(urlVariable)],
    create: (context) => {
      const token = context.get('token');
      const baseUrl = context.get('api_url');
      return token ? build({ token, ...(baseUrl ? { baseUrl } : {}) }) : undefined;
    },
  };
}

export const DDNS_PROVIDERS: readonly ProviderDefinition[] = [
  {
    name: 'dreamhost',
    zone: 'none',
    summary: 'DreamHost API (the new record is added before the old one is removed)',
    settings: [setting('api_key', 'DREAMHOST_API_KEY', 'DreamHost API key with the dns-* functions', { required: true, secret: true }), apiUrl('SHORELINE_DREAMHOST_API_URL')],
    create: (context) => {
      const apiKey = context.get('api_key');
      const baseUrl = context.get('api_url');
      return apiKey ? new DreamhostProvider(new DreamhostApi({ apiKey, ...(baseUrl ? { baseUrl } : {}) })) : undefined;
    },
  },
  {
    name: 'rfc2136',
    zone: 'server',
    summary: 'DNS UPDATE signed with TSIG, to BIND, Knot, PowerDNS or Windows DNS',
    settings: [
      setting('server', 'RFC2136_SERVER', 'the DNS server taking updates, HOST or HOST:PORT', { required: true }),
      setting('tsig_key_name', 'RFC2136_TSIG_KEY_NAME', 'TSIG key name', { required: true }),
      setting('tsig_secret', 'RFC2136_TSIG_SECRET', 'TSIG secret, base64', { required: true, secret: true }),
      setting('tsig_algorithm', 'RFC2136_TSIG_ALGORITHM', `one of ${Object.keys(TSIG_ALGORITHMS).join(', ')} (default hmac-sha256)`),
    ],
    create: (context) => {
      const server = context.get('server');
      const keyName = context.get('tsig_key_name');
      const secret = context.get('tsig_secret');
      const algorithm = (context.get('tsig_algorithm') ?? 'hmac-sha256').toLowerCase();
      let host: string | undefined;
      let port = 53;
      let ok = true;
      if (server) {
        const parsed = parseHostPort(server);
        if (!parsed || (parsed.port !== undefined && (Number(parsed.port) < 1 || Number(parsed.port) > 65535))) {
          context.problem(`${context.label('server')} must be HOST or HOST:PORT (IPv6 as [ADDR]:PORT), not '${server}'`);
          ok = false;
        } else {
          host = parsed.host;
          if (parsed.port !== undefined) port = Number(parsed.port);
        }
      }
      if (secret && (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret) || Buffer.from(secret, 'base64').length < 8)) {
        context.problem(`${context.label('tsig_secret')} must be base64 (as in the server’s key statement), at least 8 bytes`);
        ok = false;
      }
      if (!TSIG_ALGORITHMS[algorithm]) {
        context.problem(`${context.label('tsig_algorithm')} must be one of ${Object.keys(TSIG_ALGORITHMS).join(', ')}, not '${algorithm}'`);
        ok = false;
      }
      return ok && host && keyName && secret ? new Rfc2136Provider({ server: host, port, key: { name: keyName, secret, algorithm } }) : undefined;
    },
  },
  {
    name: 'cloudflare',
    zone: 'name',
    summary: 'Cloudflare API v4',
    settings: [
      setting('api_token', 'CLOUDFLARE_API_TOKEN', 'API token with Zone:DNS:Edit', { required: true, secret: true }),
      setting('proxied', 'CLOUDFLARE_PROXIED', 'true to proxy records through Cloudflare (default false)'),
      apiUrl('CLOUDFLARE_API_URL'),
    ],
    create: (context) => {
      const apiToken = context.get('api_token');
      const proxied = context.bool('proxied');
      const baseUrl = context.get('api_url');
      return apiToken ? new CloudflareProvider({ apiToken, proxied, ...(baseUrl ? { baseUrl } : {}) }) : undefined;
    },
  },
  {
    name: 'dyndns2',
    zone: 'none',
    summary: 'the dyndns2 protocol: No-IP, Dynu, DNS-O-Matic, ChangeIP and many more',
    settings: [
      setting('server', 'DYNDNS2_SERVER', 'the update server, e.g. dynupdate.no-ip.com, api.dynu.com, updates.dnsomatic.com', { required: true }),
      setting('username', 'DYNDNS2_USERNAME', 'the account (or update) user name', { required: true }),
      setting('password', 'DYNDNS2_PASSWORD', 'its password or update key', { required: true, secret: true }),
    ],
    create: (context) => {
      const server = context.get('server');
      const username = context.get('username');
      const password = context.get('password');
      return server && username && password ? new Dyndns2Provider({ server, username, password }) : undefined;
    },
  },
  tokenProvider('duckdns', 'DuckDNS (names SUBDOMAIN.duckdns.org)', 'DUCKDNS_TOKEN', 'the account token', (settings) => new DuckDnsProvider(settings), 'DUCKDNS_API_URL', 'none'),
  tokenProvider('desec', 'deSEC (desec.io)', 'DESEC_TOKEN', 'an API token of the account', (settings) => new DesecProvider(settings), 'DESEC_API_URL'),
  {
    name: 'porkbun',
    zone: 'name',
    summary: 'Porkbun API v3',
    settings: [
      setting('api_key', 'PORKBUN_API_KEY', 'the API key (pk1_...)', { required: true, secret: true }),
      setting('secret_api_key', 'PORKBUN_SECRET_API_KEY', 'the secret API key (sk1_...)', { required: true, secret: true }),
      apiUrl('PORKBUN_API_URL'),
    ],
    create: (context) => {
      const apiKey = context.get('api_key');
      const secretApiKey = context.get('secret_api_key');
      const baseUrl = context.get('api_url');
      return apiKey && secretApiKey ? new PorkbunProvider({ apiKey, secretApiKey, ...(baseUrl ? { baseUrl } : {}) }) : undefined;
    },
  },
  tokenProvider('hetzner', 'Hetzner DNS', 'HETZNER_DNS_TOKEN', 'a DNS API token', (settings) => new HetznerProvider(settings), 'HETZNER_DNS_API_URL'),
  tokenProvider('gandi', 'Gandi LiveDNS', 'GANDI_TOKEN', 'a personal access token that manages the domain’s technical configuration', (settings) => new GandiProvider(settings), 'GANDI_API_URL'),
  {
    name: 'route53',
    zone: 'name',
    summary: 'Amazon Route 53 (requests signed with AWS Signature Version 4)',
    settings: [
      setting('access_key_id', 'AWS_ACCESS_KEY_ID', 'an access key allowed route53:ListHostedZonesByName, ListResourceRecordSets and ChangeResourceRecordSets', { required: true }),
      setting('secret_access_key', 'AWS_SECRET_ACCESS_KEY', 'its secret', { required: true, secret: true }),
      setting('session_token', 'AWS_SESSION_TOKEN', 'a session token, for temporary credentials', { secret: true }),
      setting('hosted_zone_id', 'ROUTE53_HOSTED_ZONE_ID', 'the hosted zone (default: the public one named as the record’s zone)'),
      apiUrl('ROUTE53_API_URL'),
    ],
    create: (context) => {
      const accessKeyId = context.get('access_key_id');
      const secretAccessKey = context.get('secret_access_key');
      const sessionToken = context.get('session_token');
      const hostedZoneId = context.get('hosted_zone_id');
      const baseUrl = context.get('api_url');
      return accessKeyId && secretAccessKey
        ? new Route53Provider({ accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), ...(hostedZoneId ? { hostedZoneId } : {}), ...(baseUrl ? { baseUrl } : {}) })
        : undefined;
    },
  },
  tokenProvider('digitalocean', 'DigitalOcean DNS', 'DIGITALOCEAN_TOKEN', 'an API token with the domain scopes', (settings) => new DigitalOceanProvider(settings), 'DIGITALOCEAN_API_URL'),
];

export function providerDefinition(name: string): ProviderDefinition | undefined {
  return DDNS_PROVIDERS.find((definition) => definition.name === name);
}
