import { HttpClient, HttpError, type HttpRequest } from '../http/index.js';
import { comparableAddress, ZoneIds } from './providers.js';
import { zoneOf } from './zones.js';
import { PermanentUpdateError, type DdnsProvider, type DdnsRecord } from './types.js';

/**
 * Providers reached over HTTP APIs, each as its own documentation describes
 * the wire format: the dyndns2 protocol (No-IP, Dynu, DNS-O-Matic and most
 * routers' targets), DuckDNS, deSEC, Porkbun, Hetzner DNS, Gandi LiveDNS and
 * DigitalOcean. Credentials go in headers or bodies, never in logs (the HTTP
 * client removes them from every message); answers that mean "retrying will
 * not help" (refused credentials, a name the account does not have) are
 * PermanentUpdateErrors.
 */

const addressTypes = (record: DdnsRecord): string | undefined => (record.type === 'A' || record.type === 'AAAA' ? undefined : `${record.type} records are not addresses`);

const bare = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/** The name relative to its zone: '' (or '@', as the API spells it) at the apex. */
function relativeName(record: DdnsRecord, apex = ''): string {
  const name = bare(record.name);
  const zone = zoneOf(record);
  return name === zone ? apex : name.slice(0, -(zone.length + 1));
}

interface ApiOptions {
  /** Default: the provider's public API. */
  baseUrl?: string;
  http?: HttpClient;
}

/** Calls of one JSON API: credentials refused → permanent, naming the settings to check. */
class JsonApi {
  readonly http: HttpClient;
  readonly baseUrl: string;
  constructor(
    private readonly provider: string,
    defaultBaseUrl: string,
    secrets: string[],
    private readonly credentialHint: string,
    options: ApiOptions,
  ) {
    this.baseUrl = (options.baseUrl ?? defaultBaseUrl).replace(/\/$/, '');
    // No retries here: the engine retries with its own backoff and knows permanent errors.
    this.http = options.http ?? new HttpClient({ retries: 0, secrets: () => secrets });
  }

  /** The parsed answer, or undefined for 404 when `missing` says a 404 means "no such record". */
  async call<T>(request: Omit<HttpRequest, 'url' | 'cacheKey'> & { path: string; missing?: boolean }, signal: AbortSignal): Promise<T | undefined> {
    const { path, missing, ...rest } = request;
    try {
      const response = await this.http.request({ ...rest, url: `${this.baseUrl}${path}`, cacheKey: false, signal });
      return (response.body.trim() === '' ? undefined : JSON.parse(response.body)) as T;
    } catch (error) {
      if (error instanceof HttpError && error.kind === 'status') {
        if (error.status === 404 && missing) return undefined;
        const said = apiMessage(error.body);
        if (error.status === 401 || error.status === 403)
          throw new PermanentUpdateError(`${this.provider} refused the credentials (HTTP ${error.status}${said ? `: ${said}` : ''}): ${this.credentialHint}`);
        if (error.status === 400 || error.status === 404 || error.status === 422)
          throw new PermanentUpdateError(`${this.provider} refused the request (HTTP ${error.status}${said ? `: ${said}` : ''})`);
        throw new Error(`${this.provider} answered HTTP ${error.status}${said ? `: ${said}` : ''}`);
      }
      throw error;
    }
  }
}

/** The human part of an API's error body, when it has one. */
function apiMessage(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const candidates = [parsed['message'], parsed['detail'], parsed['error'], (parsed['error'] as Record<string, unknown> | undefined)?.['message'], parsed['cause']];
    const found = candidates.find((value) => typeof value === 'string' && value.trim() !== '');
    return typeof found === 'string' ? found.slice(0, 300) : undefined;
  } catch {
    return body.trim().slice(0, 200) || undefined;
  }
}

export interface Dyndns2Settings extends ApiOptions {
  /** The update server, e.g. dynupdate.no-ip.com, api.dynu.com, updates.dnsomatic.com (or a full https:// URL). */
  server: string;
  username: string;
  password: string;
}

