import { createHash, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { open, rm, statfs, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { CacheStatus } from './metadata.js';
import { storedUrl, type MirrorStorage, type ObjectMeta } from './storage.js';
import { isTimeout, UpstreamError, type UpstreamClient } from './upstream.js';
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

/**
 * One download of an artifact into a temp file, at the upstream's pace. Its
 * clients tail the file, each at its own pace: none of them, the first
 * included, can slow or stop it. `available` bytes may be read now; the last
 * batch written is held back until the checksum is known, so no client gets
 * a whole file that failed verification.
 */
class Fill {
  readonly tempPath: string;
  /** Settles with the upstream's answer (content type, length), or fails before any byte. */
  readonly started: Promise<{ contentType: string; length: number | undefined }>;
  /** Settles when the object is committed, or fails. */
  readonly done: Promise<ObjectMeta>;
  available = 0;
  finished = false;
  /** The bytes are verified and all readable (the commit may still be running, or fail: the clients have them all the same). */
  released = false;
  /** Stops the download (the mirror is closing, or the deadline passed). */
  readonly abort = new AbortController();
  /** Settles when the download is over, whatever its outcome. */
  running: Promise<void> = Promise.resolve();
  error: Error | undefined;
  private readonly progress = new Set<() => void>();
  private settleStarted!: { resolve: (value: { contentType: string; length: number | undefined }) => void; reject: (error: Error) => void };
  private settleDone!: { resolve: (meta: ObjectMeta) => void; reject: (error: Error) => void };

  constructor(tempDir: string) {
    this.tempPath = join(tempDir, randomUUID());
    this.started = new Promise((resolve, reject) => (this.settleStarted = { resolve, reject }));
    this.done = new Promise((resolve, reject) => (this.settleDone = { resolve, reject }));
    this.started.catch(() => {});
    this.done.catch(() => {}); // clients handle it; nobody reading is fine
  }

  begin(contentType: string, length: number | undefined): void {
    this.settleStarted.resolve({ contentType, length });
  }

  advance(available: number): void {
    this.available = available;
    this.wake();
  }

  /** Verified: every byte may be read; the clients can finish while the object is committed. */
  release(size: number): void {
    this.available = size;
    this.released = true;
    this.wake();
  }

  complete(meta: ObjectMeta): void {
    this.available = meta.size;
    this.finished = true;
    this.settleDone.resolve(meta);
    this.wake();
  }

  fail(error: Error): void {
    this.error = error;
    this.finished = true;
    this.settleStarted.reject(error);
    this.settleDone.reject(error);
    this.wake();
  }

  /** Resolves at the next change (more bytes, the end, a failure). */
  changed(): Promise<void> {
    return new Promise((resolve) => this.progress.add(resolve));
  }

  private wake(): void {
    const waiting = [...this.progress];
    this.progress.clear();
    for (const resolve of waiting) resolve();
  }
}

export interface ArtifactHooks {
  onUpstreamFetch?(key: string): void;
  onCommitted?(key: string, meta: ObjectMeta): void;
  /** A cached artifact was served. */
  onServed?(key: string): void;
  /** The storage was full: the artifact went to a client without being cached. */
  onNoSpace?(key: string, error: Error): void;
  onVerificationFailure?(key: string, error: Error): void;
}

/** Another mirror on the same storage filled the artifact: it is served from the storage. */
class FilledElsewhere extends Error {}

/** How often a mirror waiting on another's fill looks for the object. */
const LEASE_POLL_MS = 200;
/** How long a fill's lease lasts unless renewed (it is, every third of it). */
const LEASE_MS = 30_000;

/** The storage is full: the artifact is passed through to its client without being cached. */
class NoSpaceError extends Error {}

/** Drops a response body not to be read (undici reports the abort as an error: expected here). */
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => {});
  body.destroy();
}

/** Bytes free for an unprivileged writer in a folder's file system (Infinity when it cannot be told). */
async function freeBytes(folder: string): Promise<number> {
  const info = await statfs(folder).catch(() => undefined);
  return info ? info.bavail * info.bsize : Infinity;
}

/** Whether a write failed because the storage is full. */
export const isNoSpace = (error: unknown): boolean => ['ENOSPC', 'EDQUOT'].includes((error as NodeJS.ErrnoException)?.code ?? '');

/** Rethrows a write error, as NoSpaceError when the storage is full. */
function asNoSpace(error: unknown): never {
  throw isNoSpace(error) ? new NoSpaceError(`the cache storage is full (${(error as Error).message})`) : error;
}

/** Artifacts up to this size are kept in memory once served. */
const HOT_BODY_BYTES = 64 * 1024;

/** Bytes a fill writes to its temp file at a time. */
const WRITE_BATCH = 1024 * 1024;

