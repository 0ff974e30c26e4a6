import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { storedUrl, type MirrorStorage, type ObjectMeta } from './storage.js';
import { UpstreamError, type UpstreamClient } from './upstream.js';

/** BYPASS: passed through without caching (the storage was full). */
export type CacheStatus = 'HIT' | 'MISS' | 'STALE' | 'BYPASS';

export interface MetadataDocument {
  body: Buffer;
  cache: CacheStatus;
  fetchedAt: string;
}

interface Entry {
  body: Buffer;
  meta: ObjectMeta;
  /** meta.fetchedAt as a number, read once: a hit must not parse a date. */
  fetchedAtMs: number;
  /** The answer of a hit, made once: hits are most of a busy mirror's requests. */
  hit: MetadataDocument;
}

function entryOf(body: Buffer, meta: ObjectMeta): Entry {
  return { body, meta, fetchedAtMs: Date.parse(meta.fetchedAt), hit: { body, cache: 'HIT', fetchedAt: meta.fetchedAt } };
}

/** Metadata documents are small; anything bigger than this from an upstream is refused. */
export const MAX_METADATA_BYTES = 8 * 1024 * 1024;

/**
 * Version lists, download descriptions and discovery documents: fresh for a
 * TTL, then revalidated with If-None-Match; when the upstream fails, the
 * last good copy is served (STALE). Kept in memory (LRU) and in the storage,
 * so a restarted mirror, or another instance on the same bucket, can still
 * answer while the upstream is down. Concurrent misses make one request.
 */
export class MetadataCache {
  private readonly memory = new LRUCache<string, Entry>({ max: 5000, maxSize: 64 * 1024 * 1024, sizeCalculation: (entry) => entry.body.length + 256 });
  private readonly inflight = new Map<string, Promise<MetadataDocument>>();

  constructor(
    private readonly storage: MirrorStorage,
    private readonly upstream: UpstreamClient,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    /**
     * Stale-if-slow: with an expired copy at hand, the longest a client waits
     * for the upstream before it gets that copy (STALE) while the refresh
     * goes on in the background. Terraform gives up on a request after about
     * 20 s; an upstream that hangs must not fail `terraform init`.
     */
    private readonly staleAfterMs = 2_000,
  ) {}

  /** A fresh copy in memory, without waiting for anything (undefined: ask `get`). */
  fresh(url: string): MetadataDocument | undefined {
    const entry = this.memory.get(url);
    return entry && this.now() - entry.fetchedAtMs < this.ttlMs ? entry.hit : undefined;
  }

  async get(url: string): Promise<MetadataDocument> {
    const entry = await this.lookup(url);
    if (entry && this.now() - entry.fetchedAtMs < this.ttlMs) return entry.hit;
    let pending = this.inflight.get(url);
    if (!pending) {
      pending = this.refresh(url, entry).finally(() => this.inflight.delete(url));
      this.inflight.set(url, pending);
    }
    if (!entry) return pending;
    let timer: NodeJS.Timeout | undefined;
    const stale = new Promise<MetadataDocument>((resolve) => {
      timer = setTimeout(() => resolve({ body: entry.body, cache: 'STALE', fetchedAt: entry.meta.fetchedAt }), this.staleAfterMs);
    });
    try {
      return await Promise.race([pending, stale]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async lookup(url: string): Promise<Entry | undefined> {
    const cached = this.memory.get(url);
    if (cached) return cached;
    const stored = await this.storage.read(storageKey(url)).catch(() => undefined);
    if (!stored) return undefined;
    const entry = entryOf(stored.data, stored.meta);
    this.memory.set(url, entry);
    return entry;
  }

  private async refresh(url: string, entry: Entry | undefined): Promise<MetadataDocument> {
    let answer;
    try {
      answer = await this.upstream.getSmall(url, { maxBytes: MAX_METADATA_BYTES, headers: { accept: 'application/json', ...(entry?.meta.etag ? { 'if-none-match': entry.meta.etag } : {}) } });
    } catch (error) {
      if (entry) return { body: entry.body, cache: 'STALE', fetchedAt: entry.meta.fetchedAt };
      throw error;
    }
    if (answer.status === 304 && entry) {
      const meta = { ...entry.meta, fetchedAt: new Date(this.now()).toISOString() };
      await this.remember(url, entryOf(entry.body, meta));
      return { body: entry.body, cache: 'HIT', fetchedAt: meta.fetchedAt };
    }
    if (answer.status === 204 && typeof answer.headers['x-terraform-get'] === 'string') {
      // The module registry's download answer is a header; keep it as the JSON form of the same answer.
      answer = { ...answer, status: 200, body: Buffer.from(JSON.stringify({ location: answer.headers['x-terraform-get'] })), headers: { ...answer.headers, 'content-type': 'application/json' } };
    }
    if (answer.status === 200) {
      const etag = answer.headers['etag'];
      const meta: ObjectMeta = {
        sha256: createHash('sha256').update(answer.body).digest('hex'),
        size: answer.body.length,
        upstreamUrl: storedUrl(url),
        fetchedAt: new Date(this.now()).toISOString(),
        contentType: String(answer.headers['content-type'] ?? 'application/json'),
        ...(typeof etag === 'string' ? { etag } : {}),
      };
      await this.remember(url, entryOf(answer.body, meta));
      return { body: answer.body, cache: 'MISS', fetchedAt: meta.fetchedAt };
    }
    // The upstream answered but not with the document: 4xx is its word (passed on); 5xx is an outage (stale if we can).
    if (answer.status >= 500 || answer.status === 429) {
      if (entry) return { body: entry.body, cache: 'STALE', fetchedAt: entry.meta.fetchedAt };
    }
    throw new UpstreamError(`${new URL(url).host} answered HTTP ${answer.status} for ${new URL(url).pathname}`, answer.status);
  }

  private async remember(url: string, entry: Entry): Promise<void> {
    this.memory.set(url, entry);
    // The storage copy is for restarts and other instances; a failed write must not fail the request.
    await this.storage.write(storageKey(url), entry.body, entry.meta).catch(() => {});
  }
}

function storageKey(url: string): string {
  return `meta/${createHash('sha256').update(url).digest('hex')}`;
}