/**
 * The dyndns2 protocol: `GET /nic/update?hostname=NAME&myip=ADDRESS` with
 * Basic authentication; the answer is a line of text (`good`, `nochg` on
 * success; `badauth`, `nohost`, `notfqdn`, `!donator`, `abuse`, `badagent`
 * refused for good; `dnserr`, `911` a server problem to wait out).
 */
export class Dyndns2Provider implements DdnsProvider {
  readonly name = 'dyndns2';
  private readonly http: HttpClient;
  private readonly baseUrl: string;
  constructor(private readonly settings: Dyndns2Settings) {
    this.baseUrl = (/^https?:\/\//.test(settings.server) ? settings.server : `https://${settings.server}`).replace(/\/$/, '');
    this.http = settings.http ?? new HttpClient({ retries: 0, secrets: () => [settings.password, Buffer.from(`${settings.username}:${settings.password}`).toString('base64')] });
  }

  supports(record: DdnsRecord): string | undefined {
    return addressTypes(record);
  }

  async update(record: DdnsRecord, address: string, signal: AbortSignal): Promise<void> {
    const url = `${this.baseUrl}/nic/update?hostname=${encodeURIComponent(bare(record.name))}&myip=${encodeURIComponent(address)}`;
    const authorization = `Basic ${Buffer.from(`${this.settings.username}:${this.settings.password}`).toString('base64')}`;
    let text: string;
    try {
      text = (await this.http.request({ url, headers: { authorization, 'user-agent': 'shoreline-ddns/1 (+https://github.com/shoreline-dev/shoreline)' }, cacheKey: false, signal })).body.trim();
    } catch (error) {
      if (error instanceof HttpError && error.status === 401)
        throw new PermanentUpdateError(`${this.baseUrl} refused the username or password (HTTP 401, badauth): check DYNDNS2_USERNAME and DYNDNS2_PASSWORD`);
      throw error;
    }
    const [code = '', ...rest] = text.split(/\s+/);
    if (code === 'good' || code === 'nochg') return;
    const meaning: Record<string, string> = {
      badauth: 'the username or password is wrong (DYNDNS2_USERNAME, DYNDNS2_PASSWORD)',
      '!donator': 'the account does not have this feature',
      notfqdn: `${record.name} is not a fully qualified name`,
      nohost: `the account has no host ${record.name}`,
      numhost: 'too many hosts in one request',
      abuse: 'the host is blocked for abuse',
      badagent: 'the server refused the client',
      '!yours': `${record.name} belongs to another account`,
    };
    if (meaning[code]) throw new PermanentUpdateError(`${this.baseUrl} answered ${code}: ${meaning[code]}`);
    throw new Error(`${this.baseUrl} answered ${[code, ...rest].join(' ') || 'nothing'}${code === 'dnserr' || code === '911' ? ' (a problem on its side; retried later)' : ''}`);
  }
}

export interface DuckDnsSettings extends ApiOptions {
  token: string;
}

/** DuckDNS: `GET /update?domains=SUB&token=T&ip=A` (or `ipv6=`); the answer is `OK` or `KO`. Names are SUB.duckdns.org. */
export class DuckDnsProvider implements DdnsProvider {
  readonly name = 'duckdns';
  private readonly http: HttpClient;
  private readonly baseUrl: string;
  constructor(private readonly settings: DuckDnsSettings) {
    this.baseUrl = (settings.baseUrl ?? 'https://www.duckdns.org').replace(/\/$/, '');
    this.http = settings.http ?? new HttpClient({ retries: 0, secrets: () => [settings.token] });
  }

  supports(record: DdnsRecord): string | undefined {
    const name = bare(record.name);
    if (!name.endsWith('.duckdns.org') || name.split('.').length < 3) return `DuckDNS names are SUBDOMAIN.duckdns.org, not ${record.name}`;
    return addressTypes(record);
  }

