import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CacheSpace,
  purgeMatcher,
  currentPlatform,
  exportCache,
  importCache,
  parseLockFile,
  parseProviderSpec,
  warmCache,
  type ProviderRequirement,
  FileStorage,
  localCertificate,
  parseUpstream,
  S3Storage,
  startMirror,
  terraformCliConfig,
  DEFAULT_ARTIFACT_HOSTS,
  DEFAULT_UPSTREAMS,
  type MirrorStorage,
} from '../../core/src/mirror/index.js';
import { parseHostPort } from '../../core/src/util/host-port.js';
import { jsonLogger, type LogLevel } from '../../core/src/util/log.js';
import { integerFlag, parseArgs, UsageError } from './args.js';

export const MIRROR_HELP = `Usage: shoreline mirror [options]
       shoreline mirror warm [--lock FILE]... [PROVIDER...] [--platform OS_ARCH]...
       shoreline mirror export DIR
       shoreline mirror import DIR
       shoreline mirror purge [PATTERN]

Runs a pull-through caching mirror of Terraform registries:
- the provider network mirror protocol for every upstream
  (/HOSTNAME/NAMESPACE/TYPE/index.json and VERSION.json, with h1:/zh: hashes),
  for provider_installation { network_mirror { url = "https://..." } };
- service discovery and the provider and module registry protocols for the
  first upstream (download links rewritten to the mirror);
- /healthz, /metrics (Prometheus), /stats (JSON). One JSON log line per request.
Provider zips are cached only after their SHA-256 matches the upstream's
signed SHA256SUMS; version lists are cached for --metadata-ttl and served
stale while an upstream is down.

warm fills the cache before it is needed (CI images, air-gapped sites): the
providers a .terraform.lock.hcl pins (each archive must match one of its
hashes) and PROVIDERs given as NAMESPACE/TYPE[@VERSION] or
HOST/NAMESPACE/TYPE[@VERSION] (latest without a version), for each --platform
(default this machine's), fetched and verified as any download is.

export writes the cached providers to DIR in the layout of
'terraform providers mirror' (HOST/NAMESPACE/TYPE/index.json, VERSION.json and
the zips, with their h1: and zh: hashes): Terraform reads it as a
filesystem_mirror, a static server serves it as a network mirror. import loads
such a folder into the cache (each zip must match a hash its VERSION.json
lists); a mirror without access to its upstream then answers from it.

purge removes cached artifacts whose key matches PATTERN (a glob: * is any
text; e.g. 'registry.terraform.io/hashicorp/aws/*'), or all of them; version
lists and other metadata stay. Run it while the mirror is stopped, or restart
the mirror afterwards.

Options:
  --listen HOST:PORT      Address to listen on (default 127.0.0.1:8787)
  --cache DIR             Cache folder (default ~/.cache/shoreline/mirror,
                          or $XDG_CACHE_HOME/shoreline/mirror)
  --s3-endpoint URL       Store artifacts in S3-compatible storage instead
  --s3-bucket NAME        (with --s3-endpoint) the bucket; credentials from
                          AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
                          AWS_SESSION_TOKEN
  --s3-region REGION      (default us-east-1)
  --s3-prefix PREFIX      Key prefix in the bucket (default none)
  --upstream HOST[=URL]   An upstream registry (repeatable; default
                          ${DEFAULT_UPSTREAMS.join(' and ')}); =URL reaches it elsewhere
  --artifact-host HOST    A host release archives may come from (repeatable;
                          default ${DEFAULT_ARTIFACT_HOSTS.join(', ')})
  --metadata-ttl SECONDS  How long version lists stay fresh (default 600)
  --max-artifact-mb N     Largest artifact accepted (default 2048)
  --lock FILE             (warm) a .terraform.lock.hcl (repeatable)
  --platform OS_ARCH      (warm) e.g. linux_amd64 (repeatable)
  --max-size SIZE         What cached artifacts may take (e.g. 20G, 500M);
                          beyond it the least recently used are evicted
                          (default: no limit; metadata is never evicted)
  --token-file FILE       Require "Authorization: Bearer <token>" (the token
                          is the file's first line; or SHORELINE_MIRROR_TOKEN)
  --tls-cert FILE         Serve HTTPS with this certificate...
  --tls-key FILE          ...and key
  --self-signed           Serve HTTPS with a generated localhost certificate
                          and print the SSL_CERT_FILE and CLI configuration
                          Terraform needs
  --public-url URL        The URL clients use, for rewritten download links
                          (required with --listen beyond loopback)
  --log-level LEVEL       debug, info (default), warn or error

SIGTERM or SIGINT stops the mirror after the requests in flight (at most 10 s).
`;

const SPEC = {
  '--help': {},
  '-h': {},
  '--listen': { value: true },
  '--cache': { value: true },
  '--s3-endpoint': { value: true },
  '--s3-bucket': { value: true },
  '--s3-region': { value: true },
  '--s3-prefix': { value: true },
  '--upstream': { value: true, repeat: true },
  '--artifact-host': { value: true, repeat: true },
  '--metadata-ttl': { value: true },
  '--max-artifact-mb': { value: true },
  '--token-file': { value: true },
  '--tls-cert': { value: true },
  '--tls-key': { value: true },
  '--self-signed': {},
  '--public-url': { value: true },
  '--log-level': { value: true },
  '--max-size': { value: true },
  '--lock': { value: true, repeat: true },
  '--platform': { value: true, repeat: true },
};

