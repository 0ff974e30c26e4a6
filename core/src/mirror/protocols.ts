import { createHash } from 'node:crypto';
import { MetadataCache, type CacheStatus, type MetadataDocument } from './metadata.js';
import { storedUrl, type MirrorStorage, type ObjectMeta } from './storage.js';
import { UpstreamError, type Upstream, type UpstreamClient } from './upstream.js';
import { parseShasums, VerificationError, verifyShasumsSignature } from './verify.js';

/** The registry's answer for one provider version and platform (provider registry protocol). */
export interface ProviderDownload {
  os: string;
  arch: string;
  filename: string;
  download_url: string;
  shasums_url: string;
  shasums_signature_url: string;
  shasum: string;
  signing_keys?: { gpg_public_keys?: { key_id?: string; ascii_armor: string }[] };
  [extra: string]: unknown;
}

export interface ProviderVersions {
  versions: { version: string; protocols?: string[]; platforms?: { os: string; arch: string }[] }[];
}

export interface Provider {
  hostname: string;
  namespace: string;
  type: string;
}

export interface Module {
  hostname: string;
  namespace: string;
  name: string;
  system: string;
}

export interface Fetched<T> {
  value: T;
  cache: CacheStatus;
}

/** The worst of several cache statuses: a document built from parts is only as fresh as its stalest part. */
export function combineCache(...statuses: CacheStatus[]): CacheStatus {
  if (statuses.includes('STALE')) return 'STALE';
  if (statuses.includes('MISS')) return 'MISS';
  return 'HIT';
}

export const MODULE_ARCHIVE_TYPES = ['zip', 'tar.gz', 'tgz', 'tar.bz2', 'tbz2', 'tar.xz', 'txz'];

/**
 * The upstream side of the three protocols: service discovery, provider
 * versions and downloads, signed checksums, module versions and download
 * locations. Everything goes through the metadata cache or the storage.
 */
export class UpstreamRegistry {
  private readonly checksumFills = new Map<string, Promise<Map<string, string>>>();
  private readonly parsed = new WeakMap<Buffer, object>();
  private readonly serviceBases = new WeakMap<object, Map<string, string>>();

  constructor(
    private readonly upstream: UpstreamClient,
    private readonly metadata: MetadataCache,
    private readonly storage: MirrorStorage,
    /** Told about every object stored (for the cache-size metrics). */
    private readonly onStored: (key: string, meta: ObjectMeta) => void = () => {},
  ) {}

  upstreamFor(hostname: string): Upstream {
    const upstream = this.upstream.upstreamFor(hostname);
    if (!upstream) throw new UpstreamError(`${hostname} is not a configured upstream registry`, 404);
    return upstream;
  }

  /**
   * A metadata document, parsed once per cached copy: cache hits (every
   * request for a popular provider) do not parse the same bytes again. The
   * value is shared between requests and never modified.
   */
  async json<T>(url: string): Promise<Fetched<T>> {
    return this.parse<T>(url, this.metadata.fresh(url) ?? (await this.metadata.get(url)));
  }

  private parse<T>(url: string, document: MetadataDocument): Fetched<T> {
    let value: unknown = this.parsed.get(document.body);
    if (value === undefined) {
      try {
        value = JSON.parse(document.body.toString('utf8'));
      } catch {
        throw new UpstreamError(`${new URL(url).host} sent invalid JSON for ${new URL(url).pathname}`);
      }
      if (typeof value === 'object' && value !== null) this.parsed.set(document.body, value);
    }
    return { value: value as T, cache: document.cache };
  }

