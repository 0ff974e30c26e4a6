export type Family = 4 | 6;

/** An address change seen by an IP source. */
export interface IpEvent {
  family: Family;
  address: string;
  /** Which source saw it, e.g. "interface eth0" or "http". */
  source: string;
}

export interface DdnsRecord {
  /** Fully qualified name, e.g. home.example.com */
  name: string;
  type: 'A' | 'AAAA';
  /** Seconds (providers that take a TTL). */
  ttl?: number;
  /** The zone the record lives in, where the provider needs it (default: the registrable domain). */
  zone?: string;
  enabled?: boolean;
  /** Which of the engine's providers publishes it (by name), when it has several. */
  provider?: string;
  /** Its own minimum time between two updates (default: the engine's). */
  minIntervalMs?: number;
  /** What identifies how it is published (provider settings, zone, TTL): a permanent failure is retried once it changes. */
  configuration?: string;
  /**
   * For AAAA records of other hosts: their interface identifier. The record
   * gets this machine's prefix (`ipv6PrefixLength` bits, default 64) with
   * this suffix, and follows the prefix when the provider renumbers.
   */
  ipv6Suffix?: string;
  ipv6PrefixLength?: number;
}

export const familyOf = (record: DdnsRecord): Family => (record.type === 'A' ? 4 : 6);
/** The record's key in the state file: its name and type, and its provider when there are several. */
export const recordKey = (record: DdnsRecord): string => `${record.provider ? `${record.provider}:` : ''}${record.name.toLowerCase().replace(/\.$/, '')}|${record.type}`;

/** A DNS provider the engine publishes through. Each talks only to its own API. */
export interface DdnsProvider {
  readonly name: string;
  /** Why the provider cannot publish this record, or undefined when it can. */
  supports(record: DdnsRecord): string | undefined;
  /** Makes the record resolve to `address` (only that address). */
  update(record: DdnsRecord, address: string, signal: AbortSignal): Promise<void>;
  /**
   * The addresses the record holds now, read from its source of truth (the
   * authoritative server, the provider's API): the engine repairs a record
   * changed or deleted behind its back. Empty when the record does not exist.
   */
  current?(record: DdnsRecord, signal: AbortSignal): Promise<string[]>;
}

/** An error retrying cannot fix (bad credentials, a record the provider will not change). */
export class PermanentUpdateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentUpdateError';
  }
}

/** Time, so tests can drive the engine with a fake clock. */
export interface Clock {
  now(): number;
  /** Resolves after ms (rejects when the signal aborts). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls fn after ms; returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
  setTimer: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};
