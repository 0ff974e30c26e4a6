import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { parseHcl } from '../hcl/parser.js';
import { literalString } from '../hcl/types.js';
import { compareVersions } from '../terraform/versions.js';
import { checkSegment } from './names.js';
import { objectMeta, providerKey } from './protocols.js';
import type { MirrorStorage } from './storage.js';
import { packageHashV1 } from './verify.js';

/** A provider to have in the cache: the version (latest when unset) and the hashes a lock file pins. */
export interface ProviderRequirement {
  hostname: string;
  namespace: string;
  type: string;
  version?: string;
  /** `h1:` and `zh:` hashes from `.terraform.lock.hcl`: what is fetched must match one of them. */
  hashes?: string[];
}

/** `HOST/NAMESPACE/TYPE[@VERSION]` or `NAMESPACE/TYPE[@VERSION]` (registry.terraform.io). */
export function parseProviderSpec(spec: string): ProviderRequirement {
  const [address = '', version] = spec.split('@', 2);
  const parts = address.split('/');
  if (parts.length < 2 || parts.length > 3 || (version !== undefined && !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)))
    throw new Error(`'${spec}' is not a provider: write NAMESPACE/TYPE, HOST/NAMESPACE/TYPE, optionally @VERSION (e.g. hashicorp/aws@5.31.0)`);
  const [hostname, namespace, type] = parts.length === 3 ? parts : ['registry.terraform.io', ...parts];
  return { hostname: checkSegment('hostname', hostname!), namespace: checkSegment('namespace', namespace!), type: checkSegment('type', type!), ...(version ? { version } : {}) };
}

/** The providers a `.terraform.lock.hcl` pins, with their versions and hashes. */
export function parseLockFile(text: string, source = '.terraform.lock.hcl'): ProviderRequirement[] {
  const document = parseHcl(text, { source });
  const syntax = document.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
  if (syntax) throw new Error(`${source}:${syntax.range.start.line + 1}: ${syntax.message}`);
  return document.body.blocks
    .filter((block) => block.type === 'provider' && block.labels.length === 1)
    .map((block) => {
      const requirement = parseProviderSpec(block.labels[0]!);
      const version = literalString(block.attributes.find((attr) => attr.name === 'version'));
      const hashes = block.attributes.find((attr) => attr.name === 'hashes')?.value;
      return {
        ...requirement,
        ...(version ? { version } : {}),
        ...(hashes?.known && Array.isArray(hashes.value) ? { hashes: hashes.value.filter((hash): hash is string => typeof hash === 'string') } : {}),
      };
    });
}

/** The platform this machine is, as Terraform names it. */
export function currentPlatform(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const arch = ({ x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' } as Record<string, string>)[process.arch] ?? process.arch;
  return `${os}_${arch}`;
}

interface VersionDocument {
  archives: Record<string, { url: string; hashes?: string[] }>;
}

export interface WarmResult {
  provider: string;
  version: string;
  platform: string;
  /** HIT when it was cached already, MISS when fetched now. */
  cache: string;
}

/**
 * Fills a running mirror's cache with providers for the given platforms, by
 * asking it for them as Terraform would (so every archive is verified as on
 * any download). With a lock file's hashes, each archive must match one.
 */
export async function warmCache(mirrorUrl: string, requirements: readonly ProviderRequirement[], platforms: readonly string[], headers: Record<string, string> = {}): Promise<WarmResult[]> {
  const results: WarmResult[] = [];
  const getJson = async <T>(url: string): Promise<T> => {
    const response = await fetch(url, { headers });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${body.slice(0, 300)}`);
    return JSON.parse(body) as T;
  };
  for (const requirement of requirements) {
    const base = `${mirrorUrl}/${requirement.hostname}/${requirement.namespace}/${requirement.type}`;
    const name = `${requirement.hostname}/${requirement.namespace}/${requirement.type}`;
    let version = requirement.version;
    if (!version) {
      const index = await getJson<{ versions: Record<string, unknown> }>(`${base}/index.json`);
      version = Object.keys(index.versions)
        .filter((candidate) => !candidate.includes('-'))
        .sort(compareVersions)
        .pop();
      if (!version) throw new Error(`${name} has no released version`);
    }
    for (const platform of platforms) {
      const archive = (await getJson<VersionDocument>(`${base}/${version}.json`)).archives[platform];
      if (!archive) throw new Error(`${name} ${version} is not built for ${platform}`);
      const response = await fetch(new URL(archive.url, `${base}/`), { headers });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${name} ${version} ${platform}: HTTP ${response.status}`);
      if (requirement.hashes?.length) {
        const now = (await getJson<VersionDocument>(`${base}/${version}.json`)).archives[platform]?.hashes ?? [];
        if (!now.some((hash) => requirement.hashes!.includes(hash)))
          throw new Error(`${name} ${version} for ${platform} matches none of the lock file's hashes (it has ${now.join(', ')}): the lock file may be for another registry, or the package changed`);
      }
      results.push({ provider: name, version, platform, cache: response.headers.get('x-cache-status') ?? '' });
    }
  }
  return results;
}

