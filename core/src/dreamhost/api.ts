import { randomUUID } from 'node:crypto';
import { HttpClient, HttpError } from '../http/index.js';

/** A record as the DreamHost API lists it. */
export interface DreamhostRecord {
  account_id: string;
  zone: string;
  record: string;
  type: string;
  value: string;
  comment: string;
  /** "1" when DreamHost lets the record be changed; its own records are "0". */
  editable: string;
}

export type DreamhostErrorKind = 'auth' | 'validation' | 'not-found' | 'conflict' | 'not-editable' | 'internal' | 'connection';

/** An error of the DreamHost API, with its error string and what it means. */
export class DreamhostApiError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DreamhostErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DreamhostApiError';
  }
}

const ERROR_MESSAGES: Record<string, [DreamhostErrorKind, string]> = {
  no_key: ['auth', 'no API key was sent'],
  invalid_key: ['auth', 'the API key is not valid'],
  key_not_allowed: ['auth', 'the API key does not allow this command; enable the dns-* functions for the key in the DreamHost panel'],
  no_record: ['validation', 'the record name is missing'],
  no_type: ['validation', 'the record type is missing'],
  no_value: ['validation', 'the record value is missing'],
  invalid_record: ['validation', 'DreamHost rejected the record name'],
  invalid_type: ['validation', 'DreamHost does not accept this record type'],
  invalid_value: ['validation', 'DreamHost rejected the value for this type'],
  no_such_zone: ['not-found', 'the name is not in a zone of this DreamHost account'],
  no_such_record: ['not-found', 'no record with this name exists'],
  no_such_type: ['not-found', 'no record of this type exists at this name'],
  no_such_value: ['not-found', 'no record with this value exists'],
  CNAME_must_be_only_record: ['conflict', 'a CNAME must be the only record at its name'],
  CNAME_already_on_record: ['conflict', 'the name already has a CNAME'],
  record_already_exists_not_editable: ['not-editable', 'the record exists and DreamHost does not let it be changed'],
  record_already_exists_remove_first: ['conflict', 'the record exists; remove it first'],
  not_editable: ['not-editable', 'DreamHost does not let this record be changed'],
};

function apiError(code: string, reason?: string): DreamhostApiError {
  const known = ERROR_MESSAGES[code];
  if (known) return new DreamhostApiError(code, known[0], `DreamHost: ${known[1]} (${code})`);
  if (code.startsWith('internal_error')) return new DreamhostApiError(code, 'internal', `DreamHost had an internal error (${code}); try again`);
  return new DreamhostApiError(code, 'validation', `DreamHost refused the request: ${code}${reason ? ` (${reason})` : ''}`);
}

export interface DreamhostApiOptions {
  apiKey: string;
  /** Default https://api.dreamhost.com/, or SHORELINE_DREAMHOST_API_URL. */
  baseUrl?: string;
  http?: HttpClient;
  /** How long the record list is cached. */
  listTtlMs?: number;
  /** After a write, how long and how often to wait for the change to show in the list. */
  consistencyTimeoutMs?: number;
  consistencyIntervalMs?: number;
}

export interface RecordInput {
  record: string;
  type: string;
  value: string;
  comment?: string;
}

const sameRecord = (a: RecordInput, b: RecordInput) => a.record.toLowerCase() === b.record.toLowerCase() && a.type === b.type && a.value.replace(/\.$/, '') === b.value.replace(/\.$/, '');

/** The DreamHost API's DNS commands (dns-list_records, dns-add_record, dns-remove_record). */
export class DreamhostApi {
  readonly baseUrl: string;
  private readonly http: HttpClient;
  private readonly apiKey: string;

  constructor(private readonly options: DreamhostApiOptions) {
    this.apiKey = options.apiKey;
    this.baseUrl = options.baseUrl ?? process.env['SHORELINE_DREAMHOST_API_URL'] ?? 'https://api.dreamhost.com/';
    this.http = options.http ?? new HttpClient({ secrets: () => [this.apiKey] });
  }