  async update(record: DdnsRecord, address: string, signal: AbortSignal): Promise<void> {
    const subdomain = bare(record.name).slice(0, -'.duckdns.org'.length).split('.').at(-1)!;
    const url = `${this.baseUrl}/update?domains=${encodeURIComponent(subdomain)}&token=${encodeURIComponent(this.settings.token)}&${record.type === 'A' ? 'ip' : 'ipv6'}=${encodeURIComponent(address)}`;
    const text = (await this.http.request({ url, cacheKey: false, signal })).body.trim();
    if (text.startsWith('OK')) return;
    if (text.startsWith('KO')) throw new PermanentUpdateError(`DuckDNS answered KO: the token (DUCKDNS_TOKEN) is wrong or the account has no subdomain ${subdomain}`);
    throw new Error(`DuckDNS answered ${text.slice(0, 100) || 'nothing'}`);
  }
}

export interface TokenSettings extends ApiOptions {
  token: string;
}

/** deSEC: RRsets by subname and type (`@` in paths, '' in bodies at the apex); TTLs of at least 3600 s. */
export class DesecProvider implements DdnsProvider {
  readonly name = 'desec';
  private readonly api: JsonApi;
  constructor(settings: TokenSettings) {
    this.api = new JsonApi('deSEC', 'https://desec.io/api/v1', [settings.token], 'DESEC_TOKEN needs to be a token of the account that owns the domain', settings);
    this.headers = { authorization: `Token ${settings.token}`, 'content-type': 'application/json' };
  }
  private readonly headers: Record<string, string>;

  supports(record: DdnsRecord): string | undefined {
    return addressTypes(record);
  }

  async current(record: DdnsRecord, signal: AbortSignal): Promise<string[]> {
    const path = `/domains/${encodeURIComponent(zoneOf(record))}/rrsets/${encodeURIComponent(relativeName(record, '@'))}/${record.type}/`;
    const rrset = await this.api.call<{ records: string[] }>({ path, headers: this.headers, missing: true }, signal);
    return (rrset?.records ?? []).map(comparableAddress);
  }

  /** A bulk PUT of one RRset: created when missing, replaced when present. */
  async update(record: DdnsRecord, address: string, signal: AbortSignal): Promise<void> {
    const body = [{ subname: relativeName(record), type: record.type, ttl: Math.max(3600, record.ttl ?? 3600), records: [address] }];
    await this.api.call({ path: `/domains/${encodeURIComponent(zoneOf(record))}/rrsets/`, method: 'PUT', headers: this.headers, body: JSON.stringify(body) }, signal);
  }
}

export interface PorkbunSettings extends ApiOptions {
  apiKey: string;
  secretApiKey: string;
}

/** Porkbun API v3: credentials in each JSON body; records by name and type (retrieve, edit, or create when there is none). */
export class PorkbunProvider implements DdnsProvider {
  readonly name = 'porkbun';
  private readonly api: JsonApi;
  constructor(private readonly settings: PorkbunSettings) {
    this.api = new JsonApi(
      'Porkbun',
      'https://api.porkbun.com/api/json/v3',
      [settings.apiKey, settings.secretApiKey],
      'check PORKBUN_API_KEY and PORKBUN_SECRET_API_KEY, and that API access is on for the domain',
      settings,
    );
  }

  supports(record: DdnsRecord): string | undefined {
    return addressTypes(record);
  }

  private async post<T>(path: string, fields: Record<string, unknown>, signal: AbortSignal): Promise<T> {
    const answer = await this.api.call<{ status: string; message?: string } & T>(
      { path, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apikey: this.settings.apiKey, secretapikey: this.settings.secretApiKey, ...fields }) },
      signal,
    );
    if (answer?.status !== 'SUCCESS') throw new PermanentUpdateError(`Porkbun answered ${answer?.status ?? 'nothing'}${answer?.message ? `: ${answer.message}` : ''}`);
    return answer;
  }

  async current(record: DdnsRecord, signal: AbortSignal): Promise<string[]> {
    const sub = relativeName(record);
    const answer = await this.post<{ records?: { content: string }[] }>(`/dns/retrieveByNameType/${zoneOf(record)}/${record.type}${sub ? `/${sub}` : ''}`, {}, signal);
    return (answer.records ?? []).map((entry) => comparableAddress(entry.content));
  }

  async update(record: DdnsRecord, address: string, signal: AbortSignal): Promise<void> {
    const sub = relativeName(record);
    const zone = zoneOf(record);
    const ttl = String(Math.max(600, record.ttl ?? 600));
    if ((await this.current(record, signal)).length === 0) await this.post(`/dns/create/${zone}`, { name: sub, type: record.type, content: address, ttl }, signal);
    else await this.post(`/dns/editByNameType/${zone}/${record.type}${sub ? `/${sub}` : ''}`, { content: address, ttl }, signal);
  }
}

