import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, type Logger } from '../util/log.js';
import type { UpdateStatus } from './engine.js';

/**
 * What a running watcher tells operators: the state of each record (for
 * /healthz and the metrics), and hooks told about every change — a command
 * given the change as JSON, or a webhook it is POSTed to.
 */

/** One record's latest state, as /healthz shows it. */
export interface RecordHealth {
  record: string;
  type: string;
  provider: string;
  address: string;
  result: UpdateStatus['result'];
  /** When the record was last seen holding its address (updated or checked), ISO 8601. */
  lastSuccess?: string;
  error?: string;
  permanent?: boolean;
}

/** A change hooks are told about: a record updated, or an update failed. */
export interface DdnsChange {
  event: 'updated' | 'failed';
  record: string;
  type: string;
  provider: string;
  address: string;
  error?: string;
  time: string;
}

export class DdnsMonitor {
  private readonly records = new Map<string, RecordHealth>();
  private readonly counts = new Map<string, number>();
  /** When the state file cannot be written: its cause (from the StateStore). */
  stateWriteError: () => string | undefined = () => undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes every status the engine reports. */
  observe(status: UpdateStatus): void {
    const key = `${status.record}|${status.type}|${status.provider}`;
    const previous = this.records.get(key);
    const ok = status.result === 'updated' || status.result === 'unchanged';
    const lastSuccess = ok ? new Date(this.now()).toISOString() : previous?.lastSuccess;
    this.records.set(key, {
      record: status.record,
      type: status.type,
      provider: status.provider,
      address: status.address,
      result: status.result,
      ...(lastSuccess ? { lastSuccess } : {}),
      ...(status.error ? { error: status.error } : {}),
      ...(status.permanent ? { permanent: true } : {}),
    });
    const countKey = `${key}|${status.result}`;
    this.counts.set(countKey, (this.counts.get(countKey) ?? 0) + 1);
  }

  /** ok: every record holds its address; degraded: one waits (deferred) or the state file cannot be written; failing: one failed. */
  health(): { status: 'ok' | 'degraded' | 'failing'; records: RecordHealth[]; stateFile?: string } {
    const records = [...this.records.values()];
    const stateError = this.stateWriteError();
    const failing = records.some((record) => record.result === 'failed' || record.result === 'unsupported');
    const degraded = records.some((record) => record.result === 'deferred') || stateError !== undefined;
    return { status: failing ? 'failing' : degraded ? 'degraded' : 'ok', records, ...(stateError ? { stateFile: `cannot be written: ${stateError}` } : {}) };
  }

  /** The Prometheus text exposition (format 0.0.4). */
  metrics(): string {
    const labels = (key: string): string => {
      const [record, type, provider] = key.split('|');
      return `record="${escape(record!)}",type="${type}",provider="${escape(provider!)}"`;
    };
    const lines = ['# HELP shoreline_ddns_updates_total Record results by record and result', '# TYPE shoreline_ddns_updates_total counter'];
    for (const [key, count] of this.counts) {
      const result = key.slice(key.lastIndexOf('|') + 1);
      lines.push(`shoreline_ddns_updates_total{${labels(key.slice(0, key.lastIndexOf('|')))},result="${result}"} ${count}`);
    }
    lines.push('# HELP shoreline_ddns_last_success_timestamp_seconds When each record was last seen holding its address', '# TYPE shoreline_ddns_last_success_timestamp_seconds gauge');
    for (const [key, record] of this.records) if (record.lastSuccess) lines.push(`shoreline_ddns_last_success_timestamp_seconds{${labels(key)}} ${(Date.parse(record.lastSuccess) / 1000).toFixed(3)}`);
    lines.push('# HELP shoreline_ddns_record_failing Whether the record’s last update failed', '# TYPE shoreline_ddns_record_failing gauge');
    for (const [key, record] of this.records) lines.push(`shoreline_ddns_record_failing{${labels(key)}} ${record.result === 'failed' ? 1 : 0}`);
    lines.push('# HELP shoreline_ddns_state_file_writable Whether the last write of the state file succeeded', '# TYPE shoreline_ddns_state_file_writable gauge');
    lines.push(`shoreline_ddns_state_file_writable ${this.stateWriteError() === undefined ? 1 : 0}`);
    return `${lines.join('\n')}\n`;
  }
}

