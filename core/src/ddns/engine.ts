import { silentLogger, type Logger } from '../util/log.js';
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
}

export interface EngineOptions {
  provider: DdnsProvider;
  records: DdnsRecord[];
  state: StateStore;
  /** Minimum time between two updates of one record (default 60 s). */
  minIntervalMs?: number;
  /** Bounded event queue (default 1000); on overflow it keeps the latest address per family. */
  queueLimit?: number;
  /** Attempts per update (default 4) with exponential backoff from backoffMs (default 1 s). */
  attempts?: number;
  backoffMs?: number;
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
        await this.apply(record, event.address);
      }
    }
  }

  private status(status: UpdateStatus): void {
    this.options.onStatus?.(status);
    const fields = { ...status, ...(status.retryAt ? { retryAt: new Date(status.retryAt).toISOString() } : {}) };
    if (status.result === 'failed') this.log.error('update failed', fields);
    else this.log.info(`record ${status.result}`, fields);
  }

  private async apply(record: DdnsRecord, address: string): Promise<void> {
    const { provider, state } = this.options;
    const base = { record: record.name, type: record.type, address, provider: provider.name };
    const reason = provider.supports(record);
    if (reason) return this.status({ ...base, result: 'unsupported', error: reason });
    const key = recordKey(record);
    const previous = state.get(key);
    if (previous.address === address) return this.status({ ...base, result: 'unchanged' });
    const minInterval = this.options.minIntervalMs ?? 60_000;
    const last = previous.attemptedAt ?? previous.updatedAt;
    if (last !== undefined && this.clock.now() - last < minInterval) {
      const retryAt = last + minInterval;
      this.retryAt(record, retryAt);
      return this.status({ ...base, result: 'deferred', retryAt });
    }
    const attempts = this.options.attempts ?? 4;
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1 && this.stopped) break;
      const attemptedAt = this.clock.now();
      try {
        await provider.update(record, address, this.abort.signal);
        await state.set(key, { address, updatedAt: attemptedAt, attemptedAt });
        return this.status({ ...base, result: 'updated', attempts: attempt });
      } catch (error) {
        lastError = error as Error;
        if (error instanceof PermanentUpdateError || (error as { permanent?: boolean }).permanent === true || this.stopped) break;
        if (attempt < attempts) await this.clock.sleep((this.options.backoffMs ?? 1000) * 2 ** (attempt - 1), this.backoff.signal).catch(() => {});
      }
    }
    const attemptedAt = this.clock.now();
    await state.set(key, { ...previous, attemptedAt, lastError: lastError?.message ?? 'unknown error' });
    // Try again once the minimum interval has passed, even if no new address arrives.
    if (!this.stopped) this.retryAt(record, attemptedAt + minInterval);
    this.status({ ...base, result: 'failed', error: lastError?.message ?? 'unknown error', attempts, retryAt: attemptedAt + minInterval });
  }

  /** Handles the record again at `at`, with the latest address of its family then. */
  private retryAt(record: DdnsRecord, at: number): void {
    const key = recordKey(record);
    if (this.deferred.has(key)) return;
    const cancel = this.clock.setTimer(Math.max(0, at - this.clock.now()), () => {
      this.deferred.delete(key);
      const latest = this.current.get(familyOf(record));
      if (!latest || this.stopped) return;
      this.enqueue(() => this.apply(record, latest));
    });
    this.deferred.set(key, cancel);
  }
}
