import { silentLogger, type Logger } from '../util/log.js';
import { withSuffix } from './sources.js';
import type { StateStore } from './state.js';
import { familyOf, PermanentUpdateError, recordKey, systemClock, type Clock, type DdnsProvider, type DdnsRecord, type Family, type IpEvent } from './types.js';

export type UpdateResult = 'updated' | 'unchanged' | 'deferred' | 'failed' | 'unsupported';

/** One line of status per record and address: what the engine did and why. */
export interface UpdateStatus {
  record: string;
  type: string;
  address: string;
  result: UpdateResult;
  provider: string;
  /** For deferred: when the update will be sent. For failed: the error. */
  retryAt?: number;
  error?: string;
  attempts?: number;
  /** The record was read on the server (not only in the state file) before this result. */
  verified?: boolean;
  /** Failed in a way retrying cannot fix: not tried again until the address or the configuration changes. */
  permanent?: boolean;
}

export interface EngineOptions {
  /** The provider of every record; or `providers`, by name, with each record naming its own (`record.provider`). */
  provider?: DdnsProvider;
  providers?: Record<string, DdnsProvider>;
  records: DdnsRecord[];
  state: StateStore;
  /** Minimum time between two updates of one record (default 60 s). */
  minIntervalMs?: number;
  /** Bounded event queue (default 1000); on overflow it keeps the latest address per family. */
  queueLimit?: number;
  /** Attempts per update (default 4) with exponential backoff from backoffMs (default 1 s). */
  attempts?: number;
  backoffMs?: number;
  /**
   * How often every record is read on the server and repaired when it
   * differs (default 5 minutes; 0: only when an address is first seen).
   * Needs a provider that can read records (`current`).
   */
  checkIntervalMs?: number;
  /**
   * What identifies the configuration a record is published with (provider
   * settings, key, zone): a permanent failure is retried once it changes.
   */
  configuration?: string;
  clock?: Clock;
  logger?: Logger;
  onStatus?: (status: UpdateStatus) => void;
}

/**
 * The dynamic-DNS engine: address events in, idempotent record updates out.
 * For each event, records are handled in configuration order: supported by
 * the provider → already published (no call) → too soon (deferred to the
 * end of the minimum interval, with the latest address) → update with
 * retries → state recorded. One record failing never stops the others.
 */
export class DdnsEngine {
  private readonly queue: IpEvent[] = [];
  private readonly current = new Map<Family, string>();
  private readonly deferred = new Map<string, () => void>();
  /** Records read on the server since their address was last seen to change (key → address). */
  private readonly checked = new Map<string, string>();
  private cancelCheck: (() => void) | undefined;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly abort = new AbortController();
  /** Cancels backoff waits on stop: the update in flight finishes, retries do not start. */
  private readonly backoff = new AbortController();
  /** All work runs one task at a time, in order: event batches and retries. */
  private work: Promise<void> = Promise.resolve();
  private pendingTasks = 0;
  private draining = false;
  private stopped = false;
  /** Events dropped by coalescing (overflow), for status. */
  coalesced = 0;

  constructor(private readonly options: EngineOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? silentLogger;
    for (const record of options.records) if (!this.providerOf(record)) throw new Error(`no provider for ${record.name} ${record.type}${record.provider ? ` (${record.provider})` : ''}`);
  }

  private providerOf(record: DdnsRecord): DdnsProvider | undefined {
    const { provider, providers = {} } = this.options;
    if (record.provider) return providers[record.provider];
    return provider ?? (Object.keys(providers).length === 1 ? Object.values(providers)[0] : undefined);
  }

