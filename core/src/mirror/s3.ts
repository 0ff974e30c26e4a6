import { createReadStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import aws4 from 'aws4';
import { Agent, request, type Dispatcher } from 'undici';
import type { MirrorStorage, ObjectMeta, StoredEntry, StoredObject } from './storage.js';

/** How long a lease claim is left to settle before it is read back (see lease). */
const LEASE_SETTLE_MS = 150;

export interface S3StorageOptions {
  /** e.g. https://s3.eu-central-1.amazonaws.com or http://127.0.0.1:9000 */
  endpoint: string;
  bucket: string;
  region?: string;
  /** Key prefix inside the bucket, e.g. "terraform-mirror/". */
  prefix?: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Local folder for temp files of fills in progress. */
  tempDir: string;
}

const META_HEADER = 'x-amz-meta-shoreline';

/**
 * S3-compatible object storage (AWS S3, MinIO, Ceph, R2, ...), path-style
 * addressing, SigV4 signed requests. Several mirror instances can share one
 * bucket: objects are only ever written whole (PUT of a verified file), and
 * each object carries its metadata record in an `x-amz-meta-shoreline` header.
 */
export class S3Storage implements MirrorStorage {
  readonly description: string;
  readonly tempDir: string;
  private readonly endpoint: URL;
  private readonly prefix: string;
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  /** Who holds a lease: this storage object, i.e. one mirror (several may share a process). */
  private readonly owner = randomUUID();

  constructor(private readonly options: S3StorageOptions) {
    this.endpoint = new URL(options.endpoint);
    if (this.endpoint.protocol !== 'http:' && this.endpoint.protocol !== 'https:') throw new Error(`--s3-endpoint must be an http or https URL, not ${options.endpoint}`);
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket)) throw new Error(`--s3-bucket "${options.bucket}" is not a valid bucket name (3-63 lower-case letters, digits, "." and "-")`);
    this.prefix = (options.prefix ?? '').replace(/^\/+/, '');
    this.tempDir = options.tempDir;
    this.description = `s3 ${this.endpoint.origin}/${options.bucket}/${this.prefix}`;
  }

  async init(): Promise<void> {
    await rm(this.tempDir, { recursive: true, force: true });
    await mkdir(this.tempDir, { recursive: true });
    const response = await this.send('HEAD', '');
    if (response.statusCode === 404) throw new Error(`S3 bucket "${this.options.bucket}" does not exist at ${this.endpoint.origin}`);
    if (response.statusCode >= 300) throw new Error(`S3 bucket "${this.options.bucket}" is not accessible at ${this.endpoint.origin}: HTTP ${response.statusCode}`);
  }

  private objectPath(key: string): string {
    const encoded = `${this.prefix}${key}`
      .split('/')
      .map((part) => encodeURIComponent(part))
      .join('/');
    return `/${this.options.bucket}/${encoded}`;
  }

  private async send(
    method: string,
    key: string,
    init: { headers?: Record<string, string>; body?: Dispatcher.DispatchOptions['body']; query?: string; payloadSha256?: string } = {},
  ): Promise<Dispatcher.ResponseData> {
    const path = (key === '' ? `/${this.options.bucket}` : this.objectPath(key)) + (init.query ? `?${init.query}` : '');
    const headers: Record<string, string> = { ...init.headers, 'x-amz-content-sha256': init.payloadSha256 ?? 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' };
    const signed = aws4.sign(
      { host: this.endpoint.host, path, method, service: 's3', region: this.options.region ?? 'us-east-1', headers },
      { accessKeyId: this.options.accessKeyId, secretAccessKey: this.options.secretAccessKey, ...(this.options.sessionToken ? { sessionToken: this.options.sessionToken } : {}) },
    );
    return request(new URL(path, this.endpoint.origin), {
      method: method as Dispatcher.HttpMethod,
      headers: signed.headers as Record<string, string>,
      body: init.body ?? null,
      dispatcher: this.agent,
      headersTimeout: 30_000,
      bodyTimeout: 300_000,
    });
  }

  private async failed(response: Dispatcher.ResponseData, what: string): Promise<Error> {
    const text = (await response.body.text().catch(() => '')).slice(0, 300);
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
    return new Error(`S3 ${what} failed: HTTP ${response.statusCode}${code ? ` ${code}` : ''}`);
  }

  async stat(key: string): Promise<ObjectMeta | undefined> {
    const response = await this.send('HEAD', key);
    await response.body.dump();
    if (response.statusCode === 404) return undefined;
    if (response.statusCode !== 200) throw await this.failed(response, `HEAD ${key}`);
    return decodeMeta(response.headers[META_HEADER]);
  }

  async open(key: string): Promise<StoredObject | undefined> {
    const response = await this.send('GET', key);
    if (response.statusCode === 404) {
      await response.body.dump();
      return undefined;
    }
    if (response.statusCode !== 200) throw await this.failed(response, `GET ${key}`);
    const meta = decodeMeta(response.headers[META_HEADER]);
    if (!meta) {
      await response.body.dump();
      return undefined;
    }
    return { meta, body: response.body };
  }

  async read(key: string): Promise<{ meta: ObjectMeta; data: Buffer } | undefined> {
    const object = await this.open(key);
    if (!object) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of object.body) chunks.push(chunk as Buffer);
    return { meta: object.meta, data: Buffer.concat(chunks) };
  }

  async write(key: string, data: Buffer, meta: ObjectMeta): Promise<void> {
    await this.put(key, data, data.length, meta);
  }

  async commit(key: string, tempFile: string, meta: ObjectMeta): Promise<void> {
    try {
      await this.put(key, createReadStream(tempFile), meta.size, meta);
    } finally {
      await rm(tempFile, { force: true });
    }
  }

  private async put(key: string, body: Buffer | NodeJS.ReadableStream, size: number, meta: ObjectMeta): Promise<void> {
    const response = await this.send('PUT', key, {
      body: body as Dispatcher.DispatchOptions['body'],
      payloadSha256: meta.sha256,
      headers: { 'content-length': String(size), 'content-type': meta.contentType, [META_HEADER]: encodeMeta(meta) },
    });
    if (response.statusCode !== 200) throw await this.failed(response, `PUT ${key}`);
    await response.body.dump();
  }

  async probe(): Promise<void> {
    const key = `.probe/${randomUUID()}`;
    const temp = join(this.tempDir, randomUUID());
    await writeFile(temp, '');
    await rm(temp);
    await this.put(key, Buffer.alloc(0), 0, {
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      size: 0,
      upstreamUrl: '',
      fetchedAt: new Date().toISOString(),
      contentType: 'text/plain',
    });
    const response = await this.send('DELETE', key);
    await response.body.dump();
  }

  async list(): Promise<StoredEntry[]> {
    const entries: StoredEntry[] = [];
    let token: string | undefined;
    do {
      const query = `list-type=2&prefix=${encodeURIComponent(this.prefix)}${token ? `&continuation-token=${encodeURIComponent(token)}` : ''}`;
      const response = await this.send('GET', '', { query });
      if (response.statusCode !== 200) throw await this.failed(response, 'ListObjectsV2');
      const xml = await response.body.text();
      for (const match of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        const entry = match[1]!;
        const key = xmlText(/<Key>([^<]*)<\/Key>/.exec(entry)?.[1] ?? '');
        if (!key.startsWith(this.prefix) || key.startsWith(`${this.prefix}meta/`) || key.startsWith(`${this.prefix}.probe/`) || key.startsWith(`${this.prefix}leases/`)) continue;
        entries.push({
          key: key.slice(this.prefix.length),
          size: Number(/<Size>(\d+)<\/Size>/.exec(entry)?.[1] ?? 0),
          storedAt: Date.parse(/<LastModified>([^<]+)<\/LastModified>/.exec(entry)?.[1] ?? '') || 0,
        });
      }
      token = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? xmlText(/<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(xml)?.[1] ?? '') : undefined;
    } while (token);
    return entries;
  }

  /**
   * S3 has no exclusive create everywhere (conditional writes are recent and
   * not in every S3-compatible server): the claim is written, read back after
   * a moment, and the instance whose claim is there holds the lease. Two
   * instances claiming at once both read the later claim, so one fills.
   */
  async lease(key: string, ms: number): Promise<boolean> {
    const leaseKey = `leases/${createHash('sha256').update(key).digest('hex')}`;
    const current = await this.readLease(leaseKey);
    if (current && current.expires > Date.now() && current.owner !== this.owner) return false;
    const claim = Buffer.from(JSON.stringify({ owner: this.owner, expires: Date.now() + ms }));
    const response = await this.send('PUT', leaseKey, {
      body: claim,
      headers: { 'content-type': 'application/json', 'content-length': String(claim.length) },
      payloadSha256: createHash('sha256').update(claim).digest('hex'),
    });
    await response.body.dump();
    if (response.statusCode !== 200) throw new Error(`S3 PUT ${leaseKey} failed: HTTP ${response.statusCode}`);
    if (current?.owner === this.owner) return true; // renewed
    await new Promise((resolve) => setTimeout(resolve, LEASE_SETTLE_MS));
    return (await this.readLease(leaseKey))?.owner === this.owner;
  }

  async unlease(key: string): Promise<void> {
    const response = await this.send('DELETE', `leases/${createHash('sha256').update(key).digest('hex')}`);
    await response.body.dump();
  }

  private async readLease(leaseKey: string): Promise<{ owner: string; expires: number } | undefined> {
    const response = await this.send('GET', leaseKey);
    if (response.statusCode !== 200) {
      await response.body.dump();
      return undefined;
    }
    try {
      return JSON.parse(await response.body.text()) as { owner: string; expires: number };
    } catch {
      return undefined;
    }
  }

  async remove(key: string): Promise<void> {
    const response = await this.send('DELETE', key);
    await response.body.dump();
    if (response.statusCode !== 204 && response.statusCode !== 200 && response.statusCode !== 404) throw new Error(`S3 DELETE ${key} failed: HTTP ${response.statusCode}`);
  }
}

/** The text of an XML element as S3 escapes it. */
function xmlText(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[name]!);
}

function encodeMeta(meta: ObjectMeta): string {
  return Buffer.from(JSON.stringify(meta)).toString('base64url');
}

function decodeMeta(header: string | string[] | undefined): ObjectMeta | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  try {
    return JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as ObjectMeta;
  } catch {
    return undefined;
  }
}
