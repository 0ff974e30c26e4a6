import { DreamhostApi, DreamhostApiError } from '../dreamhost/api.js';
import { HttpClient, HttpError } from '../http/index.js';
import { canonicalIPv6, parseIPv6 } from '../dns/ip.js';
import { DnsUpdateError, queryAddresses, queryZone, sendUpdate, type TsigKey } from './rfc2136.js';
import { PermanentUpdateError, type DdnsProvider, type DdnsRecord } from './types.js';
import { configuredZone, zoneLookupName, zoneOf } from './zones.js';

const addressTypes = (record: DdnsRecord): string | undefined => (record.type === 'A' || record.type === 'AAAA' ? undefined : `${record.type} records are not addresses`);

/** An address as the engine compares them: IPv6 in its canonical form (RFC 5952), as sources report it. */
export function comparableAddress(address: string): string {
  const groups = address.includes(':') ? parseIPv6(address.trim()) : undefined;
  return groups ? canonicalIPv6(groups) : address.trim();
}

/** Answers about zones (a provider's zone ids, the zone a server holds a name in), looked up once each: they do not change while the watcher runs. */
export class ZoneIds {
  private readonly ids = new Map<string, Promise<string>>();
  /** `lookup` asks the provider; a failed lookup is forgotten, so the next call asks again. */
  get(zone: string, lookup: () => Promise<string>): Promise<string> {
    let id = this.ids.get(zone);
    if (!id) {
      id = lookup();
      this.ids.set(zone, id);
      id.catch(() => this.ids.delete(zone));
    }
    return id;
  }
}

/**
 * DreamHost has no update command: the new record is added before the old
 * one is removed, so the name never stops resolving. Records DreamHost
 * manages itself (editable "0") are left alone and reported.
 */
export class DreamhostProvider implements DdnsProvider {
  readonly name = 'dreamhost';
  constructor(private readonly api: DreamhostApi) {}

  supports(record: DdnsRecord): string | undefined {
    return addressTypes(record);
  }

  async current(record: DdnsRecord): Promise<string[]> {
    const name = record.name.toLowerCase().replace(/\.$/, '');
    const records = await this.api.listRecords({ fresh: true });
    return records.filter((entry) => entry.record.toLowerCase() === name && entry.type === record.type).map((entry) => comparableAddress(entry.value));
  }

  async update(record: DdnsRecord, address: string): Promise<void> {
    const name = record.name.toLowerCase().replace(/\.$/, '');
    try {
      const existing = (await this.api.listRecords({ fresh: true })).filter((entry) => entry.record.toLowerCase() === name && entry.type === record.type);
      const locked = existing.find((entry) => entry.editable === '0');
      if (locked) throw new PermanentUpdateError(`${name} ${record.type} is managed by DreamHost (not editable); remove it in the panel or use another name`);
      if (!existing.some((entry) => entry.value === address)) await this.api.addRecord({ record: name, type: record.type, value: address, comment: 'shoreline ddns' });
      for (const old of existing.filter((entry) => entry.value !== address)) await this.api.removeRecord({ record: name, type: record.type, value: old.value });
    } catch (error) {
      if (error instanceof DreamhostApiError && (error.kind === 'auth' || error.kind === 'validation' || error.kind === 'not-editable')) throw new PermanentUpdateError(error.message);
      throw error;
    }
  }
}

export interface Rfc2136Settings {
  server: string;
  port?: number;
  key: TsigKey;
  /** Default TTL of published records (default 60 s). */
  ttl?: number;
}

/** DNS UPDATE with TSIG to any standard server (BIND, Knot, PowerDNS, Windows DNS). */
export class Rfc2136Provider implements DdnsProvider {
  readonly name = 'rfc2136';
  private readonly zones = new ZoneIds();
  constructor(private readonly settings: Rfc2136Settings) {}

  supports(record: DdnsRecord): string | undefined {
    return addressTypes(record);
  }

  /** Asks the server that takes the updates: it is authoritative for the zone. */
  async current(record: DdnsRecord, signal: AbortSignal): Promise<string[]> {
    return queryAddresses({ server: this.settings.server, ...(this.settings.port ? { port: this.settings.port } : {}), name: record.name, type: record.type, signal });
  }

  /** The record's zone setting, else the zone the server says holds the name (its SOA), asked once per name. */
  private zoneFor(record: DdnsRecord, signal: AbortSignal): Promise<string> {
    const configured = configuredZone(record);
    if (configured) return Promise.resolve(configured);
    const name = zoneLookupName(record);
    return this.zones.get(name, () => queryZone({ server: this.settings.server, ...(this.settings.port ? { port: this.settings.port } : {}), name, signal }));
  }