  /** Queues an address event; processing starts at once unless already running. */
  submit(event: IpEvent): void {
    if (this.stopped) return;
    this.queue.push(event);
    const limit = this.options.queueLimit ?? 1000;
    if (this.queue.length > limit) {
      // Overflow: only the newest address per family matters.
      const latest = new Map<Family, IpEvent>();
      for (const queued of this.queue) latest.set(queued.family, queued);
      this.coalesced += this.queue.length - latest.size;
      this.queue.splice(0, this.queue.length, ...latest.values());
      this.log.warn('address events coalesced: the queue overflowed', { limit, kept: latest.size });
    }
    if (!this.draining) {
      this.draining = true;
      this.enqueue(() => this.drain());
    }
  }

  /** Resolves when every queued event has been handled. */
  async idle(): Promise<void> {
    while (this.pendingTasks > 0) await this.work;
  }

  private enqueue(task: () => Promise<void>): void {
    this.pendingTasks += 1;
    this.work = this.work
      .then(task)
      .catch((error: unknown) => this.log.error('internal error in the DDNS engine', { error: (error as Error).message }))
      .finally(() => (this.pendingTasks -= 1));
  }

  /** Stops after the update in flight; queued events and deferred updates are dropped. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelCheck?.();
    this.queue.length = 0;
    for (const cancel of this.deferred.values()) cancel();
    this.deferred.clear();
    this.backoff.abort(new Error('stopped'));
    await this.work;
    this.abort.abort(new Error('stopped'));
  }

  private async drain(): Promise<void> {
    try {
      await this.drainQueue();
    } finally {
      this.draining = false;
    }
  }

  private async drainQueue(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const event = this.queue.shift()!;
      if (this.current.get(event.family) !== event.address)
        this.log.info('address changed', { family: event.family, address: event.address, source: event.source, previous: this.current.get(event.family) });
      this.current.set(event.family, event.address);
      for (const record of this.options.records) {
        if (this.stopped) return;
        if (record.enabled === false || familyOf(record) !== event.family) continue;
        const address = addressFor(record, event.address);
        // The first time an address is handled for a record, the server is asked what it holds: the state file is only a cache.
        await this.apply(record, address, { verify: this.checked.get(recordKey(record)) !== address });
      }
    }
    this.scheduleCheck();
  }

  /** Reads every record on the server again after the check interval, and repairs what differs. */
  private scheduleCheck(): void {
    const interval = this.options.checkIntervalMs ?? 5 * 60_000;
    if (this.cancelCheck || interval <= 0 || this.stopped || !this.options.records.some((record) => this.providerOf(record)?.current)) return;
    this.cancelCheck = this.clock.setTimer(interval, () => {
      this.cancelCheck = undefined;
      if (this.stopped) return;
      this.enqueue(() => this.checkAll());
    });
  }

  /** One pass over every record with the latest address of its family, read on the server. */
  async checkAll(): Promise<void> {
    for (const record of this.options.records) {
      if (this.stopped) return;
      const current = this.current.get(familyOf(record));
      if (record.enabled === false || current === undefined) continue;
      await this.apply(record, addressFor(record, current), { verify: true });
    }
    this.scheduleCheck();
  }

  private status(status: UpdateStatus): void {
    this.options.onStatus?.(status);
    const fields = { ...status, ...(status.retryAt ? { retryAt: new Date(status.retryAt).toISOString() } : {}) };
    if (status.result === 'failed') this.log.error('update failed', fields);
    else this.log.info(`record ${status.result}`, fields);
  }

