import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { Readable } from 'node:stream';

/** What the mirror records next to every cached object. */
export interface ObjectMeta {
  sha256: string;
  size: number;
  upstreamUrl: string;
  fetchedAt: string;
  contentType: string;
  /** Terraform's `h1:` package hash, for provider zips. */
  h1?: string;
  /** The upstream's ETag, for metadata documents (revalidation). */
  etag?: string;
}

/** An upstream URL as it may be stored: signed download URLs carry credentials in the query, so it never is. */
export function storedUrl(url: string): string {
  const parsed = new URL(url);
  return parsed.search ? `${parsed.origin}${parsed.pathname}?…` : url;
}

export interface StoredObject {
  meta: ObjectMeta;
  body: Readable;
}

/**
 * Where cached objects live. Keys are slash-separated paths built only from
 * validated segments. Objects appear whole or not at all: a fill is written
 * to a local temp file and handed over with `commit` once complete and
 * verified.
 */
export interface MirrorStorage {
  readonly description: string;
  /** A local folder for temp files of fills in progress. */
  readonly tempDir: string;
  init(): Promise<void>;
  stat(key: string): Promise<ObjectMeta | undefined>;
  open(key: string): Promise<StoredObject | undefined>;
  /** Small objects (metadata documents, checksums) in one piece. */
  read(key: string): Promise<{ meta: ObjectMeta; data: Buffer } | undefined>;
  write(key: string, data: Buffer, meta: ObjectMeta): Promise<void>;
  /** Moves a complete, verified temp file into place (the temp file is gone afterwards). */
  commit(key: string, tempFile: string, meta: ObjectMeta): Promise<void>;
  /** Writes and removes a probe object: throws when the storage cannot be written. */
  probe(): Promise<void>;
  /** The cached artifacts (metadata documents excluded), with their sizes and when they were stored. */
  list(): Promise<StoredEntry[]>;
  /** Removes an object and its record (nothing when it is not there). */
  remove(key: string): Promise<void>;
  /**
   * Several mirrors on one storage fill an artifact once: `lease` claims the
   * fill of `key` for `ms` and says whether this instance got it; the loser
   * waits for the object. Asked again by its holder, it is renewed. `unlease`
   * gives it back (after the commit, or a failure); a lease that is not given
   * back (its holder died) expires.
   */
  lease(key: string, ms: number): Promise<boolean>;
  unlease(key: string): Promise<void>;
}

/** One cached artifact as a listing gives it. */
export interface StoredEntry {
  key: string;
  size: number;
  /** Milliseconds since the epoch. */
  storedAt: number;
}

const META_SUFFIX = '.meta.json';

/**
 * The default storage: a folder. Each object is a file plus a `.meta.json`
 * record beside it; the record is written first, then the object is renamed
 * into place, so an object file always has its record.
 */
export class FileStorage implements MirrorStorage {
  readonly description: string;
  readonly tempDir: string;
  private readonly objectsDir: string;

  constructor(readonly root: string) {
    this.description = `folder ${root}`;
    this.objectsDir = join(root, 'objects');
    this.tempDir = join(root, 'tmp');
  }

  async init(): Promise<void> {
    await mkdir(this.objectsDir, { recursive: true });
    // Temp files left by a process that was killed mid-fill are never objects: clear them.
    await rm(this.tempDir, { recursive: true, force: true });
    await mkdir(this.tempDir, { recursive: true });
  }

  private pathOf(key: string): string {
    const path = join(this.objectsDir, ...key.split('/'));
    if (!path.startsWith(this.objectsDir + sep)) throw new Error(`storage key escapes the cache folder: ${key}`);
    return path;
  }

  async stat(key: string): Promise<ObjectMeta | undefined> {
    const path = this.pathOf(key);
    try {
      const [meta] = await Promise.all([readFile(path + META_SUFFIX, 'utf8'), stat(path)]);
      return JSON.parse(meta) as ObjectMeta;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async open(key: string): Promise<StoredObject | undefined> {
    const meta = await this.stat(key);
    if (!meta) return undefined;
    const handle = await open(this.pathOf(key), 'r').catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    });
    if (!handle) return undefined;
    // 1 MiB reads: artifacts are large and read start to end (64 KiB reads cost throughput).
    return { meta, body: handle.createReadStream({ highWaterMark: 1024 * 1024 }) };
  }

  async read(key: string): Promise<{ meta: ObjectMeta; data: Buffer } | undefined> {
    const meta = await this.stat(key);
    if (!meta) return undefined;
    try {
      return { meta, data: await readFile(this.pathOf(key)) };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async write(key: string, data: Buffer, meta: ObjectMeta): Promise<void> {
    const temp = join(this.tempDir, randomUUID());
    await writeDurably(temp, data);
    await this.commit(key, temp, meta);
  }

  async commit(key: string, tempFile: string, meta: ObjectMeta): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const metaTemp = join(this.tempDir, `${randomUUID()}.meta`);
    await writeDurably(metaTemp, Buffer.from(JSON.stringify(meta)));
    await rename(metaTemp, path + META_SUFFIX);
    await rename(tempFile, path);
  }

  async probe(): Promise<void> {
    const temp = join(this.tempDir, `probe-${randomUUID()}`);
    await writeFile(temp, 'ok');
    await rm(temp);
  }

  async list(): Promise<StoredEntry[]> {
    const entries: StoredEntry[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (path !== join(this.objectsDir, 'meta')) await walk(path);
        } else if (!entry.name.endsWith(META_SUFFIX)) {
          const info = await stat(path).catch(() => undefined);
          if (info)
            entries.push({
              key: path
                .slice(this.objectsDir.length + 1)
                .split(sep)
                .join('/'),
              size: info.size,
              storedAt: info.mtimeMs,
            });
        }
      }
    };
    await walk(this.objectsDir);
    return entries;
  }

  /** A folder belongs to one mirror, whose fills are one per artifact already. */
  async lease(): Promise<boolean> {
    return true;
  }

  async unlease(): Promise<void> {}

  async remove(key: string): Promise<void> {
    const path = this.pathOf(key);
    // The object first: an object file always has its record, never the other way round.
    await rm(path, { force: true });
    await rm(path + META_SUFFIX, { force: true });
  }
}

async function writeDurably(path: string, data: Buffer): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
