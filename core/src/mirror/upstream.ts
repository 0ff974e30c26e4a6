import { Agent, request, type Dispatcher } from 'undici';
export { DEFAULT_UPSTREAMS, parseUpstream, type Upstream } from './upstream-spec.js';
import type { Upstream } from './upstream-spec.js';

/** Where public registries host release archives; downloads are only fetched from these and the upstreams. */
export const DEFAULT_ARTIFACT_HOSTS = ['releases.hashicorp.com', 'github.com', 'objects.githubusercontent.com', 'release-assets.githubusercontent.com', 'codeload.github.com', 'releases.opentofu.org'];

export class UpstreamError extends Error {
  constructor(
    message: string,
    /** The upstream's HTTP status, when it answered. */
    readonly status?: number,
    /** 'timeout': the upstream did not answer or send in time (a 504 for clients, not a 502). */
    readonly kind?: 'timeout',
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export interface FetchOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Refuse bodies larger than this (from Content-Length, and while reading). */
  maxBytes: number;
}

/** How long the mirror waits for an upstream. */
export interface UpstreamTimeouts {
  /** To connect (TCP and TLS). */
  connectMs: number;
  /** From the request to the response's headers. */
  firstByteMs: number;
  /** Between two chunks of a body. */
  idleMs: number;
}

export const DEFAULT_UPSTREAM_TIMEOUTS: UpstreamTimeouts = { connectMs: 5_000, firstByteMs: 10_000, idleMs: 30_000 };

/** undici's codes for the three timeouts. */
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Whether an error is one of undici's timeouts. */
export function isTimeout(error: unknown): boolean {
  return TIMEOUT_CODES.has((error as { code?: string })?.code ?? '');
}

/**
 * The only way the mirror reaches the network: hosts are checked against the
 * configured upstreams and artifact hosts on every hop, redirects included.
 */
export class UpstreamClient {
  private readonly allowedHosts: Set<string>;
  private readonly agent: Agent;

  constructor(
    readonly upstreams: Upstream[],
    artifactHosts: string[],
    private readonly observe: (host: string, seconds: number) => void = () => {},
    private readonly timeouts: UpstreamTimeouts = DEFAULT_UPSTREAM_TIMEOUTS,
  ) {
    this.allowedHosts = new Set([...upstreams.map((upstream) => new URL(upstream.baseUrl).host), ...artifactHosts]);
    this.agent = new Agent({ keepAliveTimeout: 30_000, connections: 128, connect: { timeout: timeouts.connectMs } });
  }

  upstreamFor(hostname: string): Upstream | undefined {
    return this.upstreams.find((upstream) => upstream.hostname === hostname);
  }

  isAllowed(url: URL): boolean {
    return (url.protocol === 'https:' || url.protocol === 'http:') && this.allowedHosts.has(url.host);
  }

  /** GET with manual redirects (at most 5, each to an allowed host). The caller consumes or dumps the body. */
  async get(url: string, options: FetchOptions): Promise<{ url: string; response: Dispatcher.ResponseData }> {
    let current = new URL(url);
    for (let hop = 0; hop <= 5; hop += 1) {
      if (!this.isAllowed(current)) throw new UpstreamError(`refusing to contact ${current.host}: not a configured upstream or artifact host`);
      const started = performance.now();
      let response: Dispatcher.ResponseData;
      try {
        response = await request(current, {
          method: 'GET',
          headers: { 'user-agent': 'shoreline-mirror', ...options.headers },
          dispatcher: this.agent,
          headersTimeout: this.timeouts.firstByteMs,
          bodyTimeout: this.timeouts.idleMs,
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        if (isTimeout(error)) throw new UpstreamError(`${current.host} did not answer in time: ${(error as Error).message}`, undefined, 'timeout');
        throw new UpstreamError(`${current.host} unreachable: ${(error as Error).message}`);
      } finally {
        this.observe(current.host, (performance.now() - started) / 1000);
      }
      const location = response.headers['location'];
      if (response.statusCode >= 300 && response.statusCode < 400 && response.statusCode !== 304 && typeof location === 'string') {
        await response.body.dump();
        current = new URL(location, current);
        continue;
      }
      const length = Number(response.headers['content-length'] ?? NaN);
      if (Number.isFinite(length) && length > options.maxBytes) {
        await response.body.dump();
        throw new UpstreamError(`${current.host} sent ${length} bytes, more than the limit of ${options.maxBytes}`);
      }
      return { url: current.toString(), response };
    }
    throw new UpstreamError(`too many redirects from ${url}`);
  }

  /** GET a small document whole (metadata, checksums, signatures). */
  async getSmall(url: string, options: FetchOptions): Promise<{ url: string; status: number; headers: Dispatcher.ResponseData['headers']; body: Buffer }> {
    const { url: finalUrl, response } = await this.get(url, options);
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > options.maxBytes) {
          response.body.destroy();
          throw new UpstreamError(`${new URL(finalUrl).host} sent more than the limit of ${options.maxBytes} bytes`);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      throw new UpstreamError(`${new URL(finalUrl).host} stopped sending: ${(error as Error).message}`, undefined, isTimeout(error) ? 'timeout' : undefined);
    }
    return { url: finalUrl, status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