const SUBCOMMANDS = ['warm', 'export', 'import', 'purge'];

/** `20G`, `500M`, `64K` or bytes. */
export function parseSize(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(value.trim());
  if (!match) throw new UsageError(`${flag} must be a size such as 20G, 500M or 1048576, not '${value}'`);
  const power = ' KMGT'.indexOf((match[2] || ' ').toUpperCase());
  const bytes = Math.floor(Number(match[1]) * 1024 ** power);
  if (bytes < 1) throw new UsageError(`${flag} must be at least one byte`);
  return bytes;
}

function parseListen(value: string): { host: string; port: number } {
  const parsed = parseHostPort(value, { portRequired: true });
  if (!parsed) throw new UsageError(`--listen must be HOST:PORT (e.g. 127.0.0.1:8787 or [::1]:8787), not '${value}'`);
  return { host: parsed.host, port: integerFlag('--listen port', parsed.port, 8787, { min: 0, max: 65535 }) };
}

export function defaultCacheDir(): string {
  return join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'shoreline', 'mirror');
}

export async function runMirror(args: string[]): Promise<number | undefined> {
  const { flags, positional } = parseArgs(args, SPEC, 'mirror');
  const one = (flag: string): string | undefined => flags.get(flag)?.[0];
  if (flags.has('--help') || flags.has('-h')) {
    process.stdout.write(MIRROR_HELP);
    return 0;
  }
  const subcommand = SUBCOMMANDS.includes(positional[0] ?? '') ? positional[0] : undefined;
  if (!subcommand && positional.length > 0) throw new UsageError(`mirror takes no arguments but ${SUBCOMMANDS.join(', ')}; got '${positional[0]}'`);
  if (subcommand === 'purge' && positional.length > 2) throw new UsageError('mirror purge takes one PATTERN at most');
  if ((subcommand === 'export' || subcommand === 'import') && positional.length !== 2) throw new UsageError(`mirror ${subcommand} takes the folder: shoreline mirror ${subcommand} DIR`);
  if (subcommand !== 'warm' && (flags.has('--lock') || flags.has('--platform'))) throw new UsageError('--lock and --platform go with mirror warm');
  const { host, port } = parseListen(one('--listen') ?? '127.0.0.1:8787');
  const level = (one('--log-level') ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new UsageError(`--log-level must be debug, info, warn or error, not '${level}'`);
  const log = jsonLogger(undefined, level);
  const cacheDir = resolve(one('--cache') ?? defaultCacheDir());

  let storage: MirrorStorage;
  const endpoint = one('--s3-endpoint');
  if (endpoint) {
    const bucket = one('--s3-bucket');
    if (!bucket) throw new UsageError('--s3-endpoint needs --s3-bucket');
    const accessKeyId = process.env['AWS_ACCESS_KEY_ID'];
    const secretAccessKey = process.env['AWS_SECRET_ACCESS_KEY'];
    if (!accessKeyId || !secretAccessKey) throw new UsageError('S3 storage needs the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
    try {
      storage = new S3Storage({
        endpoint,
        bucket,
        region: one('--s3-region') ?? process.env['AWS_REGION'] ?? 'us-east-1',
        prefix: one('--s3-prefix') ?? '',
        accessKeyId,
        secretAccessKey,
        ...(process.env['AWS_SESSION_TOKEN'] ? { sessionToken: process.env['AWS_SESSION_TOKEN'] } : {}),
        tempDir: join(cacheDir, 'tmp'),
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  } else {
    for (const flag of ['--s3-bucket', '--s3-region', '--s3-prefix']) if (flags.has(flag)) throw new UsageError(`${flag} needs --s3-endpoint`);
    storage = new FileStorage(cacheDir);
  }
  if (subcommand === 'import') {
    await storage.init();
    const imported = await importCache(storage, resolve(positional[1]!));
    for (const reason of imported.refused) process.stderr.write(`refused: ${reason}\n`);
    process.stdout.write(`Imported ${imported.archives} provider archive${imported.archives === 1 ? '' : 's'} (${(imported.bytes / 1048576).toFixed(1)} MiB) into ${storage.description}.\n`);
    return imported.refused.length > 0 ? 1 : 0;
  }
  if (subcommand === 'purge') {
    await storage.init();
    const space = new CacheSpace(storage, undefined);
    await space.load();
    const removed = await space.purge(purgeMatcher(positional[1]));
    process.stdout.write(`Purged ${removed.objects} cached artifact${removed.objects === 1 ? '' : 's'} (${(removed.bytes / 1048576).toFixed(1)} MiB) from ${storage.description}.\n`);
    return 0;
  }

  let upstreams;
  try {
    upstreams = (flags.get('--upstream') ?? DEFAULT_UPSTREAMS).map((spec) => parseUpstream(spec));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  let token = process.env['SHORELINE_MIRROR_TOKEN'];
  const tokenFile = one('--token-file');
  if (tokenFile) {
    try {
      token = readFileSync(tokenFile, 'utf8').split('\n')[0]!.trim();
    } catch (error) {
      throw new UsageError(`--token-file ${tokenFile}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
    if (!token) throw new UsageError(`--token-file ${tokenFile} is empty`);
  }

  let tls: { cert: string; key: string } | undefined;
  let bundleFile: string | undefined;
  const certFile = one('--tls-cert');
  const keyFile = one('--tls-key');
  if (flags.has('--self-signed')) {
    if (certFile || keyFile) throw new UsageError('--self-signed cannot be combined with --tls-cert/--tls-key');
    const generated = await localCertificate(join(cacheDir, 'tls'));
    tls = { cert: generated.cert, key: generated.key };
    bundleFile = generated.bundleFile;
  } else if (certFile || keyFile) {
    if (!certFile || !keyFile) throw new UsageError('--tls-cert and --tls-key go together');
    try {
      tls = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
    } catch (error) {
      throw new UsageError(`cannot read the TLS files: ${(error as Error).message}`);
    }
  }
  if (!['127.0.0.1', '::1', 'localhost'].includes(host) && !token) log.warn('the mirror listens beyond loopback without a token: anyone who can reach it can use it', { host });

  if (subcommand === 'warm' || subcommand === 'export') {
    // The mirror itself, on a loopback port of its own for the time it takes: every archive verified as on any download.
    const local = await startMirror({
      storage,
      port: 0,
      upstreams,
      ...(flags.has('--artifact-host') ? { artifactHosts: flags.get('--artifact-host')! } : {}),
      ...(token ? { token } : {}),
      logger: log,
    });
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    try {
      if (subcommand === 'export') {
        const exported = await exportCache(storage, local.url, resolve(positional[1]!), headers);
        process.stdout.write(`Exported ${exported.archives} provider archive${exported.archives === 1 ? '' : 's'} (${(exported.bytes / 1048576).toFixed(1)} MiB) to ${resolve(positional[1]!)}.\n`);
        return 0;
      }
      let requirements: ProviderRequirement[];
      try {
        requirements = [...(flags.get('--lock') ?? []).flatMap((file) => parseLockFile(readFileSync(file, 'utf8'), file)), ...positional.slice(1).map((spec) => parseProviderSpec(spec))];
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      if (requirements.length === 0) throw new UsageError('mirror warm needs providers: --lock FILE or NAMESPACE/TYPE[@VERSION]');
      const platforms = flags.get('--platform') ?? [currentPlatform()];
      for (const platform of platforms) if (!/^[a-z0-9]+_[a-z0-9]+$/.test(platform)) throw new UsageError(`--platform must be OS_ARCH such as linux_amd64, not '${platform}'`);
      for (const result of await warmCache(local.url, requirements, platforms, headers)) {
        process.stdout.write(`${result.cache === 'HIT' ? 'cached already' : 'fetched'}  ${result.provider} ${result.version} ${result.platform}\n`);
      }
      return 0;
    } finally {
      await local.close(1000);
    }
  }

  let mirror;
  try {
    mirror = await startMirror({
      storage,
      host,
      port,
      upstreams,
      ...(flags.has('--artifact-host') ? { artifactHosts: flags.get('--artifact-host')! } : {}),
      metadataTtlMs: integerFlag('--metadata-ttl', one('--metadata-ttl'), 600) * 1000,
      maxArtifactBytes: integerFlag('--max-artifact-mb', one('--max-artifact-mb'), 2048) * 1024 * 1024,
      ...(one('--max-size') ? { maxCacheBytes: parseSize('--max-size', one('--max-size')!) } : {}),
      ...(token ? { token } : {}),
      ...(tls ? { tls } : {}),
      ...(one('--public-url') ? { publicUrl: one('--public-url')! } : {}),
      logger: log,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Said plainly, naming the option: an editor or a script can offer another port.
    if (code === 'EADDRINUSE') throw new UsageError(`cannot listen on ${host}:${port}: the port is in use (choose another with --listen HOST:PORT)`);
    if (code === 'EACCES') throw new UsageError(`cannot listen on ${host}:${port}: permission denied (ports below 1024 need privileges; choose another with --listen HOST:PORT)`);
    if (code === 'EADDRNOTAVAIL') throw new UsageError(`cannot listen on ${host}:${port}: not an address of this machine (--listen HOST:PORT)`);
    throw error;
  }
  if (bundleFile) {
    const url = mirror.url.replace('127.0.0.1', 'localhost');
    process.stdout.write(
      `Mirror ready at ${url}\n\nFor Terraform, trust its certificate and use it as the network mirror:\n\n  export SSL_CERT_FILE=${bundleFile}\n\n# ~/.terraformrc (or the file TF_CLI_CONFIG_FILE names)\n${terraformCliConfig(url, { tokenRequired: token !== undefined })}\n`,
    );
  } else {
    process.stdout.write(`Mirror ready at ${mirror.url}\n`);
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    void mirror.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return undefined;
}