/** Bytes a tailing client reads from the temp file at a time. */
const TAIL_CHUNK = 1024 * 1024;

/**
 * Immutable objects (provider zips, module archives): served from storage
 * when cached; otherwise fetched once however many clients ask at the same
 * time. The download runs into a temp file at the upstream's pace and every
 * client (the first included) reads from that file at its own pace, so a
 * client that stops reading or goes away never delays the download or the
 * other clients. The temp file becomes an object only when complete and
 * verified, so an aborted or corrupt transfer leaves nothing behind. The last
 * chunk is held back until the checksum is known: a client never receives a
 * whole file that failed verification (before any byte: a 502; after: a cut
 * connection).
 */
export class ArtifactCache {
  private readonly fills = new Map<string, Fill>();
  /** Records of cached artifacts, and the bodies of small ones (see serveStored). */
  private readonly hot = new LRUCache<string, { meta: ObjectMeta; body?: Buffer }>({
    max: 100_000,
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (entry) => 512 + (entry.body?.length ?? 0),
  });

  constructor(
    private readonly storage: MirrorStorage,
    private readonly upstream: UpstreamClient,
    private readonly maxBytes: number,
    private readonly hooks: ArtifactHooks = {},
    /** The longest a whole download may take. */
    private readonly fillDeadlineMs = 30 * 60_000,
  ) {}

  async serve(key: string, response: ServerResponse, head: boolean, resolveSource: () => Promise<ArtifactSource>): Promise<ServeResult> {
    const stored = await this.serveStored(key, response, head, 'HIT');
    if (stored) {
      this.hooks.onServed?.(key);
      return stored;
    }
    let fill = this.fills.get(key);
    if (!fill) {
      fill = new Fill(this.storage.tempDir);
      this.fills.set(key, fill);
      fill.running = this.run(key, fill, resolveSource).finally(() => this.fills.delete(key));
    }
    try {
      return await this.tail(key, fill, response, head);
    } catch (error) {
      if (error instanceof FilledElsewhere && !response.headersSent) {
        const served = await this.serveStored(key, response, head, 'HIT');
        if (served) return served;
      }
      if (!(error instanceof NoSpaceError) || response.headersSent) throw error;
      this.hooks.onNoSpace?.(key, error);
      return this.passThrough(response, head, resolveSource);
    }
  }

  /** The upstream's answer for an artifact (anything but 200 is an error), with its declared length (NaN when unknown). */
  private async fetch(source: ArtifactSource, signal?: AbortSignal) {
    const { url, response: upstream } = await this.upstream.get(source.upstreamUrl, { maxBytes: this.maxBytes, ...(signal ? { signal } : {}) });
    if (upstream.statusCode !== 200) {
      await upstream.body.dump();
      throw new UpstreamError(`${new URL(url).host} answered HTTP ${upstream.statusCode} for ${new URL(url).pathname}`, upstream.statusCode);
    }
    return { url, upstream, declared: Number(upstream.headers['content-length'] ?? NaN) };
  }

  /**
   * The storage cannot take the artifact (disk full): this client gets it
   * straight from the upstream, verified as a fill would be (the last chunk is
   * held back until the checksum matches), and nothing is cached.
   */
  private async passThrough(response: ServerResponse, head: boolean, resolveSource: () => Promise<ArtifactSource>): Promise<ServeResult> {
    const source = await resolveSource();
    const { upstream, declared } = await this.fetch(source);
    const headers = { 'content-type': source.contentType, ...(Number.isFinite(declared) ? { 'content-length': String(declared) } : {}), 'x-cache-status': 'BYPASS' };
    if (head) {
      discard(upstream.body);
      response.writeHead(200, headers).end();
      return { cache: 'BYPASS', bytes: 0 };
    }
    const hash = createHash('sha256');
    let held: Buffer | undefined;
    let sent = 0;
    try {
      for await (const chunk of upstream.body as AsyncIterable<Buffer>) {
        hash.update(chunk);
        if (held) {
          if (!response.headersSent) response.writeHead(200, headers);
          sent += held.length;
          if (!response.write(held)) await drained(response);
          if (response.destroyed) {
            discard(upstream.body);
            return { cache: 'BYPASS', bytes: sent };
          }
        }
        held = chunk;
      }
    } catch (error) {
      throw asUpstreamError(error);
    }
    const sha256 = hash.digest('hex');
    if (source.expectedSha256 && sha256 !== source.expectedSha256) throw new VerificationError(`SHA-256 mismatch: the signed SHA256SUMS says ${source.expectedSha256}, the upstream sent ${sha256}`);
    if (!response.headersSent) response.writeHead(200, headers);
    response.end(held);
    return { cache: 'BYPASS', bytes: sent + (held?.length ?? 0) };
  }