function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Serves /healthz (JSON; 503 while a record is failing) and /metrics (Prometheus) on `host:port`. */
export async function startHealthServer(monitor: DdnsMonitor, host: string, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405, { allow: 'GET, HEAD' }).end();
    if (path === '/healthz') {
      const health = monitor.health();
      response.writeHead(health.status === 'failing' ? 503 : 200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return void response.end(request.method === 'HEAD' ? undefined : JSON.stringify(health));
    }
    if (path === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      return void response.end(request.method === 'HEAD' ? undefined : monitor.metrics());
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: ['try /healthz or /metrics'] }));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface HookOptions {
  /** A shell command: gets the change as JSON on standard input and as SHORELINE_DDNS_* variables. */
  command?: string;
  /** A URL the change is POSTed to as JSON. */
  url?: string;
  timeoutMs?: number;
  logger?: Logger;
}

/**
 * Tells hooks about changes, one at a time in order, without holding up the
 * updates; a hook that fails or hangs is logged and given up at its timeout.
 */
export class ChangeHooks {
  private queue: Promise<void> = Promise.resolve();
  private readonly log: Logger;
  constructor(private readonly options: HookOptions) {
    this.log = options.logger ?? silentLogger;
  }

  get active(): boolean {
    return !!(this.options.command || this.options.url);
  }

  /** Takes every status; updates and failures become changes. */
  observe(status: UpdateStatus, now = Date.now()): void {
    if (!this.active || (status.result !== 'updated' && status.result !== 'failed')) return;
    const change: DdnsChange = {
      event: status.result,
      record: status.record,
      type: status.type,
      provider: status.provider,
      address: status.address,
      ...(status.error ? { error: status.error } : {}),
      time: new Date(now).toISOString(),
    };
    this.queue = this.queue.then(() => this.deliver(change));
  }

  /** Resolves when every change so far has been delivered (or given up). */
  async idle(): Promise<void> {
    await this.queue;
  }

  private async deliver(change: DdnsChange): Promise<void> {
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    if (this.options.command) await this.runCommand(this.options.command, change, timeoutMs);
    if (this.options.url) {
      try {
        const response = await fetch(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'shoreline-ddns' },
          body: JSON.stringify(change),
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.body?.cancel();
        if (!response.ok) this.log.warn('the webhook refused the change', { status: response.status, record: change.record });
      } catch (error) {
        this.log.warn('the webhook could not be told about the change', { error: (error as Error).message, record: change.record });
      }
    }
  }

  private runCommand(command: string, change: DdnsChange, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const env = {
        ...process.env,
        SHORELINE_DDNS_EVENT: change.event,
        SHORELINE_DDNS_RECORD: change.record,
        SHORELINE_DDNS_TYPE: change.type,
        SHORELINE_DDNS_PROVIDER: change.provider,
        SHORELINE_DDNS_ADDRESS: change.address,
        ...(change.error ? { SHORELINE_DDNS_ERROR: change.error } : {}),
      };
      // A process group of its own: a hook that hangs is killed with everything it started.
      const child = spawn('/bin/sh', ['-c', command], { env, stdio: ['pipe', 'ignore', 'pipe'], detached: true });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr = `${stderr}${chunk}`.slice(-2000)));
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        this.log.warn('the hook command could not be run', { error: error.message });
        resolve();
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code !== 0) this.log.warn('the hook command failed', { exitCode: code, signal, stderr: stderr.trim(), record: change.record });
        resolve();
      });
      child.stdin.on('error', () => {}); // a hook that does not read its input
      child.stdin.end(`${JSON.stringify(change)}\n`);
    });
  }
}
