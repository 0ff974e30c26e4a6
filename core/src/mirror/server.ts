import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { jsonLogger, type Logger } from '../util/log.js';
import { ArtifactCache, isNoSpace } from './artifacts.js';
import { CacheSpace, purgeMatcher } from './space.js';
import { importedKey } from './transfer.js';
import { MetadataCache, type CacheStatus } from './metadata.js';
import { MirrorMetrics } from './metrics.js';
import { BadRequestError, checkSegment, pathSegments, splitPlatform } from './names.js';
import { archiveSource, combineCache, MODULE_ARCHIVE_TYPES, providerKey, UpstreamRegistry, type Module, type Provider } from './protocols.js';
import type { MirrorStorage, ObjectMeta } from './storage.js';
import { DEFAULT_ARTIFACT_HOSTS, DEFAULT_UPSTREAM_TIMEOUTS, DEFAULT_UPSTREAMS, parseUpstream, UpstreamClient, UpstreamError, type Upstream, type UpstreamTimeouts } from './upstream.js';
import { VerificationError } from './verify.js';

export interface MirrorOptions {
  storage: MirrorStorage;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Registries, first one also served through the registry protocols (default registry.terraform.io, registry.opentofu.org). */
  upstreams?: Upstream[];
  /** Hosts release archives may be downloaded from, besides the upstreams. */
  artifactHosts?: string[];
  /** How long version lists and other metadata stay fresh (default 10 minutes). */
  metadataTtlMs?: number;
  /** The largest artifact accepted (default 2 GiB). */
  maxArtifactBytes?: number;
  /** What the cached artifacts may take in all; beyond it the least recently used are evicted (default: no limit). */
  maxCacheBytes?: number;
  /**
   * How long the upstreams get: to connect (5 s), to answer (10 s), between
   * two chunks of a body (30 s), for a whole artifact download (30 min); and
   * how long a client waits before an expired metadata copy is served STALE
   * while the refresh goes on (2 s).
   */
  timeouts?: Partial<UpstreamTimeouts & { fillMs: number; staleAfterMs: number }>;
  /** When set, every request but /healthz needs `Authorization: Bearer <token>`. */
  token?: string;
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** The URL clients reach the mirror at, for rewritten download links (default: from the request's Host). */
  publicUrl?: string;
  logger?: Logger;
}

export interface RunningMirror {
  /** e.g. http://127.0.0.1:8787 */
  readonly url: string;
  readonly port: number;
  readonly metrics: MirrorMetrics;
  /** Stops accepting connections and waits (at most graceMs) for requests in flight. */
  close(graceMs?: number): Promise<void>;
}

interface RequestContext {
  id: string;
  route: string;
  cache?: CacheStatus;
  bytes: number;
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A pull-through Terraform registry mirror: service discovery, the provider
 * and module registry protocols (for the first upstream) and the provider
 * network mirror protocol (every upstream, by hostname), with immutable
 * artifacts verified before they are cached and metadata served stale when
 * the upstream fails. See docs/mirror.md.
 */
export async function startMirror(options: MirrorOptions): Promise<RunningMirror> {
  const log = options.logger ?? jsonLogger();
  const listenAt = options.host ?? '127.0.0.1';
  if (!options.publicUrl && !isLoopback(listenAt)) {
    // Download links would be built from each client's Host header: anyone could point them elsewhere.
    throw new Error(`listening on ${listenAt} (beyond loopback) needs --public-url: the URL clients reach the mirror at, for the download links it writes`);
  }
  const metrics = new MirrorMetrics();
  const upstreams = options.upstreams ?? DEFAULT_UPSTREAMS.map((host) => parseUpstream(host));
  if (upstreams.length === 0) throw new Error('the mirror needs at least one upstream registry');
  const timeouts = { ...DEFAULT_UPSTREAM_TIMEOUTS, fillMs: 30 * 60_000, staleAfterMs: 2_000, ...options.timeouts };
  const client = new UpstreamClient(upstreams, options.artifactHosts ?? DEFAULT_ARTIFACT_HOSTS, (host, seconds) => metrics.upstreamLatency.observe({ host }, seconds), timeouts);
  const storage = options.storage;
  await storage.init();
  const metadata = new MetadataCache(storage, client, options.metadataTtlMs ?? 600_000, Date.now, timeouts.staleAfterMs);
  const space = new CacheSpace(storage, options.maxCacheBytes, (key, size, why) => {
    artifacts.forget(key);
    if (why === 'evicted') log.info('evicted', { key, bytes: size });
  });
  const countStored = (key: string, meta: ObjectMeta): void => {
    void space.stored(key, meta.size).catch((error: unknown) => log.warn('could not evict', { error: (error as Error).message }));
  };
  const registry = new UpstreamRegistry(client, metadata, storage, countStored);
  const artifacts = new ArtifactCache(
    storage,
    client,
    options.maxArtifactBytes ?? 2 * 1024 ** 3,
    {
      onUpstreamFetch: () => metrics.artifactFetches.inc(),
      onCommitted: countStored,
      onServed: (key) => space.used(key),
      onNoSpace: (key, error) => log.warn('storage full: passing the artifact through uncached', { key, error: error.message }),
      onVerificationFailure: () => metrics.verificationFailures.inc(),
    },
    timeouts.fillMs,
  );
  await space.load().catch((error: unknown) => log.warn('could not measure the cache', { error: (error as Error).message }));
  const primary = upstreams[0]!.hostname;
  const scheme = options.tls ? 'https' : 'http';
  const expectedToken = options.token ? createHash('sha256').update(options.token).digest() : undefined;
  let healthCache: { at: number; upstreams: Record<string, string> } | undefined;

  const selfUrl = (request: IncomingMessage): string => {
    if (options.publicUrl) return options.publicUrl.replace(/\/$/, '');
    const host = request.headers.host;
    return `${scheme}://${host && /^[A-Za-z0-9.\-:[\]]{1,300}$/.test(host) ? host : `${listenHost}:${port}`}`;
  };

  const render = (value: unknown): Rendered => {
    const body = Buffer.from(JSON.stringify(value));
    return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` };
  };
  /** Answers made from a cached document, rendered (serialized, hashed) once per document rather than per request. */
  const renderedOnce = new WeakMap<object, Map<string, Rendered>>();
  /** `kind`: which answer made of the document (one document can make several). */
  const renderOnce = (source: unknown, kind: string, make: () => unknown): Rendered => {
    if (typeof source !== 'object' || source === null) return render(make());
    let byKind = renderedOnce.get(source);
    if (!byKind) renderedOnce.set(source, (byKind = new Map()));
    let rendered = byKind.get(kind);
    if (!rendered) byKind.set(kind, (rendered = render(make())));
    return rendered;
  };
  const sendJson = (response: ServerResponse, request: IncomingMessage, context: RequestContext, value: unknown, cache?: CacheStatus): void =>
    sendRendered(response, request, context, render(value), cache);
  /** A cached upstream document passed on as it is. */
  const sendDocument = (response: ServerResponse, request: IncomingMessage, context: RequestContext, fetched: { value: unknown; cache: CacheStatus }): void =>
    sendRendered(
      response,
      request,
      context,
      renderOnce(fetched.value, 'as-is', () => fetched.value),
      fetched.cache,
    );
  const sendRendered = (response: ServerResponse, request: IncomingMessage, context: RequestContext, { body, etag }: Rendered, cache?: CacheStatus): void => {
    const headers: Record<string, string> = { 'content-type': 'application/json', etag, 'cache-control': 'no-cache' };
    if (cache) {
      headers['x-cache-status'] = cache;
      context.cache = cache;
    }
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, headers).end();
      return;
    }
    headers['content-length'] = String(body.length);
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : body);
    context.bytes = request.method === 'HEAD' ? 0 : body.length;
  };

  const provider = (hostname: string, namespace: string, type: string): Provider => ({
    hostname: checkSegment('hostname', hostname),
    namespace: checkSegment('namespace', namespace),
    type: checkSegment('type', type),
  });
  const module = (hostname: string, namespace: string, name: string, system: string): Module => ({
    hostname: checkSegment('hostname', hostname),
    namespace: checkSegment('namespace', namespace),
    name: checkSegment('name', name),
    system: checkSegment('system', system),
  });

  async function route(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    // The raw path, not URL.pathname: dot segments must be refused, not resolved.
    const rawPath = (request.url ?? '/').split('?')[0]!;
    const segments = pathSegments(rawPath);
    const head = request.method === 'HEAD';
    const [first, second] = segments;

    if (segments.length === 1 && first === 'healthz') return health(response, context);
    if (expectedToken && !authorized(request)) {
      context.route = 'unauthorized';
      response.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="shoreline-mirror"' });
      response.end(JSON.stringify({ errors: ['a bearer token is required (Authorization: Bearer <token>)'] }));
      return;
    }
    if (segments.length === 1 && first === 'metrics') {
      context.route = 'metrics';
      metrics.cacheObjects.set(space.objects);
      metrics.cacheBytes.set(space.bytes);
      const text = await metrics.registry.metrics();
      response.writeHead(200, { 'content-type': metrics.registry.contentType });
      response.end(text);
      return;
    }
    if (segments.length === 1 && first === 'stats') {
      context.route = 'stats';
      return sendJson(response, request, context, {
        ...metrics.cacheCounts(),
        cacheObjects: space.objects,
        cacheBytes: space.bytes,
        ...(space.maxBytes !== undefined ? { maxCacheBytes: space.maxBytes } : {}),
        evictions: space.evictions,
        byOwner: space.byOwner(),
      });
    }
    if (segments.length === 2 && first === '.well-known' && second === 'terraform.json') {
      context.route = 'discovery';
      return sendJson(response, request, context, { 'providers.v1': '/v1/providers/', 'modules.v1': '/v1/modules/' });
    }

    // Provider registry protocol (first upstream).
    if (first === 'v1' && second === 'providers') {
      const rest = segments.slice(2);
      if (rest.length === 3 && rest[2] === 'versions') {
        context.route = 'provider-versions';
        const versions = await registry.providerVersions(provider(primary, rest[0]!, rest[1]!));
        return sendDocument(response, request, context, versions);
      }
      if (rest.length === 6 && rest[3] === 'download') {
        context.route = 'provider-download';
        const target = provider(primary, rest[0]!, rest[1]!);
        const version = checkSegment('version', rest[2]!);
        const { os, arch } = splitPlatform(`${rest[4]}_${rest[5]}`);
        const download = await registry.providerDownload(target, version, os, arch);
        const base = `${selfUrl(request)}/${target.hostname}/${target.namespace}/${target.type}/${version}/${os}_${arch}`;
        return sendJson(
          response,
          request,
          context,
          { ...download.value, download_url: `${base}/${encodeURIComponent(download.value.filename)}`, shasums_url: `${base}/SHA256SUMS`, shasums_signature_url: `${base}/SHA256SUMS.sig` },
          download.cache,
        );
      }
    }

    // Module registry protocol (first upstream).
    if (first === 'v1' && second === 'modules') {
      const rest = segments.slice(2);
      if (rest.length === 4 && rest[3] === 'versions') {
        context.route = 'module-versions';
        const versions = await registry.moduleVersions(module(primary, rest[0]!, rest[1]!, rest[2]!));
        return sendDocument(response, request, context, versions);
      }
      if (rest.length === 5 && rest[4] === 'download') {
        context.route = 'module-download';
        const target = module(primary, rest[0]!, rest[1]!, rest[2]!);
        const version = checkSegment('version', rest[3]!);
        const location = await registry.moduleLocation(target, version);
        const archive = archiveSource(location.value);
        let get = location.value;
        if (archive && client.isAllowed(new URL(archive.url))) {
          get = `${selfUrl(request)}/modules/${target.hostname}/${target.namespace}/${target.name}/${target.system}/${version}/module.${archive.type}${archive.subdir ? `//${archive.subdir}` : ''}`;
        } else {
          log.info('module source passed through (not an archive on an allowed host)', { requestId: context.id, module: `${target.namespace}/${target.name}/${target.system}`, version });
        }
        context.cache = location.cache;
        response.writeHead(204, { 'x-terraform-get': get, 'x-cache-status': location.cache });
        response.end();
        return;
      }
    }

    // Module archives served by the mirror.
    if (first === 'modules' && segments.length === 7) {
      context.route = 'module-archive';
      const target = module(segments[1]!, segments[2]!, segments[3]!, segments[4]!);
      const version = checkSegment('version', segments[5]!);
      const filename = checkSegment('filename', segments[6]!);
      const type = filename.startsWith('module.') ? filename.slice('module.'.length) : '';
      if (!archiveTypes.has(type)) throw new HttpStatusError(404, `no such module archive: ${filename}`);
      const key = `modules/${target.hostname}/${target.namespace}/${target.name}/${target.system}/${version}/${filename}`;
      const served = await artifacts.serve(key, response, head, async () => {
        const location = await registry.moduleLocation(target, version);
        const archive = archiveSource(location.value);
        if (!archive || archive.type !== type) throw new HttpStatusError(404, `${target.hostname} no longer offers a ${type} archive for this module version`);
        return { upstreamUrl: archive.url, contentType: 'application/octet-stream' };
      });
      Object.assign(context, served);
      return;
    }

    // Provider network mirror protocol: /HOSTNAME/NAMESPACE/TYPE/...
    if (segments.length === 4 && first !== 'v1') {
      const target = provider(segments[0]!, segments[1]!, segments[2]!);
      registry.upstreamFor(target.hostname);
      const last = segments[3]!;
      if (last === 'index.json') {
        context.route = 'mirror-index';
        try {
          const versions = await registry.providerVersions(target);
          const rendered = renderOnce(versions.value, 'mirror-index', () => ({ versions: Object.fromEntries(versions.value.versions.map((entry) => [entry.version, {}])) }));
          return sendRendered(response, request, context, rendered, versions.cache);
        } catch (error) {
          return sendImported(request, response, context, target, last, error);
        }
      }
      if (last.endsWith('.json')) {
        context.route = 'mirror-version';
        const version = checkSegment('version', last.slice(0, -'.json'.length));
        try {
          return await mirrorVersion(request, response, context, target, version);
        } catch (error) {
          return sendImported(request, response, context, target, last, error);
        }
      }
    }
    if (segments.length === 6 && first !== 'v1' && first !== 'modules') {
      const target = provider(segments[0]!, segments[1]!, segments[2]!);
      registry.upstreamFor(target.hostname);
      const version = checkSegment('version', segments[3]!);
      const { os, arch } = splitPlatform(segments[4]!);
      const filename = checkSegment('filename', segments[5]!);
      const download = () => registry.providerDownload(target, version, os, arch).then((answer) => answer.value);
      if (filename === 'SHA256SUMS' || filename === 'SHA256SUMS.sig') {
        context.route = 'provider-checksums';
        const stored = await artifacts.isCached(providerKey(target, version, filename));
        if (!stored) await registry.checksums(target, version, download);
        const served = await artifacts.serve(providerKey(target, version, filename), response, head, () => Promise.reject(new UpstreamError('checksums vanished from the storage')));
        Object.assign(context, served, { cache: stored ? 'HIT' : 'MISS' });
        return;
      }
      context.route = 'provider-archive';
      const served = await artifacts.serve(providerKey(target, version, filename), response, head, async () => {
        const answer = await download();
        if (answer.filename !== filename) throw new HttpStatusError(404, `${target.namespace}/${target.type} ${version} for ${os}_${arch} is ${answer.filename}, not ${filename}`);
        const sums = await registry.checksums(target, version, download);
        const expected = sums.get(filename);
        if (!expected) throw new VerificationError(`${filename} is not listed in the signed SHA256SUMS`);
        return { upstreamUrl: answer.download_url, contentType: 'application/zip', expectedSha256: expected, packageHash: true };
      });
      Object.assign(context, served);
      return;
    }
    context.route = 'unknown';
    throw new HttpStatusError(404, `no such endpoint: ${rawPath}`);
  }

  /**
   * The upstream cannot be asked (offline, down) and nothing of it is cached:
   * the network-mirror document imported with `shoreline mirror import`, if
   * any, served STALE; otherwise the upstream's error.
   */
  async function sendImported(request: IncomingMessage, response: ServerResponse, context: RequestContext, target: Provider, file: string, error: unknown): Promise<void> {
    if (!(error instanceof UpstreamError) || error.status === 404) throw error;
    const imported = await storage.read(importedKey(target.hostname, target.namespace, target.type, file)).catch(() => undefined);
    if (!imported) throw error;
    sendJson(response, request, context, JSON.parse(imported.data.toString('utf8')), 'STALE');
  }

  /** A network-mirror version document: every platform with its zh: hash from the signed SHA256SUMS, plus h1: once cached. */
  async function mirrorVersion(request: IncomingMessage, response: ServerResponse, context: RequestContext, target: Provider, version: string): Promise<void> {
    const versions = await registry.providerVersions(target);
    const entry = versions.value.versions.find((candidate) => candidate.version === version);
    if (!entry) throw new HttpStatusError(404, `${target.hostname}/${target.namespace}/${target.type} has no version ${version}`);
    const platforms = entry.platforms ?? [];
    if (platforms.length === 0) throw new HttpStatusError(404, `${target.hostname}/${target.namespace}/${target.type} ${version} lists no platforms`);
    const statuses: CacheStatus[] = [versions.cache];
    const first = platforms[0]!;
    const sums = await registry.checksums(target, version, async () => {
      const answer = await registry.providerDownload(target, version, first.os, first.arch);
      statuses.push(answer.cache);
      return answer.value;
    });
    const archives: Record<string, { url: string; hashes: string[] }> = {};
    for (const { os, arch } of platforms) {
      const conventional = `terraform-provider-${target.type}_${version}_${os}_${arch}.zip`;
      let filename = sums.has(conventional) ? conventional : [...sums.keys()].find((name) => name.endsWith(`_${os}_${arch}.zip`));
      if (!filename) {
        const answer = await registry.providerDownload(target, version, os, arch);
        statuses.push(answer.cache);
        filename = answer.value.filename;
      }
      const zh = sums.get(filename);
      if (!zh) continue;
      const cached = await storage.stat(providerKey(target, version, filename));
      archives[`${os}_${arch}`] = { url: `${version}/${os}_${arch}/${encodeURIComponent(filename)}`, hashes: [...(cached?.h1 ? [cached.h1] : []), `zh:${zh}`] };
    }
    sendJson(response, request, context, { archives }, combineCache(...statuses));
  }

  function authorized(request: IncomingMessage): boolean {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !expectedToken) return false;
    return timingSafeEqual(createHash('sha256').update(match[1]!.trim()).digest(), expectedToken);
  }

  /**
   * POST /purge[?pattern=GLOB]: removes cached artifacts (all, or those whose
   * key matches), for operators; only on a mirror with a token, and with it.
   */
  async function purge(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    context.route = 'purge';
    const answer = (status: number, value: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(value));
    };
    request.resume();
    if (!expectedToken) return answer(403, { errors: ['purging over HTTP needs a mirror started with a token (--token-file); or run shoreline mirror purge'] });
    if (!authorized(request)) {
      response.setHeader('www-authenticate', 'Bearer realm="shoreline-mirror"');
      return answer(401, { errors: ['a bearer token is required (Authorization: Bearer <token>)'] });
    }
    const pattern = new URL(request.url ?? '/', 'http://mirror').searchParams.get('pattern') ?? undefined;
    try {
      const removed = await space.purge(purgeMatcher(pattern));
      log.info('purged', { requestId: context.id, pattern: pattern ?? '*', objects: removed.objects, bytes: removed.bytes });
      answer(200, removed);
    } catch (error) {
      answer(500, { errors: [`purge failed: ${(error as Error).message}`] });
    }
  }

  async function health(response: ServerResponse, context: RequestContext): Promise<void> {
    context.route = 'healthz';
    let storageState = 'ok';
    let full = false;
    try {
      await storage.probe();
    } catch (error) {
      // Full, the mirror still serves what it has and passes new artifacts through: degraded, not failing.
      full = isNoSpace(error);
      storageState = full ? `full: new artifacts are passed through uncached (${(error as Error).message})` : `not writable: ${(error as Error).message}`;
    }
    // Upstream reachability is checked at most every 30 s: health probes must not hammer registries.
    if (!healthCache || Date.now() - healthCache.at > 30_000) {
      const states: Record<string, string> = {};
      await Promise.all(
        upstreams.map(async (upstream) => {
          try {
            const answer = await client.getSmall(`${upstream.baseUrl}/.well-known/terraform.json`, { maxBytes: 65536, signal: AbortSignal.timeout(5000) });
            states[upstream.hostname] = answer.status === 200 ? 'ok' : `HTTP ${answer.status}`;
          } catch (error) {
            states[upstream.hostname] = `unreachable: ${(error as Error).message}`;
          }
        }),
      );
      healthCache = { at: Date.now(), upstreams: states };
    }
    const upstreamsOk = Object.values(healthCache.upstreams).every((state) => state === 'ok');
    const status = storageState !== 'ok' && !full ? 'failing' : upstreamsOk && !full ? 'ok' : 'degraded';
    const body = JSON.stringify({ status, storage: { backend: storage.description, state: storageState }, upstreams: healthCache.upstreams });
    // Degraded (an upstream down, the storage full) still serves: 200. Storage not writable: 503.
    response.writeHead(status === 'failing' ? 503 : 200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(body);
  }

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const started = performance.now();
    const idHeader = request.headers['x-request-id'];
    const context: RequestContext = { id: typeof idHeader === 'string' && /^[\w.-]{1,64}$/.test(idHeader) ? idHeader : randomUUID(), route: 'unknown', bytes: 0 };
    response.setHeader('x-request-id', context.id);
    inFlight += 1;
    const finish = (): void => {
      inFlight -= 1;
      if (inFlight === 0) idle?.();
      const status = response.statusCode;
      metrics.countRequest(context.route, context.cache, status, context.bytes);
      // Hits are most of a busy mirror's traffic, and status polls (an editor's /stats every few seconds, probes) say nothing:
      // logged at debug level (--log-level debug), the rest at info.
      const level = status < 400 && (context.cache === 'HIT' || QUIET_ROUTES.has(context.route)) ? 'debug' : 'info';
      if (log.enabled?.(level) === false) return;
      log[level]('request', {
        requestId: context.id,
        method: request.method,
        path: (request.url ?? '').split('?')[0],
        route: context.route,
        status,
        cache: context.cache,
        bytes: context.bytes,
        ms: Math.round(performance.now() - started),
        ...(response.writableFinished ? {} : { aborted: true }),
      });
    };
    if (request.method === 'POST' && (request.url ?? '').split('?')[0] === '/purge') {
      response.once('close', finish);
      void purge(request, response, context);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      context.route = 'method-not-allowed';
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end(JSON.stringify({ errors: [`method ${request.method} is not allowed`] }));
      response.once('close', finish);
      return;
    }
    const routed = route(request, response, context).catch((error: unknown) => {
      const { status, message } = describeError(error);
      if (status >= 500) log.warn('request failed', { requestId: context.id, route: context.route, status, error: message });
      if (response.headersSent) {
        response.destroy();
        return;
      }
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [message] }));
    });
    // Count and log once the response is over and the route has said what it served.
    response.once('close', () => void routed.then(finish));
  };

  const server: Server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handle) : createHttpServer(handle);
  server.headersTimeout = 30_000;
  server.requestTimeout = 0; // artifacts can take long; idle sockets are bounded by keepAliveTimeout
  server.keepAliveTimeout = 10_000;
  server.maxHeadersCount = 100;
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const listenHost = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, listenHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${scheme}://${listenHost.includes(':') ? `[${listenHost}]` : listenHost}:${port}`;
  log.info('mirror listening', { url, storage: storage.description, upstreams: upstreams.map((upstream) => upstream.hostname) });

  return {
    url,
    port,
    metrics,
    async close(graceMs = 10_000): Promise<void> {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([new Promise<void>((resolve) => (idle = resolve)), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      }
      server.closeAllConnections();
      await closed;
      await artifacts.close();
      await client.close();
      log.info('mirror stopped', { url });
    },
  };
}

const archiveTypes = new Set(MODULE_ARCHIVE_TYPES);

/** Routes polled by tools, logged at debug level when they succeed. */
const QUIET_ROUTES = new Set(['stats', 'healthz', 'metrics']);

/** A JSON answer ready to send. */
interface Rendered {
  body: Buffer;
  etag: string;
}

/** Whether a listen address only accepts connections from this machine. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function describeError(error: unknown): { status: number; message: string } {
  if (error instanceof BadRequestError) return { status: 400, message: error.message };
  if (error instanceof HttpStatusError) return { status: error.status, message: error.message };
  if (error instanceof VerificationError) return { status: 502, message: `refused: ${error.message}` };
  if (error instanceof UpstreamError) {
    if (error.status === 404 || error.status === 410) return { status: 404, message: error.message };
    return { status: error.kind === 'timeout' ? 504 : 502, message: error.message };
  }
  return { status: 500, message: `internal error: ${(error as Error).message}` };
}
