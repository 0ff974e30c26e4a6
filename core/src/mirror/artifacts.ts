import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { CacheStatus } from './metadata.js';
import type { MirrorStorage, ObjectMeta } from './storage.js';
import { UpstreamError, type UpstreamClient } from './upstream.js';
import { packageHashV1, VerificationError } from './verify.js';

/** Where an artifact comes from and what it must be. */
export interface ArtifactSource {
  upstreamUrl: string;
  contentType: string;
  /** The SHA-256 the bytes must have (from the signed SHA256SUMS); without it only the length is checked. */
  expectedSha256?: string;
  /** Compute Terraform's h1: hash (provider zips). */
  packageHash?: boolean;
}

export interface ServeResult {
  cache: CacheStatus;
  bytes: number;
}

interface Fill {
  done: Promise<ObjectMeta>;
  /** Clients waiting for the fill besides the one it streams to. */
  waiters: number;
  abort: AbortController;
}

export interface ArtifactHooks {
  onUpstreamFetch?(key: string): void;
  onCommitted?(meta: ObjectMeta): void;
  onVerificationFailure?(key: string, error: Error): void;
}

/**
 * Immutable objects (provider zips, module archives): served from storage
 * when cached; otherwise fetched once however many clients ask at the same
 * time. The first client receives the bytes as they arrive while they are
 * written to a temp file; the others wait for the verified object. The temp
 * file becomes an object only when complete and verified, so an aborted or
 * corrupt transfer leaves nothing behind. The last chunk is held back until
 * the checksum is known: a client never receives a whole file that failed
 * verification (a small file gets a 502; a large one a cut connection).
 */
export class ArtifactCache {
  private readonly fills = new Map<string, Fill>();

  constructor(
    private readonly storage: MirrorStorage,
    private readonly upstream: UpstreamClient,
    private readonly maxBytes: number,
    private readonly hooks: ArtifactHooks = {},
  ) {}

  async serve(key: string, response: ServerResponse, head: boolean, resolveSource: () => Promise<ArtifactSource>): Promise<ServeResult> {
    const stored = await this.serveStored(key, response, head, 'HIT');
    if (stored) return stored;
    const running = this.fills.get(key);
    if (running) return this.wait(key, running, response, head);
    if (head) {
      // HEAD does not start a download.
      response.writeHead(404, { 'content-type': 'application/json' }).end();
      return { cache: 'MISS', bytes: 0 };
    }
    return this.lead(key, response, resolveSource);
  }

  private async serveStored(key: string, response: ServerResponse, head: boolean, cache: CacheStatus): Promise<ServeResult | undefined> {
    const object = head ? await this.storage.stat(key).then((meta) => meta && { meta, body: undefined }) : await this.storage.open(key);
    if (!object) return undefined;
    response.writeHead(200, {
      'content-type': object.meta.contentType,
      'content-length': String(object.meta.size),
      etag: `"${object.meta.sha256}"`,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-cache-status': cache,
    });
    if (!object.body) {
      response.end();
      return { cache, bytes: 0 };
    }
    await pipeline(object.body, response).catch(() => {});
    return { cache, bytes: object.meta.size };
  }

  private async wait(key: string, fill: Fill, response: ServerResponse, head: boolean): Promise<ServeResult> {
    fill.waiters += 1;
    try {
      await fill.done;
    } finally {
      fill.waiters -= 1;
    }
    const served = await this.serveStored(key, response, head, 'MISS');
    if (!served) throw new UpstreamError('the object vanished from the storage right after it was cached');
    return served;
  }

  private async lead(key: string, response: ServerResponse, resolveSource: () => Promise<ArtifactSource>): Promise<ServeResult> {
    let settle!: { resolve: (meta: ObjectMeta) => void; reject: (error: Error) => void };
    const done = new Promise<ObjectMeta>((resolve, reject) => (settle = { resolve, reject }));
    done.catch(() => {}); // waiters handle it; nobody waiting is fine
    const fill: Fill = { done, waiters: 0, abort: new AbortController() };
    this.fills.set(key, fill);
    let sent = 0;
    try {
      const meta = await this.fetchInto(key, fill, response, resolveSource, (bytes) => (sent = bytes));
      settle.resolve(meta);
      return { cache: 'MISS', bytes: sent };
    } catch (error) {
      settle.reject(error as Error);
      throw error;
    } finally {
      this.fills.delete(key);
    }
  }