/** Where imported network-mirror documents are kept (under meta/: never evicted, never listed as artifacts). */
export function importedKey(hostname: string, namespace: string, type: string, file: string): string {
  return `meta/imported/${hostname}/${namespace}/${type}/${file}`;
}

/**
 * Writes the cached providers in the layout `terraform providers mirror`
 * writes: `DIR/HOST/NAMESPACE/TYPE/` with `index.json`, `VERSION.json` (each
 * cached platform, its archive named relatively, with its `h1:` and `zh:`
 * hashes) and the zips. Terraform reads it as a `filesystem_mirror`, any
 * static server serves it as a network mirror, and `importCache` loads it
 * into another mirror's cache. The hashes come from `VERSION.json` answers of
 * the running mirror (`mirrorUrl`), whose zips were verified on download.
 */
export async function exportCache(storage: MirrorStorage, mirrorUrl: string, dir: string, headers: Record<string, string> = {}): Promise<{ archives: number; bytes: number }> {
  const byVersion = new Map<string, { provider: string[]; version: string; files: { key: string; platform: string; filename: string; size: number }[] }>();
  for (const entry of await storage.list()) {
    const parts = entry.key.split('/');
    // providers/HOST/NS/TYPE/VERSION/terraform-provider-TYPE_VERSION_OS_ARCH.zip
    const platform = /_([a-z0-9]+_[a-z0-9]+)\.zip$/.exec(parts[5] ?? '')?.[1];
    if (parts[0] !== 'providers' || parts.length !== 6 || !platform) continue;
    const id = parts.slice(1, 5).join('/');
    const group = byVersion.get(id) ?? { provider: parts.slice(1, 4), version: parts[4]!, files: [] };
    group.files.push({ key: entry.key, platform, filename: parts[5]!, size: entry.size });
    byVersion.set(id, group);
  }
  let archives = 0;
  let bytes = 0;
  const versionsOf = new Map<string, Set<string>>();
  for (const { provider, version, files } of byVersion.values()) {
    const [hostname, namespace, type] = provider as [string, string, string];
    const folder = join(dir, hostname, namespace, type);
    await mkdir(folder, { recursive: true });
    const response = await fetch(`${mirrorUrl}/${hostname}/${namespace}/${type}/${version}.json`, { headers });
    if (response.status !== 200) throw new Error(`${hostname}/${namespace}/${type} ${version}: the mirror answered HTTP ${response.status}`);
    const known = ((await response.json()) as VersionDocument).archives;
    const document: VersionDocument = { archives: {} };
    for (const file of files) {
      const hashes = known[file.platform]?.hashes ?? [];
      if (!hashes.some((hash) => hash.startsWith('h1:'))) continue; // not verified by this mirror: not exported
      const object = await storage.open(file.key);
      if (!object) continue;
      const temp = join(folder, `.${file.filename}.partial`);
      await pipeline(object.body, createWriteStream(temp));
      await rename(temp, join(folder, file.filename));
      document.archives[file.platform] = { url: file.filename, hashes };
      archives += 1;
      bytes += file.size;
    }
    if (Object.keys(document.archives).length === 0) continue;
    await writeFile(join(folder, `${version}.json`), JSON.stringify(document, null, 2));
    const id = `${hostname}/${namespace}/${type}`;
    versionsOf.set(id, (versionsOf.get(id) ?? new Set()).add(version));
  }
  for (const [id, versions] of versionsOf) {
    const folder = join(dir, ...id.split('/'));
    let existing: Record<string, unknown> = {};
    try {
      existing = (JSON.parse(await readFile(join(folder, 'index.json'), 'utf8')) as { versions: Record<string, unknown> }).versions ?? {};
    } catch {
      // a new export
    }
    await writeFile(join(folder, 'index.json'), JSON.stringify({ versions: { ...existing, ...Object.fromEntries([...versions].map((version) => [version, {}])) } }, null, 2));
  }
  return { archives, bytes };
}