/** Hetzner DNS API: zones by name, records by zone (names relative, '@' at the apex); create or update by id. */
export class HetznerProvider implements DdnsProvider {
  readonly name = 'hetzner';
  private readonly api: JsonApi;
  private readonly headers: Record<string, string>;
  private readonly zoneIds = new ZoneIds();
  constructor(settings: TokenSettings) {
    this.api = new JsonApi('Hetzner DNS', 'https://dns.hetzner.com/api/v1', [settings.token], 'HETZNER_DNS_TOKEN needs to be a DNS API token (dns.hetzner.com → API tokens)', settings);
    this.headers = { 'auth-api-token': settings.token, 'content-type': 'application/json' };
  }

  supports(record: DdnsRecord): string | undefined {
    return addressTypes(record);
  }

  private zoneId(zone: string, signal: AbortSignal): Promise<string> {
    return this.zoneIds.get(zone, async () => {
      const answer = await this.api.call<{ zones: { id: string; name: string }[] }>({ path: `/zones?name=${encodeURIComponent(zone)}`, headers: this.headers, missing: true }, signal);
      const id = answer?.zones.find((entry) => entry.name === zone)?.id;
      if (!id) throw new PermanentUpdateError(`Hetzner DNS has no zone ${zone} for this token`);
      return id;
    });
  }

  private async records(record: DdnsRecord, signal: AbortSignal): Promise<{ zone: string; found: { id: string; value: string }[] }> {
    const zone = await this.zoneId(zoneOf(record), signal);
    const name = relativeName(record, '@');
    const answer = await this.api.call<{ records: { id: string; type: string; name: string; value: string }[] }>(
      { path: `/records?zone_id=${encodeURIComponent(zone)}`, headers: this.headers },
      signal,
    );
    return { zone, found: (answer?.records ?? []).filter((entry) => entry.type === record.type && entry.name === name) };
  }

  async current(record: DdnsRecord, signal: AbortSignal): Promise<string[]> {
    return (await this.records(record, signal)).found.map((entry) => comparableAddress(entry.value));
  }

  async update(record: DdnsRecord, address: string, signal: AbortSignal): Promise<void> {
    const { zone, found } = await this.records(record, signal);
    const body = JSON.stringify({ zone_id: zone, type: record.type, name: relativeName(record, '@'), value: address, ttl: record.ttl ?? 60 });
    if (found.length === 0) await this.api.call({ path: '/records', method: 'POST', headers: this.headers, body }, signal);
    else await this.api.call({ path: `/records/${encodeURIComponent(found[0]!.id)}`, method: 'PUT', headers: this.headers, body }, signal);
  }
}

/** Gandi LiveDNS v5: one RRset per name and type (`@` at the apex), replaced whole with PUT; a personal access token as Bearer. */
export class GandiProvider implements DdnsProvider {
  readonly name = 'gandi';
  private readonly api: JsonApi;
  private readonly headers: Record<string, string>;
  constructor(settings: TokenSettings) {
    this.api = new JsonApi(
      'Gandi LiveDNS',
      'https://api.gandi.net/v5/livedns',
      [settings.token],
      'GANDI_TOKEN needs to be a personal access token with "Manage domain technical configurations"',
      settings,
    );
    this.headers = { authorization: `Bearer ${settings.token}`, 'content-type': 'application/json' };
  }

  supports(record: DdnsRecord): string | undefined {
    return addressTypes(record);
  }

  private path(record: DdnsRecord): string {
    return `/domains/${encodeURIComponent(zoneOf(record))}/records/${encodeURIComponent(relativeName(record, '@'))}/${record.type}`;
  }

  async current(record: DdnsRecord, signal: AbortSignal): Promise<string[]> {
    const rrset = await this.api.call<{ rrset_values: string[] }>({ path: this.path(record), headers: this.headers, missing: true }, signal);
    return (rrset?.rrset_values ?? []).map(comparableAddress);
  }