  private async fetchInto(key: string, fill: Fill, response: ServerResponse, resolveSource: () => Promise<ArtifactSource>, progress: (bytes: number) => void): Promise<ObjectMeta> {
    const source = await resolveSource();
    const onClientGone = (): void => {
      // Nobody else wants it: stop downloading. Otherwise keep filling for the waiters.
      if (fill.waiters === 0) fill.abort.abort(new Error('the client went away'));
    };
    response.once('close', () => {
      if (!response.writableFinished) onClientGone();
    });
    this.hooks.onUpstreamFetch?.(key);
    const { url, response: upstream } = await this.upstream.get(source.upstreamUrl, { maxBytes: this.maxBytes, signal: fill.abort.signal });
    if (upstream.statusCode !== 200) {
      await upstream.body.dump();
      throw new UpstreamError(`${new URL(url).host} answered HTTP ${upstream.statusCode} for ${new URL(url).pathname}`, upstream.statusCode);
    }
    const declared = Number(upstream.headers['content-length'] ?? NaN);
    const tempPath = join(this.storage.tempDir, randomUUID());
    // Buffered writes: the client and the temp file are fed together, each at its own pace; flushed (fsync) before close.
    const tempStream = createWriteStream(tempPath, { flush: true, highWaterMark: 1024 * 1024 });
    const tempError = new Promise<never>((_, reject) => tempStream.once('error', reject));
    tempError.catch(() => {});
    const hash = createHash('sha256');
    let size = 0;
    let held: Buffer | undefined;
    let headersSent = false;
    const toClient = async (chunk: Buffer): Promise<void> => {
      if (response.destroyed) return;
      if (!headersSent) {
        headersSent = true;
        response.writeHead(200, { 'content-type': source.contentType, ...(Number.isFinite(declared) ? { 'content-length': String(declared) } : {}), 'x-cache-status': 'MISS' });
      }
      if (!response.write(chunk)) await drained(response);
    };
    let delivered = 0;
    try {
      try {
        for await (const chunk of upstream.body as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > this.maxBytes) throw new UpstreamError(`the artifact is larger than the limit of ${this.maxBytes} bytes`);
          hash.update(chunk);
          if (!tempStream.write(chunk)) await Promise.race([new Promise<void>((resolve) => tempStream.once('drain', () => resolve())), tempError]);
          if (held) {
            await toClient(held);
            delivered += held.length;
          }
          held = chunk;
        }
        await Promise.race([new Promise<void>((resolve) => tempStream.end(() => tempStream.once('close', resolve))), tempError]);
      } finally {
        if (!tempStream.closed) await new Promise((resolve) => tempStream.destroy().once('close', () => resolve(undefined)));
      }
      if (Number.isFinite(declared) && size !== declared) throw new UpstreamError(`the upstream sent ${size} of ${declared} bytes`);
      const sha256 = hash.digest('hex');
      if (source.expectedSha256 && sha256 !== source.expectedSha256) {
        const error = new VerificationError(`SHA-256 mismatch for ${key}: the signed SHA256SUMS says ${source.expectedSha256}, the upstream sent ${sha256}`);
        this.hooks.onVerificationFailure?.(key, error);
        throw error;
      }
      if (held) {
        await toClient(held);
        delivered += held.length;
      } else if (!headersSent && !response.destroyed) {
        headersSent = true;
        response.writeHead(200, { 'content-type': source.contentType, 'content-length': '0', 'x-cache-status': 'MISS' });
      }
      if (!response.destroyed) response.end();
      progress(delivered);
      const meta: ObjectMeta = { sha256, size, upstreamUrl: redactQuery(url), fetchedAt: new Date().toISOString(), contentType: source.contentType };
      if (source.packageHash) {
        const h1 = await packageHashV1(tempPath).catch(() => undefined);
        if (h1) meta.h1 = h1;
      }
      await this.storage.commit(key, tempPath, meta);
      this.hooks.onCommitted?.(meta);
      return meta;
    } catch (error) {
      await rm(tempPath, { force: true });
      progress(delivered);
      // Headers already went out: the only honest signal left is to cut the connection.
      if (headersSent) response.destroy();
      throw fill.abort.signal.aborted && !(error instanceof VerificationError) ? new UpstreamError('the download was abandoned: the client went away') : error;
    }
  }
}

/** Waits until a slow client has taken what was written (or is gone), without piling up listeners. */
function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/** Signed download URLs carry credentials in the query: never store or log them. */
function redactQuery(url: string): string {
  const parsed = new URL(url);
  return parsed.search ? `${parsed.origin}${parsed.pathname}?…` : url;
}