/**
 * Loads a folder in the `terraform providers mirror` layout (as `exportCache`
 * or Terraform writes it) into the cache: every zip must have one of the
 * hashes its `VERSION.json` lists (`h1:` computed from the zip, or `zh:` its
 * SHA-256) or it is refused. The documents are kept too, so a mirror without
 * access to its upstream answers `index.json` and `VERSION.json` from them.
 */
export async function importCache(storage: MirrorStorage, dir: string): Promise<{ archives: number; bytes: number; refused: string[] }> {
  let archives = 0;
  let bytes = 0;
  const refused: string[] = [];
  for (const hostname of await readdir(dir)) {
    for (const namespace of await readdir(join(dir, hostname)).catch((): string[] => [])) {
      for (const type of await readdir(join(dir, hostname, namespace)).catch((): string[] => [])) {
        const folder = join(dir, hostname, namespace, type);
        const names: string[] = await readdir(folder).catch(() => []);
        if (!names.includes('index.json')) continue;
        const provider = { hostname: checkSegment('hostname', hostname), namespace: checkSegment('namespace', namespace), type: checkSegment('type', type) };
        const mirrored: Record<string, unknown> = {};
        for (const name of names.filter((candidate) => candidate.endsWith('.json') && candidate !== 'index.json')) {
          const version = checkSegment('version', name.slice(0, -'.json'.length));
          const document = JSON.parse(await readFile(join(folder, name), 'utf8')) as VersionDocument;
          const served: VersionDocument = { archives: {} };
          for (const [platform, archive] of Object.entries(document.archives ?? {})) {
            const filename = checkSegment('filename', decodeURIComponent(archive.url.split('/').pop() ?? ''));
            const path = join(folder, filename);
            const data = await readFile(path).catch(() => undefined);
            if (!data) {
              refused.push(`${hostname}/${namespace}/${type} ${version} ${platform}: ${filename} is missing`);
              continue;
            }
            const sha256 = createHash('sha256').update(data).digest('hex');
            const h1 = await packageHashV1(path).catch(() => undefined);
            const listed = archive.hashes ?? [];
            if (!h1 || (!listed.includes(h1) && !listed.includes(`zh:${sha256}`))) {
              refused.push(`${hostname}/${namespace}/${type} ${version} ${platform}: ${filename} matches none of the hashes its ${name} lists`);
              continue;
            }
            await storage.write(providerKey(provider, version, filename), data, {
              sha256,
              size: data.length,
              upstreamUrl: `file:${filename}`,
              fetchedAt: new Date().toISOString(),
              contentType: 'application/zip',
              h1,
            });
            served.archives[platform] = { url: `${version}/${platform}/${encodeURIComponent(filename)}`, hashes: [...new Set([h1, `zh:${sha256}`, ...listed])] };
            archives += 1;
            bytes += data.length;
          }
          if (Object.keys(served.archives).length === 0) continue;
          const body = Buffer.from(JSON.stringify(served));
          await storage.write(importedKey(hostname, namespace, type, name), body, objectMeta(body, 'file:imported', 'application/json'));
          mirrored[version] = {};
        }
        if (Object.keys(mirrored).length === 0) continue;
        const key = importedKey(hostname, namespace, type, 'index.json');
        const previous = await storage.read(key).catch(() => undefined);
        const versions = { ...(previous ? (JSON.parse(previous.data.toString('utf8')) as { versions: Record<string, unknown> }).versions : {}), ...mirrored };
        const body = Buffer.from(JSON.stringify({ versions }));
        await storage.write(key, body, objectMeta(body, 'file:imported', 'application/json'));
      }
    }
  }
  return { archives, bytes, refused };
}
