import { readFileSync } from 'node:fs';
import { HttpClient, HttpError } from '../http/index.js';
import { compareVersions } from '../terraform/versions.js';

export interface RegistryClientOptions {
  /** Default https://registry.terraform.io, or SHORELINE_REGISTRY_URL. */
  baseUrl?: string;
  /** A local registry mirror asked first (SHORELINE_MIRROR_URL); the registry answers when the mirror is down. */
  mirrorUrl?: string;
  /** PEM certificate the mirror serves (its self-signed one), or a file holding it (SHORELINE_MIRROR_CA). */
  mirrorCa?: string;
  http?: HttpClient;
  /** How long version lists are cached (default 10 minutes). */
  ttlMs?: number;
}

interface Endpoint {
  baseUrl: string;
  http: HttpClient;
  providersPath?: string;
}

/** The Terraform provider registry protocol: service discovery and provider versions, through the local mirror when it runs. */
export class RegistryClient {
  readonly baseUrl: string;
  private readonly endpoints: Endpoint[];

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? process.env['SHORELINE_REGISTRY_URL'] ?? 'https://registry.terraform.io').replace(/\/$/, '');
    const http = options.http ?? new HttpClient();
    this.endpoints = [{ baseUrl: this.baseUrl, http }];
    const mirrorUrl = (options.mirrorUrl ?? process.env['SHORELINE_MIRROR_URL'])?.replace(/\/$/, '');
    if (mirrorUrl) {
      const ca = options.mirrorCa ?? process.env['SHORELINE_MIRROR_CA'];
      const pem = ca && !ca.includes('-----BEGIN') ? readFileSync(ca, 'utf8') : ca;
      // Few retries: when the mirror is down the registry itself should answer quickly.
      const mirrorHttp = new HttpClient({ retries: 0, timeoutMs: 3000, ...(pem ? { ca: pem } : {}) });
      this.endpoints.unshift({ baseUrl: mirrorUrl, http: mirrorHttp });
    }
  }

  private async discover(endpoint: Endpoint): Promise<string> {
    if (endpoint.providersPath) return endpoint.providersPath;
    const response = await endpoint.http.request({ url: `${endpoint.baseUrl}/.well-known/terraform.json`, ttlMs: 24 * 3600_000 });
    const services = JSON.parse(response.body) as Record<string, string>;
    const path = services['providers.v1'];
    if (!path) throw new Error(`${endpoint.baseUrl} does not offer the provider registry protocol (no providers.v1 in its service discovery)`);
    endpoint.providersPath = new URL(path, `${endpoint.baseUrl}/`).toString();
    return endpoint.providersPath;
  }

  private versionsUrl(providers: string, namespace: string, type: string): string {
    return `${providers.replace(/\/?$/, '/')}${encodeURIComponent(namespace)}/${encodeURIComponent(type)}/versions`;
  }

  /** The published versions of a provider, newest first. */
  async providerVersions(namespace: string, type: string, signal?: AbortSignal): Promise<string[]> {
    for (const [index, endpoint] of this.endpoints.entries()) {
      try {
        const providers = await this.discover(endpoint);
        const response = await endpoint.http.request({
          url: this.versionsUrl(providers, namespace, type),
          ttlMs: this.options.ttlMs ?? 600_000,
          staleWhileRevalidate: true,
          ...(signal ? { signal } : {}),
        });
        return sortedVersions(response.body);
      } catch (error) {
        // A mirror that is down or failing is skipped; a 4xx (unknown provider) is the registry's answer either way.
        const last = index === this.endpoints.length - 1;
        const mirrorOutage = error instanceof HttpError ? error.kind !== 'status' || (error.status ?? 0) >= 500 : !(error instanceof SyntaxError);
        if (last || !mirrorOutage || signal?.aborted) throw error;
      }
    }
    throw new Error('no registry endpoint');
  }

  /** Cached versions without the network, when discovery and the list were fetched before. */
  cachedProviderVersions(namespace: string, type: string): string[] | undefined {
    for (const endpoint of this.endpoints) {
      if (!endpoint.providersPath) continue;
      const response = endpoint.http.peek({ url: this.versionsUrl(endpoint.providersPath, namespace, type) });
      if (response) return sortedVersions(response.body);
    }
    return undefined;
  }
}

function sortedVersions(body: string): string[] {
  const parsed = JSON.parse(body) as { versions?: { version: string }[] };
  return (parsed.versions ?? [])
    .map((entry) => entry.version)
    .sort(compareVersions)
    .reverse();
}
