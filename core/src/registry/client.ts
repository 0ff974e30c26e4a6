import { HttpClient } from '../http/index.js';
import { compareVersions } from '../terraform/versions.js';

export interface RegistryClientOptions {
  /** Default https://registry.terraform.io, or SHORELINE_REGISTRY_URL (the local mirror when it runs). */
  baseUrl?: string;
  http?: HttpClient;
  /** How long version lists are cached (default 10 minutes). */
  ttlMs?: number;
}

/** The Terraform provider registry protocol: service discovery and provider versions. */
export class RegistryClient {
  readonly baseUrl: string;
  private readonly http: HttpClient;
  private providersPath?: string;

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? process.env['SHORELINE_REGISTRY_URL'] ?? 'https://registry.terraform.io').replace(/\/$/, '');
    this.http = options.http ?? new HttpClient();
  }

  private async discover(): Promise<string> {
    if (this.providersPath) return this.providersPath;
    const response = await this.http.request({ url: `${this.baseUrl}/.well-known/terraform.json`, ttlMs: 24 * 3600_000 });
    const services = JSON.parse(response.body) as Record<string, string>;
    const path = services['providers.v1'];
    if (!path) throw new Error(`${this.baseUrl} does not offer the provider registry protocol (no providers.v1 in its service discovery)`);
    this.providersPath = new URL(path, `${this.baseUrl}/`).toString();
    return this.providersPath;
  }

  private versionsUrl(providers: string, namespace: string, type: string): string {
    return `${providers.replace(/\/?$/, '/')}${encodeURIComponent(namespace)}/${encodeURIComponent(type)}/versions`;
  }

  /** The published versions of a provider, newest first. */
  async providerVersions(namespace: string, type: string, signal?: AbortSignal): Promise<string[]> {
    const providers = await this.discover();
    const response = await this.http.request({ url: this.versionsUrl(providers, namespace, type), ttlMs: this.options.ttlMs ?? 600_000, staleWhileRevalidate: true, ...(signal ? { signal } : {}) });
    const parsed = JSON.parse(response.body) as { versions?: { version: string }[] };
    return (parsed.versions ?? [])
      .map((entry) => entry.version)
      .sort(compareVersions)
      .reverse();
  }

  /** Cached versions without the network, when discovery and the list were fetched before. */
  cachedProviderVersions(namespace: string, type: string): string[] | undefined {
    if (!this.providersPath) return undefined;
    const response = this.http.peek({ url: this.versionsUrl(this.providersPath, namespace, type) });
    if (!response) return undefined;
    const parsed = JSON.parse(response.body) as { versions?: { version: string }[] };
    return (parsed.versions ?? [])
      .map((entry) => entry.version)
      .sort(compareVersions)
      .reverse();
  }
}
