import type { MirrorStorage, StoredEntry } from './storage.js';

interface Usage {
  size: number;
  /** When it was last stored or served (ms since the epoch). */
  usedAt: number;
}

/**
 * What the cache holds and how much room it takes, kept in memory: read from
 * the storage once at start, then updated as artifacts are stored and
 * served. With a size limit, storing beyond it evicts the least recently used
 * artifacts (metadata documents are never evicted: they are small and let the
 * mirror answer while an upstream is down).
 */
export class CacheSpace {
  private readonly entries = new Map<string, Usage>();
  private total = 0;
  evictions = 0;
  private evicting: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: MirrorStorage,
    /** Bytes the artifacts may take; undefined: no limit. */
    readonly maxBytes: number | undefined,
    /** An artifact left the cache: evicted for room, or purged. */
    private readonly onRemoved: (key: string, size: number, why: 'evicted' | 'purged') => void = () => {},
  ) {}

  /** Reads what the storage holds (then evicts, if a smaller limit was set since). */
  async load(): Promise<void> {
    const listed: StoredEntry[] = await this.storage.list();
    for (const entry of listed) if (!this.entries.has(entry.key)) this.record(entry.key, entry.size, entry.storedAt);
    await this.enforce();
  }

  get bytes(): number {
    return this.total;
  }

  get objects(): number {
    return this.entries.size;
  }

  /** An artifact was stored. */
  stored(key: string, size: number): Promise<void> {
    this.record(key, size, Date.now());
    return this.enforce();
  }

  /** An artifact was served: it is the most recently used now. */
  used(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    // Re-inserted: the map's order is the order of use.
    this.entries.delete(key);
    entry.usedAt = Date.now();
    this.entries.set(key, entry);
  }

  /** Removes the artifacts whose keys match (purge). Returns how many and how many bytes. */
  async purge(matches: (key: string) => boolean): Promise<{ objects: number; bytes: number }> {
    let objects = 0;
    let bytes = 0;
    for (const [key, entry] of [...this.entries]) {
      if (!matches(key)) continue;
      await this.storage.remove(key);
      this.forget(key);
      this.onRemoved(key, entry.size, 'purged');
      objects += 1;
      bytes += entry.size;
    }
    return { objects, bytes };
  }

  /** Bytes and objects per provider (`HOST/NAMESPACE/TYPE`) and per module. */
  byOwner(): Record<string, { objects: number; bytes: number }> {
    const owners: Record<string, { objects: number; bytes: number }> = {};
    for (const [key, entry] of this.entries) {
      const parts = key.split('/');
      const owner = parts[0] === 'providers' || parts[0] === 'modules' ? parts.slice(0, parts[0] === 'modules' ? 5 : 4).join('/') : parts[0]!;
      const totals = (owners[owner] ??= { objects: 0, bytes: 0 });
      totals.objects += 1;
      totals.bytes += entry.size;
    }
    return owners;
  }

  private record(key: string, size: number, usedAt: number): void {
    this.forget(key);
    this.entries.set(key, { size, usedAt });
    this.total += size;
  }

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.size;
  }

  /** Evicts least recently used artifacts until the cache fits; one eviction run at a time. */
  private enforce(): Promise<void> {
    if (this.maxBytes === undefined || this.total <= this.maxBytes) return this.evicting;
    this.evicting = this.evicting.then(async () => {
      for (const [key, entry] of this.entries) {
        if (this.maxBytes === undefined || this.total <= this.maxBytes) break;
        // Removed from the index first: a client reading it keeps its open file (or S3 stream).
        this.forget(key);
        await this.storage.remove(key).catch(() => {});
        this.evictions += 1;
        this.onRemoved(key, entry.size, 'evicted');
      }
    });
    return this.evicting;
  }
}

/** Whether a cache key matches a purge pattern: a glob over the key, with or without its providers/ or modules/ prefix. */
export function purgeMatcher(pattern: string | undefined): (key: string) => boolean {
  if (pattern === undefined) return () => true;
  const glob = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}`,
  );
  return (key) => glob.test(key) || glob.test(key.replace(/^(providers|modules)\//, ''));
}