  async update(record: DdnsRecord, address: string, signal: AbortSignal): Promise<void> {
    await this.api.call({ path: this.path(record), method: 'PUT', headers: this.headers, body: JSON.stringify({ rrset_values: [address], rrset_ttl: Math.max(300, record.ttl ?? 300) }) }, signal);
  }
}

/** DigitalOcean API v2: a domain's records filtered by type and full name; create, or update the first by id. */
export class DigitalOceanProvider implements DdnsProvider {
  readonly name = 'digitalocean';
  private readonly api: JsonApi;
  private readonly headers: Record<string, string>;
  constructor(settings: TokenSettings) {
    this.api = new JsonApi('DigitalOcean', 'https://api.digitalocean.com/v2', [settings.token], 'DIGITALOCEAN_TOKEN needs the domain:read and domain:update scopes', settings);
    this.headers = { authorization: `Bearer ${settings.token}`, 'content-type': 'application/json' };
  }

  supports(record: DdnsRecord): string | undefined {
    return addressTypes(record);
  }

  private async records(record: DdnsRecord, signal: AbortSignal): Promise<{ id: number; data: string }[]> {
    const answer = await this.api.call<{ domain_records: { id: number; data: string }[] }>(
      { path: `/domains/${encodeURIComponent(zoneOf(record))}/records?type=${record.type}&name=${encodeURIComponent(bare(record.name))}`, headers: this.headers },
      signal,
    );
    return answer?.domain_records ?? [];
  }

  async current(record: DdnsRecord, signal: AbortSignal): Promise<string[]> {
    return (await this.records(record, signal)).map((entry) => comparableAddress(entry.data));
  }

  async update(record: DdnsRecord, address: string, signal: AbortSignal): Promise<void> {
    const zone = zoneOf(record);
    const found = await this.records(record, signal);
    const body = JSON.stringify({ type: record.type, name: relativeName(record, '@'), data: address, ttl: Math.max(30, record.ttl ?? 60) });
    if (found.length === 0) await this.api.call({ path: `/domains/${encodeURIComponent(zone)}/records`, method: 'POST', headers: this.headers, body }, signal);
    else await this.api.call({ path: `/domains/${encodeURIComponent(zone)}/records/${found[0]!.id}`, method: 'PUT', headers: this.headers, body }, signal);
  }
}

export interface Route53Settings {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** The hosted zone (Z...); default: the public hosted zone named as the record's zone. */
  hostedZoneId?: string;
  /** Default https://route53.amazonaws.com. */
  baseUrl?: string;
  http?: HttpClient;
}

/** The texts of `<tag>...</tag>` in a piece of XML (Route 53's answers have no attributes or CDATA in these elements). */
function xmlTexts(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => decodeXml(match[1]!));
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function encodeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A DNS name as Route 53 writes it back: lower case, no final dot, `\052` for a wildcard's star. */
function route53Name(name: string): string {
  return name.replace(/\\052/g, '*').replace(/\.$/, '').toLowerCase();
}

/**
 * Amazon Route 53 (API 2013-04-01, requests signed with AWS Signature
 * Version 4): the hosted zone by name (the public one), the record set read
 * with ListResourceRecordSets and replaced with one UPSERT change.
 */
export class Route53Provider implements DdnsProvider {
  readonly name = 'route53';
  private readonly http: HttpClient;
  private readonly endpoint: URL;
  private readonly zoneIds = new ZoneIds();
  constructor(private readonly settings: Route53Settings) {
    this.endpoint = new URL(settings.baseUrl ?? 'https://route53.amazonaws.com');
    this.http = settings.http ?? new HttpClient({ retries: 0, secrets: () => [settings.secretAccessKey, ...(settings.sessionToken ? [settings.sessionToken] : [])] });
  }

  supports(record: DdnsRecord): string | undefined {
    return addressTypes(record);
  }