  /** Base URL of a service (providers.v1, modules.v1) from the upstream's discovery document (resolved once per copy of it). */
  async service(hostname: string, service: 'providers.v1' | 'modules.v1'): Promise<string> {
    const upstream = this.upstreamFor(hostname);
    const discovery = await this.json<Record<string, unknown>>(`${upstream.baseUrl}/.well-known/terraform.json`);
    if (typeof discovery.value !== 'object' || discovery.value === null) throw new UpstreamError(`${hostname} does not offer ${service}`, 404);
    let bases = this.serviceBases.get(discovery.value);
    if (!bases) this.serviceBases.set(discovery.value, (bases = new Map()));
    let base = bases.get(service);
    if (base === undefined) {
      const path = discovery.value[service];
      if (typeof path !== 'string') throw new UpstreamError(`${hostname} does not offer ${service}`, 404);
      const resolved = new URL(path, `${upstream.baseUrl}/`).toString();
      bases.set(service, (base = resolved.endsWith('/') ? resolved : `${resolved}/`));
    }
    return base;
  }

  async providerVersions(provider: Provider): Promise<Fetched<ProviderVersions>> {
    const base = await this.service(provider.hostname, 'providers.v1');
    const versions = await this.json<ProviderVersions>(`${base}${provider.namespace}/${provider.type}/versions`);
    if (!Array.isArray(versions.value.versions)) throw new UpstreamError(`${provider.hostname} sent a version list without "versions"`);
    return versions;
  }

  async providerDownload(provider: Provider, version: string, os: string, arch: string): Promise<Fetched<ProviderDownload>> {
    const base = await this.service(provider.hostname, 'providers.v1');
    const url = `${base}${provider.namespace}/${provider.type}/${version}/download/${os}/${arch}`;
    const download = await this.json<ProviderDownload>(url);
    const value = download.value;
    for (const field of ['filename', 'download_url', 'shasums_url', 'shasums_signature_url', 'shasum'] as const) {
      if (typeof value[field] !== 'string') throw new UpstreamError(`${provider.hostname} sent a download description without "${field}"`);
    }
    // The protocol allows URLs relative to the download endpoint.
    const resolved = {
      ...value,
      download_url: new URL(value.download_url, url).toString(),
      shasums_url: new URL(value.shasums_url, url).toString(),
      shasums_signature_url: new URL(value.shasums_signature_url, url).toString(),
    };
    return { value: resolved, cache: download.cache };
  }

  /**
   * The provider version's SHA256SUMS, its signature checked against the
   * registry's signing keys before either is stored. Stored copies are
   * trusted (they were verified when stored): no network needed.
   */
  async checksums(provider: Provider, version: string, download: () => Promise<ProviderDownload>): Promise<Map<string, string>> {
    const key = providerKey(provider, version, 'SHA256SUMS');
    const stored = await this.storage.read(key);
    if (stored) return parseShasums(stored.data.toString('utf8'));
    let pending = this.checksumFills.get(key);
    if (!pending) {
      pending = this.fetchChecksums(provider, version, await download()).finally(() => this.checksumFills.delete(key));
      this.checksumFills.set(key, pending);
    }
    return pending;
  }

  private async fetchChecksums(provider: Provider, version: string, download: ProviderDownload): Promise<Map<string, string>> {
    const limits = { maxBytes: 1024 * 1024 };
    const [sums, signature] = await Promise.all([this.upstream.getSmall(download.shasums_url, limits), this.upstream.getSmall(download.shasums_signature_url, limits)]);
    for (const [what, answer] of [
      ['SHA256SUMS', sums],
      ['SHA256SUMS.sig', signature],
    ] as const) {
      if (answer.status !== 200) throw new UpstreamError(`${new URL(answer.url).host} answered HTTP ${answer.status} for the ${what} of ${provider.namespace}/${provider.type} ${version}`);
    }
    const keys = (download.signing_keys?.gpg_public_keys ?? []).map((key) => key.ascii_armor).filter((armor): armor is string => typeof armor === 'string');
    try {
      await verifyShasumsSignature(sums.body, signature.body, keys);
    } catch (error) {
      throw new VerificationError(`${provider.namespace}/${provider.type} ${version}: ${(error as Error).message}`);
    }
    const parsed = parseShasums(sums.body.toString('utf8'));
    if (parsed.get(download.filename) !== download.shasum)
      throw new VerificationError(`${provider.namespace}/${provider.type} ${version}: the registry's shasum for ${download.filename} is not the one in the signed SHA256SUMS`);
    // The signature first, so a stored SHA256SUMS always has its signature beside it.
    const signatureMeta = objectMeta(signature.body, download.shasums_signature_url, 'application/pgp-signature');
    const sumsMeta = objectMeta(sums.body, download.shasums_url, 'text/plain; charset=utf-8');
    await this.storage.write(providerKey(provider, version, 'SHA256SUMS.sig'), signature.body, signatureMeta);
    await this.storage.write(providerKey(provider, version, 'SHA256SUMS'), sums.body, sumsMeta);
    this.onStored(providerKey(provider, version, 'SHA256SUMS.sig'), signatureMeta);
    this.onStored(providerKey(provider, version, 'SHA256SUMS'), sumsMeta);
    return parsed;
  }