  /**
   * A cached artifact. Artifacts never change, so their records are kept in
   * memory after the first read, and small ones (checksums, signatures, small
   * zips) whole: a hit costs no metadata file read, no hashing and, for a
   * small file, no file read at all.
   */
  private async serveStored(key: string, response: ServerResponse, head: boolean, cache: CacheStatus): Promise<ServeResult | undefined> {
    const known = this.hot.get(key);
    const headers = (meta: ObjectMeta) => ({
      'content-type': meta.contentType,
      'content-length': String(meta.size),
      etag: `"${meta.sha256}"`,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-cache-status': cache,
    });
    if (known?.body || (known && head)) {
      response.writeHead(200, headers(known.meta)).end(head ? undefined : known.body);
      return { cache, bytes: head ? 0 : known.meta.size };
    }
    const object = head ? await this.storage.stat(key).then((meta) => meta && { meta, body: undefined }) : await this.storage.open(key);
    if (!object) {
      this.hot.delete(key);
      return undefined;
    }
    response.writeHead(200, headers(object.meta));
    if (!object.body) {
      this.remember(key, object.meta);
      response.end();
      return { cache, bytes: 0 };
    }
    if (object.meta.size <= HOT_BODY_BYTES) {
      const chunks: Buffer[] = [];
      for await (const chunk of object.body) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      if (body.length === object.meta.size) this.remember(key, object.meta, body);
      response.end(body);
      return { cache, bytes: body.length };
    }
    this.remember(key, object.meta);
    await pipeline(object.body, response).catch(() => {});
    return { cache, bytes: object.meta.size };
  }

  private remember(key: string, meta: ObjectMeta, body?: Buffer): void {
    this.hot.set(key, body ? { meta, body } : { meta });
  }

  /** Whether an artifact is cached: from memory when it was served before, else from the storage. */
  async isCached(key: string): Promise<boolean> {
    return this.hot.has(key) || (await this.storage.stat(key)) !== undefined;
  }

  /** The artifact is gone from the storage (evicted, purged): forget what was kept of it. */
  forget(key: string): void {
    this.hot.delete(key);
  }