  async update(record: DdnsRecord, address: string, signal: AbortSignal): Promise<void> {
    try {
      await sendUpdate({
        server: this.settings.server,
        ...(this.settings.port ? { port: this.settings.port } : {}),
        zone: await this.zoneFor(record, signal),
        name: record.name,
        type: record.type,
        address,
        ttl: record.ttl ?? this.settings.ttl ?? 60,
        key: this.settings.key,
        signal,
      });
    } catch (error) {
      if (error instanceof DnsUpdateError && error.permanent) throw new PermanentUpdateError(error.message);
      throw error;
    }
  }
}

export interface CloudflareSettings {
  apiToken: string;
  /** Default https://api.cloudflare.com/client/v4 (CLOUDFLARE_API_URL). */
  baseUrl?: string;
  /** Proxied through Cloudflare (default false: DDNS names usually point at services Cloudflare does not proxy). */
  proxied?: boolean;
  http?: HttpClient;
}

interface CloudflareEnvelope<T> {
  success: boolean;
  errors?: { code: number; message: string }[];
  result: T;
}

/** Cloudflare API v4: find the zone, then create or patch the record. */
export class CloudflareProvider implements DdnsProvider {
  readonly name = 'cloudflare';
  private readonly http: HttpClient;
  private readonly baseUrl: string;
  private readonly zoneIds = new ZoneIds();

  constructor(private readonly settings: CloudflareSettings) {
    this.baseUrl = (settings.baseUrl ?? 'https://api.cloudflare.com/client/v4').replace(/\/$/, '');
    this.http = settings.http ?? new HttpClient({ secrets: () => [settings.apiToken] });
  }

  supports(record: DdnsRecord): string | undefined {
    return addressTypes(record);
  }

  private async call<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body: unknown, signal: AbortSignal): Promise<T> {
    let text: string;
    try {
      const response = await this.http.request({
        url: `${this.baseUrl}${path}`,
        method,
        headers: { authorization: `Bearer ${this.settings.apiToken}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        cacheKey: false,
        signal,
      });
      text = response.body;
    } catch (error) {
      if (error instanceof HttpError && (error.status === 401 || error.status === 403))
        throw new PermanentUpdateError(`Cloudflare refused the API token (HTTP ${error.status}): it needs Zone:DNS:Edit on the zone`);
      throw error;
    }
    const envelope = JSON.parse(text) as CloudflareEnvelope<T>;
    if (!envelope.success) throw new Error(`Cloudflare: ${(envelope.errors ?? []).map((error) => `${error.code} ${error.message}`).join('; ') || 'request failed'}`);
    return envelope.result;
  }

  private zoneId(zone: string, signal: AbortSignal): Promise<string> {
    return this.zoneIds.get(zone, async () => {
      const zones = await this.call<{ id: string; name: string }[]>('GET', `/zones?name=${encodeURIComponent(zone)}`, undefined, signal);
      const id = zones.find((entry) => entry.name === zone)?.id;
      if (!id) throw new PermanentUpdateError(`Cloudflare has no zone ${zone} for this token`);
      return id;
    });
  }

  async current(record: DdnsRecord, signal: AbortSignal): Promise<string[]> {
    const name = record.name.toLowerCase().replace(/\.$/, '');
    const zone = await this.zoneId(zoneOf(record), signal);
    const existing = await this.call<{ content: string }[]>('GET', `/zones/${zone}/dns_records?type=${record.type}&name=${encodeURIComponent(name)}`, undefined, signal);
    return existing.map((entry) => comparableAddress(entry.content));
  }

  async update(record: DdnsRecord, address: string, signal: AbortSignal): Promise<void> {
    const name = record.name.toLowerCase().replace(/\.$/, '');
    const zone = await this.zoneId(zoneOf(record), signal);
    const existing = await this.call<{ id: string; content: string }[]>('GET', `/zones/${zone}/dns_records?type=${record.type}&name=${encodeURIComponent(name)}`, undefined, signal);
    const body = { type: record.type, name, content: address, ttl: record.ttl ?? 1, proxied: this.settings.proxied ?? false };
    if (existing.length === 0) {
      await this.call('POST', `/zones/${zone}/dns_records`, body, signal);
      return;
    }
    if (existing[0]!.content !== address) await this.call('PATCH', `/zones/${zone}/dns_records/${existing[0]!.id}`, body, signal);
  }
}
