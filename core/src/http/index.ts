import { randomUUID } from 'node:crypto';
import {
  BrokenCircuitError,
  circuitBreaker,
  ConsecutiveBreaker,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IRetryBackoffContext,
} from 'cockatiel';
import { LRUCache } from 'lru-cache';
import type { Dispatcher } from 'undici';

/**
 * The one HTTP layer every live lookup goes through: a keep-alive pool
 * (undici), a timeout, retries with exponential backoff and jitter for
 * network errors, 5xx and 429 (honouring Retry-After, never other 4xx), a
 * circuit breaker per host (cockatiel), an LRU cache with stale-while-
 * revalidate (lru-cache), coalescing of identical requests in flight, and
 * cancellation through AbortSignal. Secrets never reach a log line.
 */

export class HttpError extends Error {
  constructor(
    message: string,
    readonly kind: 'network' | 'timeout' | 'status' | 'circuit-open' | 'cancelled',
    readonly status?: number,
    readonly retryAfterMs?: number,
    /** The body of an error answer (secrets removed), for APIs that say there what went wrong. */
    readonly body?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Where the answer came from: the network, the cache while fresh, or the cache after expiry (refresh failed or pending). */
  cache: 'miss' | 'hit' | 'stale';
}

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Cache key; GET requests default to the URL, other requests are not cached without one. `false` disables caching. */
  cacheKey?: string | false;
  /** How long the answer is fresh (default: the client's cacheTtlMs). */
  ttlMs?: number;
  /** Accept a stale cached answer at once and refresh it in the background. */
  staleWhileRevalidate?: boolean;
  signal?: AbortSignal;
}

export interface HttpLogEvent {
  id: string;
  method: string;
  /** The URL with secrets replaced by ***. */
  url: string;
  status?: number;
  ms: number;
  attempt: number;
  cache?: HttpResponse['cache'];
  error?: string;
}

export interface HttpClientOptions {
  timeoutMs?: number;
  /** Retries after the first attempt. */
  retries?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Consecutive failures that open a host's circuit, and how long it stays open. */
  breakerThreshold?: number;
  breakerOpenMs?: number;
  cacheTtlMs?: number;
  /** How long an expired answer is still kept, to serve while refreshing or when the host fails. */
  staleTtlMs?: number;
  cacheMaxEntries?: number;
  /** Upper bound of a response body; larger answers are an error, not a memory problem. */
  maxBodyBytes?: number;
  userAgent?: string;
  /** Values (API keys, tokens) removed from every log line and error message. */
  secrets?: () => readonly string[];
  log?: (event: HttpLogEvent) => void;
  /** The connection pool to use; by default one of the client's own. */
  dispatcher?: Dispatcher;
  /** Certificates (PEM) to trust besides the system's, for the client's own pool: a local mirror's self-signed one. */
  ca?: string;
}

/** undici, loaded with the first request: a language server that never makes one starts without it. */
let undici: ReturnType<typeof importUndici> | undefined;
const importUndici = async () => {
  const module = await import('undici');
  // Bundled, the CommonJS package is only the default export of its chunk.
  return 'Agent' in module ? module : (module as unknown as { default: typeof module }).default;
};
/** undici's module, loaded once on first use (shared by every lazy user of it). */
export const loadUndici = () => (undici ??= importUndici());

interface CacheEntry {
  response: Omit<HttpResponse, 'cache'>;
  freshUntil: number;
}