  private async call(method: 'GET' | 'POST', path: string, body: string | undefined, signal: AbortSignal): Promise<string> {
    const { default: aws4 } = await import('aws4');
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'text/xml' };
    const signed = aws4.sign(
      { host: this.endpoint.host, path: `${this.endpoint.pathname.replace(/\/$/, '')}${path}`, method, service: 'route53', region: 'us-east-1', headers, ...(body !== undefined ? { body } : {}) },
      { accessKeyId: this.settings.accessKeyId, secretAccessKey: this.settings.secretAccessKey, ...(this.settings.sessionToken ? { sessionToken: this.settings.sessionToken } : {}) },
    );
    const { host: _host, ...sent } = signed.headers as Record<string, string>;
    try {
      const response = await this.http.request({ url: `${this.endpoint.origin}${signed.path}`, method, headers: sent, ...(body !== undefined ? { body } : {}), cacheKey: false, signal });
      return response.body;
    } catch (error) {
      if (!(error instanceof HttpError) || error.kind !== 'status') throw error;
      const code = xmlTexts(error.body ?? '', 'Code')[0] ?? '';
      const message = xmlTexts(error.body ?? '', 'Message')[0];
      const said = `HTTP ${error.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
      if (code === 'Throttling' || code === 'PriorRequestNotComplete' || (error.status ?? 0) >= 500) throw new Error(`Route 53 answered ${said}`);
      if (error.status === 403 || code === 'InvalidClientTokenId' || code === 'SignatureDoesNotMatch' || code === 'AccessDenied')
        throw new PermanentUpdateError(
          `Route 53 refused the credentials (${said}): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and that they may change the hosted zone (route53:ChangeResourceRecordSets)`,
        );
      throw new PermanentUpdateError(`Route 53 refused the request (${said})`);
    }
  }

  private async zoneId(zone: string, signal: AbortSignal): Promise<string> {
    if (this.settings.hostedZoneId) return this.settings.hostedZoneId.replace(/^\/?hostedzone\//, '');
    return this.zoneIds.get(zone, () => this.hostedZone(zone, signal));
  }

  private async hostedZone(zone: string, signal: AbortSignal): Promise<string> {
    const xml = await this.call('GET', `/2013-04-01/hostedzonesbyname?dnsname=${encodeURIComponent(zone)}&maxitems=10`, undefined, signal);
    const zones = xmlTexts(xml, 'HostedZone').map((entry) => ({
      id: xmlTexts(entry, 'Id')[0] ?? '',
      name: route53Name(xmlTexts(entry, 'Name')[0] ?? ''),
      private: xmlTexts(entry, 'PrivateZone')[0] === 'true',
    }));
    const found = zones.find((entry) => entry.name === zone && !entry.private) ?? zones.find((entry) => entry.name === zone);
    if (!found) throw new PermanentUpdateError(`Route 53 has no hosted zone ${zone} for these credentials (set ROUTE53_HOSTED_ZONE_ID to name it)`);
    return found.id.replace(/^\/?hostedzone\//, '');
  }

  async current(record: DdnsRecord, signal: AbortSignal): Promise<string[]> {
    const name = bare(record.name);
    const zone = await this.zoneId(zoneOf(record), signal);
    const xml = await this.call('GET', `/2013-04-01/hostedzone/${zone}/rrset?name=${encodeURIComponent(`${name}.`)}&type=${record.type}&maxitems=1`, undefined, signal);
    const set = xmlTexts(xml, 'ResourceRecordSet')[0];
    if (!set || route53Name(xmlTexts(set, 'Name')[0] ?? '') !== name || xmlTexts(set, 'Type')[0] !== record.type) return [];
    return xmlTexts(set, 'Value').map(comparableAddress);
  }

  async update(record: DdnsRecord, address: string, signal: AbortSignal): Promise<void> {
    const zone = await this.zoneId(zoneOf(record), signal);
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Comment>shoreline ddns</Comment><Changes><Change><Action>UPSERT</Action>' +
      `<ResourceRecordSet><Name>${encodeXml(bare(record.name))}.</Name><Type>${record.type}</Type><TTL>${record.ttl ?? 60}</TTL><ResourceRecords><ResourceRecord><Value>${encodeXml(address)}</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>` +
      '</Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>';
    await this.call('POST', `/2013-04-01/hostedzone/${zone}/rrset/`, body, signal);
  }
}