  async moduleVersions(module: Module): Promise<Fetched<unknown>> {
    const base = await this.service(module.hostname, 'modules.v1');
    const versions = await this.json<unknown>(`${base}${module.namespace}/${module.name}/${module.system}/versions`);
    return versions;
  }

  /** Where the upstream says a module version's source is (X-Terraform-Get, or "location" in a JSON answer), absolute. */
  async moduleLocation(module: Module, version: string): Promise<Fetched<string>> {
    const base = await this.service(module.hostname, 'modules.v1');
    const url = `${base}${module.namespace}/${module.name}/${module.system}/${version}/download`;
    const answer = await this.json<{ location?: unknown }>(url);
    if (typeof answer.value.location !== 'string' || answer.value.location === '')
      throw new UpstreamError(`${module.hostname} gave no download location for ${module.namespace}/${module.name}/${module.system} ${version}`);
    return { value: resolveGetterSource(answer.value.location, url), cache: answer.cache };
  }
}

export function providerKey(provider: Provider, version: string, file: string): string {
  return `providers/${provider.hostname}/${provider.namespace}/${provider.type}/${version}/${file}`;
}

export function objectMeta(data: Buffer, upstreamUrl: string, contentType: string): ObjectMeta {
  return { sha256: createHash('sha256').update(data).digest('hex'), size: data.length, upstreamUrl: storedUrl(upstreamUrl), fetchedAt: new Date().toISOString(), contentType };
}

/**
 * go-getter source strings: "forced::url//subdir?query". Relative locations
 * are resolved against the download endpoint, as Terraform does.
 */
export function resolveGetterSource(location: string, against: string): string {
  if (/^[a-z0-9]+::/i.test(location) || /^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return location;
  if (location.startsWith('/') || location.startsWith('./') || location.startsWith('../')) return new URL(location, against).toString();
  return location;
}

export interface ArchiveSource {
  /** The archive's URL, without the subdirectory. */
  url: string;
  /** The archive type, e.g. tar.gz. */
  type: string;
  subdir?: string;
}

/** A module source the mirror can serve: a plain http(s) URL of an archive. Anything else (git::, s3::, ...) is passed on. */
export function archiveSource(source: string): ArchiveSource | undefined {
  const forced = /^([a-z0-9]+)::(.*)$/i.exec(source);
  if (forced && forced[1]!.toLowerCase() !== 'http' && forced[1]!.toLowerCase() !== 'https') return undefined;
  const raw = forced ? forced[2]! : source;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  let subdir: string | undefined;
  const split = url.pathname.indexOf('//');
  if (split >= 0) {
    subdir = url.pathname.slice(split + 2);
    url.pathname = url.pathname.slice(0, split);
  }
  let type = url.searchParams.get('archive') ?? undefined;
  url.searchParams.delete('archive');
  type ??= MODULE_ARCHIVE_TYPES.find((ext) => url.pathname.toLowerCase().endsWith(`.${ext}`));
  if (!type || !MODULE_ARCHIVE_TYPES.includes(type)) return undefined;
  return { url: url.toString(), type, ...(subdir ? { subdir } : {}) };
}