/** URL parts that carry credentials, whatever the service. */
const SECRET_PARAMS = /([?&](?:key|api_key|apikey|token|access_token|secret|password)=)[^&#]*/gi;

export class HttpClient {
  private readonly options: Required<Omit<HttpClientOptions, 'log' | 'dispatcher' | 'secrets' | 'ca'>> & Pick<HttpClientOptions, 'log' | 'secrets' | 'ca'>;
  private dispatcher: Dispatcher | undefined;
  private readonly cache: LRUCache<string, CacheEntry>;
  private readonly inFlight = new Map<string, Promise<HttpResponse>>();
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();

  constructor(options: HttpClientOptions = {}) {
    this.options = {
      timeoutMs: options.timeoutMs ?? 10_000,
      retries: options.retries ?? 3,
      initialBackoffMs: options.initialBackoffMs ?? 200,
      maxBackoffMs: options.maxBackoffMs ?? 10_000,
      breakerThreshold: options.breakerThreshold ?? 5,
      breakerOpenMs: options.breakerOpenMs ?? 30_000,
      cacheTtlMs: options.cacheTtlMs ?? 60_000,
      staleTtlMs: options.staleTtlMs ?? 24 * 3600_000,
      cacheMaxEntries: options.cacheMaxEntries ?? 1000,
      maxBodyBytes: options.maxBodyBytes ?? 32 * 1024 * 1024,
      userAgent: options.userAgent ?? 'shoreline',
      log: options.log,
      secrets: options.secrets,
      ca: options.ca,
    };
    this.dispatcher = options.dispatcher;
    this.cache = new LRUCache<string, CacheEntry>({ max: this.options.cacheMaxEntries, ttl: this.options.staleTtlMs, ttlAutopurge: false });
  }

  /** Removes secrets from text that may be logged or shown. */
  redact(text: string): string {
    let result = text.replace(SECRET_PARAMS, '$1***');
    for (const secret of this.options.secrets?.() ?? []) if (secret) result = result.split(secret).join('***');
    return result;
  }

  private keyOf(request: HttpRequest): string | undefined {
    if (request.cacheKey === false) return undefined;
    if (request.cacheKey !== undefined) return request.cacheKey;
    return (request.method ?? 'GET') === 'GET' ? request.url : undefined;
  }

  /** The cached answer without any network access (for completion, which must not wait). */
  peek(request: HttpRequest): HttpResponse | undefined {
    const key = this.keyOf(request);
    const entry = key === undefined ? undefined : this.cache.get(key);
    if (!entry) return undefined;
    return { ...entry.response, cache: Date.now() < entry.freshUntil ? 'hit' : 'stale' };
  }

  invalidate(prefix = ''): void {
    for (const key of [...this.cache.keys()]) if (key.startsWith(prefix)) this.cache.delete(key);
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    const key = this.keyOf(request);
    const entry = key === undefined ? undefined : this.cache.get(key);
    if (entry && Date.now() < entry.freshUntil) return { ...entry.response, cache: 'hit' };
    if (entry && request.staleWhileRevalidate) {
      void this.fetchShared(request, key).catch(() => undefined);
      return { ...entry.response, cache: 'stale' };
    }
    try {
      return await this.fetchShared(request, key);
    } catch (error) {
      // The host failed: an old answer is better than none, unless the caller cancelled.
      if (entry && !(error instanceof HttpError && error.kind === 'cancelled')) return { ...entry.response, cache: 'stale' };
      throw error;
    }
  }

  /** Identical requests in flight share one network call. */
  private fetchShared(request: HttpRequest, key: string | undefined): Promise<HttpResponse> {
    if (key === undefined) return this.fetch(request, undefined);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const promise = this.fetch(request, key).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private breakerFor(url: string): CircuitBreakerPolicy {
    const host = new URL(url).host;
    let breaker = this.breakers.get(host);
    if (!breaker) {
      breaker = circuitBreaker(
        handleWhen((error) => error instanceof HttpError && error.kind !== 'cancelled' && (error.kind !== 'status' || (error.status ?? 0) >= 500 || error.status === 429)),
        { halfOpenAfter: this.options.breakerOpenMs, breaker: new ConsecutiveBreaker(this.options.breakerThreshold) },
      );
      this.breakers.set(host, breaker);
    }
    return breaker;
  }

  private async fetch(request: HttpRequest, key: string | undefined): Promise<HttpResponse> {
    const id = randomUUID().slice(0, 8);
    const method = request.method ?? 'GET';
    const options = this.options;
    let attempt = 0;
    const retryable = (error: Error) =>
      error instanceof HttpError && (error.kind === 'network' || error.kind === 'timeout' || (error.kind === 'status' && ((error.status ?? 0) >= 500 || error.status === 429)));
    const backoff: IBackoff<IRetryBackoffContext<unknown>> = {
      duration: 0,
      next(context) {
        const error = 'error' in context.result ? context.result.error : undefined;
        const exponential = Math.min(options.maxBackoffMs, options.initialBackoffMs * 2 ** (context.attempt - 1));
        // Full jitter spreads retries of many clients; Retry-After, when given, wins.
        const wait = error instanceof HttpError && error.retryAfterMs !== undefined ? Math.min(error.retryAfterMs, options.maxBackoffMs) : Math.random() * exponential;
        return { duration: wait, next: backoff.next };
      },
    };
    const retryPolicy = retry(handleWhen(retryable), { maxAttempts: options.retries, backoff: { next: (context) => backoff.next(context) } });
    const timeoutPolicy = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
    const breaker = this.breakerFor(request.url);
    const started = performance.now();
    try {
      const response = await retryPolicy.execute(
        () =>
          breaker.execute(() =>
            timeoutPolicy.execute(async ({ signal }) => {
              attempt++;
              return this.once(request, signal, id, attempt);
            }, request.signal),
          ),
        request.signal,
      );
      if (key !== undefined && response.status >= 200 && response.status < 300) {
        this.cache.set(key, { response: { status: response.status, headers: response.headers, body: response.body }, freshUntil: Date.now() + (request.ttlMs ?? options.cacheTtlMs) });
      }
      return response;
    } catch (error) {
      const failure = this.classify(error, request);
      options.log?.({ id, method, url: this.redact(request.url), ms: Math.round(performance.now() - started), attempt, error: failure.message });
      throw failure;
    }
  }

  private classify(error: unknown, request: HttpRequest): HttpError {
    if (error instanceof HttpError) return error;
    if (error instanceof BrokenCircuitError) return new HttpError(`${new URL(request.url).host} is failing; requests are paused (circuit open)`, 'circuit-open');
    if (error instanceof TaskCancelledError) {
      return request.signal?.aborted
        ? new HttpError('the request was cancelled', 'cancelled')
        : new HttpError(`no answer from ${new URL(request.url).host} within ${this.options.timeoutMs} ms`, 'timeout');
    }
    return new HttpError(this.redact((error as Error).message ?? String(error)), 'network');
  }

  private async once(request: HttpRequest, signal: AbortSignal, id: string, attempt: number): Promise<HttpResponse> {
    const started = performance.now();
    const method = request.method ?? 'GET';
    let response: Dispatcher.ResponseData;
    try {
      const { Agent, request: undiciRequest } = await loadUndici();
      this.dispatcher ??= new Agent({ keepAliveTimeout: 30_000, connections: 16, ...(this.options.ca ? { connect: { ca: this.options.ca } } : {}) });
      response = await undiciRequest(request.url, {
        method,
        headers: { 'user-agent': this.options.userAgent, ...request.headers },
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal,
        dispatcher: this.dispatcher,
      });
    } catch (error) {
      if (signal.aborted) throw error; // the timeout or the caller; classified above
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
      const failure = new HttpError(`cannot reach ${new URL(request.url).host}${cause ? ` (${cause})` : ''}`, 'network');
      this.options.log?.({ id, method, url: this.redact(request.url), ms: Math.round(performance.now() - started), attempt, error: failure.message });
      throw failure;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.length;
      if (size > this.options.maxBodyBytes) {
        response.body.destroy();
        throw new HttpError(`the answer from ${new URL(request.url).host} is larger than ${this.options.maxBodyBytes} bytes`, 'status', response.statusCode);
      }
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    this.options.log?.({ id, method, url: this.redact(request.url), status: response.statusCode, ms: Math.round(performance.now() - started), attempt, cache: 'miss' });
    if (response.statusCode >= 400) {
      const retryAfter = headers['retry-after'];
      const retryAfterMs = retryAfter === undefined ? undefined : /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : Math.max(0, Date.parse(retryAfter) - Date.now());
      throw new HttpError(
        `${new URL(request.url).host} answered HTTP ${response.statusCode}`,
        'status',
        response.statusCode,
        Number.isNaN(retryAfterMs) ? undefined : retryAfterMs,
        this.redact(body.slice(0, 2000)),
      );
    }
    return { status: response.statusCode, headers, body, cache: 'miss' };
  }

  async close(): Promise<void> {
    await this.dispatcher?.close();
  }
}