  private url(cmd: string, params: Record<string, string> = {}): string {
    const url = new URL(this.baseUrl);
    url.searchParams.set('key', this.apiKey);
    url.searchParams.set('cmd', cmd);
    url.searchParams.set('format', 'json');
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.toString();
  }

  private async call(cmd: string, params: Record<string, string>, options: { cached: boolean; signal?: AbortSignal }): Promise<unknown> {
    let body: string;
    try {
      const response = await this.http.request({
        url: this.url(cmd, params),
        cacheKey: options.cached ? `dreamhost:${cmd}` : false,
        ...(options.cached ? { ttlMs: this.options.listTtlMs ?? 60_000 } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      body = response.body;
    } catch (error) {
      if (error instanceof HttpError && error.status === 401) throw new DreamhostApiError('invalid_key', 'auth', 'DreamHost: the API key is not valid');
      throw new DreamhostApiError('connection', 'connection', `DreamHost API: ${(error as Error).message}`);
    }
    let parsed: { result?: string; data?: unknown; reason?: string };
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new DreamhostApiError('bad_response', 'internal', 'DreamHost answered with something that is not JSON');
    }
    if (parsed.result !== 'success') {
      if (options.cached) this.http.invalidate(`dreamhost:${cmd}`);
      throw apiError(String(parsed.data ?? 'unknown_error'), parsed.reason);
    }
    return parsed.data;
  }

  /** All records of the account (cached; `fresh` skips the cache). */
  async listRecords(options: { fresh?: boolean; signal?: AbortSignal } = {}): Promise<DreamhostRecord[]> {
    if (options.fresh) this.http.invalidate('dreamhost:dns-list_records');
    const data = await this.call('dns-list_records', {}, { cached: true, ...(options.signal ? { signal: options.signal } : {}) });
    if (!Array.isArray(data)) throw new DreamhostApiError('bad_response', 'internal', 'DreamHost returned no record list');
    return data as DreamhostRecord[];
  }

  /** The cached record list without waiting for the network (undefined when nothing was fetched yet). */
  cachedRecords(): DreamhostRecord[] | undefined {
    const response = this.http.peek({ url: this.url('dns-list_records'), cacheKey: 'dreamhost:dns-list_records' });
    if (!response) return undefined;
    try {
      const parsed = JSON.parse(response.body) as { result?: string; data?: unknown };
      return parsed.result === 'success' && Array.isArray(parsed.data) ? (parsed.data as DreamhostRecord[]) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Adds a record, then waits until the list shows it (DreamHost applies changes asynchronously). */
  async addRecord(input: RecordInput): Promise<void> {
    await this.call('dns-add_record', { record: input.record, type: input.type, value: input.value, ...(input.comment ? { comment: input.comment } : {}), unique_id: randomUUID() }, { cached: false });
    await this.waitFor(input, true);
  }

  /** Removes a record, then waits until the list no longer shows it. */
  async removeRecord(input: RecordInput): Promise<void> {
    await this.call('dns-remove_record', { record: input.record, type: input.type, value: input.value, unique_id: randomUUID() }, { cached: false });
    await this.waitFor(input, false);
  }

  private async waitFor(input: RecordInput, present: boolean): Promise<void> {
    const deadline = Date.now() + (this.options.consistencyTimeoutMs ?? 30_000);
    const interval = this.options.consistencyIntervalMs ?? 1000;
    for (;;) {
      const records = await this.listRecords({ fresh: true });
      if (records.some((record) => sameRecord(record, input)) === present) return;
      if (Date.now() >= deadline) {
        throw new DreamhostApiError(
          'not_consistent',
          'internal',
          `DreamHost accepted the change, but the record ${present ? 'does not show' : 'still shows'} in the list after ${Math.round((this.options.consistencyTimeoutMs ?? 30_000) / 1000)} s`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }
}
