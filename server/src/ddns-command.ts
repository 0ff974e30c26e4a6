import v8 from 'node:v8';
import {
  ChangeHooks,
  DdnsConfigError,
  DdnsEngine,
  DdnsMonitor,
  DDNS_PROVIDERS,
  DDNS_VARIABLES,
  loadDdnsConfig,
  readDdnsSettings,
  startHealthServer,
  StateStore,
  type UpdateStatus,
} from '../../core/src/ddns/index.js';
import { parseHostPort } from '../../core/src/util/host-port.js';
import { jsonLogger, type LogLevel } from '../../core/src/util/log.js';
import { parseArgs, UsageError } from './args.js';

export const DDNS_HELP = `Usage: shoreline ddns [--config FILE] [--once] [--health-listen HOST:PORT] [--log-level LEVEL]

Keeps DNS records pointing at this machine's address. Address changes come
from local interfaces (event-driven on Linux through ip monitor) or from
public echo services; for each change, each record is updated through the
provider unless it already holds the address or was updated less than the
minimum interval ago (the update then waits, with the latest address).
Records are read on the server (the authoritative server for rfc2136, the
API otherwise) at start and every check interval, and repaired when changed
or deleted behind the watcher's back; the state file is only a cache.
Failing records are retried with backoff and never stop the others; errors
retrying cannot fix (a refused key, a zone the server does not serve) are
not retried until the address or the configuration changes.

Settings come from the environment, or from a YAML/JSON file (--config) with
the same keys; the environment wins. A file can also name several providers
and the records each publishes (see docs/ddns.md):

  providers:
    home: { type: rfc2136, server: ns1.example.com, tsig_key_name: ddns, tsig_secret: ... }
    cf: { type: cloudflare, api_token: ... }
  records:
    - { name: home.example.com, provider: home }
    - { name: www.example.org, type: AAAA, provider: cf, ttl: 300 }

Providers: ${DDNS_PROVIDERS.map((definition) => definition.name).join(', ')}.

Settings:

${Object.entries(DDNS_VARIABLES)
  .map(([key, text]) => `  ${key}\n      ${text}`)
  .join('\n')}

Options:
  --config FILE      Read settings from FILE
  --health-listen HOST:PORT
                     Serve /healthz (JSON, 503 while a record is failing)
                     and /metrics (Prometheus) there
  --once             One pass with the current address, every record read
                     on the server, then exit: 0 every record holds the
                     address, 1 an update failed (or no address was found),
                     2 bad usage or configuration, 3 an update had to wait
                     for the minimum interval
  --log-level LEVEL  debug, info (default), warn or error

One status line per record and address on standard output; JSON logs on
standard error. SIGTERM or SIGINT stops after the update in flight.
`;

const SPEC = { '--help': {}, '-h': {}, '--config': { value: true }, '--once': {}, '--log-level': { value: true }, '--health-listen': { value: true } };

function statusLine(status: UpdateStatus): string {
  const detail = status.result === 'deferred' ? ` until ${new Date(status.retryAt!).toISOString()}` : status.result === 'failed' || status.result === 'unsupported' ? `: ${status.error}` : '';
  return `${new Date().toISOString()} ${status.record} ${status.type} ${status.address} ${status.result}${detail} (${status.provider})\n`;
}

export async function runDdns(args: string[]): Promise<number | undefined> {
  // A watcher idles between rare, I/O-bound updates: V8's optimising compiler
  // buys it nothing, and its code and data cost ~3 MiB of ~50 (measured).
  v8.setFlagsFromString('--no-opt');
  const { flags, positional } = parseArgs(args, SPEC, 'ddns');
  if (flags.has('--help') || flags.has('-h')) {
    process.stdout.write(DDNS_HELP);
    return 0;
  }
  if (positional.length > 0) throw new UsageError(`ddns takes no arguments, got '${positional[0]}'`);
  const level = (flags.get('--log-level')?.[0] ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new UsageError(`--log-level must be debug, info, warn or error, not '${level}'`);
  let config;
  try {
    config = await loadDdnsConfig(await readDdnsSettings(process.env, flags.get('--config')?.[0]));
  } catch (error) {
    if (error instanceof DdnsConfigError) throw new UsageError(error.message);
    throw error;
  }
  const healthListen = flags.get('--health-listen')?.[0];
  const healthAt = healthListen === undefined ? undefined : parseHostPort(healthListen);
  if (healthListen !== undefined && (!healthAt || healthAt.port === undefined || Number(healthAt.port) > 65535))
    throw new UsageError(`--health-listen must be HOST:PORT (IPv6 as [ADDR]:PORT), not '${healthListen}'`);
  const log = jsonLogger(undefined, level, { component: 'ddns' });
  const state = new StateStore(config.stateFile, log);
  const monitor = new DdnsMonitor();
  monitor.stateWriteError = () => state.writeError;
  const hooks = new ChangeHooks({ ...config.hooks, logger: log });
  try {
    await state.load();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  /** The last result of each record and type: what --once exits with. */
  const results = new Map<string, UpdateStatus['result']>();
  const engine = new DdnsEngine({
    providers: config.providers,
    records: config.records,
    state,
    minIntervalMs: config.minIntervalMs,
    checkIntervalMs: config.checkIntervalMs,
    logger: log,
    onStatus: (status) => {
      results.set(`${status.record} ${status.type} ${status.provider}`, status.result);
      monitor.observe(status);
      hooks.observe(status);
      process.stdout.write(statusLine(status));
    },
  });
  log.info('ddns starting', {
    providers: Object.entries(config.providers).map(([name, provider]) => (name === provider.name ? name : `${name} (${provider.name})`)),
    records: config.records.map((record) => `${record.name} ${record.type}${record.provider ? ` via ${record.provider}` : ''}`),
    source: config.source.name,
    stateFile: config.stateFile,
  });

  if (flags.has('--once')) {
    const events = await config.source.snapshot();
    if (events.length === 0) {
      const why = (config.source as { lastError?: string }).lastError;
      process.stderr.write(`shoreline: no usable ${config.families.map((family) => `IPv${family}`).join(' or ')} address from the ${config.source.name} source${why ? ` (${why})` : ''}\n`);
      return 1;
    }
    for (const event of events) engine.submit(event);
    await engine.idle();
    await engine.stop();
    await state.flushed();
    state.close();
    await hooks.idle();
    return onceExitCode([...results.values()]);
  }

  let health;
  try {
    health = healthAt ? await startHealthServer(monitor, healthAt.host, Number(healthAt.port)) : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--health-listen ${healthListen}: ${code === 'EADDRINUSE' ? 'the port is in use; choose another' : code === 'EADDRNOTAVAIL' ? 'not an address of this machine' : (error as Error).message}`,
    );
  }
  if (health) log.info('health and metrics', { url: `${health.url}/healthz`, metrics: `${health.url}/metrics` });

  await config.source.start((event) => engine.submit(event));
  log.info('watching for address changes', { source: config.source.name, mode: (config.source as { mode?: string }).mode ?? 'polling' });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    config.source.stop();
    void engine
      .stop()
      .then(() => state.flushed())
      .then(() => hooks.idle())
      .then(() => health?.close())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return undefined;
}

/** What `--once` exits with: 1 when a record failed (or cannot be published), else 3 when one had to wait, else 0. */
export function onceExitCode(results: readonly UpdateStatus['result'][]): number {
  if (results.some((result) => result === 'failed' || result === 'unsupported')) return 1;
  if (results.some((result) => result === 'deferred')) return 3;
  return 0;
}