  /**
   * One client of a fill: headers once the first bytes may be sent (a file
   * that fails before that gets a proper error status), then the file as it
   * grows, at this client's pace.
   */
  private async tail(key: string, fill: Fill, response: ServerResponse, head: boolean): Promise<ServeResult> {
    const { contentType, length } = await fill.started;
    const headers = { 'content-type': contentType, ...(length !== undefined ? { 'content-length': String(length) } : {}), 'x-cache-status': 'MISS' };
    if (head) {
      response.writeHead(200, headers).end();
      return { cache: 'MISS', bytes: 0 };
    }
    let handle: FileHandle | undefined;
    let sent = 0;
    try {
      handle = await open(fill.tempPath, 'r').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined; // committed (or failed) just now
        throw error;
      });
      if (!handle) {
        await fill.done;
        const served = await this.serveStored(key, response, false, 'MISS');
        if (!served) throw new UpstreamError('the object vanished from the storage right after it was cached');
        return served;
      }
      while (fill.available === 0 && !fill.finished && !fill.released) await fill.changed();
      if (fill.error && !fill.released) throw fill.error;
      response.writeHead(200, headers);
      while (!response.destroyed) {
        if (fill.error && !fill.released) throw fill.error;
        if (sent < fill.available) {
          // A fresh buffer per read: the last one may still be queued on the socket.
          const buffer = Buffer.allocUnsafe(Math.min(TAIL_CHUNK, fill.available - sent));
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, sent);
          if (bytesRead === 0) throw new UpstreamError('the download file ended early');
          sent += bytesRead;
          if (!response.write(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead))) await drained(response);
          continue;
        }
        if (fill.finished || fill.released) break;
        await fill.changed();
      }
      if (!response.destroyed) response.end();
      return { cache: 'MISS', bytes: sent };
    } catch (error) {
      // Headers already went out: the only honest signal left is to cut the connection.
      if (response.headersSent) response.destroy();
      throw error;
    } finally {
      await handle?.close();
    }
  }

  /** The download itself: upstream → temp file → verified object. Never waits for a client. */
  /** Stops the downloads in progress (their clients' connections are cut) and waits for them to clean up. */
  async close(): Promise<void> {
    const fills = [...this.fills.values()];
    for (const fill of fills) fill.abort.abort(new UpstreamError('the mirror is shutting down'));
    await Promise.all(fills.map((fill) => fill.running));
  }

  private async run(key: string, fill: Fill, resolveSource: () => Promise<ArtifactSource>): Promise<void> {
    const abort = fill.abort;
    const deadline = setTimeout(() => abort.abort(new UpstreamError(`the download took longer than ${Math.round(this.fillDeadlineMs / 1000)} s`, undefined, 'timeout')), this.fillDeadlineMs);
    let handle: FileHandle | undefined;
    let leased = false;
    let renew: NodeJS.Timeout | undefined;
    try {
      const source = await resolveSource();
      // Another mirror on the same storage is filling it: wait for its object instead of fetching it again.
      while (!(leased = await this.storage.lease(key, LEASE_MS))) {
        if (await this.storage.stat(key)) throw new FilledElsewhere();
        if (abort.signal.aborted) throw abort.signal.reason;
        await new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS));
      }
      // It may have been committed between the first look and the lease.
      if (await this.storage.stat(key)) throw new FilledElsewhere();
      // Renewed while the fill runs; a holder that dies lets it expire within LEASE_MS.
      renew = setInterval(() => void this.storage.lease(key, LEASE_MS).catch(() => {}), LEASE_MS / 3);
      this.hooks.onUpstreamFetch?.(key);
      const { url, upstream, declared } = await this.fetch(source, abort.signal);
      // Known not to fit: pass it through from the start rather than cut the clients half-way.
      if (Number.isFinite(declared) && declared > (await freeBytes(this.storage.tempDir))) {
        discard(upstream.body);
        throw new NoSpaceError(`the cache storage has less than the ${declared} bytes free the artifact needs`);
      }
      handle = await open(fill.tempPath, 'w').catch(asNoSpace);
      fill.begin(source.contentType, Number.isFinite(declared) ? declared : undefined);
      const hash = createHash('sha256');
      let size = 0;
      try {
        // Chunks are written in batches of about 1 MiB (one write each, not one per network chunk).
        let batch: Buffer[] = [];
        let batchBytes = 0;
        let written = 0;
        const flush = async (): Promise<void> => {
          const data = batch.length === 1 ? batch[0]! : Buffer.concat(batch, batchBytes);
          batch = [];
          batchBytes = 0;
          await handle!.write(data, 0, data.length, written).catch(asNoSpace);
          // Everything but the batch just written may be read now: the end is held back until verified.
          fill.advance(written);
          written += data.length;
        };
        for await (const chunk of upstream.body as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > this.maxBytes) throw new UpstreamError(`the artifact is larger than the limit of ${this.maxBytes} bytes`);
          hash.update(chunk);
          batch.push(chunk);
          batchBytes += chunk.length;
          if (batchBytes >= WRITE_BATCH) await flush();
        }
        if (batchBytes > 0) await flush();
      } catch (error) {
        throw asUpstreamError(error, abort.signal);
      }
      if (Number.isFinite(declared) && size !== declared) throw new UpstreamError(`the upstream sent ${size} of ${declared} bytes`);
      const sha256 = hash.digest('hex');
      if (source.expectedSha256 && sha256 !== source.expectedSha256) {
        const error = new VerificationError(`SHA-256 mismatch for ${key}: the signed SHA256SUMS says ${source.expectedSha256}, the upstream sent ${sha256}`);
        this.hooks.onVerificationFailure?.(key, error);
        throw error;
      }
      // Verified: the clients may have the end now; making it a durable object (sync, h1: hash, commit) is the cache's business.
      fill.release(size);
      await handle.sync().catch(asNoSpace);
      await handle.close();
      handle = undefined;
      const meta: ObjectMeta = { sha256, size, upstreamUrl: storedUrl(url), fetchedAt: new Date().toISOString(), contentType: source.contentType };
      if (source.packageHash) {
        const h1 = await packageHashV1(fill.tempPath).catch(() => undefined);
        if (h1) meta.h1 = h1;
      }
      // The clients tailing it keep their open handles across the rename.
      await this.storage.commit(key, fill.tempPath, meta).catch(asNoSpace);
      fill.complete(meta);
      this.hooks.onCommitted?.(key, meta);
    } catch (error) {
      await handle?.close().catch(() => {});
      await rm(fill.tempPath, { force: true });
      fill.fail(abort.signal.aborted && abort.signal.reason instanceof UpstreamError ? abort.signal.reason : (error as Error));
    } finally {
      clearTimeout(deadline);
      clearInterval(renew);
      if (leased) await this.storage.unlease(key).catch(() => {});
    }
  }
}

/** Errors of the upstream connection (timeouts, resets) as what they are for a client: a bad gateway or a gateway timeout. */
function asUpstreamError(error: unknown, signal?: AbortSignal): Error {
  if (error instanceof UpstreamError || error instanceof VerificationError || error instanceof NoSpaceError || error instanceof FilledElsewhere) return error;
  if (signal?.aborted && signal.reason instanceof UpstreamError) return signal.reason;
  if (isTimeout(error)) return new UpstreamError(`the upstream stopped sending: ${(error as Error).message}`, undefined, 'timeout');
  return new UpstreamError(`the upstream connection failed: ${(error as Error).message}`);
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