  private async apply(record: DdnsRecord, address: string, { verify = false } = {}): Promise<void> {
    const { state } = this.options;
    const provider = this.providerOf(record)!;
    const base = { record: record.name, type: record.type, address, provider: record.provider ?? provider.name };
    const reason = provider.supports(record);
    if (reason) return this.status({ ...base, result: 'unsupported', error: reason });
    const key = recordKey(record);
    const previous = state.get(key);
    const configuration = record.configuration ?? this.options.configuration ?? '';
    if (previous.permanent && previous.permanent.address === address && previous.permanent.configuration === configuration) {
      return this.status({ ...base, result: 'failed', permanent: true, error: `not retried until the address or the configuration changes: ${previous.lastError ?? 'refused'}` });
    }
    let verified = false;
    if (verify && provider.current) {
      try {
        const held = await provider.current(record, this.abort.signal);
        verified = true;
        this.checked.set(key, address);
        if (held.length === 1 && held[0] === address) {
          if (previous.address !== address) await state.set(key, { ...previous, address, updatedAt: previous.updatedAt ?? this.clock.now() });
          return this.status({ ...base, result: 'unchanged', verified });
        }
        if (previous.address === address)
          this.log.warn('the record on the server differs from what was published: repairing it', { record: record.name, type: record.type, expected: address, found: held.length ? held : 'nothing' });
      } catch (error) {
        // The state file answers until the server can be read again.
        this.log.warn('cannot read the record on the server; going by the state file', { record: record.name, type: record.type, error: (error as Error).message });
      }
    }
    if (!verified && previous.address === address) return this.status({ ...base, result: 'unchanged' });
    const minInterval = record.minIntervalMs ?? this.options.minIntervalMs ?? 60_000;
    const last = previous.attemptedAt ?? previous.updatedAt;
    if (last !== undefined && this.clock.now() - last < minInterval) {
      const retryAt = last + minInterval;
      this.retryAt(record, retryAt);
      return this.status({ ...base, result: 'deferred', retryAt, ...(verified ? { verified } : {}) });
    }
    const attempts = this.options.attempts ?? 4;
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1 && this.stopped) break;
      const attemptedAt = this.clock.now();
      try {
        await provider.update(record, address, this.abort.signal);
        this.checked.set(key, address);
        await state.set(key, { address, updatedAt: attemptedAt, attemptedAt });
        return this.status({ ...base, result: 'updated', attempts: attempt, ...(verified ? { verified } : {}) });
      } catch (error) {
        lastError = error as Error;
        if (error instanceof PermanentUpdateError || (error as { permanent?: boolean }).permanent === true || this.stopped) break;
        if (attempt < attempts) await this.clock.sleep((this.options.backoffMs ?? 1000) * 2 ** (attempt - 1), this.backoff.signal).catch(() => {});
      }
    }
    const attemptedAt = this.clock.now();
    const message = lastError?.message ?? 'unknown error';
    const permanent = lastError instanceof PermanentUpdateError || (lastError as { permanent?: boolean } | undefined)?.permanent === true;
    const { permanent: _earlier, ...rest } = previous;
    await state.set(key, { ...rest, attemptedAt, lastError: message, ...(permanent ? { permanent: { address, configuration } } : {}) });
    if (permanent) return this.status({ ...base, result: 'failed', permanent, error: `${message} (not retried until the address or the configuration changes)`, attempts });
    // Try again once the minimum interval has passed, even if no new address arrives.
    if (!this.stopped) this.retryAt(record, attemptedAt + minInterval);
    this.status({ ...base, result: 'failed', error: message, attempts, retryAt: attemptedAt + minInterval });
  }

  /** Handles the record again at `at`, with the latest address of its family then. */
  private retryAt(record: DdnsRecord, at: number): void {
    const key = recordKey(record);
    if (this.deferred.has(key)) return;
    const cancel = this.clock.setTimer(Math.max(0, at - this.clock.now()), () => {
      this.deferred.delete(key);
      const latest = this.current.get(familyOf(record));
      if (!latest || this.stopped) return;
      // Read on the server again: a record found changed there waited here, and the state file still says it holds the address.
      this.enqueue(() => this.apply(record, addressFor(record, latest), { verify: true }));
    });
    this.deferred.set(key, cancel);
  }
}

/** The address a record gets for this machine's address: the same, or for another host its suffix under this prefix. */
function addressFor(record: DdnsRecord, address: string): string {
  if (record.type !== 'AAAA' || !record.ipv6Suffix) return address;
  return withSuffix(address, record.ipv6Suffix, record.ipv6PrefixLength ?? 64) ?? address;
}
